import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { notFound } from '../../web/http.ts';
import { bandRuleText } from '../frameworks/frameworks.ts';
import { presentEvidence } from './evidence-routes.ts';
import { gapItems, presentAssessment, presentCompetencies, withPrevious } from './present.ts';
import { type ResultPage, resultPageOf } from './result.ts';
import { dateText, home, idParam, ownPerson, readSubject, takeFlash, views } from './web.ts';

// The result of a submitted self-assessment: the profile by domain (chart and table), each competency against
// the required level with its red/amber/green band in words, the gaps, and the evidence. The person sees their
// own; line managers and organisation admins see it read-only (and the read is audited). The scores, the chart
// and its table are the result stored when the assessment was submitted (result-store.ts); the page reads them,
// the previous assessment and the evidence in one statement (resultPageOf).

const base = `${home}/assessments`;

export async function resultRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  const renderResult = (
    reply: FastifyReply,
    s: ResultPage,
    extra: { own: boolean; breadcrumbs: { href: string; text: string }[]; person?: string; flash?: string },
  ) => {
    const competencies = presentCompetencies(s.result);
    const titleOf = new Map(s.result.competencies.map((c) => [c.id, `${c.code} ${c.title}`]));
    return reply.render(`${views}/result.njk`, {
      title: extra.own ? 'Your self-assessment result' : `Self-assessment of ${extra.person}`,
      ...extra,
      assessment: presentAssessment(s.assessment, s.model),
      profile: withPrevious(s.chart, s.result, s.previous?.domains),
      previous: s.previous ? { submitted: dateText(s.previous.submittedAt) } : undefined,
      competencies,
      gapItems: gapItems(competencies),
      bandRule: bandRuleText(s.model.meta),
      evidence: s.evidence.map((e) => ({
        ...presentEvidence(e),
        competency: e.competency_id ? titleOf.get(e.competency_id) : 'The whole assessment',
      })),
      planAction: `${home}/plan/from-assessment/${s.assessment.id}`,
    });
  };

  app.get<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
    const { personId } = ownPerson(req);
    const found = await resultPageOf(db, personId, idParam(req.params.id, 'Self-assessment'));
    if (!found) throw notFound('Self-assessment');
    if (!found.page) return reply.redirect(`${base}/${found.assessment.id}/review`, 303);
    return renderResult(reply, found.page, {
      own: true,
      flash: await takeFlash(ctx, req),
      breadcrumbs: [
        { href: home, text: 'Development' },
        { href: base, text: 'Self-assessment' },
      ],
    });
  });

  app.get<{ Params: { pid: string; id: string } }>('/development/people/:pid/assessments/:id', async (req, reply) => {
    const personId = idParam(req.params.pid, 'Person');
    const id = idParam(req.params.id, 'Self-assessment');
    // The page is read while the read is audited (once access is decided): the audit entry is written either way.
    const { person, loaded: found } = await readSubject(
      db,
      req,
      personId,
      { action: 'assessment.read', subjectType: 'self_assessment', subjectId: id },
      () => resultPageOf(db, personId, id),
    );
    // Work in progress stays private until it is submitted.
    if (!found?.page) throw notFound('Self-assessment');
    const name = `${person.given_name} ${person.family_name}`;
    return renderResult(reply, found.page, {
      own: false,
      person: name,
      breadcrumbs: [
        { href: home, text: 'Development' },
        { href: `/development/people/${personId}`, text: name },
      ],
    });
  });
}
