import * as Plot from '@observablehq/plot';
import { csvLine } from '../../csv.ts';
import { barChart, chartColours, renderChart } from '../../web/charts.ts';
import { type Dimension, dimensionLabels, dimensions, groupLabel, likelihoods, orderGroups } from './equity.ts';
import type { EquityCellRow } from './equity-queries.ts';

// The equity page's figures as tables (for the page and the CSV downloads) and charts. A hidden figure is "*".

export const HIDDEN = '*';
const pct = (k: number, n: number) => (n === 0 ? '0.0' : ((100 * k) / n).toFixed(1));

export interface FigureTable {
  key: string;
  caption: string;
  head: string[];
  rows: string[][];
}

/** One dimension's groups for one period: staff, people who accessed non-mandatory development, uptake and hours. */
export function dimensionTable(cells: readonly EquityCellRow[], period: string, dimension: Dimension): FigureTable {
  const mine = cells.filter((c) => c.period === period && c.dimension === dimension);
  const order = orderGroups(
    dimension,
    mine.map((c) => c.grp),
  );
  const rows = order.map((g) => {
    const c = mine.find((m) => m.grp === g)!;
    return c.suppressed
      ? [groupLabel(dimension, g), HIDDEN, HIDDEN, HIDDEN, HIDDEN]
      : [groupLabel(dimension, g), String(c.staff), String(c.accessed), pct(c.accessed, c.staff), c.hours.toFixed(1)];
  });
  return {
    key: dimension,
    caption: `${dimensionLabels[dimension]}: uptake of non-mandatory development, ${period}`,
    head: ['Group', 'Staff', 'Accessed non-mandatory development', 'Uptake (%)', 'Hours'],
    rows,
  };
}

/** Relative likelihoods over every period of a kind (WRES indicator 4 lens, WDES lens). */
export function likelihoodTable(
  cells: readonly EquityCellRow[],
  kind: 'year' | 'quarter',
  minimum: number,
): FigureTable & { series: { period: string; lens: string; value: number }[] } {
  const periods = [...new Set(cells.filter((c) => c.periodKind === kind).map((c) => c.period))];
  const series: { period: string; lens: string; value: number }[] = [];
  const rows = periods.map((p) => {
    const of = (d: Dimension) => cells.filter((c) => c.period === p && c.dimension === d);
    const race = likelihoods(of('ethnic_group'), 'ethnic_group', minimum);
    const dis = likelihoods(of('disability'), 'disability', minimum);
    if (race !== null) series.push({ period: p, lens: 'White vs BME', value: race });
    if (dis !== null) series.push({ period: p, lens: 'Non-disabled vs disabled', value: dis });
    return [p, race === null ? HIDDEN : race.toFixed(2), dis === null ? HIDDEN : dis.toFixed(2)];
  });
  return {
    key: `likelihood-${kind}`,
    caption: `Relative likelihood of accessing non-mandatory development, by ${kind === 'year' ? 'financial year' : 'quarter'}`,
    head: [kind === 'year' ? 'Financial year' : 'Quarter', 'White vs BME staff', 'Non-disabled vs disabled staff'],
    rows,
    series,
  };
}

export function likelihoodChart(t: ReturnType<typeof likelihoodTable>): string {
  const periods = t.rows.map((r) => r[0]);
  return renderChart(
    {
      height: 260,
      marginBottom: 50,
      x: { type: 'point', domain: periods, label: null, tickRotate: periods.length > 4 ? -30 : 0 },
      y: { label: 'Relative likelihood (1 = equal)', grid: true, zero: true },
      color: {
        legend: true,
        domain: ['White vs BME', 'Non-disabled vs disabled'],
        range: [chartColours.blue, chartColours.orange],
      },
      marks: [
        Plot.ruleY([1], { stroke: chartColours.grey }),
        Plot.line(t.series, { x: 'period', y: 'value', stroke: 'lens' }),
        Plot.dot(t.series, { x: 'period', y: 'value', fill: 'lens', symbol: 'lens' }),
      ],
    },
    {
      title: t.caption,
      description:
        'Above 1 means the first group was more likely to access non-mandatory development. Periods with hidden figures have no point.',
    },
  );
}

export function uptakeChart(t: FigureTable): string {
  return barChart(
    t.rows.filter((r) => r[3] !== HIDDEN).map((r) => ({ label: r[0], value: Number(r[3]) })),
    {
      title: t.caption,
      description: 'Hidden groups are left out of the chart; the table marks them with *.',
      xLabel: 'Uptake (%)',
      max: 100,
    },
  );
}

/** Every table of the page for one period. */
export function equityTables(cells: readonly EquityCellRow[], period: string, minimum: number) {
  return {
    likelihoodYears: likelihoodTable(cells, 'year', minimum),
    likelihoodQuarters: likelihoodTable(cells, 'quarter', minimum),
    groups: dimensions.map((d) => dimensionTable(cells, period, d)),
  };
}

export function tableCsv(t: FigureTable): string {
  return `${[csvLine(t.head), ...t.rows.map((r) => csvLine(r))].join('\r\n')}\r\n`;
}
