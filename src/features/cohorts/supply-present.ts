import type { ManagementLevel } from '../../db/schema.ts';
import { type Disclosed, suppressPartition } from '../../stats/disclosure.ts';
import { barChart } from '../../web/charts.ts';
import { formatCount } from '../../web/nunjucks.ts';
import { levelLabels } from '../catalogue/catalogue.ts';
import { staffGroups } from '../catalogue/eligibility.ts';

/**
 * The supply-and-demand figures as pages and CSV files show them, under disclosure control: every count of people
 * (places taken, applications, wait-listed, interest, unmet demand) is suppressed within its table as a partition
 * (primary and secondary suppression, src/stats/disclosure.ts), and shown as "*"; rates built on a hidden count are
 * hidden too; waits are shown only when at least the minimum number of people waited.
 */

export interface Figures {
  managers: number | null;
  programmes: number | null;
  places: number | null;
  offered: number | null;
  applications: number | null;
  waitlisted: number | null;
  interest: number | null;
  wait_n: number | null;
  wait_median: string | null;
  wait_p90: string | null;
}

const count = (n: number | null, hidden: boolean) => (hidden ? '*' : formatCount(n ?? 0));
const days = (v: string | null, n: number | null, min: number) =>
  v === null || (n ?? 0) < min ? '*' : `${Number(v).toLocaleString('en-GB', { maximumFractionDigits: 0 })}`;

export function perHundred(places: number | null, managers: number | null): number | null {
  if (!managers || places === null) return null;
  return (places / managers) * 100;
}

type Hidden = { places: boolean; applications: boolean; waitlisted: boolean; interest: boolean; unmet: boolean };

/** Suppress each people-count column of a table across its rows (a partition of the area's total). */
export function disclose<T extends Figures>(rows: T[], min: number): (T & { hidden: Hidden })[] {
  const col = (pick: (r: T) => number) =>
    suppressPartition(
      rows.map((r) => ({ n: pick(r) })),
      min,
    );
  const places = col((r) => r.places ?? 0);
  const applications = col((r) => r.applications ?? 0);
  const waitlisted = col((r) => r.waitlisted ?? 0);
  const interest = col((r) => r.interest ?? 0);
  const unmet = col((r) => (r.waitlisted ?? 0) + (r.interest ?? 0));
  const h = (c: Disclosed<{ n: number }>[], i: number) => c[i]!.suppressed;
  return rows.map((r, i) => ({
    ...r,
    hidden: {
      places: h(places, i),
      applications: h(applications, i),
      waitlisted: h(waitlisted, i),
      interest: h(interest, i),
      unmet: h(unmet, i),
    },
  }));
}

/** One area's own total: each count shown only if it is zero or at least the minimum. */
export function discloseTotal<T extends Figures>(row: T, min: number): T & { hidden: Hidden } {
  const small = (n: number | null) => (n ?? 0) > 0 && (n ?? 0) < min;
  return {
    ...row,
    hidden: {
      places: small(row.places),
      applications: small(row.applications),
      waitlisted: small(row.waitlisted),
      interest: small(row.interest),
      unmet: small((row.waitlisted ?? 0) + (row.interest ?? 0)),
    },
  };
}

export const figureHead = [
  'Managers',
  'Programmes taken up',
  'Places taken',
  'Places per 100 managers',
  'Places offered',
  'Applications',
  'On wait-lists',
  'Registered interest',
  'Unmet demand',
  'Median wait (days)',
  '90th percentile wait (days)',
];

export function figureCells(r: Figures & { hidden: Hidden }, min: number): string[] {
  const rate = r.hidden.places ? null : perHundred(r.places, r.managers);
  return [
    (r.managers ?? 0).toLocaleString('en-GB'),
    (r.programmes ?? 0).toLocaleString('en-GB'),
    count(r.places, r.hidden.places),
    rate === null
      ? r.managers
        ? '*'
        : 'No managers recorded'
      : rate.toLocaleString('en-GB', { maximumFractionDigits: 1 }),
    r.offered === null ? 'None owned here' : r.offered.toLocaleString('en-GB'),
    count(r.applications, r.hidden.applications),
    count(r.waitlisted, r.hidden.waitlisted),
    count(r.interest, r.hidden.interest),
    count((r.waitlisted ?? 0) + (r.interest ?? 0), r.hidden.unmet),
    days(r.wait_median, r.wait_n, min),
    days(r.wait_p90, r.wait_n, min),
  ];
}

export const staffGroupLabel = (g: string) => (g === 'unknown' ? 'Not recorded' : (staffGroups[g] ?? g));
export const levelLabel = (l: string) => levelLabels[l as ManagementLevel] ?? l;

export interface FigureTable {
  key: string;
  caption: string;
  head: string[];
  rows: string[][];
}

/** Bars of places per 100 managers, suppressed areas left out (the table beside it says "*"). */
export function perHundredChart(rows: { label: string; r: Figures & { hidden: Hidden } }[], title: string) {
  const bars = rows
    .filter((x) => !x.r.hidden.places && perHundred(x.r.places, x.r.managers) !== null)
    .map((x) => ({ label: x.label, value: Math.round(perHundred(x.r.places, x.r.managers)! * 10) / 10 }));
  if (!bars.length) return undefined;
  return barChart(bars, {
    title,
    description:
      'Places taken on programmes per 100 managers in each area; areas whose figures are suppressed are left out.',
    xLabel: 'Places per 100 managers',
  });
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const html = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c]!);

/**
 * A figure table as NHS table markup, built once per area and refresh and kept with the figures, so that a page view
 * does not run a template macro for each of a few thousand cells. Every text is escaped here; `links` (optional)
 * makes the first cell of a row a link (drill-down to that area's own page).
 */
export function tableHtml(t: FigureTable, links?: (string | null)[]): string {
  const head = t.head.map((h) => `<th scope="col" class="nhsuk-table__header">${html(h)}</th>`).join('');
  const body = t.rows.length
    ? t.rows
        .map((row, i) => {
          const first = links?.[i] ? `<a href="${html(links[i]!)}">${html(row[0]!)}</a>` : html(row[0] ?? '');
          const rest = row
            .slice(1)
            .map((c) => `<td class="nhsuk-table__cell">${html(c)}</td>`)
            .join('');
          return `<tr class="nhsuk-table__row"><th scope="row" class="nhsuk-table__header">${first}</th>${rest}</tr>`;
        })
        .join('\n')
    : `<tr class="nhsuk-table__row"><td class="nhsuk-table__cell" colspan="${t.head.length}">No figures yet</td></tr>`;
  return (
    `<table class="nhsuk-table cohorts-figures"><caption class="nhsuk-table__caption nhsuk-table__caption--m">${html(t.caption)}</caption>` +
    `<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${head}</tr></thead>` +
    `<tbody class="nhsuk-table__body">\n${body}\n</tbody></table>`
  );
}
