import { z } from 'zod';
import type { PulseCadence } from '../../db/schema.ts';
import { bankHolidays } from './bank-holidays.ts';

/**
 * The rules of the manager time-use pulse, pure: the categories asked about, how a round's period follows from
 * the cadence, when reminders are due, how an answer is checked, and what the aggregates are. docs/burden.md
 * ("The time-use pulse") states each; keep the two in step.
 */

export const categories = ['upward', 'meetings', 'people_mgmt', 'improvement', 'operational', 'other'] as const;
export type Category = (typeof categories)[number];

export const categoryLabels: Record<Category, string> = {
  upward: 'Upward reporting',
  meetings: 'Meetings',
  people_mgmt: 'People management',
  improvement: 'Improvement work',
  operational: 'Operational management',
  other: 'Other work',
};

export const categoryHints: Record<Category, string> = {
  upward:
    'Compiling, checking and submitting returns, data requests and reports to NHS England, your ICB, regulators and others',
  meetings: 'Meetings not already counted above',
  people_mgmt: 'One-to-ones, appraisals, recruitment, rotas, supporting and developing your team',
  improvement: 'Quality improvement, service redesign and projects',
  operational: 'Running the service day to day: flow, staffing gaps, incidents, budgets',
  other: 'Anything else, including clinical work',
};

export type Hours = Record<Category, number>;

export const cadenceLabels: Record<PulseCadence, string> = { monthly: 'Monthly', quarterly: 'Quarterly' };
export const DEFAULT_CADENCE: PulseCadence = 'monthly';

/** Largest number of hours accepted for one category, and for the whole week. */
export const MAX_CATEGORY_HOURS = 100;
export const MAX_WEEK_HOURS = 100;

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/** The period of the round that covers a day: its calendar month, or its calendar quarter (Jan, Apr, Jul, Oct). */
export function periodOf(day: string, cadence: PulseCadence): { opensOn: string; closesOn: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const startMonth = cadence === 'monthly' ? m - 1 : Math.floor((m - 1) / 3) * 3;
  const months = cadence === 'monthly' ? 1 : 3;
  return { opensOn: iso(utc(y, startMonth, 1)), closesOn: iso(utc(y, startMonth + months, 0)) };
}

const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
};

/** Monday to Friday and not a bank holiday of England and Wales (reference/bank-holidays). */
export function isWorkingDay(day: string, holidays: ReadonlySet<string> = bankHolidays): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6 && !holidays.has(day);
}

/** The nth working day on or after a day. */
export function nthWorkingDay(from: string, n: number, holidays: ReadonlySet<string> = bankHolidays): string {
  let day = from;
  let count = 0;
  for (;;) {
    if (isWorkingDay(day, holidays) && ++count === n) return day;
    day = addDays(day, 1);
  }
}

export type ReminderKind = 'opening' | 'closing';
export const OPENING_WORKING_DAY = 3;
export const CLOSING_DAYS_BEFORE = 3;

/**
 * Which reminder is due today for an open round: the opening one from its 3rd working day, the closing one
 * from 3 days before it closes, each only on a working day (Monday to Friday, not a bank holiday). Once the closing one is due the opening one is no longer sent. Each is sent
 * at most once per person (the job records it), so a late run still sends it, and a second run sends nothing.
 */
export function reminderDue(
  round: { opensOn: string; closesOn: string },
  today: string,
  holidays: ReadonlySet<string> = bankHolidays,
): ReminderKind | undefined {
  if (today < round.opensOn || today > round.closesOn) return undefined;
  // Nothing goes out on a weekend or a bank holiday: what falls due then goes on the next working day, when
  // the daily job finds it due and not yet sent.
  if (!isWorkingDay(today, holidays)) return undefined;
  if (today >= addDays(round.closesOn, -CLOSING_DAYS_BEFORE)) return 'closing';
  if (today >= nthWorkingDay(round.opensOn, OPENING_WORKING_DAY, holidays)) return 'opening';
  return undefined;
}

// Built once: toLocaleString with options builds a new formatter on every call.
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });

/** A round as people name it: "April 2026" or "April to June 2026". */
export function roundName(r: { opensOn: string; closesOn: string }): string {
  const month = (d: string) => monthName.format(new Date(`${d}T00:00:00Z`));
  const year = r.closesOn.slice(0, 4);
  if (r.opensOn.slice(0, 7) === r.closesOn.slice(0, 7)) return `${month(r.opensOn)} ${year}`;
  return `${month(r.opensOn)} to ${month(r.closesOn)} ${year}`;
}

const hoursField = (label: string) =>
  z
    .string({ error: `Enter the hours you spent on ${label.toLowerCase()} last week, or 0` })
    .trim()
    .min(1, `Enter the hours you spent on ${label.toLowerCase()} last week, or 0`)
    .regex(/^\d{1,3}(\.\d)?$/, `Hours on ${label.toLowerCase()} must be a number like 4 or 2.5`)
    .transform(Number)
    .refine((n) => n <= MAX_CATEGORY_HOURS, `Hours on ${label.toLowerCase()} must be ${MAX_CATEGORY_HOURS} or fewer`);

/** The form (and API) answer: hours per category last week, as typed. */
export const answerSchema = z
  .object(
    Object.fromEntries(categories.map((c) => [c, hoursField(categoryLabels[c])])) as Record<
      Category,
      ReturnType<typeof hoursField>
    >,
  )
  .superRefine((h, ctx) => {
    const total = totalHours(h);
    if (total > MAX_WEEK_HOURS) {
      ctx.addIssue({
        code: 'custom',
        path: ['upward'],
        message: `The hours add up to ${total}: a week’s total must be ${MAX_WEEK_HOURS} or fewer`,
      });
    } else if (total === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['upward'],
        message: 'Enter the hours of your last working week: they add up to 0',
      });
    }
  });

export const totalHours = (h: Hours) => Math.round(categories.reduce((s, c) => s + h[c], 0) * 10) / 10;

/** Sums over responses, as stored per round. */
export interface Sums extends Hours {
  responses: number;
}

export interface Aggregate {
  responses: number;
  /** Mean hours per category; undefined when suppressed. */
  means?: Hours;
  meanTotal?: number;
  /** Σ upward ÷ Σ all hours: the share of managers' week spent on upward reporting. */
  upwardShare?: number;
  suppressed: boolean;
}

export function addSums(a: Sums, b: Sums): Sums {
  const out = { responses: a.responses + b.responses } as Sums;
  for (const c of categories) out[c] = a[c] + b[c];
  return out;
}

export const emptySums = (): Sums => ({
  responses: 0,
  upward: 0,
  meetings: 0,
  people_mgmt: 0,
  improvement: 0,
  operational: 0,
  other: 0,
});

/** Means and share from sums, or nothing when the group is below the disclosure minimum (or told to hide). */
export function aggregate(s: Sums, minimum: number, hide = false): Aggregate {
  if (hide || s.responses < minimum || s.responses === 0) return { responses: s.responses, suppressed: true };
  const means = {} as Hours;
  for (const c of categories) means[c] = s[c] / s.responses;
  const total = totalHours(s);
  return {
    responses: s.responses,
    means,
    meanTotal: total / s.responses,
    upwardShare: total > 0 ? s.upward / total : 0,
    suppressed: false,
  };
}
