import Papa from 'papaparse';

/** CSV for every import and export: rows with the line each starts on, and values written safely for spreadsheets. */

export interface CsvRow {
  line: number;
  cells: string[];
}

/** Rows of a CSV text (papaparse), blank rows dropped, each with the line of the file it starts on. */
export function readCsv(text: string): CsvRow[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let line = 1;
  Papa.parse<string[]>(body, {
    delimiter: ',',
    step: (result) => {
      const cells = result.data.map((c) => c.trim());
      if (cells.some((c) => c !== '')) rows.push({ line, cells });
      // A quoted field may hold line breaks: the next row starts that many lines further on.
      line += 1 + result.data.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
    },
  });
  return rows;
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
