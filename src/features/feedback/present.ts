import * as Plot from '@observablehq/plot';
import type { RaterGroup } from '../../db/schema.ts';
import { chartColours, renderChart } from '../../web/charts.ts';
import type { Figure } from './anonymity.ts';
import { groupLabels, type Report, type ReportLine, shownMean } from './feedback.ts';

// The report as the page and the printable view show it: a chart of self against others by domain, with a table of
// the same figures, and tables by competency. Hidden figures print as "*" with the reason beside the table.

const columns: RaterGroup[] = ['self', 'line_manager', 'peer', 'direct_report', 'other'];

const cell = (f: Figure | null | undefined) => (f ? `${f.mean.toFixed(1)} (${f.n})` : '*');

export function domainChart(report: Report, subject: string) {
  const data = report.domains.flatMap((d) => [
    ...(d.self ? [{ label: d.title, series: 'Self', value: d.self.mean }] : []),
    ...(d.others ? [{ label: d.title, series: 'All raters except self', value: d.others.mean }] : []),
  ]);
  if (!data.length) return undefined;
  const longest = Math.max(10, ...report.domains.map((d) => d.title.length));
  const pairs = report.domains
    .filter((d) => d.self && d.others)
    .map((d) => ({ label: d.title, self: d.self!.mean, others: d.others!.mean }));
  // A dot per figure on one row per domain, joined by a line (no facets: they cost several times more to lay out).
  // Self and others differ in shape as well as colour, so the chart does not rely on colour alone. No Plot legend:
  // with one, Plot returns a figure whose first svg is a legend swatch; the caption names the marks instead.
  const svg = renderChart(
    {
      marginLeft: Math.min(280, 8 + longest * 6.5),
      height: 60 + report.domains.length * 28,
      x: { label: 'Mean rating', grid: true, domain: [report.scale.min, report.scale.max] },
      y: { label: null, domain: report.domains.map((d) => d.title) },
      color: {
        domain: ['Self', 'All raters except self'],
        range: [chartColours.orange, chartColours.blue],
      },
      symbol: { domain: ['Self', 'All raters except self'], range: ['diamond', 'circle'] },
      marks: [
        Plot.link(pairs, { x1: 'self', x2: 'others', y1: 'label', y2: 'label', stroke: chartColours.grey }),
        Plot.dot(data, { x: 'value', y: 'label', fill: 'series', symbol: 'series', r: 6 }),
      ],
    },
    {
      title: `Self against others by domain: ${subject}`,
      description:
        'Mean rating by domain, the person’s own rating beside the pooled rating of every shown rater group. Hidden groups are not included.',
    },
  );
  return {
    svg,
    caption:
      'Mean rating by domain: orange diamond, self; blue circle, all raters except self (shown groups only). The line joins the two.',
    table: {
      caption: 'Mean rating by domain (number of scores in brackets; * not shown)',
      head: ['Domain', 'Self', 'All raters except self', ...columns.slice(1).map((g) => groupLabels[g])],
      rows: report.domains.map((d) => [
        d.title,
        shownMean(d.self),
        shownMean(d.others),
        ...columns.slice(1).map((g) => cell(d.byGroup[g])),
      ]),
    },
  };
}

export function competencyRows(l: ReportLine) {
  return [
    cell(l.self),
    cell(l.byGroup.line_manager),
    cell(l.byGroup.peer),
    cell(l.byGroup.direct_report),
    cell(l.byGroup.other),
    cell(l.others),
  ];
}

export const competencyHead = [
  'Competency',
  'Self',
  'Line manager',
  'Peers',
  'Direct reports',
  'Others',
  'All except self',
];

// Object.assign rather than `{ ...d, row }`: a spread that adds properties costs about a microsecond a copy on
// Node 20 (docs/performance.md, design rules), and every read of a report copies each domain and competency.
export function presentReport(report: Report) {
  return Object.assign({}, report, {
    domains: report.domains.map((d) =>
      Object.assign({}, d, {
        row: competencyRows(d),
        competencies: d.competencies.map((c) => Object.assign({}, c, { row: competencyRows(c) })),
      }),
    ),
    groups: report.groups.map((g) =>
      Object.assign({}, g, {
        responsesText:
          g.responses === null ? `Fewer than ${g.minimum}` : g.responses === 0 ? 'None' : String(g.responses),
        shownText: g.disclosed
          ? g.anonymous
            ? 'Shown as a group average'
            : g.group === 'line_manager'
              ? 'Shown: not anonymous'
              : 'Shown'
          : g.responses === 0
            ? 'No responses'
            : `Not shown: fewer than ${g.minimum} responses`,
      }),
    ),
  });
}
