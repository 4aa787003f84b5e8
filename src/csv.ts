import Papa from 'papaparse';

/** CSV for every import and export: rows with the line each starts on, and values written safely for spreadsheets. */

export interface CsvRow {
  line: number;
  cells: string[];
}

/** What papaparse could not read cleanly (a stray or unclosed quote), on the line its row starts on. */
export interface CsvMalformed {
  line: number;
  message: string;
}

/**
 * Rows of a CSV text (papaparse), blank rows dropped, each with the line of the file it starts on. Papaparse
 * still returns a row it could not read cleanly; an import that must refuse such rows passes `onMalformed`.
 */
export function readCsv(text: string, onMalformed?: (problem: CsvMalformed) => void): CsvRow[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let line = 1;
  let consumed = 0;
  Papa.parse<string[]>(body, {
    delimiter: ',',
    step: (result) => {
      if (onMalformed) for (const e of result.errors) onMalformed({ line, message: e.message });
      const cells = result.data.map((c) => c.trim());
      if (cells.some((c) => c !== '')) rows.push({ line, cells });
      // Count the line breaks in the text the row took, not in its values: a quoted field may hold some, and
      // papaparse drops what stands between a closing quote and the delimiter.
      const end = result.meta.cursor;
      for (let i = consumed; i < end; i++) {
        const c = body.charCodeAt(i);
        if (c === 10 || (c === 13 && body.charCodeAt(i + 1) !== 10)) line++;
      }
      consumed = end;
    },
  });
  return rows;
}

// Months by name, as Oracle (and so ESR's interface files) writes dates: 01-APR-2024.
const MONTHS = new Map(
  [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
  ]
    .flatMap((name, i) => [[name, i + 1] as const, [name.slice(0, 3), i + 1] as const])
    .concat([['sept', 9]]),
);

/**
 * A date as the files Leadwell imports write it, as YYYY-MM-DD; null when it is none or not a real calendar date.
 * DD/MM/YYYY (UK spreadsheets, ESR's reports), DD-MON-YYYY (Oracle's form in ESR's interface files: 01-APR-2024,
 * any case, the month short or whole, dashes or spaces) and YYYY-MM-DD. Two-digit years are refused: "01/04/24"
 * could be 1924 or 2024.
 */
export function fileDate(text: string): string | null {
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const named = dmy ? null : /^(\d{1,2})[- ]([A-Za-z]{3,9})[- ](\d{4})$/.exec(text);
  const iso = dmy || named ? null : /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  let y: number;
  let m: number;
  let d: number;
  if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (named) [d, m, y] = [Number(named[1]), MONTHS.get(named[2].toLowerCase()) ?? 0, Number(named[3])];
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return null;
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Why a row with more values than the header has columns cannot be read, or null when it can. An unquoted comma
 * ("Nurse, Band 5") splits one value in two and moves every later value into the next column; when the values
 * it pushes out are empty, the row looks like one with trailing commas, so any value beyond the header counts.
 */
export function shiftedRow(cells: readonly string[], width: number): string | null {
  if (cells.length <= width) return null;
  const extraEmpty = cells.slice(width).every((c) => c.trim() === '');
  return `the line has ${cells.length} values where the header row has ${width} columns: ${
    extraEmpty ? 'remove the commas after its last value, and put ' : 'put '
  }any value with a comma in it in double quotes`;
}

/**
 * One CSV field. Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with
 * an apostrophe, so that an export opened in Excel cannot execute anything.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',');
}
