import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { guard, HttpError, schemaError } from '../../web/http.ts';
import { likelihoods } from './equity.ts';
import { areaCells, lastRefresh } from './equity-queries.ts';
import { equityArea } from './equity-routes.ts';
import { readableRecord } from './routes.ts';
import { learningSection } from './section.ts';
import { storeStatements } from './statements.ts';
import { XAPI_VERSION } from './xapi.ts';

const errorReply = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'What was wrong with the request' }),
});
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };
const nullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

const recordItem = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  provider: Type.Union([Type.String(), Type.Null()]),
  completed_on: Type.String({ format: 'date' }),
  outcome: Type.Unsafe<string>({ type: 'string', enum: ['completed', 'passed', 'failed', 'attended'] }),
  hours: nullableNumber('Hours of learning, when known'),
  mandatory: Type.Boolean({
    description: 'Statutory or mandatory training (not counted as development in the equity figures)',
  }),
  source: Type.Unsafe<string>({ type: 'string', enum: ['cohort', 'import', 'xapi', 'manual'] }),
  programme_id: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The catalogue programme, when there is one',
  }),
});
const sectionReply = Type.Object({
  records: Type.Array(recordItem),
  totals: Type.Object({
    records: Type.Integer(),
    hours: Type.Number(),
    by_year: Type.Array(Type.Object({ year: Type.String(), records: Type.Integer(), hours: Type.Number() })),
  }),
});

const equityQuery = Type.Object({
  area: Type.String({
    minLength: 1,
    maxLength: 20,
    description: 'An ODS code (organisation, ICB or region) or "england"',
  }),
  period: Type.Optional(
    Type.String({ maxLength: 20, description: 'e.g. 2024/25 or 2024/25 Q3; the latest financial year if left out' }),
  ),
});
type EquityQuery = Static<typeof equityQuery>;

const equityReply = Type.Object({
  area: Type.Object({ code: Type.String(), name: Type.String(), kind: Type.String() }),
  period: Type.Union([Type.String(), Type.Null()]),
  disclosure_minimum: Type.Integer(),
  refreshed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  likelihood: Type.Array(
    Type.Object({
      period: Type.String(),
      period_kind: Type.String(),
      white_vs_bme: nullableNumber('Relative likelihood, null when hidden'),
      non_disabled_vs_disabled: nullableNumber('Relative likelihood, null when hidden'),
    }),
  ),
  groups: Type.Array(
    Type.Object({
      dimension: Type.String(),
      group: Type.String(),
      suppressed: Type.Boolean({
        description: 'True: the figures are hidden (fewer than the minimum, or to stop differencing)',
      }),
      staff: nullableNumber('Staff at the end of the period'),
      accessed: nullableNumber('Staff with at least one non-mandatory learning record in the period'),
      uptake: nullableNumber('accessed ÷ staff'),
      hours: nullableNumber('Hours of non-mandatory learning'),
    }),
  ),
});

const statementIds = Type.Array(Type.String({ format: 'uuid' }), {
  description: 'The statement ids, in the order sent',
});

