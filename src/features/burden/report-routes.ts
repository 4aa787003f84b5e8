import type { FastifyInstance, FastifyRequest } from 'fastify';
import { csvLine } from '../../csv.ts';
import type { AppContext } from '../../feature.ts';
import { guard, HttpError, notFound } from '../../web/http.ts';
import { findOrganisation, type OrgDetail } from '../organisations/queries.ts';
import { areaOf as pulseAreaOf, pulseResults, showResults } from '../pulse/present.ts';
import { isPastSunset } from './burden.ts';
import { consolidationCandidates } from './candidates.ts';
import { type DownloadTable, downloadTable, downloadTables } from './download.ts';
import { topReturnsOf } from './national-queries.ts';
import { bodyLabel, costText, flagsOf, hours, showFigures, todayOf, views } from './present.ts';
import { duplicatesOf } from './queries.ts';
import { scopeLabels } from './register.ts';
import { placeOf } from './returns.ts';
import { areaSummary, type Level } from './summary-queries.ts';
import { trendView } from './trend.ts';

const crumbs = [{ href: '/burden', text: 'Reporting requirements' }];
const TOP_NATIONAL = 50;
const REPORT_TOP = 10;

/** An area from an ODS code: a region, an ICB, or an organisation (whose detail needs org:view-detail). */
async function areaFor(ctx: AppContext, req: FastifyRequest, code: string | undefined) {
  const viewer = guard(req, { action: 'burden:view' });
  if (!code) return { viewer, level: 'nation' as Level, id: 0, name: 'England', org: undefined };
  const org = await findOrganisation(ctx.deps.db, code);
  if (!org || org.kind === 'nation') throw notFound('Area');
  const level: Level = org.kind === 'region' ? 'region' : org.kind === 'icb' ? 'icb' : 'organisation';
  if (level === 'organisation') guard(req, { action: 'org:view-detail', org: placeOf(org) });
  return { viewer, level, id: org.id, name: org.name, org };
}

function flagRows(
  rows: Awaited<ReturnType<typeof topReturnsOf>>,
  dups: Map<number, { id: number; name: string }[]>,
  today: string,
) {
  return rows.map((r, i) => ({
    rank: i + 1,
    id: r.id,
    name: r.name,
    body: bodyLabel(r.requesting_body),
    scope: scopeLabels[r.scope],
    approvalRef: r.approval_ref ?? 'None recorded',
    hours: hours(r.hoursYear),
    cost: costText(r),
    organisations: r.organisations.toLocaleString('en-GB'),
    flags: flagsOf(r, today, dups.get(r.id)),
  }));
}

/** The national view for approval bodies, the printable report, and the downloads of every burden table. */
export async function reportRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  app.get<{ Querystring: { by?: string } }>('/burden/analysis/returns', async (req, reply) => {
    guard(req, { action: 'national:admin' });
    const by = req.query.by === 'cost' ? 'cost' : 'hours';
    const today = todayOf(deps);
    const rows = await topReturnsOf(db, 'nation', 0, by, TOP_NATIONAL);
    const dups = await duplicatesOf(
      db,
      rows.map((r) => r.id),
    );
    return reply.render(`${views}/top-returns.njk`, {
      title: `The ${TOP_NATIONAL} returns with the largest burden`,
      breadcrumbs: [...crumbs, { href: '/burden/analysis', text: 'England' }],
      by,
      top: TOP_NATIONAL,
      rows: flagRows(rows, dups, today),
    });
  });

  app.get<{ Querystring: { org?: string; icb?: string } }>('/burden/report', async (req, reply) => {
    const code = req.query.org ?? req.query.icb;
    if (!code) throw new HttpError(400, 'Choose an organisation (?org=ODS code) or an ICB (?icb=ODS code)');
    const area = await areaFor(ctx, req, code);
    if (req.query.icb !== undefined && area.level !== 'icb') throw notFound('ICB');
    if (req.query.org !== undefined && area.level !== 'organisation') throw notFound('Organisation');
    const today = todayOf(deps);
    const [summary, top, pulse] = await Promise.all([
      areaSummary(db, area.level, area.id, 0),
      topReturnsOf(db, area.level, area.id, 'hours', 1000),
      pulseResults(deps, pulseAreaOf(area.org as OrgDetail)),
    ]);
    const dups = await duplicatesOf(
      db,
      top.map((r) => r.id),
    );
    const hoursOf = new Map(top.map((r) => [r.id, r.hoursYear]));
    const { groups } = await consolidationCandidates(db, hoursOf);
    const mine = groups.filter((g) => g.saving > 0);
    return reply.render(`${views}/report.njk`, {
      title: `Reporting burden report: ${area.name}`,
      breadcrumbs: crumbs,
      area,
      today,
      total: summary.total && showFigures(summary.total),
      refreshedAt: summary.refreshedAt,
      bodies: summary.bodies.map((b) => ({ label: bodyLabel(b.body), ...showFigures(b) })),
      top: flagRows(top.slice(0, REPORT_TOP), dups, today),
      returnsCount: top.length,
      flags: {
        pastSunset: top.filter((r) => isPastSunset(r.sunset_date, today)).length,
        noApproval: top.filter((r) => r.approval_ref === null).length,
        duplicates: top.filter((r) => dups.has(r.id)).length,
      },
      overlaps: mine.slice(0, REPORT_TOP),
      overlapCount: mine.length,
      overlapSaving: hours(mine.reduce((s, g) => s + g.saving, 0)),
      pulse: showResults(pulse),
      trend: await trendView(db, area.level, area.id, area.name, summary.total?.managers),
      trendArea: area.name,
    });
  });

  app.get<{ Params: { file: string }; Querystring: { area?: string } }>(
    '/burden/download/:file',
    async (req, reply) => {
      const m = /^([a-z-]+)\.(csv|json)$/.exec(req.params.file);
      if (!m || !downloadTables.includes(m[1] as DownloadTable)) throw notFound('Download');
      const table = m[1] as DownloadTable;
      const format = m[2] as 'csv' | 'json';
      const area = await areaFor(ctx, req, req.query.area?.trim() || undefined);
      if (table === 'top-returns') guard(req, { action: 'national:admin' });
      if (table === 'organisation-returns' && area.level !== 'organisation') {
        throw new HttpError(400, 'organisation-returns needs ?area= the ODS code of an organisation');
      }
      if (table === 'areas' && area.level !== 'nation' && area.level !== 'region') {
        throw new HttpError(400, 'areas lists the regions of England or the ICBs of a region');
      }
      const t = await downloadTable(db, table, area, todayOf(deps));
      const name = `burden-${table}-${area.org?.code ?? 'england'}-${todayOf(deps)}.${format}`.toLowerCase();
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'json') {
        return reply.type('application/json; charset=utf-8').send({
          table,
          area: area.org?.code ?? 'england',
          rows: t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]]))),
        });
      }
      return reply
        .type('text/csv; charset=utf-8')
        .send(`${[csvLine(t.columns), ...t.rows.map(csvLine)].join('\r\n')}\r\n`);
    },
  );
}
