import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Papa from 'papaparse';
import type { AppContext, Feature } from '../../feature.ts';
import { audit } from '../../plugins/audit.ts';
import { guard } from '../../web/http.ts';
import { auditApi } from './api.ts';
import { csvFilename, datePartsToIso, filterQuery, PAGE_SIZE, type Problem } from './audit.ts';
import { outboxRoutes } from './outbox-routes.ts';
import { csvHeader, csvRecord, pageEntry } from './present.ts';
import { keyOf, knownActions, searchAudit, visiblePeopleNames } from './queries.ts';
import { auditBatches, cursorOf, keyFromCursor, prepareFilter } from './search.ts';

const VIEW = 'features/audit/views/audit.njk';

type Query = Record<string, string | string[] | undefined>;
const one = (q: Query, k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);

/** The search form's values: text filters as typed, dates from the NHS day/month/year boxes. */
async function readForm(ctx: AppContext, q: Query) {
  const dateProblems: Problem[] = [];
  const dates: Record<'from' | 'to', string | undefined> = { from: undefined, to: undefined };
  for (const which of ['from', 'to'] as const) {
    const r = datePartsToIso(which, {
      day: one(q, `${which}-day`),
      month: one(q, `${which}-month`),
      year: one(q, `${which}-year`),
    });
    if (r.problem) dateProblems.push(r.problem);
    dates[which] = r.iso;
  }
  return prepareFilter(
    ctx.deps.db,
    {
      actor: one(q, 'actor'),
      person: one(q, 'person'),
      action: one(q, 'action'),
      organisation: one(q, 'organisation'),
      ...dates,
    },
    dateProblems,
  );
}

const hrefOf = (p: Problem) => (p.field === 'from' || p.field === 'to' ? `#${p.field}-day` : `#${p.field}`);

async function renderSearch(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  model: Record<string, unknown> & { problems?: Problem[] },
  status = 200,
) {
  const q = req.query as Query;
  const values = Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string'));
  const actions = await knownActions(ctx.deps.db);
  const problems = model.problems ?? [];
  return reply.render(
    VIEW,
    {
      title: 'Audit log',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      values,
      actionItems: [
        { value: '', text: 'Any action' },
        ...actions.map((a) => ({ value: a, text: a, selected: a === values.action })),
      ],
      errors: problems.map((p) => ({ text: p.text, href: hrefOf(p) })),
      fields: Object.fromEntries(problems.map((p) => [p.field, { text: p.text }])),
      ...model,
    },
    status,
  );
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get('/admin/audit', async (req, reply) => {
    const viewer = guard(req, { action: 'audit:read' });
    const q = req.query as Query;
    const search = await readForm(ctx, q);
    if (search.problems.length)
      return renderSearch(req, reply, ctx, { problems: search.problems, searched: false }, 400);
    const before = keyFromCursor(one(q, 'before'), 'before');
    const after = before ? undefined : keyFromCursor(one(q, 'after'), 'after');
    const page = await searchAudit(db, viewer, { ...search, limit: PAGE_SIZE, before, after });
    const names = await visiblePeopleNames(
      db,
      viewer,
      page.rows.map((r) => r.personId),
    );
    const query = filterQuery(search.filter);
    const first = page.rows[0];
    const last = page.rows[page.rows.length - 1];
    return renderSearch(req, reply, ctx, {
      searched: true,
      entries: page.rows.map((r) => pageEntry(r, names)),
      newerQuery: page.hasNewer && first ? { ...query, after: cursorOf(keyOf(first)) } : undefined,
      olderQuery: page.hasOlder && last ? { ...query, before: cursorOf(keyOf(last)) } : undefined,
      csvQuery: query,
      filtered: Object.values(search.filter).some((v) => v !== undefined),
    });
  });

  // The download is a bulk copy of the log leaving the service, so it is recorded (page views are not: see docs/audit.md).
  app.get('/admin/audit/download', async (req, reply) => {
    const viewer = guard(req, { action: 'audit:read' });
    const search = await readForm(ctx, req.query as Query);
    if (search.problems.length)
      return renderSearch(req, reply, ctx, { problems: search.problems, searched: false }, 400);
    const filename = csvFilename(search.filter);
    await audit(db, { viewer, ip: req.ip }, { action: 'audit.export', details: { ...search.filter, filename } });
    const lines = async function* () {
      yield `${Papa.unparse([csvHeader])}\r\n`;
      for await (const rows of auditBatches(db, viewer, search)) {
        yield `${Papa.unparse(rows.map(csvRecord), { escapeFormulae: true, newline: '\r\n' })}\r\n`;
      }
    };
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines()));
  });

  outboxRoutes(app, ctx);
}

export const auditFeature: Feature = { name: 'audit', routes, api: auditApi };
