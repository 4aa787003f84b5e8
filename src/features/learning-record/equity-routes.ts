import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { AppContext } from '../../feature.ts';
import { hasRole } from '../../plugins/access.ts';
import { guard, HttpError, notFound } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import type { AreaKind } from './equity.ts';
import { equityTables, type FigureTable, HIDDEN, likelihoodChart, tableCsv, uptakeChart } from './equity-present.ts';
import { areaCells, childAreas, lastRefresh } from './equity-queries.ts';

// Equity of access to non-mandatory development, for an area: pages and CSV downloads read only the summaries.

export interface Area {
  kind: AreaKind;
  id: number;
  code: string;
  name: string;
  place: { id: number; icbId: number | null; regionId: number | null } | null;
}

const kindLabels: Record<AreaKind, string> = {
  nation: 'Country',
  region: 'NHS England region',
  icb: 'Integrated care board',
  organisation: 'Organisation',
};

export async function resolveArea(db: Database, code: string): Promise<Area | undefined> {
  if (code.toLowerCase() === 'england') return { kind: 'nation', id: 0, code: 'england', name: 'England', place: null };
  const org = await findOrganisation(db, code);
  if (!org) return undefined;
  const kind: AreaKind = org.kind === 'region' ? 'region' : org.kind === 'icb' ? 'icb' : 'organisation';
  return {
    kind,
    id: org.id,
    code: org.code,
    name: org.name,
    place: { id: org.id, icbId: org.icb_id, regionId: org.region_id },
  };
}

/** The area the viewer asks for, if they may see its figures. */
export async function equityArea(db: Database, req: FastifyRequest, code: string): Promise<Area> {
  const area = await resolveArea(db, code);
  if (!area) throw notFound('Area');
  guard(req, { action: 'learning:equity', area: { kind: area.kind, place: area.place } });
  return area;
}

export async function equityRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db, config } = ctx.deps;
  const minimum = config.disclosureMin;
  // The figures only change at a refresh, so an area's cells, its drawn charts and its child areas are read and
  // built once per refresh (the refresh time is part of every key, and is read on each request, so every instance
  // follows a refresh made elsewhere). Promises are kept, so that simultaneous requests share one read. Bounded,
  // oldest out first. The page itself is rendered by the app's one nunjucks environment (reply.render): a second
  // environment kept its own copy of every compiled template, layout and NHS macro in memory.
  const cache = new Map<string, Promise<unknown>>();
  const remember = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const known = cache.get(key);
    if (known) return known as Promise<T>;
    const value = make();
    value.catch(() => cache.delete(key));
    if (cache.size >= 300) cache.delete(cache.keys().next().value as string);
    cache.set(key, value);
    return value;
  };

  async function figures(area: Area, periodAsked: string | undefined) {
    const refresh = await lastRefresh(db);
    const stamp = `${area.kind}:${area.id}:${refresh?.refreshed_at.getTime() ?? 0}`;
    const cells = await remember(`cells:${stamp}`, () => areaCells(db, area.kind, area.id));
    const years = [...new Set(cells.filter((c) => c.periodKind === 'year').map((c) => c.period))];
    const periods = [...new Set(cells.map((c) => c.period))];
    const period = periodAsked ?? years[years.length - 1];
    if (periodAsked !== undefined && !periods.includes(periodAsked)) {
      throw new HttpError(400, `period must be one of: ${periods.join(', ')}`);
    }
    const model = await remember(`model:${stamp}:${period}`, async () => {
      if (!period) return undefined;
      const t = equityTables(cells, period, minimum);
      return {
        ...t,
        likelihoodYearsChart: t.likelihoodYears.series.length ? likelihoodChart(t.likelihoodYears) : null,
        likelihoodQuartersChart: t.likelihoodQuarters.series.length ? likelihoodChart(t.likelihoodQuarters) : null,
        groupCharts: t.groups.map((g) => (g.key === 'all' ? null : uptakeChart(g))),
      };
    });
    const children = () =>
      remember(`children:${stamp}:${period}`, async () => (period ? childAreas(db, area.kind, area.id, period) : []));
    return { refresh, period, periods, model, children };
  }

  /** What the page shows, the same for everyone who may see the area: cached parts, assembled per request. */
  async function pageModel(area: Area, periodAsked: string | undefined) {
    const f = await figures(area, periodAsked);
    const children = await f.children();
    return {
      area,
      kindLabel: kindLabels[area.kind],
      minimum,
      hidden: HIDDEN,
      period: f.period,
      periods: f.periods.map((p) => ({ value: p, text: p, selected: p === f.period })),
      refresh: f.refresh,
      model: f.model,
      children: children.map((c) => ({
        code: c.code,
        name: c.name,
        staff: c.suppressed ? HIDDEN : String(c.staff),
        uptake: c.suppressed ? HIDDEN : c.staff === 0 ? '0.0' : ((100 * c.accessed) / c.staff).toFixed(1),
      })),
    };
  }

  app.get('/learning/equity', async (req, reply) => {
    const viewer = guard(req, { action: 'learning:equity-any' });
    if (hasRole(viewer, 'national_admin')) return reply.redirect('/learning/equity/england', 303);
    const areas = viewer.grants
      .filter((g) => ['org_admin', 'icb_lead', 'regional_lead'].includes(g.role) && g.organisationCode)
      .map((g) => ({ code: g.organisationCode!, name: g.organisationName ?? g.organisationCode! }));
    const unique = [...new Map(areas.map((a) => [a.code, a])).values()];
    if (unique.length === 1) return reply.redirect(`/learning/equity/${unique[0].code}`, 303);
    return reply.render('features/learning-record/views/equity-choose.njk', {
      title: 'Equity of access to development',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      areas: unique,
    });
  });

  app.get<{ Params: { code: string }; Querystring: { period?: string } }>(
    '/learning/equity/:code',
    async (req, reply) => {
      const area = await equityArea(db, req, req.params.code);
      const figures = await pageModel(area, req.query.period || undefined);
      return reply.render('features/learning-record/views/equity.njk', {
        title: `Equity of access to development: ${area.name}`,
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: '/learning/equity', text: 'Equity of access to development' },
        ],
        ...figures,
      });
    },
  );

  app.get<{ Params: { code: string; table: string }; Querystring: { period?: string } }>(
    '/learning/equity/:code/:table.csv',
    async (req, reply) => {
      const area = await equityArea(db, req, req.params.code);
      const f = await figures(area, req.query.period || undefined);
      if (!f.model) throw notFound('Figures');
      const tables: FigureTable[] = [f.model.likelihoodYears, f.model.likelihoodQuarters, ...f.model.groups];
      const table = tables.find((t) => t.key === req.params.table);
      if (!table) throw notFound('Table');
      const name = `learning-equity-${area.code}-${table.key}-${(f.period ?? '').replace(/[^0-9A-Za-z]+/g, '-')}.csv`;
      return reply
        .header('content-disposition', `attachment; filename="${name.toLowerCase()}"`)
        .type('text/csv; charset=utf-8')
        .send(tableCsv(table));
    },
  );
}
