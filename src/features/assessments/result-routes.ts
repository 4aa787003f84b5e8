import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { notFound } from '../../web/http.ts';
import { bandRuleText } from '../frameworks/frameworks.ts';
import { evidenceOfAssessment } from './evidence-queries.ts';
import { presentEvidence } from './evidence-routes.ts';
import { gapItems, presentAssessment, presentCompetencies, withPrevious } from './present.ts';
import { findAssessment } from './queries.ts';
import { previousOf, type SubmittedResult, submittedResult } from './result.ts';
import { home, idParam, ownPerson, readSubject, takeFlash, views } from './web.ts';

// The result of a submitted self-assessment: the profile by domain (chart and table), each competency against
// the required level with its red/amber/green band in words, the gaps, and the evidence. The person sees their
// own; line managers and organisation admins see it read-only (and the read is audited). The scores, the chart
// and its table are the result stored when the assessment was submitted (result-store.ts).

const base = `${home}/assessments`;

export async function resultRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  const renderResult = async (
    reply: FastifyReply,
    s: SubmittedResult,
    extra: { own: boolean; breadcrumbs: { href: string; text: string }[]; person?: string; flash?: string },
  ) => {
    const [previous, evidence] = await Promise.all([
      previousOf(db, s.assessment),
      evidenceOfAssessment(db, s.assessment.id),
    ]);
    const competencies = presentCompetencies(s.result);
    const titleOf = new Map(s.result.competencies.map((c) => [c.id, `${c.code} ${c.title}`]));
    return reply.render(`${views}/result.njk`, {
      title: extra.own ? 'Your self-assessment result' : `Self-assessment of ${extra.person}`,
      ...extra,
      assessment: presentAssessment(s.assessment, s.model),
      profile: withPrevious(s.chart, s.result, previous?.domains),
      previous: previous ? presentAssessment(previous.assessment, previous.model) : undefined,
      competencies,
      gapItems: gapItems(competencies),
      bandRule: bandRuleText(s.model.meta),
      evidence: evidence.map((e) => ({
        ...presentEvidence(e),
        competency: e.competency_id ? titleOf.get(e.competency_id) : 'The whole assessment',
      })),
      planAction: `${home}/plan/from-assessment/${s.assessment.id}`,
    });
  };

  app.get<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
    const { personId } = ownPerson(req);
    const a = await findAssessment(db, idParam(req.params.id, 'Self-assessment'));
    if (!a || a.person_id !== personId) throw notFound('Self-assessment');
    if (a.status !== 'submitted') return reply.redirect(`${base}/${a.id}/review`, 303);
    return renderResult(reply, await submittedResult(db, a), {
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
    const { person } = await readSubject(db, req, personId, {
      action: 'assessment.read',
      subjectType: 'self_assessment',
      subjectId: id,
    });
    const a = await findAssessment(db, id);
    // Work in progress stays private until it is submitted.
    if (!a || a.person_id !== personId || a.status !== 'submitted') throw notFound('Self-assessment');
    const name = `${person.given_name} ${person.family_name}`;
    return renderResult(reply, await submittedResult(db, a), {
      own: false,
      person: name,
      breadcrumbs: [
        { href: home, text: 'Development' },
        { href: `/development/people/${personId}`, text: name },
      ],
    });
  });
}
