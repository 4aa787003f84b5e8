import { type CsvRow as Row, readCsv } from '../../csv.ts';
import { odsTitleCase } from './names.ts';

/**
 * Reading ODS files into plain records, with every bad row reported by line number. Pure: no database.
 * Kinds: `etr` (NHS trusts), `eccg` (sub-ICB locations), `icb` (the ONS ICB names file, with a header)
 * and `regions` (our reference/ods/regions.csv, header `code,name`).
 */

export const odsFileKinds = ['etr', 'eccg', 'icb', 'regions'] as const;
export type OdsFileKind = (typeof odsFileKinds)[number];

export type OdsLayout = 'current' | 'older' | 'header';

/** Column counts of the headerless ODS layouts: 27 quoted columns now, 24 unquoted in older releases. */
export const LAYOUT_COLUMNS = { current: 27, older: 24 } as const;

export interface OdsRecord {
  line: number;
  code: string;
  name: string;
  kind: 'region' | 'icb' | 'sub_icb' | 'trust';
  /** Column 3 when it is an NHS England region code (Yxx); Welsh and other groupings are not regions. */
  regionCode: string | null;
  /** Column 4, the high-level health geography (normally the ICB, Qxx) as written in the file. */
  geographyCode: string | null;
  onsCode: string | null;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  openedOn: string | null;
  closedOn: string | null;
}

export interface OdsRowError {
  file: string;
  line: number;
  message: string;
}

export interface ParsedOdsFile {
  file: string;
  kind: OdsFileKind;
  layout: OdsLayout;
  records: OdsRecord[];
  errors: OdsRowError[];
}

/** Rows of CSV text with the line each starts on (the shared reader every import uses). */
export const csvRows = readCsv;

/** ODS dates are YYYYMMDD; the database wants YYYY-MM-DD. Returns undefined when not a real date. */
export function odsDate(value: string): string | null | undefined {
  if (value === '') return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

const CODE = /^[A-Z0-9]{2,12}$/;
const COMMISSIONER_NAME = /\b(CCG|ICB|SUB-ICB|CLINICAL COMMISSIONING GROUP|INTEGRATED CARE BOARD)\b/i;

/** Headerless files: trusts and sub-ICB locations share a layout, so tell them apart by their names. */
export function guessHeaderlessKind(rows: Row[]): 'etr' | 'eccg' | undefined {
  const named = rows.filter((r) => r.cells.length > 1);
  if (named.length === 0) return undefined;
  const commissioners = named.filter((r) => COMMISSIONER_NAME.test(r.cells[1])).length;
  const trusts = named.filter((r) => /\bTRUST\b/i.test(r.cells[1])).length;
  if (commissioners > named.length / 2) return 'eccg';
  if (trusts > named.length / 2) return 'etr';
  return undefined;
}

function headerKind(first: string[]): 'icb' | 'regions' | undefined {
  if (/^ICB\d{2}CD$/i.test(first[0] ?? '')) return 'icb';
  if (first[0]?.toLowerCase() === 'code' && first[1]?.toLowerCase() === 'name') return 'regions';
  return undefined;
}

export function parseOdsFile(text: string, opts: { file: string; kind?: OdsFileKind }): ParsedOdsFile {
  const { file } = opts;
  const rows = csvRows(text);
  const fail = (line: number, message: string): ParsedOdsFile => ({
    file,
    kind: opts.kind ?? 'etr',
    layout: 'current',
    records: [],
    errors: [{ file, line, message }],
  });
  if (rows.length === 0) return fail(1, 'the file is empty');
  const kind = opts.kind ?? headerKind(rows[0].cells) ?? guessHeaderlessKind(rows);
  if (!kind) {
    return fail(
      rows[0].line,
      'cannot tell what kind of ODS file this is: give --kind etr (trusts), eccg (sub-ICB locations), icb or regions',
    );
  }
  const parsed =
    kind === 'icb' || kind === 'regions' ? parseWithHeader(rows, file, kind) : parseHeaderless(rows, file, kind);
  rejectDuplicates(parsed);
  return parsed;
}

function rejectDuplicates(parsed: ParsedOdsFile) {
  const seen = new Map<string, number>();
  for (const r of parsed.records) {
    const earlier = seen.get(r.code);
    if (earlier !== undefined) {
      parsed.errors.push({
        file: parsed.file,
        line: r.line,
        message: `code ${r.code} already appears on line ${earlier}`,
      });
    } else seen.set(r.code, r.line);
  }
  parsed.errors.sort((a, b) => a.line - b.line);
}

function checkCodeAndName(code: string, name: string, codeCol: number, nameCol: number): string | undefined {
  if (!code) return `the organisation code (column ${codeCol}) is empty`;
  if (!CODE.test(code)) return `the organisation code (column ${codeCol}) "${code}" is not an ODS code`;
  if (!name) return `the name (column ${nameCol}) is empty`;
  return undefined;
}

function parseWithHeader(rows: Row[], file: string, kind: 'icb' | 'regions'): ParsedOdsFile {
  const out: ParsedOdsFile = { file, kind, layout: 'header', records: [], errors: [] };
  const [header, ...data] = rows;
  const find = (re: RegExp) => header.cells.findIndex((h) => re.test(h));
  const cols =
    kind === 'icb'
      ? { code: find(/^ICB\d{2}CDH$/i), name: find(/^ICB\d{2}NM$/i), ons: find(/^ICB\d{2}CD$/i) }
      : { code: find(/^code$/i), name: find(/^name$/i), ons: -1 };
  if (cols.code < 0 || cols.name < 0) {
    const expected = kind === 'icb' ? 'ICByyCD,ICByyCDH,ICByyNM' : 'code,name';
    out.errors.push({ file, line: header.line, message: `expected a header row with the columns ${expected}` });
    return out;
  }
  for (const row of data) {
    if (row.cells.length !== header.cells.length) {
      out.errors.push({
        file,
        line: row.line,
        message: `expected ${header.cells.length} columns as in the header, found ${row.cells.length}`,
      });
      continue;
    }
    const code = row.cells[cols.code].toUpperCase();
    const name = row.cells[cols.name];
    const problem = checkCodeAndName(code, name, cols.code + 1, cols.name + 1);
    if (problem) {
      out.errors.push({ file, line: row.line, message: problem });
      continue;
    }
    out.records.push({
      line: row.line,
      code,
      name: odsTitleCase(name),
      kind: kind === 'icb' ? 'icb' : 'region',
      regionCode: null,
      geographyCode: null,
      onsCode: cols.ons >= 0 ? row.cells[cols.ons] || null : null,
      address: null,
      postcode: null,
      phone: null,
      openedOn: null,
      closedOn: null,
    });
  }
  return out;
}

/** The file's layout is its usual column count; any row with another count is reported. */
function layoutOf(rows: Row[]): 'current' | 'older' | undefined {
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1);
  const [usual] = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (usual === LAYOUT_COLUMNS.current) return 'current';
  if (usual === LAYOUT_COLUMNS.older) return 'older';
  return undefined;
}

