import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { guard, HttpError, notFound, schemaError } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { placeOf } from './admin-routes.ts';
import { type BreakdownRow, HIDDEN } from './dashboard.ts';
import { dashboardView } from './dashboard-routes.ts';
import { appraisalsConductedBy, appraisalsOf } from './queries.ts';
import { readSummary } from './summary-queries.ts';
import { readContent } from './template.ts';
import { readAppraisal } from './workflow.ts';

const tags = ['Appraisals'];
const errorReply = Type.Object({ error: Type.String(), message: Type.String() });
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };
const nullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const statusEnum = Type.Unsafe<string>({
  type: 'string',
  enum: ['not_started', 'preparing', 'meeting_held', 'recorded', 'locked'],
});
const ratingEnum = Type.Union([
  Type.Unsafe<string>({ type: 'string', enum: ['exceptional', 'strong', 'developing', 'not_yet_meeting'] }),
  Type.Null(),
]);

const listItem = Type.Object({
  id: Type.Integer(),
  role: Type.Unsafe<string>({ type: 'string', enum: ['appraisee', 'appraiser'] }),
  person_name: Type.String(),
  cycle: Type.String(),
  organisation: Type.String(),
  status: statusEnum,
  due_on: Type.String({ format: 'date' }),
  overall_rating: ratingEnum,
});

const group = Type.Object({
  key: Type.String(),
  label: Type.String(),
  people: nullableNumber('People in the group; null when withheld (disclosure control)'),
  not_started: nullableNumber('null when withheld'),
  in_progress: nullableNumber('null when withheld'),
  completed: nullableNumber('Signed and locked; null when withheld'),
  overdue: nullableNumber('null when withheld'),
  completed_percent: nullableNumber('null when withheld'),
});

const statusReply = Type.Object({
  organisation: Type.Object({ code: Type.String(), name: Type.String() }),
  refreshed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  disclosure_minimum: Type.Integer({ description: 'No figure built from fewer people is given' }),
  total: Type.Union([Type.Omit(group, ['key', 'label']), Type.Null()]),
  by_directorate: Type.Array(group),
  by_band: Type.Array(group),
  by_staff_group: Type.Array(group),
  ratings: Type.Array(
    Type.Object({ rating: Type.String(), people: nullableNumber('null when withheld'), percent: nullableNumber('') }),
  ),
  equality: Type.Array(
    Type.Object({
      lens: Type.String(),
      reference: Type.String(),
      comparison: Type.String(),
      relative_likelihood: nullableNumber('Likelihood of the top rating, reference ÷ comparison; null when withheld'),
      groups: Type.Array(
        Type.Object({
          key: Type.String(),
          label: Type.String(),
          rated: nullableNumber('null when withheld'),
          top_rating_percent: nullableNumber('null when withheld'),
        }),
      ),
    }),
  ),
});

const objective = Type.Object({
  title: Type.String(),
  specific: Type.String(),
  measurable: Type.String(),
  achievable: Type.String(),
  relevant: Type.String(),
  timeBound: Type.String(),
  edi: Type.Boolean(),
});

