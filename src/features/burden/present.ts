import type { ZodError } from 'zod';
import type { RequestingBody, ReturnScope } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { hasRole, type Viewer } from '../../plugins/access.ts';
import type { FieldError } from '../../web/render.ts';
import { costStatus, hoursPerManager, isPastSunset } from './burden.ts';
import { bodyLabels, scopeLabels } from './register.ts';

/** How the burden pages show figures, flags and form errors. */

export const views = 'features/burden/views';

export const hours = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
export const money = (n: number) => `£${Math.round(n).toLocaleString('en-GB')}`;

/** A cost as a sentence that never hides hours without a pay scale. */
export function costText(f: { hoursYear: number; costYear: number; uncostedHoursYear: number }): string {
  switch (costStatus(f)) {
    case 'not-available':
      return 'Not available: no pay scale for the bands recorded';
    case 'partial':
      return `${money(f.costYear)}, not counting ${hours(f.uncostedHoursYear)} hours of bands without a pay scale`;
    case 'complete':
      return money(f.costYear);
  }
}

export interface Figures {
  hoursYear: number;
  costYear: number;
  uncostedHoursYear: number;
  organisations: number;
  managers: number | null;
}

/** Figures as the summary tables show them. */
export function showFigures(f: Figures) {
  const perManager = hoursPerManager(f.hoursYear, f.managers);
  return {
    hours: hours(f.hoursYear),
    cost: costText(f),
    organisations: f.organisations.toLocaleString('en-GB'),
    managers: f.managers ? f.managers.toLocaleString('en-GB') : 'Not recorded',
    perManager: perManager === undefined ? 'Not available' : hours(perManager),
  };
}

export interface Flag {
  text: string;
  colour: 'red' | 'orange' | 'grey' | 'yellow';
}

export function flagsOf(
  r: { sunset_date: string | null; approval_ref: string | null; scope: ReturnScope },
  today: string,
  duplicates: { name: string }[] = [],
): Flag[] {
  const flags: Flag[] = [];
  if (isPastSunset(r.sunset_date, today)) flags.push({ text: 'Past sunset', colour: 'grey' });
  if (!r.approval_ref) flags.push({ text: 'No approval reference', colour: 'orange' });
  if (duplicates.length) flags.push({ text: 'Duplicates a national return', colour: 'red' });
  return flags;
}

export const bodyLabel = (b: string | null) => (b ? (bodyLabels[b as RequestingBody] ?? b) : '');
export const scopeText = (scope: ReturnScope, orgName: string | null) =>
  scope === 'national' ? scopeLabels.national : `${scopeLabels[scope]}: ${orgName}`;

export const todayOf = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString().slice(0, 10);

export { setFlash, takeFlash } from '../../plugins/session.ts';

export interface FormProblems {
  errors: FieldError[];
  fields: Record<string, { text: string }>;
}

/** Problems by field, in the order the fields appear on the page; dates link to their day box. */
export function problemsInOrder(
  problems: Map<string, string>,
  order: readonly string[],
  dateFields: readonly string[] = [],
) {
  const out: FormProblems = { errors: [], fields: {} };
  const keys = [...order.filter((f) => problems.has(f)), ...[...problems.keys()].filter((f) => !order.includes(f))];
  for (const field of keys) {
    const text = problems.get(field)!;
    out.fields[field] = { text };
    out.errors.push({ text, href: `#${dateFields.includes(field) ? `${field}-day` : field}` });
  }
  return out;
}

export function zodProblems(error: ZodError, into = new Map<string, string>()) {
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'main');
    if (!into.has(field)) into.set(field, issue.message);
  }
  return into;
}

/** Scopes the viewer may choose on the return form. */
export function scopeChoices(v: Viewer): ReturnScope[] {
  if (hasRole(v, 'national_admin')) return ['national', 'regional', 'icb', 'local'];
  const out: ReturnScope[] = [];
  if (hasRole(v, 'regional_lead')) out.push('regional');
  if (hasRole(v, 'icb_lead')) out.push('icb', 'local');
  else if (hasRole(v, 'org_admin')) out.push('local');
  return out;
}

/** The scope and organisation a new return starts with: the viewer's narrowest area. */
export function defaultPlace(v: Viewer): { scope: ReturnScope; code: string } {
  const grant = (role: string) => v.grants.find((g) => g.role === role)?.organisationCode ?? '';
  if (hasRole(v, 'national_admin')) return { scope: 'national', code: '' };
  if (hasRole(v, 'org_admin')) return { scope: 'local', code: grant('org_admin') };
  if (hasRole(v, 'icb_lead')) return { scope: 'icb', code: grant('icb_lead') };
  return { scope: 'regional', code: grant('regional_lead') };
}
