import { z } from 'zod';
import { outcomes } from './cohorts.ts';

// The forms of the cohort pages (zod). Messages follow the NHS design system's error message style.

const id = z.coerce.number().int().positive();
export const idParam = z.object({ id });

function datePart(prefix: string, label: string) {
  return z
    .object({
      [`${prefix}-day`]: z.string().trim().optional(),
      [`${prefix}-month`]: z.string().trim().optional(),
      [`${prefix}-year`]: z.string().trim().optional(),
    })
    .transform((v, ctx) => {
      const d = Number(v[`${prefix}-day`]);
      const m = Number(v[`${prefix}-month`]);
      const y = Number(v[`${prefix}-year`]);
      const date = new Date(Date.UTC(y, m - 1, d));
      if (!v[`${prefix}-day`] && !v[`${prefix}-month`] && !v[`${prefix}-year`]) {
        ctx.addIssue({ code: 'custom', message: `Enter the ${label}`, path: [prefix] });
        return z.NEVER;
      }
      if (!Number.isInteger(y) || y < 2000 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
        ctx.addIssue({ code: 'custom', message: `The ${label} must be a real date`, path: [prefix] });
        return z.NEVER;
      }
      return date.toISOString().slice(0, 10);
    });
}

/** Read a date from its three boxes; the issue is reported on the day box's id. */
export function readDate(body: Record<string, unknown>, prefix: string, label: string) {
  return datePart(prefix, label).safeParse(body);
}

export const cohortForm = z.object({
  name: z.string().trim().min(1, 'Enter a name for the cohort').max(200, 'The name must be 200 characters or fewer'),
  capacity: z.coerce
    .number({ message: 'Enter the number of places as a whole number' })
    .int('Enter the number of places as a whole number')
    .min(1, 'A cohort has at least 1 place')
    .max(10_000, 'A cohort has at most 10,000 places'),
  funder_approval: z.enum(['yes', 'no'], { message: 'Select whether funding must be approved by the employer' }),
});

const time = z
  .string()
  .trim()
  .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, 'Enter a time in the 24-hour clock, like 09:30')
  .transform((t) => t.replace('.', ':').padStart(5, '0'));

export const sessionForm = z
  .object({
    start_time: time,
    end_time: time,
    venue: z.string().trim().max(300, 'The venue must be 300 characters or fewer').optional().default(''),
    online_url: z
      .string()
      .trim()
      .max(500)
      .refine((u) => u === '' || /^https:\/\/[^\s]+$/.test(u), 'Enter an online link starting with https://')
      .optional()
      .default(''),
  })
  .refine((s) => s.end_time > s.start_time, {
    message: 'The end time must be after the start time',
    path: ['end_time'],
  })
  .refine((s) => s.venue !== '' || s.online_url !== '', {
    message: 'Enter a venue, an online link, or both',
    path: ['venue'],
  });

export const statusForm = z.object({
  status: z.enum(['open', 'completed', 'cancelled'], { message: 'Select a status' }),
});

export const capacityForm = z.object({ capacity: cohortForm.shape.capacity });

export const decisionForm = z.object({
  decision: z.enum(['approve', 'reject'], { message: 'Select whether you approve the application' }),
  as: z.enum(['manager', 'funder']),
  note: z.string().trim().max(1000, 'The note must be 1,000 characters or fewer').optional().default(''),
});

export const reserveForm = z.object({
  places: z.coerce
    .number({ message: 'Enter the number of places as a whole number' })
    .int('Enter the number of places as a whole number')
    .min(1, 'Reserve at least 1 place')
    .max(100, 'Reserve at most 100 places'),
});

export const assignForm = z.object({
  person_id: z.coerce.number({ message: 'Select a person' }).int().positive('Select a person'),
});

const rating = (what: string) =>
  z.coerce
    .number({ message: `Select how you rate ${what}` })
    .int()
    .min(1, `Select how you rate ${what}`)
    .max(5, `Select how you rate ${what}`);

export const feedbackForm = z.object({
  overall: rating('the programme overall'),
  relevance: rating('its relevance to your role'),
  recommend: z.enum(['yes', 'no'], { message: 'Select whether you would recommend it' }),
  comment: z.string().trim().max(1000, 'Your comment must be 1,000 characters or fewer').optional().default(''),
});

export const outcomeValue = z.enum(outcomes);
export const verifyQuery = z.object({ code: z.string().max(40).optional() });

export type Problems = { errors: { text: string; href: string }[]; fields: Record<string, { text: string }> };

/** The booking window's two date fields, with their problems (and a window that closes before it opens) added. */
export function readBookingWindow(body: Record<string, unknown>, problems: Problems) {
  const opens = readDate(body, 'opens', 'date booking opens');
  const closes = readDate(body, 'closes', 'date booking closes');
  for (const [r, field] of [
    [opens, 'opens'],
    [closes, 'closes'],
  ] as const) {
    if (!r.success) {
      const text = r.error.issues[0]!.message;
      problems.errors.push({ text, href: `#${field}-day` });
      problems.fields[field] = { text };
    }
  }
  if (opens.success && closes.success && closes.data < opens.data) {
    const text = 'Booking must close on or after the day it opens';
    problems.errors.push({ text, href: '#closes-day' });
    problems.fields.closes = { text };
  }
  return { opens, closes };
}

const problemsOf = (issues: { path: PropertyKey[]; message: string }[]): Problems => {
  const out: Problems = { errors: [], fields: {} };
  for (const i of issues) {
    const field = String(i.path[0] ?? 'main');
    if (out.fields[field]) continue;
    out.fields[field] = { text: i.message };
    out.errors.push({ text: i.message, href: `#${field}` });
  }
  return out;
};

/** A session from the form (date boxes, UK times, venue or link), or the problems in page order. */
export function parseSession(body: Record<string, unknown>, toInstant: (date: string, time: string) => Date) {
  const date = readDate(body, 'session', 'date of the session');
  const parsed = sessionForm.safeParse(body);
  const problems = parsed.success ? { errors: [], fields: {} } : problemsOf(parsed.error.issues);
  if (!date.success) {
    const text = date.error.issues[0]!.message;
    problems.errors.unshift({ text, href: '#session-day' });
    (problems.fields as Record<string, { text: string }>).session = { text };
  }
  if (!parsed.success || !date.success) return { ok: false as const, problems: problems as Problems };
  return {
    ok: true as const,
    session: {
      starts_at: toInstant(date.data, parsed.data.start_time),
      ends_at: toInstant(date.data, parsed.data.end_time),
      venue: parsed.data.venue || null,
      online_url: parsed.data.online_url || null,
    },
  };
}

export const cohortEditForm = cohortForm.pick({ name: true, capacity: true });

/** A cohort's name, places and booking window from the edit form, or the problems in page order. */
export function parseCohortEdit(body: Record<string, unknown>) {
  const parsed = cohortEditForm.safeParse(body);
  const problems: Problems = parsed.success ? { errors: [], fields: {} } : problemsOf(parsed.error.issues);
  const { opens, closes } = readBookingWindow(body, problems);
  if (!parsed.success || !opens.success || !closes.success || problems.errors.length) {
    return { ok: false as const, problems };
  }
  return {
    ok: true as const,
    details: {
      name: parsed.data.name,
      capacity: parsed.data.capacity,
      booking_opens_on: opens.data,
      booking_closes_on: closes.data,
    },
  };
}
