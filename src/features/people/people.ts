import type { Band } from '../../db/schema.ts';

/** A person's own details, beside their id: what a person's record shows and a staff import matches and writes. */
export const personDetails = [
  'staff_number',
  'given_name',
  'family_name',
  'email',
  'ethnicity',
  'disability',
  'sex',
  'age_band',
] as const;

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
  | { kind: 'name'; family: string; given?: string };

/**
 * What a search box text means. An @ makes it an email address and a digit a staff number (names have
 * neither), each an exact, indexed match. Otherwise it is a name: one word is the start of a family name
 * ("smi" finds Smith and Smithson); several words are the start of a given name and the start of a family
 * name ("pri pat" finds Priya Patel). Both walk the family-name index in the order the list is shown, so a
 * page costs the same whether a name is rare or common, at national scale. (A match anywhere in a name, by
 * trigram, had to read and sort every match of a common name before showing the first page.)
 */
export function classifySearch(q: string | undefined): SearchKind {
  const text = (q ?? '').trim().replace(/\s+/g, ' ');
  if (!text) return { kind: 'none' };
  if (text.includes('@')) return { kind: 'email', value: text.toLowerCase() };
  if (/\d/.test(text) && !text.includes(' ')) return { kind: 'staff_number', value: text };
  const words = text.toLowerCase().split(' ');
  if (words.length === 1) return { kind: 'name', family: words[0] };
  return { kind: 'name', given: words[0], family: words[words.length - 1] };
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
