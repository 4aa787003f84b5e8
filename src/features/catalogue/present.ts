import type { Deps } from '../../deps.ts';
import { formatDate } from '../../web/nunjucks.ts';
import type { FieldError } from '../../web/render.ts';
import {
  accreditationLabels,
  formatLabels,
  fundingLabels,
  levelLabels,
  money,
  outcomeLines,
  scopeLabels,
  statusLabels,
} from './catalogue.ts';
import { eligibleLevelLabels, staffGroups } from './eligibility.ts';
import type { ProgrammeRow } from './queries.ts';
import type { SearchRow } from './search-queries.ts';

// How the catalogue pages show programmes: labels, dates, eligibility in words, and form errors in page order.

export const views = 'features/catalogue/views';
export { setFlash, takeFlash } from '../../plugins/session.ts';

export const todayOf = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString().slice(0, 10);

// toLocaleDateString builds a date formatter on every call (about 50 µs each): 40 of them showed in the search page's
// profile. The app's own formatter gives the same "26 November 2026".
export const longDate = (iso: string | null | undefined) => (iso ? formatDate(iso.slice(0, 10)) : '');

export const dateOf = (d: Date | null) => (d ? longDate(d.toISOString()) : '');

export function costText(p: { cost_pounds: number; funding: keyof typeof fundingLabels }) {
  if (p.cost_pounds === 0) return 'Free';
  return p.funding === 'none'
    ? money(p.cost_pounds)
    : `${money(p.cost_pounds)} (${fundingLabels[p.funding].toLowerCase()})`;
}

export const scopeText = (scope: keyof typeof scopeLabels, orgName: string | null) =>
  scope === 'national' ? 'National' : `${scopeLabels[scope]}: ${orgName ?? ''}`;

/** A search result as the results list shows it. */
export function resultCard(r: SearchRow) {
  return {
    id: r.id,
    title: r.title,
    summary: r.summary,
    provider: r.provider_name,
    level: levelLabels[r.level],
    format: formatLabels[r.format],
    length: `${r.hours} hours over ${r.duration_weeks} ${r.duration_weeks === 1 ? 'week' : 'weeks'}`,
    cost: costText(r),
    scope: scopeText(r.scope, r.scope_org_name),
    nextStart: r.next_cohort_start ? longDate(r.next_cohort_start) : 'No dates yet',
    accredited: r.accreditation_status === 'accredited',
    accreditedUntil: longDate(r.accredited_until),
  };
}

/** Eligibility rules in words, one line per rule; organisation and region names come from the caller. */
export function eligibilityLines(p: ProgrammeRow, names: Map<number, string>): string[] {
  const lines: string[] = [];
  if (p.elig_management_levels.length) {
    lines.push(
      `Management level: ${p.elig_management_levels.map((l) => eligibleLevelLabels[l as keyof typeof eligibleLevelLabels] ?? l).join(', ')}`,
    );
  }
  if (p.elig_bands.length) lines.push(`Agenda for Change band: ${p.elig_bands.join(', ')}`);
  if (p.elig_staff_groups.length)
    lines.push(`Staff group: ${p.elig_staff_groups.map((g) => staffGroups[g] ?? g).join(', ')}`);
  if (p.elig_region_ids.length)
    lines.push(`Staff in: ${p.elig_region_ids.map((id) => names.get(id) ?? String(id)).join(', ')}`);
  if (p.elig_organisation_ids.length) {
    lines.push(`Staff of: ${p.elig_organisation_ids.map((id) => names.get(id) ?? String(id)).join(', ')}`);
  }
  return lines;
}

export function programmeView(p: ProgrammeRow) {
  return {
    ...p,
    levelLabel: levelLabels[p.level],
    formatLabel: formatLabels[p.format],
    costLabel: costText(p),
    fundingLabel: fundingLabels[p.funding],
    scopeLabel: scopeText(p.scope, p.scope_org_name),
    statusLabel: statusLabels[p.status],
    accreditationLabel: accreditationLabels[p.accreditation_status],
    accreditedUntilLabel: longDate(p.accredited_until),
    nextStartLabel: p.next_cohort_start ? longDate(p.next_cohort_start) : 'No dates published yet',
    outcomeList: outcomeLines(p.outcomes),
  };
}

export interface FormProblems {
  errors: FieldError[];
  fields: Record<string, { text: string }>;
}

/** Problems by field, in the order the fields appear on the page. */
export function problemsInOrder(problems: Map<string, string>, order: string[]): FormProblems {
  const keys = [...problems.keys()].sort((a, b) => rank(order, a) - rank(order, b));
  return {
    errors: keys.map((k) => ({ text: problems.get(k)!, href: `#${k}` })),
    fields: Object.fromEntries(keys.map((k) => [k, { text: problems.get(k)! }])),
  };
}

const rank = (order: string[], k: string) => {
  const i = order.indexOf(k);
  return i === -1 ? order.length : i;
};

/** Zod issues as a map of field → first message. */
export function zodProblems(issues: { path: PropertyKey[]; message: string }[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const i of issues) {
    const f = String(i.path[0] ?? 'main');
    if (!m.has(f)) m.set(f, i.message);
  }
  return m;
}

export const options = <T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  chosen?: string | string[],
) =>
  values.map((v) => {
    const on = Array.isArray(chosen) ? chosen.includes(v) : v === chosen;
    return { value: v, text: labels[v], selected: on, checked: on };
  });

/**
 * The <option>s of a long select, as HTML for the template to print as it is. The public search page lists every
 * published competency (about 70) on each request; the list is kept by the process (reference.ts) and stays the same
 * array until it changes, so each option is escaped and written once per list, not once per request. The markup is
 * the same the search page's selectField loop writes.
 */
export function optionsHtml<T>(
  list: readonly T[],
  option: (item: T) => { value: string; text: string },
  first: { value: string; text: string },
  selected: string | undefined,
): string {
  let written = optionsMemo.get(list);
  if (!written) {
    written = [first, ...list.map(option)].map((o) => {
      const open = `<option value="${escapeHtml(o.value)}"`;
      const close = `>${escapeHtml(o.text)}</option>\n`;
      return { value: o.value, plain: open + close, chosen: `${open} selected${close}` };
    });
    optionsMemo.set(list, written);
  }
  let html = '';
  for (const o of written) html += o.value === selected ? o.chosen : o.plain;
  return html;
}

// Nunjucks' autoescape, character for character, so the page is the same as when the template wrote the options.
const escapes: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '&#92;',
};
const escapeHtml = (s: string) => s.replace(/[&"'<>\\]/g, (ch) => escapes[ch]!);

const optionsMemo = new WeakMap<object, { value: string; plain: string; chosen: string }[]>();
