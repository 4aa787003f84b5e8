import * as Plot from '@observablehq/plot';
import { chartColours, renderChart } from '../web/charts.ts';
import {
  type Improvement,
  ruleLabels,
  type SpcOptions,
  type SpcResult,
  spc,
  type Variation,
  variationLabels,
} from './spc.ts';

/**
 * An XmR chart ("Making Data Count") as a server-rendered SVG, with the table of the same figures that
 * chart.njk shows beside it. Special-cause points differ by shape as well as colour, so the meaning never rests
 * on colour alone; the table says in words which rule each point meets.
 */

export interface SpcSeriesPoint {
  /** The period, as shown on the axis and in the table, e.g. "Apr 2026". */
  label: string;
  value: number;
}

export interface SpcChart {
  svg: string;
  result: SpcResult;
  /** What the shapes mean, for the figure's caption. */
  key: string;
  table: { caption: string; head: string[]; rows: string[][] };
}

const shapes: Record<Variation, { symbol: string; colour: string; word: string }> = {
  'common-cause': { symbol: 'circle', colour: chartColours.grey, word: 'grey circles' },
  improvement: { symbol: 'triangle', colour: chartColours.blue, word: 'blue triangles' },
  concern: { symbol: 'square', colour: chartColours.orange, word: 'orange squares' },
  neutral: { symbol: 'diamond', colour: chartColours.purple, word: 'purple diamonds' },
};

const improvementWords: Record<Improvement, string> = {
  higher: 'higher is better',
  lower: 'lower is better',
  neither: 'neither higher nor lower is better',
};

export function spcChart(
  series: readonly SpcSeriesPoint[],
  opts: SpcOptions & { title: string; description?: string; yLabel: string; format?: (n: number) => string },
): SpcChart {
  const result = spc(
    series.map((p) => p.value),
    opts,
  );
  const fmt = opts.format ?? ((n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 }));
  const data = series.map((p, i) => ({ ...p, i, variation: result.points[i]!.variation }));
  const labels = series.map((p) => p.label);
  const variations = Object.keys(shapes) as Variation[];
  const limitLines = [
    { y: result.upperLimit, kind: 'Upper process limit' },
    { y: result.lowerLimit, kind: 'Lower process limit' },
  ];
  const svg = renderChart(
    {
      marginLeft: 56,
      marginBottom: 48,
      height: 320,
      x: { type: 'point', domain: labels, label: null, tickRotate: labels.length > 12 ? -45 : 0 },
      y: { label: opts.yLabel, grid: true, nice: true },
      symbol: { domain: variations, range: variations.map((v) => shapes[v].symbol) },
      color: { domain: variations, range: variations.map((v) => shapes[v].colour) },
      marks: [
        Plot.ruleY([result.mean], { stroke: chartColours.darkBlue, strokeWidth: 1.5 }),
        Plot.ruleY(limitLines, { y: 'y', stroke: chartColours.grey, strokeDasharray: '6 4' }),
        Plot.line(data, { x: 'label', y: 'value', stroke: chartColours.grey, strokeWidth: 1 }),
        Plot.dot(data, { x: 'label', y: 'value', symbol: 'variation', fill: 'variation', r: 5, stroke: '#212b32' }),
      ],
    },
    {
      title: opts.title,
      description:
        opts.description ??
        `${series.length} points from ${labels[0]} to ${labels[labels.length - 1]}; mean ${fmt(result.mean)}, process limits ${fmt(result.lowerLimit)} to ${fmt(result.upperLimit)}.`,
    },
  );
  const present = variations.filter((v) => data.some((d) => d.variation === v));
  const key = `Solid line: the mean; dashed lines: the process limits. ${present
    .map((v) => `${shapes[v].word[0]!.toUpperCase()}${shapes[v].word.slice(1)}: ${variationLabels[v].toLowerCase()}`)
    .join('; ')}. Direction: ${improvementWords[opts.improvement ?? 'neither']}.`;
  return {
    svg,
    result,
    key,
    table: {
      caption: `${opts.title}: each point with how it varies`,
      head: ['Period', opts.yLabel, 'Variation', 'Why'],
      rows: data.map((d) => {
        const p = result.points[d.i]!;
        return [
          d.label,
          fmt(d.value),
          variationLabels[p.variation],
          p.rules.length ? p.rules.map((r) => ruleLabels[r]).join('; ') : 'Within the limits, no run or trend',
        ];
      }),
    },
  };
}

/** The limits as sentences, shown under the chart. */
export function spcSummary(r: SpcResult, format: (n: number) => string): string {
  return `Mean ${format(r.mean)}; process limits ${format(r.lowerLimit)} to ${format(r.upperLimit)} (mean ± 2.66 × the average moving range of ${format(r.amr)}).`;
}
