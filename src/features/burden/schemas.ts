import { z } from 'zod';
import { fileDate } from '../../csv.ts';
import { bands } from '../people/people.ts';
import {
  bodyLabels,
  frequencies,
  frequencyLabels,
  normaliseItemName,
  requestingBodies,
  scopeLabels,
  scopes,
} from './register.ts';

// The validation of returns (the form and every import row go through `checkReturn`), data items,
// effort versions and the register's filters. Messages are written for the NHS error summary.

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1990 || y > 2100) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** A date as files write it (`fileDate`: DD/MM/YYYY, DD-MON-YYYY, YYYY-MM-DD) as YYYY-MM-DD; anything else as it is. */
export function normaliseDateText(s: string): string {
  const t = s.trim();
  return fileDate(t) ?? t;
}

export interface DateParts {
  day?: string;
  month?: string;
  year?: string;
}

/** The NHS date input (day, month, year boxes) as YYYY-MM-DD, '' when all are empty, or what is wrong. */
export function datePartsToIso(label: string, p: DateParts): { iso: string } | { problem: string } {
  const parts = [p.day, p.month, p.year].map((s) => (s ?? '').trim());
  if (parts.every((s) => s === '')) return { iso: '' };
  if (parts.some((s) => s === '')) return { problem: `${label} must include a day, month and year` };
  const iso = `${parts[2]}-${parts[1].padStart(2, '0')}-${parts[0].padStart(2, '0')}`;
  if (!parts.every((s) => /^\d+$/.test(s)) || parts[2].length !== 4 || !isIsoDate(iso)) {
    return { problem: `${label} must be a real date, like 1 4 2025` };
  }
  return { iso };
}

const lowerKeyed = <T extends string>(labels: Record<T, string>) =>
  new Map<string, T>(
    (Object.entries(labels) as [T, string][]).flatMap(([code, label]) => [
      [code.toLowerCase(), code],
      [label.toLowerCase(), code],
    ]),
  );
const bodyByText = lowerKeyed(bodyLabels);
const frequencyByText = lowerKeyed(frequencyLabels);
const scopeByText = lowerKeyed(scopeLabels);
frequencyByText.set('ad hoc', 'ad_hoc');
frequencyByText.set('adhoc', 'ad_hoc');

/** Codes or their labels, any case: imports may carry either. */
const coded =
  <T extends string>(byText: Map<string, T>) =>
  (v: unknown) =>
    typeof v === 'string' ? (byText.get(v.trim().toLowerCase()) ?? v) : v;

const text = (max: number, missing: string, tooLong: string) =>
  z.preprocess(
    (v) => (v === null || v === undefined ? '' : v),
    z.string({ error: missing }).trim().min(1, missing).max(max, tooLong),
  );

const optionalText = (max: number, tooLong: string) =>
  z.preprocess(
    (v) => (v === null || v === undefined ? '' : v),
    z
      .string()
      .trim()
      .max(max, tooLong)
      .transform((s) => (s === '' ? null : s)),
  );

const dateText = (missing: string | null, invalid: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? normaliseDateText(v) : (v ?? '')),
    z
      .string()
      .refine((s) => s !== '' || missing === null, missing ?? '')
      .refine((s) => s === '' || isIsoDate(s), invalid)
      .transform((s) => (s === '' ? null : s)),
  );

const yesNo = z.preprocess(
  (v) => {
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v !== 'string') return v;
    const t = v.trim().toLowerCase();
    return ({ true: 'yes', y: 'yes', false: 'no', n: 'no' } as Record<string, string>)[t] ?? t;
  },
  z.enum(['yes', 'no'], { error: 'Select whether the return is mandatory' }),
);

/** A return's fields as the form and the imports give them: strings (or JSON values), each checked alone. */
const returnObject = z.object({
  name: text(200, 'Enter the name of the return', 'Name must be 200 characters or fewer'),
  requesting_body: z.preprocess(
    coded(bodyByText),
    z.enum(requestingBodies, { error: 'Select the body that requests the return' }),
  ),
  legal_basis: text(2000, 'Enter the legal basis, or “None stated”', 'Legal basis must be 2,000 characters or fewer'),
  mandatory: yesNo,
  approval_ref: optionalText(100, 'Approval reference must be 100 characters or fewer'),
  frequency: z.preprocess(coded(frequencyByText), z.enum(frequencies, { error: 'Select how often it is due' })),
  ad_hoc_cycles: z.preprocess(
    (v) => (v === null || v === undefined ? '' : String(v).trim()),
    z.string().regex(/^(\d{1,3})?$/, 'Times a year must be a whole number from 1 to 366'),
  ),
  deadline_rule: text(500, 'Enter the deadline rule', 'Deadline rule must be 500 characters or fewer'),
  submission_route: text(500, 'Enter the submission route', 'Submission route must be 500 characters or fewer'),
  start_date: dateText('Enter the start date', 'Start date must be a real date'),
  sunset_date: dateText(null, 'Sunset date must be a real date'),
  scope: z.preprocess(coded(scopeByText), z.enum(scopes, { error: 'Select the scope of the return' })),
  scope_org_code: optionalText(12, 'ODS codes are 12 characters or fewer'),
  owner_org_code: optionalText(12, 'ODS codes are 12 characters or fewer'),
});

