import { csvLine, readCsv } from '../../csv.ts';
import type { ItemRow, ReturnRow } from './queries.ts';
import { normaliseItemName } from './register.ts';
import { MAX_ITEMS_PER_RETURN } from './schemas.ts';

/**
 * The register as files, pure: CSV (one row per return, data item names joined by " | ") and JSON
 * (returns with their data items' definitions and units). Reading keeps the line each return starts
 * on, so that every problem can be reported by line.
 */

export const registerColumns = [
  'name',
  'requesting_body',
  'legal_basis',
  'mandatory',
  'approval_ref',
  'frequency',
  'ad_hoc_cycles',
  'deadline_rule',
  'submission_route',
  'start_date',
  'sunset_date',
  'scope',
  'scope_org_code',
  'owner_org_code',
  'data_items',
] as const;

const requiredColumns = [
  'name',
  'requesting_body',
  'legal_basis',
  'mandatory',
  'frequency',
  'deadline_rule',
  'submission_route',
  'start_date',
  'scope',
];

export const JSON_FORMAT = 'leadwell-burden-register';
const ITEM_SEPARATOR = '|';

export interface RawItem {
  name: string;
  definition?: string | null;
  unit?: string | null;
}

export interface RawReturn {
  line: number;
  fields: Record<string, unknown>;
  items: RawItem[];
}

export interface LineError {
  line: number;
  message: string;
}

export interface ParsedRegister {
  records: RawReturn[];
  errors: LineError[];
}

/** CSV, unless the text starts like JSON or the file is named *.json. */
export function detectFormat(text: string, filename = ''): 'csv' | 'json' {
  if (/\.json$/i.test(filename)) return 'json';
  if (/\.csv$/i.test(filename)) return 'csv';
  return /^\s*[[{]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'csv';
}

export function parseRegister(text: string, format: 'csv' | 'json'): ParsedRegister {
  return format === 'json' ? parseJson(text) : parseCsv(text);
}

function checkItems(items: RawItem[], line: number, errors: LineError[]): RawItem[] {
  const out = items.map((i) => ({ ...i, name: i.name.trim().replace(/\s+/g, ' ') })).filter((i) => i.name !== '');
  if (out.length > MAX_ITEMS_PER_RETURN) {
    errors.push({ line, message: `data_items: a return may list up to ${MAX_ITEMS_PER_RETURN} data items` });
  }
  const blank = out.find((i) => normaliseItemName(i.name) === '');
  if (blank) errors.push({ line, message: `data_items: “${blank.name}” has no letters or numbers` });
  const piped = out.find((i) => i.name.includes(ITEM_SEPARATOR));
  if (piped)
    errors.push({ line, message: `data_items: “${piped.name.slice(0, 40)}” contains “|”, which separates items` });
  const long = out.find((i) => i.name.length > 200 || (i.definition ?? '').length > 2000 || (i.unit ?? '').length > 50);
  if (long) {
    errors.push({
      line,
      message: `data_items: “${long.name.slice(0, 40)}” is too long (names up to 200 characters, definitions 2,000, units 50)`,
    });
  }
  return out;
}

function parseCsv(text: string): ParsedRegister {
  const rows = readCsv(text);
  const errors: LineError[] = [];
  if (rows.length === 0) return { records: [], errors: [{ line: 1, message: 'the file is empty' }] };
  const [header, ...data] = rows;
  const names = header.cells.map((c) => c.toLowerCase());
  const unknown = names.filter((n) => !(registerColumns as readonly string[]).includes(n));
  const missing = requiredColumns.filter((c) => !names.includes(c));
  if (unknown.length || missing.length) {
    const parts = [
      missing.length ? `missing column(s) ${missing.join(', ')}` : '',
      unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    return {
      records: [],
      errors: [
        {
          line: header.line,
          message: `the header row has ${parts.join(' and ')}; expected ${registerColumns.join(',')}`,
        },
      ],
    };
  }
  if (data.length === 0) return { records: [], errors: [{ line: header.line, message: 'the file has no returns' }] };
  const records: RawReturn[] = [];
  for (const row of data) {
    if (row.cells.length !== names.length) {
      errors.push({
        line: row.line,
        message: `expected ${names.length} columns as in the header, found ${row.cells.length}`,
      });
      continue;
    }
    const fields: Record<string, unknown> = {};
    names.forEach((n, i) => {
      // Undo the apostrophe our exports put before text a spreadsheet would read as a formula.
      fields[n] = row.cells[i].replace(/^'(?=[=+\-@])/, '');
    });
    const itemText = String(fields.data_items ?? '');
    delete fields.data_items;
    const items = checkItems(
      itemText.split(ITEM_SEPARATOR).map((name) => ({ name })),
      row.line,
      errors,
    );
    records.push({ line: row.line, fields, items });
  }
  return { records, errors };
}

/** The line on which each element of the returns array starts (the top-level array, or "returns"). */
export function returnLines(text: string): number[] {
  const lines: number[] = [];
  const stack: { kind: string; target: boolean }[] = [];
  let line = 1;
  let inString = false;
  let escaped = false;
  let current = '';
  let lastString: string | null = null;
  let lastKey: string | null = null;
  let expecting = false;
  for (const c of text) {
    if (c === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        lastString = current;
      } else current += c;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top?.target && expecting && !/[\s,\]]/.test(c)) {
      lines.push(line);
      expecting = false;
    }
    if (c === '"') {
      inString = true;
      current = '';
    } else if (c === ':') {
      if (stack.length === 1 && top.kind === '{') lastKey = lastString;
    } else if (c === '{' || c === '[') {
      const target =
        c === '[' && (stack.length === 0 || (stack.length === 1 && stack[0].kind === '{' && lastKey === 'returns'));
      stack.push({ kind: c, target });
      if (target) expecting = true;
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top?.target) {
      expecting = true;
    }
  }
  return lines;
}

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

const returnKeys = new Set<string>([...registerColumns]);

function parseJson(text: string): ParsedRegister {
  const body = text.replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    const line = pos ? lineAt(body, Number(pos[1])) : 1;
    return { records: [], errors: [{ line, message: `the file is not valid JSON: ${(err as Error).message}` }] };
  }
  const list = Array.isArray(doc) ? doc : (doc as { returns?: unknown } | null)?.returns;
  if (!Array.isArray(list)) {
    return {
      records: [],
      errors: [{ line: 1, message: 'expected an object with a "returns" array, or an array of returns' }],
    };
  }
  if (list.length === 0) return { records: [], errors: [{ line: 1, message: 'the file has no returns' }] };
  const starts = returnLines(body);
  const errors: LineError[] = [];
  const records: RawReturn[] = [];
  list.forEach((entry, index) => {
    const line = starts[index] ?? 1;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.push({ line, message: `return ${index + 1} is not an object` });
      return;
    }
    const { data_items: rawItems, ...fields } = entry as Record<string, unknown>;
    const unknown = Object.keys(fields).filter((k) => !returnKeys.has(k));
    if (unknown.length) {
      errors.push({ line, message: `unknown field(s) ${unknown.join(', ')}` });
      return;
    }
    if (rawItems !== undefined && rawItems !== null && !Array.isArray(rawItems)) {
      errors.push({ line, message: 'data_items must be a list' });
      return;
    }
    const items: RawItem[] = [];
    for (const i of (rawItems as unknown[] | undefined) ?? []) {
      if (typeof i === 'string') items.push({ name: i });
      else if (i && typeof i === 'object' && typeof (i as RawItem).name === 'string') {
        const { name, definition, unit } = i as Record<string, unknown>;
        items.push({
          name: name as string,
          definition: typeof definition === 'string' && definition.trim() ? definition.trim() : null,
          unit: typeof unit === 'string' && unit.trim() ? unit.trim() : null,
        });
      } else {
        errors.push({ line, message: 'data_items: each item must be a name or an object with a name' });
        return;
      }
    }
    records.push({ line, fields, items: checkItems(items, line, errors) });
  });
  return { records, errors };
}

