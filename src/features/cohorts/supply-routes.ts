import type { FastifyInstance, FastifyRequest } from 'fastify';
import { csvLine } from '../../csv.ts';
import type { AppContext } from '../../feature.ts';
import { hasRole } from '../../plugins/access.ts';
import { guard, notFound } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { views } from './present.ts';
import {
  disclose,
  discloseTotal,
  type FigureTable,
  figureCells,
  figureHead,
  levelLabel,
  perHundredChart,
  staffGroupLabel,
  tableHtml,
} from './supply-present.ts';
import { areaSummary, childAreaSummaries, lastRefresh } from './supply-queries.ts';

/** Supply against demand for organisation admins, ICB, regional and national leads: summaries only. */

type Kind = 'nation' | 'region' | 'icb' | 'organisation';
interface Area {
  kind: Kind;
  id: number;
  code: string;
  name: string;
}

const NATIONAL = 'england';
const kindLabels: Record<Kind, string> = {
  nation: 'England',
  region: 'NHS England region',
  icb: 'Integrated care board',
  organisation: 'Organisation',
};
const childHeading: Record<Kind, string> = { nation: 'Region', region: 'ICB', icb: 'Organisation', organisation: '' };

export async function supplyRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  const min = deps.config.disclosureMin;

  async function area(req: FastifyRequest, code: string): Promise<Area> {
    if (code.toLowerCase() === NATIONAL) {
      guard(req, { action: 'cohorts:supply', area: { kind: 'nation', place: null } });
      return { kind: 'nation', id: 0, code: NATIONAL, name: 'England' };
    }
    const org = await findOrganisation(db, code);
    if (!org) throw notFound('Area');
    const kind: Kind = org.kind === 'region' ? 'region' : org.kind === 'icb' ? 'icb' : 'organisation';
    guard(req, {
      action: 'cohorts:supply',
      area: { kind, place: { id: org.id, icbId: org.icb_id, regionId: org.region_id } },
    });
    return { kind, id: org.id, code: org.code, name: org.name };
  }

  async function tablesOf(a: Area) {
    const rows = await areaSummary(db, a.kind, a.id);
    const all = rows.find((r) => r.staff_group === '' && r.domain === '' && r.level === '');
    const total = discloseTotal(all ?? { ...empty }, min);
    const children = a.kind === 'organisation' ? [] : await childAreaSummaries(db, a.kind, a.id);
    const tables: (FigureTable & { label: string })[] = [];
    const disclosedChildren = disclose(children, min);
    if (children.length) {
      tables.push({
        key: 'areas',
        label: childHeading[a.kind],
        caption: `Supply and demand by ${childHeading[a.kind].toLowerCase()} in ${a.name}`,
        head: [childHeading[a.kind], ...figureHead],
        rows: disclosedChildren.map((c) => [c.name, ...figureCells(c, min)]),
      });
    }
    const pick = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f);
    const groups = pick((r) => r.staff_group !== '').sort((x, y) => x.staff_group.localeCompare(y.staff_group));
    tables.push({
      key: 'staff-groups',
      label: 'Staff group',
      caption: `By staff group of the applicant in ${a.name}`,
      head: ['Staff group', ...figureHead],
      rows: disclose(groups, min).map((r) => [staffGroupLabel(r.staff_group), ...figureCells(r, min)]),
    });
    const levels = pick((r) => r.level !== '' && r.domain === '' && r.staff_group === '');
    tables.push({
      key: 'levels',
      label: 'Programme level',
      caption: `By programme level in ${a.name}`,
      head: ['Level', ...figureHead],
      rows: disclose(levels, min).map((r) => [levelLabel(r.level), ...figureCells(r, min)]),
    });
    const domains = pick((r) => r.domain !== '' && r.level === '').sort((x, y) => x.domain.localeCompare(y.domain));
    tables.push({
      key: 'domains',
      label: 'Competency domain',
      caption: `By competency domain in ${a.name} (a programme counts in each domain it develops)`,
      head: ['Competency domain', ...figureHead],
      rows: disclose(domains, min).map((r) => [r.domain, ...figureCells(r, min)]),
    });
    const domainLevels = pick((r) => r.domain !== '' && r.level !== '').sort(
      (x, y) => x.domain.localeCompare(y.domain) || x.level.localeCompare(y.level),
    );
    tables.push({
      key: 'domain-levels',
      label: 'Competency domain and level',
      caption: `By competency domain and programme level in ${a.name}`,
      head: ['Competency domain', 'Level', ...figureHead],
      rows: disclose(domainLevels, min).map((r) => [r.domain, levelLabel(r.level), ...figureCells(r, min)]),
    });
    const chart = perHundredChart(
      disclosedChildren.map((c) => ({ label: c.name, r: c })),
      `Places per 100 managers by ${childHeading[a.kind].toLowerCase()} in ${a.name}`,
    );
    // Each child area's name opens that area's own page: the drill-down from nation to region to ICB.
    const links = disclosedChildren.map((c) => `/cohorts/supply/${encodeURIComponent(c.code)}`);
    const html = Object.fromEntries(tables.map((t) => [t.key, tableHtml(t, t.key === 'areas' ? links : undefined)]));
    const chartTable = {
      caption: `Places per 100 managers by ${childHeading[a.kind].toLowerCase()} in ${a.name}`,
      head: [childHeading[a.kind], 'Places per 100 managers'],
      rows: tables[0]?.key === 'areas' ? tables[0].rows.map((r) => [r[0]!, r[4]!]) : [],
    };
    return { total, totalCells: figureCells(total, min), tables, html, chart, chartTable };
  }

  app.get('/cohorts/supply', async (req, reply) => {
    const viewer = guard(req, { action: 'cohorts:supply-any' });
    if (hasRole(viewer, 'national_admin')) return reply.redirect(`/cohorts/supply/${NATIONAL}`, 303);
    const areas = viewer.grants
      .filter((g) => ['org_admin', 'icb_lead', 'regional_lead'].includes(g.role) && g.organisationCode)
      .map((g) => ({ code: g.organisationCode!, name: g.organisationName! }));
    if (areas.length === 1) return reply.redirect(`/cohorts/supply/${encodeURIComponent(areas[0]!.code)}`, 303);
    return reply.render(`${views}/supply-areas.njk`, {
      title: 'Supply and demand for development',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      areas,
    });
  });

  // The figures change only when the refresh runs: an area's tables and chart are kept until the next refresh
  // (each instance asks for the latest refresh id, one indexed row, on every request).
  const cache = new Map<string, Awaited<ReturnType<typeof tablesOf>>>();
  async function cachedTables(a: Area, refreshId: number | undefined) {
    const key = `${refreshId ?? 0}|${a.kind}|${a.id}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const view = await tablesOf(a);
    if (cache.size >= 1000) cache.clear();
    cache.set(key, view);
    return view;
  }

  // One breakdown table a page (?by=, the area's own children first): a region's tables together ran to some
  // thousands of cells. Every table stays one link away and downloadable as CSV.
  app.get<{ Params: { code: string }; Querystring: { by?: string } }>('/cohorts/supply/:code', async (req, reply) => {
    const a = await area(req, req.params.code);
    const refreshed = await lastRefresh(db);
    const view = await cachedTables(a, refreshed?.id);
    const by = typeof req.query.by === 'string' && req.query.by ? req.query.by : view.tables[0]!.key;
    const shown = view.tables.find((t) => t.key === by);
    if (!shown) throw notFound('Breakdown');
    return reply.render(`${views}/supply.njk`, {
      title: `Supply and demand for development in ${a.name}`,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/cohorts/supply', text: 'Supply and demand' },
      ],
      area: { ...a, kindLabel: kindLabels[a.kind] },
      head: figureHead,
      totalCells: view.totalCells,
      breakdowns: view.tables.map((t) => ({ key: t.key, label: t.label, current: t.key === shown.key })),
      shown: { key: shown.key, caption: shown.caption, html: view.html[shown.key] },
      chart: shown.key === 'areas' ? view.chart : undefined,
      chartTable: view.chartTable,
      min,
      refreshed,
    });
  });

  app.get<{ Params: { code: string; file: string } }>('/cohorts/supply/:code/:file', async (req, reply) => {
    const m = /^([a-z-]+)\.csv$/.exec(req.params.file);
    if (!m) throw notFound('Table');
    const a = await area(req, req.params.code);
    const { tables, totalCells } = await cachedTables(a, (await lastRefresh(db))?.id);
    const t =
      m[1] === 'total'
        ? { key: 'total', caption: '', head: ['Area', ...figureHead], rows: [[a.name, ...totalCells]] }
        : tables.find((x) => x.key === m[1]);
    if (!t) throw notFound('Table');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="supply-${a.code.toLowerCase()}-${t.key}.csv"`)
      .send(`${[csvLine(t.head), ...t.rows.map(csvLine)].join('\r\n')}\r\n`);
  });
}

const empty = {
  managers: 0,
  programmes: 0,
  places: 0,
  offered: null,
  applications: 0,
  waitlisted: 0,
  interest: 0,
  wait_n: 0,
  wait_median: null,
  wait_p90: null,
  staff_group: '',
  domain: '',
  level: '',
};