const appraisalReply = Type.Object({
  id: Type.Integer(),
  person_id: Type.Integer(),
  person_name: Type.String(),
  appraiser_name: Type.Union([Type.String(), Type.Null()]),
  organisation: Type.String(),
  cycle: Type.String(),
  template: Type.Object({ key: Type.String(), version: Type.Integer() }),
  status: statusEnum,
  due_on: Type.String({ format: 'date' }),
  meeting_on: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  overall_rating: ratingEnum,
  content: Type.Object({
    objectives: Type.Array(objective),
    behaviours: Type.Record(
      Type.String(),
      Type.Object({ value: Type.Union([Type.Number(), Type.Null()]), comment: Type.String() }),
    ),
    reflection: Type.String(),
    wellbeing: Type.String(),
    career: Type.String(),
    plan: Type.Array(Type.String()),
  }),
  signed: Type.Object({
    appraisee_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    appraiser_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
  locked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const num = (s: string): number | null => (s === HIDDEN ? null : Number(s.replace(/[,%]/g, '')));
const groupJson = (r: Omit<BreakdownRow, 'key' | 'label'>) => ({
  people: num(r.people),
  not_started: num(r.notStarted),
  in_progress: num(r.inProgress),
  completed: num(r.completed),
  overdue: num(r.overdue),
  completed_percent: num(r.completedRate),
});
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** JSON API: a person's appraisals, one appraisal (scoped and audited), an organisation's figures (aggregates only). */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.setSchemaErrorFormatter(schemaError);

  app.get(
    '/me/appraisals',
    {
      schema: {
        tags,
        summary: 'My appraisals',
        description: 'Appraisals where the caller is the appraisee or the appraiser, newest cycle first.',
        response: { 200: Type.Object({ items: Type.Array(listItem) }), ...errors },
      },
    },
    async (req) => {
      const viewer = guard(req, { action: 'signed-in' });
      if (viewer.personId === null) return { items: [] };
      const [mine, conducting] = await Promise.all([
        appraisalsOf(db, viewer.personId),
        appraisalsConductedBy(db, viewer.personId),
      ]);
      const item = (role: 'appraisee' | 'appraiser') => (r: (typeof mine)[number]) => ({
        id: Number(r.id),
        role,
        person_name: r.person_name,
        cycle: r.cycle_name,
        organisation: r.org_name,
        status: r.status,
        due_on: r.due_on,
        overall_rating: r.overall_rating,
      });
      return { items: [...mine.map(item('appraisee')), ...conducting.map(item('appraiser'))] };
    },
  );

  app.get<{ Params: { code: string } }>(
    '/organisations/:code/appraisal-status',
    {
      schema: {
        tags,
        summary: 'Appraisal figures of an organisation',
        description:
          'Completion of the current cycle by directorate, band and staff group, overall ratings and the equality lens, from the summary tables, under disclosure control: a figure built from fewer than disclosure_minimum people is null, and so are enough others that it cannot be worked out. For the organisation’s admins and the ICB, regional and national roles above it.',
        params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9]{1,10}$', description: 'ODS code' }) }),
        response: { 200: statusReply, ...errors },
      },
    },
    async (req) => {
      const org = await findOrganisation(db, req.params.code);
      if (!org) throw notFound(`Organisation ${req.params.code}`);
      guard(req, { action: 'appraisals:org-figures', org: placeOf(org) });
      const min = deps.config.disclosureMin;
      const v = dashboardView(await readSummary(db, 'organisation', org.id), min, [
        'directorate',
        'band',
        'staff_group',
      ]);
      const dim = (d: string) =>
        (v.breakdowns.find((b) => b.dimension === d)?.rows ?? []).map((r) => ({
          key: r.key,
          label: r.label,
          ...groupJson(r),
        }));
      return {
        organisation: { code: org.code, name: org.name },
        refreshed_at: iso(v.refreshedAt),
        disclosure_minimum: min,
        total: v.total ? groupJson(v.total) : null,
        by_directorate: dim('directorate'),
        by_band: dim('band'),
        by_staff_group: dim('staff_group'),
        ratings: v.ratings.shares.map((s) => ({ rating: s.rating, people: num(s.people), percent: num(s.share) })),
        equality: v.lenses.map((l) => ({
          lens: l.title,
          reference: l.reference,
          comparison: l.comparison,
          relative_likelihood: l.likelihood === null ? null : Number(l.likelihood),
          groups: l.groups.map((g) => ({
            key: g.key,
            label: g.label,
            rated: num(g.rated),
            top_rating_percent: num(g.topRate),
          })),
        })),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/appraisals/:id',
    {
      schema: {
        tags,
        summary: 'One appraisal',
        description:
          'For the appraisee, the appraiser, the appraisee’s line managers and admins of their organisation; every read of someone else’s appraisal is audited. Others get 404.',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }),
        response: { 200: appraisalReply, ...errors },
      },
    },
    async (req) => {
      const viewer = guard(req, { action: 'signed-in' });
      const found = await readAppraisal(deps, { viewer, ip: req.ip }, Number(req.params.id));
      if (!found) throw notFound(`Appraisal ${req.params.id}`);
      const a = found.appraisal;
      if (!a) throw new HttpError(404, 'Appraisal not found');
      return {
        id: Number(a.id),
        person_id: Number(a.person_id),
        person_name: a.person_name,
        appraiser_name: a.appraiser_name,
        organisation: a.org_name,
        cycle: a.cycle_name,
        template: { key: a.template_key, version: a.template_version },
        status: a.status,
        due_on: a.due_on,
        meeting_on: a.meeting_on,
        overall_rating: a.overall_rating,
        content: readContent(a.content),
        signed: { appraisee_at: iso(a.appraisee_signed_at), appraiser_at: iso(a.appraiser_signed_at) },
        locked_at: iso(a.locked_at),
      };
    },
  );
}
