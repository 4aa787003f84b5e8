import type { Deps } from '../../deps.ts';
import { spcChart, spcSummary } from '../../stats/spc-chart.ts';
import { memoChart } from '../../web/chart-memo.ts';
import { formatCount } from '../../web/nunjucks.ts';
import type { OrgDetail } from '../organisations/queries.ts';
import { type Aggregate, categories, categoryLabels, roundName } from './pulse.ts';
import { type AreaLevel, areaNames, closedSums } from './queries.ts';
import { areaResults, hideWithParent, periodsHiddenIn } from './results.ts';
import { todayOf } from './submit.ts';

/** The pulse results of an area as pages, the burden report and the API show them. */

export const views = 'features/pulse/views';
const TREND_MONTHS = 24;

// Formatters built once: toLocaleString with options builds a new Intl formatter on every call.
const hoursFormat = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percentFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
export const hoursText = (n: number) => hoursFormat.format(n);
export const percentText = (n: number) => `${percentFormat.format(n * 100)}%`;

export interface PulseArea {
  level: AreaLevel;
  id: number;
  code: string | null;
  name: string;
  /** The area it counts in one level up, whose page shows it as a part (none for England). */
  parent?: { level: AreaLevel; id: number };
}

export function areaOf(
  org: Pick<OrgDetail, 'id' | 'code' | 'name' | 'kind' | 'icb_id' | 'region_id'> | undefined,
): PulseArea {
  if (!org) return { level: 'nation', id: 0, code: null, name: 'England' };
  const level: AreaLevel = org.kind === 'region' ? 'region' : org.kind === 'icb' ? 'icb' : 'organisation';
  const parent: PulseArea['parent'] =
    level === 'region'
      ? { level: 'nation', id: 0 }
      : level === 'icb'
        ? org.region_id === null
          ? undefined
          : { level: 'region', id: org.region_id }
        : org.icb_id !== null
          ? { level: 'icb', id: org.icb_id }
          : org.region_id !== null
            ? { level: 'region', id: org.region_id }
            : { level: 'nation', id: 0 };
  return { level, id: org.id, code: org.code, name: org.name, parent };
}

const childHeading: Record<AreaLevel, string> = {
  nation: 'NHS England region',
  region: 'ICB',
  icb: 'Organisation',
  organisation: '',
};

const sinceOf = (today: string) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - TREND_MONTHS);
  return d.toISOString().slice(0, 10);
};

const monthLabel = (d: string) => monthFormat.format(new Date(`${d}T00:00:00Z`));

/** The figures of an area, raw (for the API) and shown (for pages). */
export async function pulseResults(deps: Deps, area: PulseArea) {
  const today = todayOf(deps);
  const minimum = deps.config.disclosureMin;
  const [rows, parentRows] = await Promise.all([
    closedSums(deps.db, area.level, area.id, today, sinceOf(today)),
    area.parent ? closedSums(deps.db, area.parent.level, area.parent.id, today, sinceOf(today)) : [],
  ]);
  const results = hideWithParent(
    areaResults(rows, minimum),
    periodsHiddenIn(parentRows, area.id, minimum),
    rows,
    minimum,
  );
  const names = await areaNames(
    deps.db,
    results.children.map((c) => c.childId).filter((x): x is number => x !== null),
  );
  return { area, minimum, results, names };
}

export type PulseResults = Awaited<ReturnType<typeof pulseResults>>;

const cell = (a: Aggregate, f: (a: Aggregate) => string) => (a.suppressed ? '*' : f(a));

const chartOf = (series: { label: string; value: number }[], title: string) =>
  memoChart(['pulse-trend', series, title], () =>
    spcChart(series, { title, yLabel: 'Hours a week', improvement: 'lower' }),
  );

/** The page's view of the results: headline table, one row per area below, the SPC trend with its table. */
export function showResults(r: PulseResults) {
  const { results, minimum, area } = r;
  const total = results.total;
  const headline =
    total && !total.suppressed
      ? categories.map((c) => ({
          label: categoryLabels[c],
          mean: hoursText(total.means![c]),
        }))
      : undefined;
  const children = results.children
    .map((c) => {
      const named = c.childId === null ? undefined : r.names.get(c.childId);
      return {
        name: named?.name ?? `Other organisations in ${area.name}`,
        code: named?.code,
        responses: c.aggregate.suppressed ? `Fewer than ${minimum} or hidden` : formatCount(c.aggregate.responses),
        upward: cell(c.aggregate, (a) => hoursText(a.means!.upward)),
        total: cell(c.aggregate, (a) => hoursText(a.meanTotal!)),
        share: cell(c.aggregate, (a) => percentText(a.upwardShare!)),
        suppressed: c.aggregate.suppressed,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const shown = results.trend.filter((t) => !t.aggregate.suppressed);
  const chart =
    shown.length >= 2
      ? chartOf(
          shown.map((t) => ({ label: monthLabel(t.opensOn), value: t.aggregate.means!.upward })),
          `Mean hours a week on upward reporting per manager in ${area.name}`,
        )
      : undefined;
  return {
    latestName: results.latest ? roundName({ opensOn: results.latest, closesOn: results.latest }) : undefined,
    responses: total?.responses ?? 0,
    suppressed: total ? total.suppressed : true,
    meanTotal: total && !total.suppressed ? hoursText(total.meanTotal!) : undefined,
    share: total && !total.suppressed ? percentText(total.upwardShare!) : undefined,
    headline,
    childHeading: childHeading[area.level],
    children,
    anyChildSuppressed: children.some((c) => c.suppressed),
    chart: chart && {
      svg: chart.svg,
      caption: `${chart.key} ${spcSummary(chart.result, hoursText)}`,
      table: chart.table,
    },
    trendRows: results.trend.map((t) => [
      monthLabel(t.opensOn),
      t.aggregate.suppressed ? `Fewer than ${minimum}` : formatCount(t.aggregate.responses),
      cell(t.aggregate, (a) => hoursText(a.means!.upward)),
      cell(t.aggregate, (a) => percentText(a.upwardShare!)),
    ]),
    minimum,
  };
}

/** The results as JSON: aggregates only, suppressed figures as null with suppressed: true. */
export function resultsJson(r: PulseResults) {
  const agg = (a: Aggregate) => ({
    responses: a.suppressed ? null : a.responses,
    suppressed: a.suppressed,
    mean_hours: a.suppressed ? null : Object.fromEntries(categories.map((c) => [c, round1(a.means![c])])),
    mean_total_hours: a.suppressed ? null : round1(a.meanTotal!),
    upward_share: a.suppressed ? null : Math.round(a.upwardShare! * 1000) / 1000,
  });
  return {
    area: { level: r.area.level, code: r.area.code, name: r.area.name },
    disclosure_minimum: r.minimum,
    latest_period: r.results.latest ?? null,
    total: r.results.total ? agg(r.results.total) : null,
    areas: r.results.children.map((c) => ({
      code: c.childId === null ? null : (r.names.get(c.childId)?.code ?? null),
      name: c.childId === null ? `Other organisations in ${r.area.name}` : (r.names.get(c.childId)?.name ?? ''),
      ...agg(c.aggregate),
    })),
    trend: r.results.trend.map((t) => ({ period: t.opensOn, ...agg(t.aggregate) })),
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
