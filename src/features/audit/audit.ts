import { z } from 'zod';

/**
 * Rules of the audit log search, shared by the page, the CSV download and the API: which filters are
 * valid, how the CSV is named, how details and mail bodies are shown. Pure: no database, no request.
 */

export interface AuditFilter {
  /** Fragment of the acting account's name or email address. */
  actor?: string;
  /** Staff number or person id. */
  person?: string;
  action?: string;
  /** ODS code of the organisation the entry is about. */
  organisation?: string;
  /** Inclusive UTC days, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export type FilterField = keyof AuditFilter;

export interface Problem {
  field: FilterField;
  text: string;
}

export const PAGE_SIZE = 50;
export const CSV_MAX_ROWS = 100_000;

const blank = (v: unknown) => (typeof v === 'string' ? v.trim() || undefined : v);

const textFilters = {
  actor: z.preprocess(
    blank,
    z
      .string()
      .min(3, 'Enter at least 3 characters of the name or email address')
      .max(100, 'Name or email address must be 100 characters or fewer')
      .optional(),
  ),
  person: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[A-Za-z0-9-]{1,30}$/, 'Enter a staff number or person ID using only letters, numbers and hyphens')
      .optional(),
  ),
  action: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'Select an action from the list')
      .optional(),
  ),
  organisation: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[A-Za-z0-9]{2,10}$/, 'Enter an ODS code of 2 to 10 letters and numbers, like RX1')
      .transform((s) => s.toUpperCase())
      .optional(),
  ),
};

const dateLabel = { from: 'From date', to: 'To date' } as const;

/** A calendar date that exists (no 30 February), in years an audit entry can have. */
export function isRealDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 2100) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export interface DateParts {
  day?: string;
  month?: string;
  year?: string;
}

/** The NHS date input (day, month, year boxes) as an ISO date, or why it is not one. */
export function datePartsToIso(which: 'from' | 'to', p: DateParts): { iso?: string; problem?: Problem } {
  const parts = [p.day, p.month, p.year].map((s) => (s ?? '').trim());
  if (parts.every((s) => s === '')) return {};
  const label = dateLabel[which];
  if (parts.some((s) => s === ''))
    return { problem: { field: which, text: `${label} must include a day, month and year` } };
  if (!parts.every((s) => /^\d+$/.test(s)) || parts[2].length !== 4) {
    return { problem: { field: which, text: `${label} must be a real date, like 15 3 2026` } };
  }
  const iso = `${parts[2]}-${parts[1].padStart(2, '0')}-${parts[0].padStart(2, '0')}`;
  if (!isRealDate(iso)) return { problem: { field: which, text: `${label} must be a real date, like 15 3 2026` } };
  return { iso };
}

/**
 * Check a filter given as strings (dates already ISO). Returns the clean filter and every problem,
 * in the order the fields appear on the page.
 */
export function checkFilter(raw: Partial<Record<FilterField, string | undefined>>, known: Problem[] = []) {
  const problems: Problem[] = [];
  const filter: AuditFilter = {};
  for (const field of ['actor', 'person', 'action', 'organisation'] as const) {
    const r = textFilters[field].safeParse(raw[field]);
    if (!r.success) problems.push({ field, text: r.error.issues[0].message });
    else if (r.data !== undefined) filter[field] = r.data;
  }
  for (const which of ['from', 'to'] as const) {
    const already = known.find((p) => p.field === which);
    if (already) problems.push(already);
    else {
      const v = blank(raw[which]) as string | undefined;
      if (v === undefined) continue;
      if (isRealDate(v)) filter[which] = v;
      else problems.push({ field: which, text: `${dateLabel[which]} must be a real date in the form YYYY-MM-DD` });
    }
  }
  if (filter.from && filter.to && filter.to < filter.from) {
    problems.push({ field: 'to', text: 'To date must be the same as or after the from date' });
  }
  return { filter, problems };
}

/** A filter as query-string values for links (next page, CSV) that keep the current search. */
export function filterQuery(f: AuditFilter): Record<string, string | undefined> {
  const [fy, fm, fd] = f.from?.split('-') ?? [];
  const [ty, tm, td] = f.to?.split('-') ?? [];
  return {
    actor: f.actor,
    person: f.person,
    action: f.action,
    organisation: f.organisation,
    'from-day': fd,
    'from-month': fm,
    'from-year': fy,
    'to-day': td,
    'to-month': tm,
    'to-year': ty,
  };
}

/** The CSV file name carries the filter, so that a folder of downloads explains itself. */
export function csvFilename(f: AuditFilter): string {
  const parts: string[] = [];
  if (f.actor) parts.push(`actor-${f.actor}`);
  if (f.person) parts.push(`person-${f.person}`);
  if (f.action) parts.push(`action-${f.action}`);
  if (f.organisation) parts.push(`org-${f.organisation}`);
  if (f.from) parts.push(`from-${f.from}`);
  if (f.to) parts.push(`to-${f.to}`);
  const body = (parts.length ? parts.join('_') : 'all')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 150);
  return `audit-log_${body}.csv`;
}

/** Details as one short line for the table: `key: value; key: value…`. */
export function compactDetails(details: unknown, max = 160): string {
  if (details === null || details === undefined) return '';
  const text =
    typeof details === 'object' && !Array.isArray(details)
      ? Object.entries(details as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join('; ')
      : JSON.stringify(details);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export type BodySegment = { text: string } | { href: string };

/**
 * A plain-text mail body cut into text and web addresses, so that the page can show every link as
 * its full address (a password reset link must be readable and copyable in development and demos).
 */
export function linkSegments(body: string): BodySegment[] {
  const out: BodySegment[] = [];
  const re = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;
  let last = 0;
  for (const m of body.matchAll(re)) {
    if (m.index > last) out.push({ text: body.slice(last, m.index) });
    out.push({ href: m[0] });
    last = m.index + m[0].length;
  }
  if (last < body.length) out.push({ text: body.slice(last) });
  return out;
}
