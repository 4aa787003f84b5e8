import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csvLine } from '../../csv.ts';
import { notFound } from '../../web/http.ts';

// One formatter for every cell: toLocaleString with options builds a new Intl.NumberFormat on each call, which
// was most of the England thicket page's time (hundreds of cells at ~50 µs each).
export const oneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

// Every table on the workload pages is built once as data: the page renders it (views/_tables.njk) and the same
// data is offered as CSV and JSON downloads, so the download always holds exactly the figures shown.

export interface Column {
  key: string;
  label: string;
  numeric?: boolean;
}

export type Cell = string | number | boolean | null;

export interface DataTable {
  /** Used in the download address: `<page>/tables/<id>.csv`. */
  id: string;
  caption: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** Optional link for the first cell of each row (same order as rows). */
  hrefs?: (string | undefined)[];
  /** Shown in place of cells: how to read "*" or blanks. */
  note?: string;
}

/** Cells as the page shows them: numbers with separators, null as "Not available". */
export function shown(t: DataTable) {
  return {
    ...t,
    body: t.rows.map((r, i) => ({
      href: t.hrefs?.[i],
      cells: t.columns.map((c) => ({ numeric: c.numeric ?? false, text: cellText(r[c.key]) })),
    })),
  };
}

export function cellText(v: Cell | undefined): string {
  if (v === null || v === undefined) return 'Not available';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number') return oneDecimal.format(v);
  return v;
}

export function tableCsv(t: DataTable): string {
  const lines = [csvLine(t.columns.map((c) => c.key))];
  for (const r of t.rows) lines.push(csvLine(t.columns.map((c) => r[c.key] ?? '')));
  return `${lines.join('\r\n')}\r\n`;
}

export function sendTable(reply: FastifyReply, t: DataTable, format: 'csv' | 'json', name: string) {
  const file = `${name}-${t.id}.${format}`.replace(/[^A-Za-z0-9._-]/g, '-');
  reply.header('content-disposition', `attachment; filename="${file}"`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(tableCsv(t));
  return reply
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ table: t.id, caption: t.caption, rows: t.rows }, null, 2));
}

export interface View {
  context: Record<string, unknown>;
  tables: DataTable[];
}

/** A page built from tables, with each table downloadable as CSV and JSON at `<path>/tables/<id>.<format>`. */
export function page(
  app: FastifyInstance,
  path: string,
  template: string,
  build: (req: FastifyRequest) => Promise<View & { base: string; name: string }>,
) {
  app.get(path, async (req, reply) => {
    const v = await build(req);
    return reply.render(template, {
      ...v.context,
      base: v.base,
      tables: Object.fromEntries(v.tables.map((t) => [t.id, shown(t)])),
    });
  });
  app.get<{ Params: { table: string; format: string } }>(`${path}/tables/:table.:format`, async (req, reply) => {
    const v = await build(req);
    const t = v.tables.find((x) => x.id === req.params.table);
    if (!t || (req.params.format !== 'csv' && req.params.format !== 'json')) throw notFound('Table');
    return sendTable(reply, t, req.params.format, v.name);
  });
}
