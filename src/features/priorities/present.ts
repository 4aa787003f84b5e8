import * as Plot from '@observablehq/plot';
import { spc, variationLabels } from '../../stats/spc.ts';
import { memoChart } from '../../web/chart-memo.ts';
import { barChart, chartColours, renderChart } from '../../web/charts.ts';
import { percentText, unfundedShare } from './priorities.ts';
import type { AreaFigures, Level } from './summary-queries.ts';
import { cellText, type DataTable, oneDecimal, shown } from './tables.ts';

// How the thicket pages show their figures: summary rows, the distribution and trend charts, and the tables
// (every chart is paired with a table holding the same figures, which is also downloadable).

export const views = 'features/priorities/views';

const one = (n: number | null | undefined) => (n === null || n === undefined ? 'Not available' : oneDecimal.format(n));

export function figuresRows(f: AreaFigures) {
  return [
    { key: { text: 'Teams counted' }, value: { text: one(f.teams) } },
    { key: { text: 'Organisations counted' }, value: { text: one(f.organisations) } },
    { key: { text: 'Active priorities applying' }, value: { text: one(f.active) } },
    { key: { text: 'Mean concurrent priorities per team' }, value: { text: one(f.mean) } },
    {
      key: { text: 'Median (90th centile, most) per team' },
      value: { text: `${one(f.median)} (${one(f.p90)}, ${one(f.max)})` },
    },
    { key: { text: 'Unfunded share' }, value: { text: percentText(unfundedShare(f.unfunded, f.teamPriorities)) } },
    { key: { text: 'Pairs marked overlapping' }, value: { text: one(f.overlaps) } },
    { key: { text: 'Pairs marked conflicting' }, value: { text: one(f.conflicts) } },
  ];
}

export function distribution(f: AreaFigures, areaName: string) {
  const table: DataTable = {
    id: 'distribution',
    caption: `Teams in ${areaName} by number of concurrent priorities`,
    columns: [
      { key: 'priorities', label: 'Concurrent priorities' },
      { key: 'teams', label: 'Teams', numeric: true },
      { key: 'share', label: 'Share of teams (%)', numeric: true },
    ],
    rows: f.distribution.map((d) => ({
      priorities: d.bucket,
      teams: d.teams,
      share: f.teams ? Math.round((1000 * d.teams) / f.teams) / 10 : null,
    })),
  };
  const bars = f.distribution.map((d) => ({ label: d.bucket, value: d.teams }));
  const svg = memoChart(['thicket-distribution', bars, table.caption], () =>
    barChart(bars, {
      title: table.caption,
      description: 'Horizontal bars: the number of teams carrying each number of concurrent priorities.',
      xLabel: 'Teams',
    }),
  );
  return { svg, table };
}

/**
 * The monthly trend as an XmR (statistical process control) chart when there are enough points: fewer concurrent
 * priorities is better, so points below the mean by a special cause are improvement and above it concern.
 */
export function trend(points: { day: string; teams: number; mean: number }[], areaName: string) {
  // The reading of the process (SPC), the table and the chart all follow from the points: kept together.
  return memoChart(['thicket-trend', points, areaName], () => trendView(points, areaName));
}

function trendView(points: { day: string; teams: number; mean: number }[], areaName: string) {
  const result =
    points.length >= 2
      ? spc(
          points.map((p) => p.mean),
          { improvement: 'lower' },
        )
      : undefined;
  const table: DataTable = {
    id: 'trend',
    caption: `Mean concurrent active priorities per team in ${areaName}, by month`,
    columns: [
      { key: 'day', label: 'On' },
      { key: 'mean', label: 'Mean per team', numeric: true },
      { key: 'teams', label: 'Teams', numeric: true },
      { key: 'variation', label: 'Variation' },
    ],
    rows: points.map((p, i) => ({
      day: p.day,
      mean: p.mean,
      teams: p.teams,
      variation: result ? variationLabels[result.points[i]!.variation] : null,
    })),
  };
  if (!points.length) return { svg: '', table, limits: undefined };
  const data = points.map((p, i) => ({
    date: new Date(`${p.day}T00:00:00Z`),
    mean: p.mean,
    kind: result ? variationLabels[result.points[i]!.variation] : 'Month',
  }));
  const marks: Plot.Markish[] = [Plot.line(data, { x: 'date', y: 'mean', stroke: chartColours.blue })];
  if (result) {
    marks.push(
      Plot.ruleY([result.mean], { stroke: chartColours.darkBlue }),
      Plot.ruleY([result.upperLimit, Math.max(0, result.lowerLimit)], {
        stroke: chartColours.grey,
        strokeDasharray: '4 3',
      }),
    );
  }
  marks.push(Plot.dot(data, { x: 'date', y: 'mean', fill: 'kind', symbol: 'kind', r: 4 }));
  const svg = renderChart(
    {
      height: 280,
      marginLeft: 50,
      x: { type: 'utc', label: null },
      y: { label: 'Mean priorities per team', grid: true, zero: true },
      color: {
        legend: true,
        range: [chartColours.grey, chartColours.green, chartColours.orange, chartColours.purple],
      },
      symbol: { legend: false },
      marks,
    },
    {
      title: table.caption,
      description:
        'A line of monthly means with the process mean (solid) and process limits (dashed); point shapes and the legend mark special-cause variation.',
    },
  );
  return {
    svg,
    table,
    limits: result && {
      mean: one(result.mean),
      upper: one(result.upperLimit),
      lower: one(Math.max(0, result.lowerLimit)),
    },
  };
}

/** The chart macro's table shape from a DataTable. */
export function chartTable(t: DataTable) {
  return {
    caption: t.caption,
    head: t.columns.map((c) => c.label),
    rows: t.rows.map((r) => t.columns.map((c) => cellText(r[c.key]))),
  };
}

const levelNoun: Record<Level, string> = { nation: 'Region', region: 'ICB', icb: 'Organisation', organisation: 'Team' };

/** The areas one level down as a table (aggregates only: no titles, owners or notes). */
export function childTable(
  level: Level,
  areas: { code: string; name: string; figures: AreaFigures }[],
  parentName: string,
  hrefOf: (code: string) => string | undefined,
): DataTable {
  return {
    id: 'areas',
    caption: `${levelNoun[level]}s of ${parentName}`,
    columns: [
      { key: 'name', label: levelNoun[level] },
      { key: 'code', label: 'ODS code' },
      { key: 'teams', label: 'Teams', numeric: true },
      { key: 'mean', label: 'Mean per team', numeric: true },
      { key: 'median', label: 'Median per team', numeric: true },
      { key: 'unfunded_share', label: 'Unfunded share (%)', numeric: true },
      { key: 'overlaps', label: 'Overlaps marked', numeric: true },
      { key: 'conflicts', label: 'Conflicts marked', numeric: true },
    ],
    rows: areas.map((a) => ({
      name: a.name,
      code: a.code,
      teams: a.figures.teams,
      mean: a.figures.mean === undefined ? null : Math.round(a.figures.mean * 10) / 10,
      median: a.figures.median,
      unfunded_share: unfundedShare(a.figures.unfunded, a.figures.teamPriorities) ?? null,
      overlaps: a.figures.overlaps,
      conflicts: a.figures.conflicts,
    })),
    hrefs: areas.map((a) => hrefOf(a.code)),
  };
}

export { shown };
