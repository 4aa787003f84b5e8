import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { guard, HttpError, notFound, schemaError } from '../../web/http.ts';
import { orgByCode } from '../priorities/queries.ts';
import { placeOf } from '../priorities/register.ts';
import { findReorganisation, logOf, type ReorgRow } from './queries.ts';
import { recordReorganisation, resolveUnit } from './record.ts';
import { reorganisationInput, repeatedWithinThreeYears, unitKey } from './reorganisations.ts';
import { areaView } from './summary.ts';

const tags = ['Reorganisations'];
const nullable = <T extends TSchema>(t: T, description: string) => Type.Union([t, Type.Null()], { description });
const errorReply = Type.Object({ error: Type.String(), message: Type.String() });
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };

const item = Type.Object({
  id: Type.Integer(),
  organisation_code: Type.String(),
  unit: Type.String({ description: '"organisation", or the team’s code (its name when it has no code)' }),
  unit_name: Type.String(),
  effective_on: Type.String({ format: 'date' }),
  staff_affected: Type.Integer(),
  rationale: Type.String(),
  cost: nullable(Type.Number(), 'Pounds; null when not recorded'),
  expected_benefits: Type.String(),
  review_on: nullable(Type.String({ format: 'date' }), 'null: no review date set'),
  outcome: nullable(Type.String(), 'null: not recorded yet'),
  outcome_on: nullable(Type.String({ format: 'date' }), 'When the outcome was recorded'),
  repeated_within_three_years: Type.Boolean({
    description: 'The unit was last restructured on or after the same day three years before this one',
  }),
});
const listQuery = Type.Object({ organisation: Type.String({ minLength: 1, maxLength: 12, description: 'ODS code' }) });
const createBody = Type.Object(
  {
    organisation: Type.String({ minLength: 1, maxLength: 12, description: 'ODS code' }),
    unit: Type.String({ maxLength: 200, description: '"organisation", or a team id, code or name' }),
    effective_on: Type.String({ format: 'date' }),
    staff_affected: Type.Integer({ minimum: 0 }),
    rationale: Type.String({ minLength: 1, maxLength: 2000 }),
    cost: Type.Optional(Type.Number({ minimum: 0 })),
    expected_benefits: Type.String({ minLength: 1, maxLength: 2000 }),
    review_on: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
const summaryQuery = Type.Object({
  area: Type.String({ minLength: 1, maxLength: 12, description: '"england", or the ODS code of a region or an ICB' }),
});
const yearRow = Type.Object({
  year: Type.Integer(),
  reorganisations: Type.Integer(),
  per_organisation: nullable(Type.Number(), 'Reorganisations ÷ open providers in the area'),
  repeated: Type.Integer({ description: 'Within three years of the previous one of the same unit' }),
  repeated_share: nullable(Type.Number(), 'repeated ÷ reorganisations, as a percentage'),
  staff_affected: Type.Integer(),
  cost: Type.Number({ description: 'Known cost in pounds' }),
  cost_unknown: Type.Integer({ description: 'Reorganisations without a cost recorded' }),
});
const summaryReply = Type.Object({
  level: Type.String(),
  code: nullable(Type.String(), 'null for England'),
  name: Type.String(),
  years: Type.Array(yearRow),
  areas: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      reorganisations: Type.Integer(),
      per_organisation_year: nullable(Type.Number(), 'Over the last six years'),
      repeated_share: nullable(Type.Number(), 'Percentage'),
      staff_affected: Type.Integer(),
      cost: Type.Number(),
    }),
    { description: 'The areas one level down, last six calendar years (aggregates only)' },
  ),
});

