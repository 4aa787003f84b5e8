import type { RequestingBody, ReturnFrequency, ReturnScope } from '../../db/schema.ts';
import type { OrgPlace, Permission } from '../../plugins/access.ts';

/** The register's fixed lists, their labels, and who may curate a return of each scope. Pure. */

export const requestingBodies = [
  'nhse_national',
  'nhse_regional',
  'icb',
  'dhsc',
  'cqc',
  'nhs_resolution',
  'royal_college',
  'local_authority',
  'other',
] as const satisfies readonly RequestingBody[];

export const bodyLabels: Record<RequestingBody, string> = {
  nhse_national: 'NHS England national team',
  nhse_regional: 'NHS England regional team',
  icb: 'Integrated care board (ICB)',
  dhsc: 'Department of Health and Social Care (DHSC)',
  cqc: 'Care Quality Commission (CQC)',
  nhs_resolution: 'NHS Resolution',
  royal_college: 'Royal college',
  local_authority: 'Local authority',
  other: 'Other',
};

export const frequencies = [
  'weekly',
  'monthly',
  'quarterly',
  'annual',
  'ad_hoc',
] as const satisfies readonly ReturnFrequency[];

export const frequencyLabels: Record<ReturnFrequency, string> = {
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  annual: 'Annual',
  ad_hoc: 'Ad hoc',
};

export const scopes = ['national', 'regional', 'icb', 'local'] as const satisfies readonly ReturnScope[];

export const scopeLabels: Record<ReturnScope, string> = {
  national: 'National',
  regional: 'Regional',
  icb: 'ICB',
  local: 'Local',
};

/** Who a return of each scope applies to, in words for its page. */
export function appliesTo(scope: ReturnScope, scopeOrgName: string | null): string {
  switch (scope) {
    case 'national':
      return 'Every NHS organisation in England';
    case 'regional':
      return `Organisations in ${scopeOrgName} (the region’s ICBs and providers)`;
    case 'icb':
      return `Organisations in ${scopeOrgName} (the ICB’s providers)`;
    case 'local':
      return `${scopeOrgName} only`;
  }
}

/** Where an organisation sits: enough to decide which returns apply to it. */
export interface OrgSeat {
  id: number;
  icbId: number | null;
  regionId: number | null;
}

/**
 * Whether a return applies to an organisation. National: every organisation. Regional: the region's ICBs
 * and providers, not the region itself. ICB: the ICB's providers, not the ICB itself. Local: that one
 * organisation. (returnsApplyingTo in effort-queries.ts is the same rule in SQL.)
 */
export function appliesToOrg(ret: { scope: ReturnScope; scopeOrgId: number | null }, org: OrgSeat): boolean {
  switch (ret.scope) {
    case 'national':
      return true;
    case 'regional':
      return ret.scopeOrgId === org.regionId && ret.scopeOrgId !== org.id;
    case 'icb':
      return ret.scopeOrgId === org.icbId && ret.scopeOrgId !== org.id;
    case 'local':
      return ret.scopeOrgId === org.id;
  }
}

/** The organisation kind a scope's organisation must have; local returns may sit on any provider or ICB. */
export const scopeOrgKinds: Record<Exclude<ReturnScope, 'national'>, readonly string[]> = {
  regional: ['region'],
  icb: ['icb'],
  local: ['trust', 'provider', 'sub_icb', 'icb', 'other'],
};

/** The permission to curate a return of this scope on this organisation (null for national returns). */
export function curatePermission(scope: ReturnScope, org: OrgPlace | null): Permission {
  if (scope === 'national' || org === null) return { action: 'burden:curate-national' };
  if (scope === 'regional') return { action: 'burden:curate-regional', regionId: org.id };
  return { action: 'burden:manage-local', org };
}

/**
 * The dictionary's identity of a data item name: Unicode-normalised, lower case, every run of
 * punctuation and spaces as one space. "A&E attendances" and "A & E Attendances" are one item.
 */
export function normaliseItemName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Data item names typed one a line: blank lines dropped, spellings of one item kept once (first wins). */
export function itemNamesFromText(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const name = raw.trim().replace(/\s+/g, ' ');
    const key = normaliseItemName(name);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}