export interface ExportReturn extends ReturnRow {
  items: ItemRow[];
}

function exportFields(r: ExportReturn) {
  return {
    name: r.name,
    requesting_body: r.requesting_body,
    legal_basis: r.legal_basis,
    mandatory: r.mandatory,
    approval_ref: r.approval_ref,
    frequency: r.frequency,
    ad_hoc_cycles: r.ad_hoc_cycles,
    deadline_rule: r.deadline_rule,
    submission_route: r.submission_route,
    start_date: r.start_date,
    sunset_date: r.sunset_date,
    scope: r.scope,
    scope_org_code: r.scope_org_code,
    owner_org_code: r.owner_org_code,
  };
}

export function registerCsv(returns: ExportReturn[]): string {
  const lines = [registerColumns.join(',')];
  for (const r of returns) {
    const f: Record<string, unknown> = { ...exportFields(r), mandatory: r.mandatory ? 'yes' : 'no' };
    f.data_items = r.items.map((i) => i.name).join(` ${ITEM_SEPARATOR} `);
    lines.push(csvLine(registerColumns.map((c) => f[c])));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function registerJson(returns: ExportReturn[], exportedAt: Date): string {
  return `${JSON.stringify(
    {
      format: JSON_FORMAT,
      version: 1,
      exported_at: exportedAt.toISOString(),
      returns: returns.map((r) => ({
        ...exportFields(r),
        data_items: r.items.map((i) => ({ name: i.name, definition: i.definition, unit: i.unit })),
      })),
    },
    null,
    2,
  )}\n`;
}