function itemJson(r: ReorgRow, code: string, repeated: Set<number>) {
  return {
    id: r.id,
    organisation_code: code,
    unit: r.team_id === null ? 'organisation' : (r.team_code ?? r.unit_name),
    unit_name: r.unit_name,
    effective_on: r.effective_on,
    staff_affected: r.staff_affected,
    rationale: r.rationale,
    cost: r.cost === null ? null : Number(r.cost),
    expected_benefits: r.expected_benefits,
    review_on: r.review_on,
    outcome: r.outcome,
    outcome_on: r.outcome_on,
    repeated_within_three_years: repeated.has(r.id),
  };
}

const flags = (rows: ReorgRow[]) =>
  repeatedWithinThreeYears(rows.map((r) => ({ id: r.id, unit: unitKey(r), effective_on: r.effective_on })));

/** JSON API under /api/v1: an organisation's log (its admins), recording one, and area summaries (aggregates). */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'workload:aggregates' });
  });
  app.setSchemaErrorFormatter(schemaError);

  const orgFor = async (code: string) => {
    const org = await orgByCode(db, code);
    if (!org) throw notFound(`Organisation ${code}`);
    return org;
  };

  app.get(
    '/reorganisations',
    {
      schema: {
        tags,
        summary: 'An organisation’s reorganisations log',
        description:
          'Newest first, with the three-year flag. Needs the right to the organisation’s detail (its admins).',
        querystring: listQuery,
        response: { 200: Type.Object({ items: Type.Array(item) }), ...errors },
      },
    },
    async (req) => {
      const org = await orgFor((req.query as Static<typeof listQuery>).organisation);
      guard(req, { action: 'workload:org-detail', org: placeOf(org) });
      const rows = await logOf(db, org.id);
      const repeated = flags(rows);
      return { items: rows.map((r) => itemJson(r, org.code, repeated)) };
    },
  );

  app.post(
    '/reorganisations',
    {
      schema: {
        tags,
        summary: 'Record a reorganisation',
        description: 'Organisation admins record the restructures of their organisation or its teams.',
        body: createBody,
        response: { 201: item, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body as Static<typeof createBody>;
      const org = await orgFor(b.organisation);
      const viewer = guard(req, { action: 'reorganisations:record', org: placeOf(org) });
      const parsed = reorganisationInput.safeParse(b);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        throw new HttpError(400, `${String(i.path[0])}: ${i.message}`);
      }
      const unit = await resolveUnit(deps, org, b.unit);
      if ('problem' in unit) throw new HttpError(400, `unit: ${unit.problem}`);
      const id = await recordReorganisation(deps, { viewer, ip: req.ip }, org, unit, parsed.data);
      const r = (await findReorganisation(db, id))!;
      return reply.code(201).send(itemJson(r, org.code, flags(await logOf(db, org.id))));
    },
  );

  app.get(
    '/reorganisations/summary',
    {
      schema: {
        tags,
        summary: 'Reorganisations in an area',
        description:
          'Per calendar year: reorganisations, per organisation, the share within three years of the previous one of the same unit, staff affected and known cost; and the same for the areas one level down over the last six years. Aggregates only.',
        querystring: summaryQuery,
        response: { 200: summaryReply, ...errors },
      },
    },
    async (req) => {
      const code = (req.query as Static<typeof summaryQuery>).area;
      let area: Awaited<ReturnType<typeof orgByCode>>;
      if (code.toLowerCase() !== 'england') {
        area = await orgByCode(db, code);
        if (!area || (area.kind !== 'region' && area.kind !== 'icb')) throw notFound(`Region or ICB ${code}`);
      }
      const level = !area ? 'nation' : area.kind === 'region' ? 'region' : 'icb';
      const v = await areaView(deps, level, area?.id ?? 0, area?.name ?? 'England');
      return {
        level,
        code: area?.code ?? null,
        name: area?.name ?? 'England',
        years: v.years.rows.map((r) => ({ ...r, year: Number(r.year) })),
        areas: (v.children?.rows ?? []).map((r) => ({ ...r, per_organisation_year: r.per_organisation_year ?? null })),
      };
    },
  );
}
