import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { setFlash, takeFlash } from '../../plugins/session.ts';
import { guard, HttpError } from '../../web/http.ts';
import { addPlanItems } from '../plans/queries.ts';
import { shownMean } from './feedback.ts';
import { competencyHead, presentReport } from './present.ts';
import { loadRoundReport, storedReportOf } from './report-store.ts';
import { auditRead, auditWrite, loadRound, roundPermission } from './service.ts';
import { actorOf, idParam, presentRound, roundUrl, views } from './web.ts';

// The released report: for the person and the named facilitator; for line managers and organisation admins only when
// the person shares it. Every read by someone other than the person is audited.

export async function reportRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get<{ Params: { id: string } }>('/feedback/:id/report', async (req, reply) => {
    // The round, its subject and its stored report come in one statement; the report is used only once access is
    // decided, while the read is audited (the entry is written either way, and the page fails if it cannot be).
    const loaded = await loadRoundReport(db, idParam(req.params.id));
    const viewer = guard(req, roundPermission(loaded));
    const { round } = loaded;
    const [, { report, chart, framework }] = await Promise.all([
      auditRead(db, actorOf(req), loaded, 'report'),
      loaded.report(),
    ]);
    const subject = `${round.given_name} ${round.family_name}`;
    const view = presentReport(report);
    const lines = (l: typeof report.strengths) =>
      l.map((x) => ({ title: x.title, others: shownMean(x.others), self: shownMean(x.self) }));
    return reply.render(`${views}/report.njk`, {
      title: `360 feedback report: ${subject}`,
      breadcrumbs: [
        { href: '/me/feedback', text: '360 feedback' },
        { href: roundUrl(round.id), text: 'This 360 round' },
      ],
      flash: await takeFlash(ctx.deps, req),
      round: presentRound(round),
      framework,
      self: viewer.personId === round.person_id,
      report: view,
      chart,
      competencyHead,
      strengths: lines(report.strengths),
      lowest: lines(report.lowest),
      blindSpots: lines(report.blindSpots),
      hiddenStrengths: lines(report.hiddenStrengths),
    });
  });

  // "Add to my development plan": the competencies others rated lowest become plan items (once per round and
  // competency: adding them again changes nothing). Only the person adds to their own plan.
  app.post<{ Params: { id: string } }>('/feedback/:id/plan', async (req, reply) => {
    const loaded = await loadRound(db, idParam(req.params.id));
    const viewer = guard(req, roundPermission(loaded));
    if (viewer.personId !== loaded.round.person_id)
      throw new HttpError(403, 'Only the person can add to their own development plan');
    const { report } = await storedReportOf(db, loaded.round);
    const added = await addPlanItems(
      db,
      loaded.round.person_id,
      report.lowest.map((c) => ({
        frameworkVersionId: loaded.round.framework_version_id,
        competencyId: c.id,
        title: `Develop ${c.title} (from 360 feedback)`,
        source: 'feedback' as const,
        sourceId: String(loaded.round.id),
      })),
    );
    await auditWrite(db, actorOf(req), loaded, 'plan.add', { items: added.length });
    await setFlash(
      ctx.deps,
      req,
      added.length
        ? `${added.length} ${added.length === 1 ? 'competency' : 'competencies'} added to your development plan.`
        : 'These competencies are already in your development plan.',
    );
    return reply.redirect(`${roundUrl(loaded.round.id)}/report`, 303);
  });
}
