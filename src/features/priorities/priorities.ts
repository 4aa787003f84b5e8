import { z } from 'zod';
import type { PriorityScope, PrioritySource, PriorityStatus } from '../../db/schema.ts';

// The rules of the competing-priorities register (docs/workload-priorities.md): labels, the checks every new
// priority passes (form, API), what a team's figures mean, and the months of the trend. Pure.

export const sources = [
  'nhse_national',
  'nhse_region',
  'icb',
  'dhsc',
  'cqc',
  'board',
  'local_authority',
  'other',
] as const satisfies readonly PrioritySource[];

export const sourceLabels: Record<PrioritySource, string> = {
  nhse_national: 'NHS England (national)',
  nhse_region: 'NHS England (region)',
  icb: 'Integrated care board',
  dhsc: 'Department of Health and Social Care',
  cqc: 'Care Quality Commission',
  board: 'The organisation’s board',
  local_authority: 'Local authority',
  other: 'Other',
};

export const scopes = ['national', 'region', 'icb', 'organisation'] as const satisfies readonly PriorityScope[];
export const statuses = ['active', 'met', 'dropped'] as const satisfies readonly PriorityStatus[];
export const statusLabels: Record<PriorityStatus, string> = { active: 'Active', met: 'Met', dropped: 'Dropped' };
export const linkKinds = ['overlap', 'conflict'] as const;
export type LinkKind = (typeof linkKinds)[number];
export const linkLabels: Record<LinkKind, string> = { overlap: 'Overlapping', conflict: 'Conflicting' };

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1990 || y > 2100) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** The NHS date input (day, month, year boxes) as YYYY-MM-DD, '' when all are empty, or what is wrong. */
export function datePartsToIso(
  label: string,
  p: { day?: string; month?: string; year?: string },
): { iso: string } | { problem: string } {
  const parts = [p.day, p.month, p.year].map((s) => (s ?? '').trim());
  if (parts.every((s) => s === '')) return { iso: '' };
  if (parts.some((s) => s === '')) return { problem: `${label} must include a day, month and year` };
  const iso = `${parts[2]}-${parts[1].padStart(2, '0')}-${parts[0].padStart(2, '0')}`;
  if (!parts.every((s) => /^\d+$/.test(s)) || parts[2].length !== 4 || !isIsoDate(iso)) {
    return { problem: `${label} must be a real date, like 1 4 2026` };
  }
  return { iso };
}

/** Form date boxes of a stored date, for re-display. */
export function dateParts(prefix: string, iso: string | null | undefined): Record<string, string> {
  const [y, m, d] = iso ? iso.split('-') : ['', '', ''];
  return {
    [`${prefix}-day`]: d ? String(Number(d)) : '',
    [`${prefix}-month`]: m ? String(Number(m)) : '',
    [`${prefix}-year`]: y ?? '',
  };
}

const isoDate = (missing: string) =>
  z.string({ error: missing }).trim().min(1, missing).refine(isIsoDate, 'Enter a real date, like 2026-04-01');

/** A new priority, as the form and the API give it (places and targets are checked against the database later). */
export const priorityInput = z
  .object({
    title: z
      .string({ error: 'Enter the title of the priority' })
      .trim()
      .min(1, 'Enter the title of the priority')
      .max(200, 'The title must be 200 characters or fewer'),
    source: z.enum(sources, { error: 'Select who set the priority' }),
    set_on: isoDate('Enter the date the priority was set'),
    measure: z
      .string({ error: 'Enter how success is judged' })
      .trim()
      .min(1, 'Enter how success is judged')
      .max(1000, 'How success is judged must be 1,000 characters or fewer'),
    target_date: z
      .string()
      .trim()
      .optional()
      .transform((s) => s || undefined)
      .refine((s) => s === undefined || isIsoDate(s), 'Target date must be a real date'),
    funded: z.boolean({ error: 'Select whether the priority is funded' }),
    funding_amount: z
      .number({ error: 'Funding amount must be a number of pounds, like 250000' })
      .min(0, 'Funding amount must be 0 or more')
      .max(1e12, 'Funding amount is too large')
      .optional(),
    owner: z
      .string({ error: 'Enter the owner: a person or a role' })
      .trim()
      .min(1, 'Enter the owner: a person or a role')
      .max(200, 'The owner must be 200 characters or fewer'),
  })
  .superRefine((v, ctx) => {
    if (v.target_date && v.target_date < v.set_on) {
      ctx.addIssue({ code: 'custom', path: ['target_date'], message: 'Target date must be on or after the date set' });
    }
    if (!v.funded && v.funding_amount !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['funding_amount'],
        message: 'Leave the funding amount blank for an unfunded priority',
      });
    }
  });
export type PriorityInput = z.infer<typeof priorityInput>;

/** "12,500" or "£12,500.50" as a number; blank as undefined; anything else stays text for zod to refuse. */
export function moneyText(s: string | undefined): number | string | undefined {
  const t = (s ?? '').trim().replace(/^£/, '').replaceAll(',', '');
  if (t === '') return undefined;
  return /^\d+(\.\d{1,2})?$/.test(t) ? Number(t) : t;
}

export const linkInput = z
  .object({
    priority_a: z.coerce.number({ error: 'Select the first priority' }).int().positive('Select the first priority'),
    priority_b: z.coerce.number({ error: 'Select the second priority' }).int().positive('Select the second priority'),
    kind: z.enum(linkKinds, { error: 'Select whether they overlap or conflict' }),
    note: z.string().trim().max(2000, 'The note must be 2,000 characters or fewer').default(''),
  })
  .refine((v) => v.priority_a !== v.priority_b, {
    path: ['priority_b'],
    message: 'Select two different priorities',
  });

/** A pair of priorities is stored once, smaller id first. */
export const orderedPair = (a: number, b: number): [number, number] => (a < b ? [a, b] : [b, a]);

/** Is a priority active on a day: set by then and not yet met or dropped. */
export function activeOn(p: { set_on: string; ended_on: string | null }, day: string): boolean {
  return p.set_on <= day && (p.ended_on === null || p.ended_on > day);
}

/** The days the trend counts: the last day of each of the `months` months up to `today`'s, then today itself. */
export function trendDays(today: string, months = 24): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = months - 1; i >= 1; i--) {
    const end = new Date(Date.UTC(y, m - i, 0)); // day 0 of the next month: the last day of the month
    out.push(end.toISOString().slice(0, 10));
  }
  out.push(today);
  return out;
}

/** Buckets of concurrent priorities per team for the distribution (labels are also the JSON keys). */
export const buckets = [
  { label: 'None', min: 0, max: 0 },
  { label: '1 to 4', min: 1, max: 4 },
  { label: '5 to 9', min: 5, max: 9 },
  { label: '10 to 14', min: 10, max: 14 },
  { label: '15 to 19', min: 15, max: 19 },
  { label: '20 or more', min: 20, max: Number.POSITIVE_INFINITY },
] as const;

export function bucketOf(concurrent: number): string {
  return buckets.find((b) => concurrent >= b.min && concurrent <= b.max)!.label;
}

/** Unfunded share as a percentage with one decimal, or undefined when nothing is counted. */
export function unfundedShare(unfunded: number, total: number): number | undefined {
  return total > 0 ? Math.round((1000 * unfunded) / total) / 10 : undefined;
}

const percentFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
export const percentText = (x: number | undefined) =>
  x === undefined ? 'Not available' : `${percentFormat.format(x)}%`;
