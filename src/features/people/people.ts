import type { Band } from '../../db/schema.ts';

/** NHS Data Dictionary staff groups, stored by code on assignments. */
export const staffGroups: Record<string, string> = {
  '01': 'Medical and Dental',
  '02': 'Students',
  '03': 'Nursing and Midwifery Registered',
  '04': 'Allied Health Professionals',
  '05': 'Additional Professional Scientific and Technical',
  '06': 'Healthcare Scientists',
  '07': 'Additional Clinical Services',
  '08': 'Administrative and Clerical',
  '09': 'Estates and Ancillary',
  '10': 'Supplementary Roles',
};

export const staffGroupCodes = Object.keys(staffGroups);

export const staffGroupName = (code: string | null | undefined) => (code ? (staffGroups[code] ?? code) : '');

export const bands: Band[] = [
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8a',
  '8b',
  '8c',
  '8d',
  '9',
  'VSM',
  'Medical',
  'Other',
];

export function bandLabel(band: string | null | undefined): string {
  if (!band) return '';
  if (band === 'VSM') return 'Very senior manager';
  if (band === 'Medical' || band === 'Other') return band;
  return `Band ${band}`;
}

export type SearchKind =
  | { kind: 'none' }
  | { kind: 'email'; value: string }
  | { kind: 'staff_number'; value: string }
  | { kind: 'family_name'; value: string }
  | { kind: 'name'; pattern: string };

/**
 * What a search box text means. An @ makes it an email address and a digit a staff number (names have
 * neither), each an exact, indexed match. Names of three or more characters match anywhere in "given
 * family" (trigram index); shorter ones ("Ng", "Li") match a whole family name, because a trigram index
 * cannot help with one or two letters and a scan of 1.35M names is not an option.
 */
export function classifySearch(q: string | undefined): SearchKind {
  const text = (q ?? '').trim().replace(/\s+/g, ' ');
  if (!text) return { kind: 'none' };
  if (text.includes('@')) return { kind: 'email', value: text.toLowerCase() };
  if (/\d/.test(text) && !text.includes(' ')) return { kind: 'staff_number', value: text };
  if (text.length < 3) return { kind: 'family_name', value: text.toLowerCase() };
  return { kind: 'name', pattern: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}

/** The keyset of the people list: the sort key of the last row shown. */
export type PeopleCursor = [string, string, number];

export function isPeopleCursor(v: unknown[] | undefined): v is PeopleCursor {
  return (
    Array.isArray(v) &&
    v.length === 3 &&
    typeof v[0] === 'string' &&
    typeof v[1] === 'string' &&
    typeof v[2] === 'number' &&
    Number.isSafeInteger(v[2])
  );
}
