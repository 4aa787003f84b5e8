/**
 * Which column of a staff file feeds which field. ESR extracts differ between trusts, so each field has
 * the header names we have seen in extracts (first match wins), and an admin can name their own columns
 * with a mapping such as "Emp No=staff_number, Dept=team".
 */

export const importFields = [
  'assignment_number',
  'staff_number',
  'given_name',
  'family_name',
  'email',
  'position_title',
  'team',
  'cost_centre',
  'staff_group',
  'occupation_code',
  'band',
  'wte',
  'supervisor',
  'start_date',
  'end_date',
  'ethnicity',
  'disability',
  'sex',
  'age_band',
  'manager_flag',
] as const;

export type ImportField = (typeof importFields)[number];

export interface FieldSpec {
  label: string;
  headers: string[];
  required?: boolean;
}

// The order of `headers` matters: when a file has two of them (e.g. "Gender" and "Sex"), the first wins.
export const fieldSpecs: Record<ImportField, FieldSpec> = {
  assignment_number: { label: 'Assignment number', headers: ['Assignment Number', 'Assignment No'], required: true },
  staff_number: { label: 'Employee number', headers: ['Employee Number', 'Staff Number', 'Employee No'] },
  given_name: { label: 'First name', headers: ['First Name', 'Forename', 'Given Name'], required: true },
  family_name: { label: 'Last name', headers: ['Last Name', 'Surname', 'Family Name'], required: true },
  email: { label: 'Email address', headers: ['Email Address', 'Email', 'Work Email'] },
  position_title: {
    label: 'Position title',
    headers: ['Position Title', 'Job Title', 'Position Name'],
    required: true,
  },
  team: { label: 'Team or department', headers: ['Organisation', 'Department', 'Team', 'Organisation Name'] },
  cost_centre: { label: 'Cost centre', headers: ['Cost Centre', 'Cost Center'] },
  staff_group: { label: 'Staff group', headers: ['Staff Group'] },
  occupation_code: { label: 'Occupation code', headers: ['Occupation Code'] },
  band: { label: 'Pay band', headers: ['Pay Band', 'Grade', 'Band', 'AfC Band'] },
  wte: { label: 'Contracted WTE', headers: ['Contracted WTE', 'FTE', 'WTE', 'Contracted FTE'] },
  supervisor: {
    label: 'Supervisor assignment number',
    headers: ['Supervisor Assignment Number', 'Line Manager Assignment Number', 'Supervisor Assignment'],
  },
  start_date: { label: 'Assignment start date', headers: ['Assignment Start Date', 'Start Date'], required: true },
  end_date: { label: 'Assignment end date', headers: ['Assignment End Date', 'End Date'] },
  ethnicity: { label: 'Ethnic origin', headers: ['Ethnic Origin', 'Ethnicity'] },
  disability: { label: 'Disability', headers: ['Disability'] },
  sex: { label: 'Gender or sex', headers: ['Gender', 'Sex'] },
  age_band: { label: 'Age band', headers: ['Age Band'] },
  manager_flag: { label: 'Manager flag', headers: ['Manager Flag', 'Is Manager', 'Manager'] },
};

/** Header comparison ignores case, spaces and punctuation: "E-mail address" matches "Email Address". */
export const headerKey = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface MappingEntry {
  header: string;
  field: ImportField;
}

/**
 * Parse "Their Header=field, Other=field" (commas or new lines between pairs). Returns the pairs keyed
 * by headerKey, or the reasons it cannot be used.
 */
export function parseMappingSpec(text: string | undefined): { mapping: MappingEntry[]; errors: string[] } {
  const mapping: MappingEntry[] = [];
  const errors: string[] = [];
  for (const raw of (text ?? '').split(/[,\n\r]+/)) {
    const pair = raw.trim();
    if (!pair) continue;
    const eq = pair.lastIndexOf('=');
    if (eq <= 0 || eq === pair.length - 1) {
      errors.push(`"${pair}" is not in the form Their Header=field`);
      continue;
    }
    const header = pair.slice(0, eq).trim();
    const field = pair.slice(eq + 1).trim() as ImportField;
    if (!importFields.includes(field)) {
      errors.push(`"${field}" is not a field we import; use one of: ${importFields.join(', ')}`);
      continue;
    }
    mapping.push({ header, field });
  }
  return { mapping, errors };
}

export interface ColumnMap {
  /** Column index in the file for each field present. */
  index: Partial<Record<ImportField, number>>;
  /** The file's own header text for each field present, to name columns in error messages. */
  header: Partial<Record<ImportField, string>>;
  /** Cells in the header row: a row holding values beyond them has had its columns shifted. */
  width: number;
}

/** Match a file's header row to fields: the admin's mapping first, then our default header names. */
export function resolveColumns(headerRow: string[], mapping: MappingEntry[]): { columns: ColumnMap; errors: string[] } {
  const columns: ColumnMap = { index: {}, header: {}, width: headerRow.length };
  const errors: string[] = [];
  const keys = headerRow.map(headerKey);
  const take = (field: ImportField, i: number) => {
    if (columns.index[field] !== undefined) return;
    columns.index[field] = i;
    columns.header[field] = headerRow[i].trim();
  };
  const claimed = new Set<number>();
  for (const { header, field } of mapping) {
    const i = keys.indexOf(headerKey(header));
    if (i < 0) {
      errors.push(`the mapping names a column "${header}" (for ${field}) that is not in the file's header row`);
      continue;
    }
    take(field, i);
    claimed.add(i);
  }
  for (const field of importFields) {
    if (columns.index[field] !== undefined) continue;
    for (const h of fieldSpecs[field].headers) {
      const i = keys.indexOf(headerKey(h));
      if (i >= 0 && !claimed.has(i)) {
        take(field, i);
        break;
      }
    }
  }
  for (const field of importFields) {
    const spec = fieldSpecs[field];
    if (spec.required && columns.index[field] === undefined) {
      errors.push(
        `no column for ${spec.label} (required): name it "${spec.headers[0]}" or map your column with "Your Header=${field}"`,
      );
    }
  }
  return { columns, errors };
}
