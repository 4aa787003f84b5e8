import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { decodeCursor, encodeCursor, guard, HttpError, notFound } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import {
  detailReply,
  errorReply,
  idParams,
  type ListQuery,
  listQuery,
  listReply,
  type SummaryQuery,
  summaryQuery,
  summaryReply,
} from './api-schemas.ts';
import { cyclesPerYear, hoursPerManager, isPastSunset } from './burden.ts';
import { todayOf } from './present.ts';
import { duplicatesOf, findReturn, itemsOfReturns, listReturnsAfter, type ReturnRow } from './queries.ts';
import { appliesTo } from './register.ts';
import { placeOf } from './returns.ts';
import { areaSummary, type Figures, type Level } from './summary-queries.ts';
import { trendApi } from './trend-api.ts';

const tags = ['Reporting burden'];
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };

function parameterError(errs: FastifySchemaValidationError[]): Error {
  const e = errs[0];
  const params = e.params as { allowedValues?: unknown[]; missingProperty?: string };
  const field = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || params.missingProperty || 'request';
  if (params.allowedValues) return new HttpError(400, `${field} must be one of: ${params.allowedValues.join(', ')}`);
  return new HttpError(400, `${field} ${e.message ?? 'is not valid'}`);
}

const figuresJson = (f: Figures) => ({
  hours_year: f.hoursYear,
  cost_year: f.costYear,
  uncosted_hours_year: f.uncostedHoursYear,
  organisations: f.organisations,
  managers: f.managers,
  hours_per_manager: hoursPerManager(f.hoursYear, f.managers) ?? null,
});

function returnJson(r: ReturnRow, today: string, duplicates: { id: number }[] = []) {
  return {
    id: r.id,
    name: r.name,
    requesting_body: r.requesting_body,
    legal_basis: r.legal_basis,
    mandatory: r.mandatory,
    approval_ref: r.approval_ref,
    frequency: r.frequency,
    cycles_per_year: cyclesPerYear(r.frequency, r.ad_hoc_cycles),
    deadline_rule: r.deadline_rule,
    submission_route: r.submission_route,
    start_date: r.start_date,
    sunset_date: r.sunset_date,
    scope: r.scope,
    scope_org_code: r.scope_org_code,
    owner_org_code: r.owner_org_code,
    flags: {
      past_sunset: isPastSunset(r.sunset_date, today),
      no_approval_ref: r.approval_ref === null,
      duplicates_national: duplicates.map((d) => d.id),
    },
  };
}

/** JSON API under /api/v1: the register of returns and the measured burden summaries. */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  // Before validation, so that a caller without credentials hears 401, not a complaint about parameters.
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'burden:view' });
  });
  app.setSchemaErrorFormatter(parameterError);

  app.get(
    '/burden/returns',
    {
      schema: {
        tags,
        summary: 'List the reporting requirements register',
        description:
          'Returns (upward reporting requirements) ordered by id, a page at a time, with their flags: past sunset, no approval reference, duplicating a national return.',
        querystring: listQuery,
        response: { 200: listReply, ...errors },
      },
    },
    async (req) => {
      const q = req.query as ListQuery;
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor);
      if (after !== undefined && (after.length !== 1 || typeof after[0] !== 'number')) {
        throw new HttpError(400, 'cursor is not valid: use the next_cursor value from the previous page');
      }
      const today = todayOf(deps);
      const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? ('yes' as const) : ('no' as const));
      const rows = await listReturnsAfter(
        db,
        {
          scope: q.scope as ReturnRow['scope'] | undefined,
          body: q.body as ReturnRow['requesting_body'] | undefined,
          mandatory: yesNo(q.mandatory),
          approval: yesNo(q.has_approval_ref),
          sunset: q.past_sunset === undefined ? undefined : q.past_sunset ? 'past' : 'current',
          q: q.q?.trim() || undefined,
        },
        today,
        after?.[0] as number | undefined,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const dups = await duplicatesOf(
        db,
        page.map((r) => r.id),
      );
      return {
        items: page.map((r) => returnJson(r, today, dups.get(r.id))),
        next_cursor: rows.length > limit ? encodeCursor([page[page.length - 1].id]) : null,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/burden/returns/:id',
    {
      schema: {
        tags,
        summary: 'One return',
        description:
          'A return with its data items, who it applies to, its flags and its measured burden across England.',
        params: idParams,
        response: { 200: detailReply, ...errors },
      },
    },
    async (req) => {
      const r = await findReturn(db, Number(req.params.id));
      if (!r) throw notFound(`Return ${req.params.id}`);
      const [items, dups, nation] = await Promise.all([
        itemsOfReturns(db, [r.id]),
        duplicatesOf(db, [r.id]),
        areaSummary(db, 'nation', 0),
      ]);
      const national = nation.returns.find((x) => x.id === r.id);
      return {
        ...returnJson(r, todayOf(deps), dups.get(r.id)),
        applies_to: appliesTo(r.scope, r.scope_org_name),
        data_items: items.get(r.id) ?? [],
        national: national ? figuresJson(national) : null,
      };
    },
  );

  app.get(
    '/burden/summary',
    {
      schema: {
        tags,
        summary: 'The measured burden of an area',
        description:
          'Hours and cost a year, in total, per requesting body and per return, for England (level=national), a region or an ICB (code = its ODS code), or an organisation (needs the right to see its detail). Computed by the burden refresh, not per request.',
        querystring: summaryQuery,
        response: { 200: summaryReply, ...errors },
      },
    },
    async (req) => {
      const q = req.query as SummaryQuery;
      let level: Level = 'nation';
      let areaId = 0;
      let name = 'England';
      let code: string | null = null;
      if (q.level !== 'national') {
        if (!q.code) throw new HttpError(400, `code is required for level=${q.level}: give the ODS code`);
        const org = await findOrganisation(db, q.code);
        const kind = q.level === 'organisation' ? undefined : q.level;
        if (!org || (kind !== undefined && org.kind !== kind)) {
          throw notFound(
            `${q.level === 'organisation' ? 'Organisation' : q.level === 'icb' ? 'ICB' : 'Region'} ${q.code}`,
          );
        }
        if (q.level === 'organisation') guard(req, { action: 'org:view-detail', org: placeOf(org) });
        level = q.level as Level;
        areaId = org.id;
        name = org.name;
        code = org.code;
      }
      const s = await areaSummary(db, level, areaId);
      return {
        level: q.level,
        code,
        name,
        refreshed_at: s.refreshedAt ? new Date(s.refreshedAt).toISOString() : null,
        total: s.total ? figuresJson(s.total) : null,
        by_body: s.bodies.map((b) => ({ body: b.body, ...figuresJson(b) })),
        by_return: s.returns.map((r) => ({ return_id: r.id, name: r.name, ...figuresJson(r) })),
      };
    },
  );

  await trendApi(app, deps);
}
