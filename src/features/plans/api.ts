import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { schemaError } from '../../web/http.ts';
import { errorReply } from '../assessments/schemas.ts';
import { auditWrite, ownPerson } from '../assessments/web.ts';
import { buildRecord } from './record.ts';
import { DevelopmentRecord, RecordPlanItem } from './record-format.ts';

const tags = ['Development'];
const errors = { 401: errorReply, 403: errorReply };

const PlanReply = Type.Object({
  items: Type.Array(RecordPlanItem, {
    description: 'The caller’s development plan items, open ones first, in the development record’s plan format',
  }),
});

/** JSON API: the caller's development plan and their whole development record (the export). */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.setSchemaErrorFormatter(schemaError);

  app.get(
    '/me/plan',
    {
      schema: {
        tags,
        summary: 'My development plan',
        description: 'Plan items with status, due date, agreed support, source and the competency they develop.',
        response: { 200: PlanReply, ...errors },
      },
    },
    async (req) => {
      const { personId } = ownPerson(req);
      return { items: (await buildRecord(db, personId, deps.clock.now())).plan };
    },
  );

  app.get(
    '/me/record',
    {
      schema: {
        tags,
        summary: 'My development record (export)',
        description:
          'The portable record: format "leadwell-development-record", version 2, with one key per section (assessments, plan, feedback: released 360 summaries with shown group aggregates only, appraisals: signed appraisals, learning). Import it at another Leadwell organisation from the record page; version 1 files are still imported.',
        response: { 200: DevelopmentRecord, ...errors },
      },
    },
    async (req) => {
      const { viewer, personId } = ownPerson(req);
      await auditWrite(db, req, viewer, { action: 'record.export', subjectType: 'person', subjectId: personId });
      return buildRecord(db, personId, deps.clock.now());
    },
  );
}