type ReturnFields = z.infer<typeof returnObject>;

export interface ReturnValues extends Omit<ReturnFields, 'mandatory' | 'ad_hoc_cycles' | 'start_date'> {
  mandatory: boolean;
  ad_hoc_cycles: number | null;
  start_date: string;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Check a return: each field alone, then the rules between fields (ad hoc needs times a year, the sunset
 * follows the start, a non-national scope needs its organisation) whenever the fields they join are
 * valid, so that a person sees every problem at once. Problems come one per field.
 */
export function checkReturn(
  raw: Record<string, unknown>,
): { ok: true; values: ReturnValues } | { ok: false; problems: FieldProblem[] } {
  const parsed = returnObject.safeParse(raw);
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => {
    if (!problems.some((p) => p.field === field)) problems.push({ field, message });
  };
  if (!parsed.success) for (const issue of parsed.error.issues) add(String(issue.path[0] ?? 'return'), issue.message);
  const one = <K extends keyof ReturnFields>(k: K): ReturnFields[K] | undefined => {
    const r = returnObject.shape[k].safeParse(raw[k]);
    return r.success ? (r.data as ReturnFields[K]) : undefined;
  };
  const [frequency, cycles, start, sunset, scope, scopeOrg] = [
    one('frequency'),
    one('ad_hoc_cycles'),
    one('start_date'),
    one('sunset_date'),
    one('scope'),
    one('scope_org_code'),
  ];
  if (frequency === 'ad_hoc' && cycles !== undefined && !(Number(cycles) >= 1 && Number(cycles) <= 366)) {
    add('ad_hoc_cycles', 'Enter how many times a year an ad hoc return is expected, from 1 to 366');
  }
  if (start && sunset && sunset < start) add('sunset_date', 'Sunset date must be on or after the start date');
  if (scope && scope !== 'national' && scopeOrg === null) {
    const what = scope === 'regional' ? 'region' : scope === 'icb' ? 'ICB' : 'organisation';
    add('scope_org_code', `Enter the ODS code of the ${what} the return covers`);
  }
  if (!parsed.success || problems.length) return { ok: false, problems };
  const v = parsed.data;
  return {
    ok: true,
    values: {
      ...v,
      mandatory: v.mandatory === 'yes',
      ad_hoc_cycles: v.frequency === 'ad_hoc' ? Number(v.ad_hoc_cycles) : null,
      start_date: v.start_date as string,
      scope_org_code: v.scope === 'national' ? null : (v.scope_org_code?.toUpperCase() ?? null),
      owner_org_code: v.owner_org_code?.toUpperCase() ?? null,
    },
  };
}

export const MAX_ITEMS_PER_RETURN = 300;

export const itemFields = z.object({
  name: text(200, 'Enter the name of the data item', 'Name must be 200 characters or fewer')
    .refine((s) => normaliseItemName(s) !== '', 'The name must contain letters or numbers')
    .refine((s) => !s.includes('|'), 'The name must not contain “|”, which separates items in CSV files'),
  definition: optionalText(2000, 'Definition must be 2,000 characters or fewer'),
  unit: optionalText(50, 'Unit must be 50 characters or fewer'),
});

export type ItemValues = z.infer<typeof itemFields>;

/** Bands a compiler may have: all but band 1, which is closed. Only those with a pay scale on the date are costed. */
export const effortBands = bands.filter((b) => b !== '1');

export const EFFORT_LINES = 4;

export const effortLine = z.object({
  role: text(120, 'Enter who compiles it (a role, not a name)', 'Role must be 120 characters or fewer'),
  band: z.enum(effortBands, { error: 'Select the Agenda for Change band' }),
  hours: z
    .string({ error: 'Enter the hours each time' })
    .trim()
    .min(1, 'Enter the hours each time')
    .regex(/^\d{1,4}(\.\d{1,2})?$/, 'Hours each time must be a number, like 3 or 2.5')
    .transform(Number)
    .refine((n) => n <= 2000, 'Hours each time must be 2,000 or fewer'),
});

/** The register's filters from the query string; anything unrecognised is ignored. */
export const registerFilters = z.object({
  scope: z.enum(scopes).optional().catch(undefined),
  body: z.enum(requestingBodies).optional().catch(undefined),
  mandatory: z.enum(['yes', 'no']).optional().catch(undefined),
  approval: z.enum(['yes', 'no']).optional().catch(undefined),
  sunset: z.enum(['past', 'current']).optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type RegisterFilters = z.infer<typeof registerFilters>;
