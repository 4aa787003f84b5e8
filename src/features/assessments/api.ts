import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { AppContext } from '../../feature.ts';
import { schemaError } from '../../web/http.ts';
import { assessmentsOf } from './queries.ts';
import { loadModels } from './result.ts';
import { storedResultsOf } from './result-store.ts';
import { AssessmentList, type AssessmentListT, errorReply, personParams } from './schemas.ts';
import { ownPerson, readSubject } from './web.ts';

const tags = ['Development'];
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };

/**
 * A person's assessments with their scores, newest first; others see submitted ones only. Scores are the stored
 * results, read in one query; one in progress carries none.
 */
export async function assessmentsJson(db: Database, personId: number, own: boolean): Promise<AssessmentListT> {
  const rows = (await assessmentsOf(db, personId)).filter((a) => own || a.status === 'submitted');
  const [models, results] = await Promise.all([loadModels(db, rows), storedResultsOf(db, rows)]);
  const items = [];
  for (const a of rows) {
    const meta = models.get(a.framework_version_id)?.meta;
    if (!meta) throw new Error(`framework version ${a.framework_version_id} is missing`);
    const result = results.get(a.id);
    items.push({
      id: a.id,
      framework: { key: meta.key, title: meta.title, version: meta.version, version_id: a.framework_version_id },
      management_level: a.management_level,
      level_source: a.level_source,
      status: a.status,
      started_at: a.started_at.toISOString(),
      submitted_at: a.submitted_at?.toISOString() ?? null,
      imported_from: a.imported_from,
      domains: result
        ? result.domains.map((d) => ({
            code: d.code,
            title: d.title,
            mean_rating: d.average,
            mean_required: d.requiredAverage,
            green: d.green,
            amber: d.amber,
            red: d.red,
            no_band: d.notRated,
          }))
        : [],
      competencies: result
        ? result.competencies.map((c) => ({
            code: c.code,
            title: c.title,
            domain: c.domainCode,
            required: c.required,
            rating: c.achieved,
            rating_label: c.achievedLabel,
            band: c.band,
            gap: c.gap,
          }))
        : [],
    });
  }
  return { items };
}

/** JSON API: one's own self-assessments, and a person's (line managers and organisation admins; audited). */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.setSchemaErrorFormatter(schemaError);

  app.get(
    '/me/assessments',
    {
      schema: {
        tags,
        summary: 'My self-assessments',
        description:
          'The caller’s self-assessments, newest first, each with its framework version; submitted ones carry the profile by domain and each competency against the required level.',
        response: { 200: AssessmentList, ...errors },
      },
    },
    async (req) => {
      const { personId } = ownPerson(req);
      return assessmentsJson(db, personId, true);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/people/:id/assessments',
    {
      schema: {
        tags,
        summary: 'A person’s self-assessments',
        description:
          'Submitted self-assessments of a person, for the person, their line managers and admins of their organisation (every read by someone else is audited). Regional and national roles get 403: they see aggregates only.',
        params: personParams,
        response: { 200: AssessmentList, ...errors },
      },
    },
    async (req) => {
      const { access } = await readSubject(db, req, req.params.id, {
        action: 'assessment.list.read',
        subjectType: 'person',
      });
      return assessmentsJson(db, req.params.id, access === 'self');
    },
  );
}
