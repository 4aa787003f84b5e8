import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import './nunjucks-frame.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** nhsuk-frontend's `dist` folder: its templates are `nhsuk/...` and its assets `nhsuk/assets`. */
export const nhsukDist = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');
export const nhsukAssets = path.join(nhsukDist, 'nhsuk', 'assets');
export const nhsukBundle = path.join(nhsukDist, 'nhsuk');

/**
 * The one nunjucks environment: our views (src/web/views and each feature's views via `features/<name>/...`)
 * plus nhsuk-frontend's macros.
 */
export function createNunjucks(opts: { watch?: boolean } = {}) {
  const srcDir = path.resolve(here, '..');
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([path.join(here, 'views'), srcDir, nhsukDist], {
      noCache: opts.watch ?? false,
      watch: false,
    }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter('date', (value: unknown, style: 'short' | 'long' = 'long') => formatDate(value, style));
  env.addFilter('number', (value: unknown) =>
    typeof value === 'number' ? formatCount(value) : value == null ? '' : String(value),
  );
  env.addGlobal('withQuery', (base: string, query: Record<string, unknown>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    const s = params.toString();
    return s ? `${base}?${s}` : base;
  });
  return env;
}

export type Nunjucks = ReturnType<typeof createNunjucks>;

// One formatter for every page: toLocaleString builds a new one on each call, which showed in page render times.
const numberFormat = new Intl.NumberFormat('en-GB');

/**
 * A number as the pages show it (12,345; 0.5). Whole numbers, nearly all of them counts, are grouped here in
 * plain code: Intl's format costs about a microsecond a call, and a national table shows thousands of counts.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return numberFormat.format(n);
  const digits = String(n < 0 ? -n : n);
  if (digits.length <= 3) return n < 0 ? `-${digits}` : digits;
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Dates in the NHS style: 26 November 2026 (long) or 26 Nov 2026 (short); timestamps add the time. */
export function formatDate(value: unknown, style: 'short' | 'long' = 'long'): string {
  if (value == null || value === '') return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    const month = months[m - 1];
    return `${d} ${style === 'short' ? month.slice(0, 3) : month} ${y}`;
  }
  const dt = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(dt.getTime())) return String(value);
  const month = months[dt.getUTCMonth()];
  const hh = String(dt.getUTCHours()).padStart(2, '0');
  const mm = String(dt.getUTCMinutes()).padStart(2, '0');
  return `${dt.getUTCDate()} ${style === 'short' ? month.slice(0, 3) : month} ${dt.getUTCFullYear()}, ${hh}:${mm} UTC`;
}
