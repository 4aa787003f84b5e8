import { fileDate, shiftedRow } from '../../csv.ts';
import type { Band } from '../../db/schema.ts';
import { type ColumnMap, fieldSpecs, type ImportField } from './import-mapping.ts';
import { staffGroups } from './people.ts';

/** One problem with one row of a staff file. Line 1 is the header row, as in a spreadsheet. */
export interface RowError {
  line: number;
  column: string | null;
  message: string;
}

/** A row after checking: every value normalised, or null where the cell was empty or wrong. */
export interface StaffRow {
  line: number;
  assignment_number: string | null;
  staff_number: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  position_title: string | null;
  team: string | null;
  cost_centre: string | null;
  staff_group: string | null;
  occupation_code: string | null;
  band: Band | null;
  wte: string | null;
  supervisor: string | null;
  start_date: string | null;
  end_date: string | null;
  ethnicity: string | null;
  disability: string | null;
  sex: string | null;
  age_band: string | null;
  manager_flag: boolean | null;
  valid: boolean;
}

const MAX_TEXT = 200;

/**
 * Remember the answers for values a file repeats thousands of times (bands, staff groups, dates):
 * a lookup instead of a few regular expressions per cell. Bounded, so odd files cannot grow it.
 */
function remembered<T>(parse: (text: string) => T): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    const hit = seen.get(text);
    if (hit !== undefined || seen.has(text)) return hit as T;
    const value = parse(text);
    if (seen.size < 5000) seen.set(text, value);
    return value;
  };
}

/**
 * Agenda for Change bands as ESR and spreadsheets write them: "Band 8a", "AfC Band 7", "8A",
 * "Band 8 - Range B", "Very Senior Manager". Null when it is not a band.
 */
export function normaliseBand(text: string): Band | null {
  const v = text
    .toLowerCase()
    .replace(/agenda\s*for\s*change|\bafc\b|\bpay\b|\bband\b|\bgrade\b|\brange\b/g, '')
    .replace(/[\s\-_:.]/g, '');
  if (/^[1-9]$/.test(v)) return v as Band;
  if (/^0[1-9]$/.test(v)) return v.slice(1) as Band;
  if (/^8[a-d]$/.test(v)) return v as Band;
  if (v === 'vsm' || v === 'veryseniormanager') return 'VSM';
  if (v === 'medical' || v === 'medicalanddental') return 'Medical';
  if (v === 'other' || v === 'nonafc') return 'Other';
  return null;
}

const groupKey = (s: string) =>
  s
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z]/g, '');

// Names as the Data Dictionary spells them, plus ESR's truncated spelling of group 05.
const groupByName = new Map<string, string>([
  ...Object.entries(staffGroups).map(([code, name]) => [groupKey(name), code] as [string, string]),
  [groupKey('Add Prof Scientific and Technic'), '05'],
  [groupKey('Additional Prof Scientific and Technical'), '05'],
  [groupKey('Nursing and Midwifery'), '03'],
]);

/** A staff group code ("3", "03"), name, or "03 Nursing and Midwifery Registered"; null if unknown. */
export function normaliseStaffGroup(text: string): string | null {
  const m = /^(\d{1,2})\b\s*[-–:]?\s*(.*)$/.exec(text.trim());
  if (m) {
    const code = m[1].padStart(2, '0');
    if (!staffGroups[code]) return null;
    if (m[2] && groupByName.get(groupKey(m[2])) !== code) return null;
    return code;
  }
  return groupByName.get(groupKey(text)) ?? null;
}

/** A date as the staff file writes it (`fileDate`: DD/MM/YYYY, DD-MON-YYYY or YYYY-MM-DD), from 1900 to 2200. */
export function parseDate(text: string): string | null {
  const iso = fileDate(text);
  if (iso === null) return null;
  const y = Number(iso.slice(0, 4));
  return y < 1900 || y > 2200 ? null : iso;
}

/**
 * Whole-time equivalent between 0 and 1.5 (the column holds two decimals). A decimal comma ("0,6", as Excel
 * writes it in a semicolon-separated file on a European setting) reads as a point.
 */
export function parseWte(text: string): string | null {
  const v = /^\d{1,2},\d+$/.test(text) ? text.replace(',', '.') : text;
  if (!/^\d{1,2}(\.\d+)?$|^\.\d+$/.test(v)) return null;
  const n = Number(v);
  if (!(n >= 0 && n <= 1.5)) return null;
  return v;
}

export function parseFlag(text: string): boolean | null | undefined {
  const v = text.toLowerCase();
  if (['y', 'yes', 'true', '1'].includes(v)) return true;
  if (['n', 'no', 'false', '0'].includes(v)) return false;
  return undefined;
}

const bandOf = remembered(normaliseBand);
const staffGroupOf = remembered(normaliseStaffGroup);
const dateOf = remembered(parseDate);

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATE_FORMS = 'a date in the form DD/MM/YYYY, DD-MON-YYYY or YYYY-MM-DD';

