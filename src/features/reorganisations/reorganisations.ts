import { z } from 'zod';
import { isIsoDate } from '../priorities/priorities.ts';

// The rules of the reorganisations log (docs/workload-priorities.md): the three-year flag, and the checks every
// recorded reorganisation passes (form, API and import rows). Pure.

export const REPEAT_YEARS = 3;

/** The same day `years` later; 29 February becomes 28 February in a year without one (as PostgreSQL's interval). */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Was `next` within three years of `previous`? Exactly three years later still counts (the boundary is inside). */
export function withinThreeYears(previous: string, next: string): boolean {
  return next >= previous && next <= addYears(previous, REPEAT_YEARS);
}

export interface Dated {
  id: number;
  /** The unit restructured: a team id, or the whole organisation. */
  unit: string;
  effective_on: string;
}

/** The reorganisations that came within three years of the previous one of the same unit. */
export function repeatedWithinThreeYears(rows: readonly Dated[]): Set<number> {
  const byUnit = new Map<string, Dated[]>();
  for (const r of rows) byUnit.set(r.unit, [...(byUnit.get(r.unit) ?? []), r]);
  const out = new Set<number>();
  for (const list of byUnit.values()) {
    list.sort((a, b) => a.effective_on.localeCompare(b.effective_on) || a.id - b.id);
    for (let i = 1; i < list.length; i++) {
      if (withinThreeYears(list[i - 1]!.effective_on, list[i]!.effective_on)) out.add(list[i]!.id);
    }
  }
  return out;
}

export const unitKey = (r: { organisation_id: number; team_id: number | null }) =>
  r.team_id === null ? `org:${r.organisation_id}` : `team:${r.team_id}`;

const date = (missing: string, label: string) =>
  z.string({ error: missing }).trim().min(1, missing).refine(isIsoDate, `${label} must be a real date`);
const optionalDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s) => s || undefined)
    .refine((s) => s === undefined || isIsoDate(s), `${label} must be a real date`);

export const reorganisationInput = z
  .object({
    effective_on: date('Enter the date the reorganisation took effect', 'The date'),
    staff_affected: z
      .number({ error: 'Enter the number of staff affected, like 40' })
      .int('Enter a whole number of staff')
      .min(0, 'Staff affected must be 0 or more')
      .max(100_000, 'Staff affected must be 100,000 or fewer'),
    rationale: z
      .string({ error: 'Enter why it was done' })
      .trim()
      .min(1, 'Enter why it was done')
      .max(2000, 'The rationale must be 2,000 characters or fewer'),
    cost: z
      .number({ error: 'Cost must be a number of pounds, like 120000' })
      .min(0, 'Cost must be 0 or more')
      .max(1e11, 'Cost is too large')
      .optional(),
    expected_benefits: z
      .string({ error: 'Enter the benefits expected' })
      .trim()
      .min(1, 'Enter the benefits expected')
      .max(2000, 'The expected benefits must be 2,000 characters or fewer'),
    review_on: optionalDate('The review date'),
    outcome: z
      .string()
      .trim()
      .max(2000, 'The outcome must be 2,000 characters or fewer')
      .optional()
      .transform((s) => s || undefined),
    outcome_on: optionalDate('The outcome date'),
  })
  .superRefine((v, ctx) => {
    if (v.review_on && v.review_on < v.effective_on) {
      ctx.addIssue({
        code: 'custom',
        path: ['review_on'],
        message: 'The review date must be on or after the date it took effect',
      });
    }
    if (v.outcome_on && !v.outcome) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'Enter the outcome recorded on that date' });
    }
  });
export type ReorganisationInput = z.infer<typeof reorganisationInput>;

export const outcomeInput = z.object({
  outcome: z
    .string({ error: 'Enter the outcome of the review' })
    .trim()
    .min(1, 'Enter the outcome of the review')
    .max(2000, 'The outcome must be 2,000 characters or fewer'),
});

/** A whole number written with or without separators, blank as undefined; other text stays for zod to refuse. */
export function numberText(s: unknown): number | string | undefined {
  if (typeof s === 'number') return s;
  const t = String(s ?? '')
    .trim()
    .replace(/^£/, '')
    .replaceAll(',', '');
  if (t === '') return undefined;
  return /^\d+(\.\d{1,2})?$/.test(t) ? Number(t) : t;
}
