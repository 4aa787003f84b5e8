import { type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import { decodeText, type TextEncoding } from '../../text.ts';
import { CrossRowChecks } from './import-checks.ts';
import { type ColumnMap, importFields, type MappingEntry, resolveColumns } from './import-mapping.ts';
import { checkRow, type RowError, type StaffRow } from './import-values.ts';

/** Columns of the staging table, in the order rows are written to COPY. */
export const stagingColumns = ['line', ...importFields, 'valid'] as const satisfies readonly (keyof StaffRow)[];

/** A header row found this far down (a title and a blank line or two above it) is pointed out. */
const HEADER_SEARCH = 10;

/** Keep at most this many error details in memory; the count goes on. */
export const MAX_KEPT_ERRORS = 10_000;

export class ErrorList {
  items: RowError[] = [];
  count = 0;
  push(...errors: RowError[]) {
    for (const e of errors) {
      this.count++;
      if (this.items.length < MAX_KEPT_ERRORS) this.items.push(e);
    }
  }
}

// PostgreSQL COPY text format: tab-separated, \N for null, backslash escapes.
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyField(v: string | number | boolean | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : v;
}

export function copyLine(row: StaffRow): string {
  let out = '';
  for (let i = 0; i < stagingColumns.length; i++) {
    if (i > 0) out += '\t';
    out += copyField(row[stagingColumns[i]]);
  }
  return `${out}\n`;
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

export interface LoadedFile {
  columns: ColumnMap | null;
  /** Data rows read (blank lines are skipped). */
  rows: number;
  errors: ErrorList;
  checks: CrossRowChecks | null;
  /** Each distinct (team, cost centre) pair of the file (usually a few hundred): teams need no pass over the rows. */
  teams: TeamPairs;
  /** How the file's bytes were read as text (src/text.ts). */
  encoding: TextEncoding;
}

export interface TeamPairs {
  names: string[];
  costCentres: (string | null)[];
}

/**
 * Stream a CSV file into `sink` (a COPY … FROM STDIN stream) as checked staging rows, checking each row
 * as it passes. Nothing is held but the cross-row index, so memory stays flat however long the file.
 * A header that cannot be mapped stops the checks, but the rest of the file is still read to the end
 * (an upload must be consumed before the request can be answered).
 */
export async function loadStaffFile(
  source: Readable,
  mapping: MappingEntry[],
  sink: Writable,
  onRows?: (rows: number) => void,
): Promise<LoadedFile> {
  const result: LoadedFile = {
    columns: null,
    rows: 0,
    errors: new ErrorList(),
    checks: null,
    teams: { names: [], costCentres: [] },
    encoding: 'utf-8',
  };
  const teamPairs = new Set<string>();
  let line = 0;
  let stopped = false;
  // The first line's problems when it is not a header row, held while the next few lines are looked at: a
  // report exported with a title above its column names is told so, rather than that every column is missing.
  const header = { problems: null as string[] | null, foundOn: 0 };
  let buffer = '';
  const encode = new Transform({
    writableObjectMode: true,
    transform(cells: string[], _encoding, done) {
      line++;
      if (stopped) {
        const looking = header.problems !== null && header.foundOn === 0 && line <= HEADER_SEARCH;
        if (looking && resolveColumns(cells, mapping).errors.length === 0) {
          header.foundOn = line;
          header.problems = [
            `the column names must be on the first line, and they are on line ${line}: delete the ${line - 1 === 1 ? 'line' : `${line - 1} lines`} above them (a report's title, for example) and try again`,
          ];
        }
        return done();
      }
      if (line === 1) {
        if (cells.length > 0) cells[0] = cells[0].replace(/^\uFEFF/, '');
        const { columns, errors } = resolveColumns(cells, mapping);
        if (errors.length) {
          stopped = true;
          header.problems = errors;
        } else {
          result.columns = columns;
          result.checks = new CrossRowChecks(columns);
        }
        return done();
      }
      if (isBlank(cells)) return done();
      const { row, errors } = checkRow(cells, line, result.columns!);
      const crossErrors = result.checks!.add(row);
      if (errors.length > 0) result.errors.push(...errors);
      if (crossErrors !== null) {
        row.valid = false;
        result.errors.push(...crossErrors);
      }
      result.rows++;
      if (row.team !== null) {
        // Cells are trimmed and never hold a NUL (checkRow refuses one), so the key is unambiguous.
        const key = row.cost_centre === null ? row.team : `${row.team}\u0000${row.cost_centre}`;
        if (!teamPairs.has(key)) {
          teamPairs.add(key);
          result.teams.names.push(row.team);
          result.teams.costCentres.push(row.cost_centre);
        }
      }
      buffer += copyLine(row);
      if (buffer.length >= 1 << 16) {
        this.push(buffer);
        buffer = '';
      }
      if (onRows && result.rows % 2000 === 0) onRows(result.rows);
      done();
    },
    flush(done) {
      if (buffer) this.push(buffer);
      done();
    },
  });
  // Bytes become text before papaparse sees them: given bytes, it decodes each chunk on its own and breaks the
  // characters split between chunks ("Zoë" became "Zo��" at a 64 KB boundary).
  const decode = decodeText();
  await pipeline(source, decode, Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: false }), encode, sink);
  result.encoding = decode.encoding();
  if (header.problems) result.errors.push(...header.problems.map((message) => ({ line: 1, column: null, message })));
  if (line === 0) result.errors.push({ line: 1, column: null, message: 'the file is empty' });
  else if (!stopped && result.rows === 0) {
    result.errors.push({ line: 2, column: null, message: 'the file has a header row but no staff' });
  }
  onRows?.(result.rows);
  return result;
}
