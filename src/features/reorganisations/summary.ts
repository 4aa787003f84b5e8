import type { Deps } from '../../deps.ts';
import { memoChart } from '../../web/chart-memo.ts';
import { barChart } from '../../web/charts.ts';
import { chartTable } from '../priorities/present.ts';
import type { DataTable } from '../priorities/tables.ts';
import { childSummaries, type Level, summaryOf } from './queries.ts';

// The reorganisation figures of an area (or one organisation) for pages and the API, from reorganisation_summary.

/** Years shown in the comparison of areas: the last six calendar years including this one. */
export const YEARS_COMPARED = 6;

const share = (k: number, n: number) => (n > 0 ? Math.round((1000 * k) / n) / 10 : null);
const perOrg = (k: number, orgs: number) => (orgs > 0 ? Math.round((100 * k) / orgs) / 100 : null);

export async function areaView(
  deps: Pick<Deps, 'db' | 'clock'>,
  level: Level,
  areaId: number,
  name: string,
  hrefOf?: (c: { id: number; code: string }) => string | undefined,
) {
  const rows = await summaryOf(deps.db, level, areaId);
  const years: DataTable = {
    id: 'years',
    caption: `Reorganisations in ${name} by year`,
    columns: [
      { key: 'year', label: 'Year' },
      { key: 'reorganisations', label: 'Reorganisations', numeric: true },
      ...(level === 'organisation' ? [] : [{ key: 'per_organisation', label: 'Per organisation', numeric: true }]),
      { key: 'repeated', label: 'Within 3 years of the previous one', numeric: true },
      { key: 'repeated_share', label: 'Share within 3 years (%)', numeric: true },
      { key: 'staff_affected', label: 'Staff affected', numeric: true },
      { key: 'cost', label: 'Known cost (£)', numeric: true },
      { key: 'cost_unknown', label: 'Without a cost', numeric: true },
    ],
    rows: rows.map((r) => ({
      year: String(r.year),
      reorganisations: r.reorganisations,
      per_organisation: perOrg(r.reorganisations, r.organisations),
      repeated: r.repeated,
      repeated_share: share(r.repeated, r.reorganisations),
      staff_affected: r.staff_affected,
      cost: Math.round(r.cost),
      cost_unknown: r.cost_unknown,
    })),
  };
  const chart = rows.length
    ? {
        svg: memoChart(['reorganisation-years', rows.map((r) => [r.year, r.reorganisations]), years.caption], () =>
          barChart(
            rows.map((r) => ({ label: String(r.year), value: r.reorganisations })),
            {
              title: years.caption,
              description: 'Horizontal bars: reorganisations recorded in each calendar year.',
              xLabel: 'Reorganisations',
            },
          ),
        ),
        table: chartTable(years),
      }
    : undefined;
  const total = rows.reduce(
    (t, r) => ({
      n: t.n + r.reorganisations,
      repeated: t.repeated + r.repeated,
      staff: t.staff + r.staff_affected,
      cost: t.cost + r.cost,
    }),
    { n: 0, repeated: 0, staff: 0, cost: 0 },
  );
  let children: DataTable | undefined;
  if (level !== 'organisation') {
    const fromYear = Number(deps.clock.now().toISOString().slice(0, 4)) - YEARS_COMPARED + 1;
    const c = await childSummaries(deps.db, level, areaId, fromYear);
    const noun = c.level === 'region' ? 'Region' : c.level === 'icb' ? 'ICB' : 'Organisation';
    children = {
      id: 'areas',
      caption: `Reorganisations by ${noun.toLowerCase()} in ${name}, ${fromYear} onwards`,
      columns: [
        { key: 'name', label: noun },
        { key: 'code', label: 'ODS code' },
        { key: 'reorganisations', label: 'Reorganisations', numeric: true },
        ...(c.level === 'organisation'
          ? []
          : [{ key: 'per_organisation_year', label: 'Per organisation a year', numeric: true }]),
        { key: 'repeated_share', label: 'Share within 3 years (%)', numeric: true },
        { key: 'staff_affected', label: 'Staff affected', numeric: true },
        { key: 'cost', label: 'Known cost (£)', numeric: true },
      ],
      rows: c.rows.map((r) => ({
        name: r.name,
        code: r.code,
        reorganisations: r.reorganisations,
        per_organisation_year: perOrg(r.reorganisations, r.organisations * YEARS_COMPARED),
        repeated_share: share(r.repeated, r.reorganisations),
        staff_affected: Number(r.staff_affected),
        cost: Math.round(Number(r.cost)),
      })),
      hrefs: c.rows.map((r) => hrefOf?.({ id: r.id, code: r.code })),
    };
  }
  return {
    years,
    chart,
    children,
    totals: {
      reorganisations: total.n,
      repeatedShare: share(total.repeated, total.n),
      staff: total.staff,
      cost: Math.round(total.cost),
      refreshedAt: rows[0]?.refreshed_at,
    },
  };
}