function parseHeaderless(rows: Row[], file: string, kind: 'etr' | 'eccg'): ParsedOdsFile {
  const layout = layoutOf(rows);
  const out: ParsedOdsFile = { file, kind, layout: layout ?? 'current', records: [], errors: [] };
  if (!layout) {
    out.errors.push({
      file,
      line: rows[0].line,
      message: `found ${rows[0].cells.length} columns: ODS files have ${LAYOUT_COLUMNS.current} (current layout) or ${LAYOUT_COLUMNS.older} (older layout)`,
    });
    return out;
  }
  const expected = LAYOUT_COLUMNS[layout];
  for (const row of rows) {
    const c = row.cells;
    if (c.length !== expected) {
      out.errors.push({ file, line: row.line, message: `expected ${expected} columns, found ${c.length}` });
      continue;
    }
    const code = c[0].toUpperCase();
    const problem = checkCodeAndName(code, c[1], 1, 2);
    const openedOn = odsDate(c[10]);
    const closedOn = odsDate(c[11]);
    const dateProblem =
      openedOn === undefined
        ? `the open date (column 11) "${c[10]}" is not a date in the form YYYYMMDD`
        : closedOn === undefined
          ? `the close date (column 12) "${c[11]}" is not a date in the form YYYYMMDD`
          : undefined;
    if (problem || dateProblem) {
      out.errors.push({ file, line: row.line, message: (problem ?? dateProblem)! });
      continue;
    }
    const address = c
      .slice(4, 9)
      .filter((l) => l !== '')
      .map(odsTitleCase)
      .join(', ');
    out.records.push({
      line: row.line,
      code,
      name: odsTitleCase(c[1]),
      kind: kind === 'etr' ? 'trust' : 'sub_icb',
      regionCode: /^Y\d{2}$/i.test(c[2]) ? c[2].toUpperCase() : null,
      geographyCode: c[3] ? c[3].toUpperCase() : null,
      onsCode: null,
      address: address || null,
      postcode: c[9] ? c[9].toUpperCase() : null,
      phone: c[17] || null,
      openedOn: openedOn ?? null,
      closedOn: closedOn ?? null,
    });
  }
  return out;
}