/** Where a row's problems go, with the file's own column names. */
class RowContext {
  errors: RowError[] = [];
  constructor(
    public line: number,
    private columns: ColumnMap,
  ) {}
  fail(field: ImportField, message: string) {
    this.errors.push({ line: this.line, column: this.columns.header[field] ?? fieldSpecs[field].label, message });
  }
  cell(cells: string[], field: ImportField): string | null {
    const i = this.columns.index[field];
    if (i === undefined) return null;
    const v = cells[i];
    if (v === undefined) {
      // The line ended early: a line break inside a value that was not in double quotes, or a lost comma.
      if (fieldSpecs[field].required) {
        this.fail(
          field,
          `${fieldSpecs[field].label} is missing: the line has ${cells.length} values where the header row has ${this.columns.width} columns`,
        );
      }
      return null;
    }
    if (v === '') {
      if (fieldSpecs[field].required) this.fail(field, `${fieldSpecs[field].label} is missing`);
      return null;
    }
    const t = v.trim();
    if (t === '') {
      if (fieldSpecs[field].required) this.fail(field, `${fieldSpecs[field].label} is missing`);
      return null;
    }
    if (t.length > MAX_TEXT) {
      this.fail(field, `${fieldSpecs[field].label} is longer than ${MAX_TEXT} characters`);
      return null;
    }
    // PostgreSQL text cannot hold NUL; one usually means a spreadsheet or binary file renamed to .csv.
    if (t.includes('\u0000')) {
      this.fail(field, `${fieldSpecs[field].label} contains a NUL character: is this a text CSV file?`);
      return null;
    }
    // U+FFFD stands for bytes that were not UTF-8 in a file read as UTF-8 (src/text.ts): never a real name.
    if (t.includes('\uFFFD')) {
      this.fail(
        field,
        `${fieldSpecs[field].label} holds characters that could not be read: save the file as "CSV UTF-8" and try again`,
      );
      return null;
    }
    return t;
  }
}

/**
 * Check and normalise one data row. Everything that can be decided from the row alone is decided here;
 * rules across rows (duplicates, supervisors, cycles, email clashes) come later. Runs once per row of
 * files with 150,000 rows, so it is written as straight-line code without closures.
 */
export function checkRow(cells: string[], line: number, columns: ColumnMap): { row: StaffRow; errors: RowError[] } {
  const c = new RowContext(line, columns);
  const shifted = shiftedRow(cells, columns.width);
  if (shifted !== null) c.errors.push({ line, column: null, message: shifted });
  const assignment = c.cell(cells, 'assignment_number');
  let supervisor = c.cell(cells, 'supervisor');
  if (supervisor !== null && supervisor === assignment) {
    c.fail('supervisor', 'line-management cycle: the assignment is its own supervisor');
    supervisor = null;
  }
  let email = c.cell(cells, 'email');
  if (email !== null && !EMAIL.test(email)) {
    c.fail('email', `"${email}" is not an email address`);
    email = null;
  }
  const bandText = c.cell(cells, 'band');
  const band = bandText === null ? null : bandOf(bandText);
  if (bandText !== null && band === null) {
    c.fail('band', `"${bandText}" is not an Agenda for Change band (1 to 9, 8a to 8d, or VSM)`);
  }
  const groupText = c.cell(cells, 'staff_group');
  const staffGroup = groupText === null ? null : staffGroupOf(groupText);
  if (groupText !== null && staffGroup === null) {
    c.fail('staff_group', `"${groupText}" is not a staff group code (01 to 10) or name`);
  }
  const wteText = c.cell(cells, 'wte');
  const wte = wteText === null ? null : parseWte(wteText);
  if (wteText !== null && wte === null) {
    c.fail('wte', `"${wteText}" is not a whole-time equivalent between 0 and 1.5`);
  }
  const startText = c.cell(cells, 'start_date');
  const start = startText === null ? null : dateOf(startText);
  if (startText !== null && start === null) c.fail('start_date', `"${startText}" is not ${DATE_FORMS}`);
  const endText = c.cell(cells, 'end_date');
  let end = endText === null ? null : dateOf(endText);
  if (endText !== null && end === null) c.fail('end_date', `"${endText}" is not ${DATE_FORMS}`);
  if (start !== null && end !== null && end < start) {
    c.fail('end_date', `the assignment ends (${end}) before it starts (${start})`);
    end = null;
  }
  const flagText = c.cell(cells, 'manager_flag');
  const flag = flagText === null ? null : parseFlag(flagText);
  if (flagText !== null && flag === undefined) c.fail('manager_flag', `"${flagText}" is not Y or N`);
  const team = c.cell(cells, 'team');
  const costCentre = c.cell(cells, 'cost_centre');
  const row: StaffRow = {
    line,
    assignment_number: assignment,
    staff_number: c.cell(cells, 'staff_number'),
    given_name: c.cell(cells, 'given_name'),
    family_name: c.cell(cells, 'family_name'),
    email,
    position_title: c.cell(cells, 'position_title'),
    // A file with cost centres but no team names still groups people: the cost centre names the team.
    team: team ?? costCentre,
    cost_centre: costCentre,
    staff_group: staffGroup,
    occupation_code: c.cell(cells, 'occupation_code'),
    band,
    wte,
    supervisor,
    start_date: start,
    end_date: end,
    ethnicity: c.cell(cells, 'ethnicity'),
    disability: c.cell(cells, 'disability'),
    sex: c.cell(cells, 'sex'),
    age_band: c.cell(cells, 'age_band'),
    manager_flag: flag ?? null,
    valid: false,
  };
  row.valid = c.errors.length === 0;
  return { row, errors: c.errors };
}
