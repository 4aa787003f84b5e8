import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../../csv.ts';
import type { Database } from '../../db/database.ts';
import type { PayScale } from './burden.ts';
import { hasPayScales, upsertPayScales } from './effort-queries.ts';
import { isIsoDate } from './schemas.ts';

/** Pay scales from reference/pay/*.csv: checked whole (every bad line reported), then loaded in one go. */

const here = path.dirname(fileURLToPath(import.meta.url));
export const bundledPayScales = path.resolve(here, '../../../reference/pay/afc-2025-26.csv');

const columns = ['scale', 'band', 'valid_from', 'valid_to', 'annual_min', 'annual_max', 'on_cost_percent', 'source'];
const BAND = /^([1-9]|8[a-d]|VSM|Medical|Other)$/;

export type ScaleRow = PayScale & { source: string };

export function parsePayScales(text: string): { scales: ScaleRow[]; errors: { line: number; message: string }[] } {
  const rows = readCsv(text);
  const errors: { line: number; message: string }[] = [];
  const scales: ScaleRow[] = [];
  if (rows.length === 0) return { scales, errors: [{ line: 1, message: 'the file is empty' }] };
  const header = rows[0].cells.map((c) => c.toLowerCase());
  const col = Object.fromEntries(columns.map((c) => [c, header.indexOf(c)]));
  const missing = columns.filter((c) => col[c] < 0 && c !== 'valid_to');
  if (missing.length) {
    return { scales, errors: [{ line: rows[0].line, message: `the header has no column ${missing.join(', ')}` }] };
  }
  const seen = new Map<string, number>();
  for (const row of rows.slice(1)) {
    const get = (c: string) => (col[c] >= 0 ? (row.cells[col[c]] ?? '') : '');
    const fail = (message: string) => errors.push({ line: row.line, message });
    const [min, max, onCost] = [Number(get('annual_min')), Number(get('annual_max')), Number(get('on_cost_percent'))];
    const validTo = get('valid_to') || null;
    if (!get('scale')) fail('scale is empty');
    else if (!BAND.test(get('band'))) fail(`band "${get('band')}" is not an Agenda for Change band (2 to 9, 8a to 8d)`);
    else if (!isIsoDate(get('valid_from'))) fail('valid_from must be a date written YYYY-MM-DD');
    else if (validTo !== null && !isIsoDate(validTo)) fail('valid_to must be blank or a date written YYYY-MM-DD');
    else if (validTo !== null && validTo < get('valid_from')) fail('valid_to is before valid_from');
    else if (!(min > 0) || !(max >= min))
      fail('annual_min and annual_max must be amounts with annual_min ≤ annual_max');
    else if (!(onCost >= 0 && onCost < 100)) fail('on_cost_percent must be a percentage from 0 to under 100');
    else if (!get('source')) fail('source is empty: say where the figures come from');
    else {
      const key = `${get('band')} ${get('valid_from')}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) fail(`band ${get('band')} from ${get('valid_from')} is already on line ${earlier}`);
      else {
        seen.set(key, row.line);
        scales.push({
          scale: get('scale'),
          band: get('band'),
          validFrom: get('valid_from'),
          validTo,
          annualMin: min,
          annualMax: max,
          onCostPercent: onCost,
          source: get('source'),
        });
      }
    }
  }
  return { scales, errors };
}

/** Load a pay scale file; nothing is written if any line is wrong. */
export async function loadPayScales(db: Database, file = bundledPayScales) {
  const parsed = parsePayScales(await readFile(file, 'utf8'));
  if (parsed.errors.length) return { ok: false as const, errors: parsed.errors };
  const written = await db.transaction().execute((trx) => upsertPayScales(trx, parsed.scales));
  return { ok: true as const, written };
}

/** At first start: load the bundled scale when no pay scale has been loaded yet. Returns what it did. */
export async function ensurePayScales(db: Database): Promise<string | undefined> {
  if (await hasPayScales(db)) return undefined;
  const result = await loadPayScales(db);
  if (!result.ok) {
    const first = result.errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`);
    throw new Error(`The bundled pay scale file is not valid:\n${first.join('\n')}`);
  }
  return `Loaded ${result.written} Agenda for Change pay scale rows from the bundled file.`;
}