export async function api(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;
  app.setSchemaErrorFormatter(schemaError);
  // Before validation, so that a caller without credentials hears 401, not a complaint about its request.
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'signed-in' });
  });

  app.get(
    '/me/learning',
    {
      schema: {
        tags: ['Learning record'],
        summary: 'Your learning record',
        description:
          'Everything on the learning record of the person the token belongs to. Needs a personal token (one made without a role).',
        response: { 200: sectionReply, ...errors },
      },
    },
    async (req) => {
      const viewer = req.viewer!;
      if (viewer.personId === null) {
        throw new HttpError(
          404,
          'This token has no learning record: it acts with an admin role. Create a token without a role.',
        );
      }
      return learningSection(db, viewer.personId);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/people/:id/learning',
    {
      schema: {
        tags: ['Learning record'],
        summary: 'A person’s learning record',
        description:
          'For the person, their current line managers and admins of an organisation where they work (the development-record rule). Every read by someone other than the person is audited.',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: sectionReply, ...errors },
      },
    },
    async (req) => {
      await readableRecord(ctx, req, req.viewer!, req.params.id);
      return learningSection(db, req.params.id);
    },
  );

  app.post(
    '/xapi/statements',
    {
      // Only bearer tokens may post (checked below), so the cookie-based CSRF check has nothing to protect here and
      // would answer a caller without a token 403 instead of 401.
      config: { csrf: false },
      schema: {
        tags: ['Learning record'],
        summary: 'Record xAPI statements from a learning platform',
        description:
          'One statement or an array (at most 500), with the header X-Experience-API-Version: 1.0.x. Accepted verbs: ' +
          'http(s)://adlnet.gov/expapi/verbs/completed, passed and failed. The actor is matched by actor.mbox (mailto:email) ' +
          'to a person; the activity name becomes the title; result.duration (ISO 8601) the hours; timestamp the completion ' +
          'date. A repeated statement id is the same record. A batch is stored whole or not at all. Needs a token acting ' +
          'as a training provider admin (any learner), an organisation admin (that organisation’s staff) or a national admin.',
        headers: Type.Object({
          'x-experience-api-version': Type.Optional(Type.String({ description: 'xAPI version, 1.0.0 to 1.0.3' })),
        }),
        body: { anyOf: [{ type: 'object' }, { type: 'array' }], description: 'An xAPI statement or an array of them' },
        response: { 200: statementIds, ...errors, 409: errorReply },
      },
    },
    async (req, reply) => {
      if (req.viewer?.via !== 'token') {
        throw new HttpError(401, 'This endpoint needs an API token: send the header "Authorization: Bearer <token>"');
      }
      const viewer = guard(req, { action: 'learning:post-statements' });
      reply.header('X-Experience-API-Version', XAPI_VERSION);
      const version = req.headers['x-experience-api-version'];
      if (typeof version !== 'string' || !/^1\.0(\.\d+)?$/.test(version.trim())) {
        throw new HttpError(400, 'The header X-Experience-API-Version is required and must be 1.0.x (e.g. 1.0.3)');
      }
      return storeStatements(ctx.deps, viewer, req.body, req.ip);
    },
  );

  app.get<{ Querystring: EquityQuery }>(
    '/equity/learning',
    {
      schema: {
        tags: ['Learning record'],
        summary: 'Equity of access to non-mandatory development in an area',
        description:
          'Aggregates only, from the nightly summaries: staff, uptake and hours by band and protected characteristic, and relative likelihoods (White vs BME, non-disabled vs disabled) by year and quarter. Figures about fewer than the disclosure minimum, and those hidden with them, are null with suppressed true.',
        querystring: equityQuery,
        response: { 200: equityReply, ...errors },
      },
    },
    async (req) => {
      const area = await equityArea(db, req, req.query.area);
      const [cells, refresh] = await Promise.all([areaCells(db, area.kind, area.id), lastRefresh(db)]);
      const periods = [...new Set(cells.map((c) => c.period))];
      const years = [...new Set(cells.filter((c) => c.periodKind === 'year').map((c) => c.period))];
      const period = req.query.period ?? years[years.length - 1] ?? null;
      if (req.query.period !== undefined && !periods.includes(req.query.period)) {
        throw new HttpError(400, `period must be one of: ${periods.join(', ')}`);
      }
      const minimum = ctx.deps.config.disclosureMin;
      return {
        area: { code: area.code, name: area.name, kind: area.kind },
        period,
        disclosure_minimum: minimum,
        refreshed_at: refresh?.refreshed_at.toISOString() ?? null,
        likelihood: periods.map((p) => {
          const of = (d: string) => cells.filter((c) => c.period === p && c.dimension === d);
          return {
            period: p,
            period_kind: cells.find((c) => c.period === p)!.periodKind,
            white_vs_bme: likelihoods(of('ethnic_group'), 'ethnic_group', minimum),
            non_disabled_vs_disabled: likelihoods(of('disability'), 'disability', minimum),
          };
        }),
        groups: cells
          .filter((c) => c.period === period)
          .map((c) => ({
            dimension: c.dimension,
            group: c.grp,
            suppressed: c.suppressed,
            staff: c.suppressed ? null : c.staff,
            accessed: c.suppressed ? null : c.accessed,
            uptake: c.suppressed || c.staff === 0 ? null : Math.round((10000 * c.accessed) / c.staff) / 10000,
            hours: c.suppressed ? null : c.hours,
          })),
      };
    },
  );
}
