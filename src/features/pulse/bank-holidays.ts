import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../../csv.ts';

// The bank holidays of England and Wales, shipped as dated reference data (reference/bank-holidays/README.md:
// public facts from GOV.UK). Read once when the module loads; a bad row stops the process starting rather than
// silently counting a holiday as a working day.

const here = path.dirname(fileURLToPath(import.meta.url));
export const bundledBankHolidays = path.resolve(here, '../../../reference/bank-holidays/england-and-wales.csv');

export function parseBankHolidays(text: string): { days: Set<string>; until: string } {
  const days = new Set<string>();
  for (const row of readCsv(text)) {
    const date = row.cells[0] ?? '';
    if (row.line === 1 && date === 'date') continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new Error(`Bank holidays, line ${row.line}: "${date}" is not a date like 2026-12-25`);
    }
    days.add(date);
  }
  const last = [...days].sort().pop();
  return { days, until: last ? `${last.slice(0, 4)}-12-31` : '0000-12-31' };
}

const loaded = parseBankHolidays(readFileSync(bundledBankHolidays, 'utf8'));

export const bankHolidays: ReadonlySet<string> = loaded.days;
/** The last day the list covers (the end of its last year). */
export const bankHolidaysUntil = loaded.until;
