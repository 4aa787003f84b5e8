import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { guard, notFound } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { hourlyRate } from './burden.ts';
import { consolidationCandidates } from './candidates.ts';
import { payScales, returnsApplyingTo } from './effort-queries.ts';
import { NEAR_MATCH_THRESHOLD } from './overlaps.ts';
import { bodyLabel, costText, hours, showFigures, todayOf, views } from './present.ts';
import { duplicatesOf, flagCounts } from './queries.ts';
import { frequencyLabels, scopeLabels } from './register.ts';
import { placeOf } from './returns.ts';
import { areaSummary, areaTotals, type Level, orgReturnFigures } from './summary-queries.ts';
import { trendView } from './trend.ts';

const TOP_RETURNS = 20;
/** Candidates listed on the overlaps page, largest saving first; the total counts them all. */
const SHOWN_CANDIDATES = 100;
const crumbs = [{ href: '/burden', text: 'Reporting requirements' }];

/** An area's summary shaped for the templates: total, per body, top returns. */
async function areaView(ctx: AppContext, level: Level, areaId: number, top = TOP_RETURNS) {
  const s = await areaSummary(ctx.deps.db, level, areaId, top);
  return {
    refreshedAt: s.refreshedAt,
    managers: s.total?.managers ?? null,
    total: s.total && showFigures(s.total),
    bodies: s.bodies.map((b) => ({ label: bodyLabel(b.body), ...showFigures(b) })),
    returns: s.returns.map((r) => ({
      id: r.id,
      name: r.name,
      body: bodyLabel(r.body),
      scope: r.scope ? scopeLabels[r.scope] : '',
      ...showFigures(r),
    })),
  };
}

/**
 * The measured burden: national, regional and ICB views show aggregates only; an organisation's own
 * view (per return, with versions and scales) needs the right to see that organisation's detail.
 */
export async function analysisRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get('/burden/analysis', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:view' });
    const [nation, regions, flags] = await Promise.all([
      areaView(ctx, 'nation', 0),
      areaTotals(db, 'region'),
      flagCounts(db, todayOf(ctx.deps)),
    ]);
    return reply.render(`${views}/analysis-national.njk`, {
      title: 'Reporting burden in England',
      breadcrumbs: crumbs,
      view: nation,
      flags,
      areas: regions.map((a) => ({ ...a, shown: a.figures && showFigures(a.figures) })),
      top: TOP_RETURNS,
      trend: await trendView(db, 'nation', 0, 'England', nation.managers),
      trendArea: 'England',
      isNational: authorise(viewer, { action: 'national:admin' }),
    });
  });

  app.get<{ Params: { code: string } }>('/burden/analysis/:code', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:view' });
    const area = await findOrganisation(db, req.params.code);
    if (!area || (area.kind !== 'region' && area.kind !== 'icb')) throw notFound('Region or ICB');
    const level = area.kind === 'region' ? 'region' : 'icb';
    const [view, icbs] = await Promise.all([
      areaView(ctx, level, area.id),
      level === 'region' ? areaTotals(db, 'icb', area.id) : undefined,
    ]);
    return reply.render(`${views}/analysis-area.njk`, {
      title: `Reporting burden in ${area.name}`,
      breadcrumbs: [...crumbs, { href: '/burden/analysis', text: 'England' }],
      area,
      level,
      view,
      areas: icbs?.map((a) => ({ ...a, shown: a.figures && showFigures(a.figures) })),
      canSeeOrg: authorise(viewer, { action: 'org:view-detail', org: placeOf(area) }),
      top: TOP_RETURNS,
      trend: await trendView(db, level, area.id, area.name, view.managers),
      trendArea: area.name,
    });
  });

  app.get<{ Params: { code: string } }>('/burden/organisations/:code', async (req, reply) => {
    if (!req.viewer) guard(req, { action: 'burden:view' });
    const org = await findOrganisation(db, req.params.code);
    if (!org) throw notFound('Organisation');
    const viewer = guard(req, { action: 'org:view-detail', org: placeOf(org) });
    const [view, rows, applicable] = await Promise.all([
      areaView(ctx, 'organisation', org.id, 1000),
      orgReturnFigures(db, org.id),
      returnsApplyingTo(db, { id: org.id, icbId: org.icb_id, regionId: org.region_id }),
    ]);
    const dups = await duplicatesOf(
      db,
      applicable.map((r) => r.id),
    );
    return reply.render(`${views}/analysis-organisation.njk`, {
      title: `Reporting burden of ${org.name}`,
      breadcrumbs: crumbs,
      org,
      view,
      rows: rows.map((r) => ({
        ...r,
        bodyLabel: bodyLabel(r.body),
        frequencyLabel: frequencyLabels[r.frequency],
        hoursText: hours(r.hoursYear),
        perCycle: hours(r.hoursPerCycle),
        costText: costText(r),
      })),
      applicable: applicable.length,
      missing: applicable.filter((r) => r.hours_year === null).map((r) => ({ id: r.id, name: r.name })),
      duplicates: applicable.filter((r) => dups.has(r.id)).map((r) => ({ id: r.id, name: r.name, of: dups.get(r.id) })),
      canRecord: authorise(viewer, { action: 'burden:record-effort', org: placeOf(org) }),
      trend: await trendView(db, 'organisation', org.id, org.name, view.managers),
      trendArea: org.name,
    });
  });

  app.get('/burden/overlaps', async (req, reply) => {
    guard(req, { action: 'burden:view' });
    const { groups, refreshedAt } = await consolidationCandidates(db);
    return reply.render(`${views}/overlaps.njk`, {
      title: 'Overlapping data requests',
      breadcrumbs: crumbs,
      groups: groups.slice(0, SHOWN_CANDIDATES),
      count: groups.length,
      shown: Math.min(groups.length, SHOWN_CANDIDATES),
      totalSaving: hours(groups.reduce((s, g) => s + g.saving, 0)),
      threshold: NEAR_MATCH_THRESHOLD,
      refreshedAt,
    });
  });

  app.get('/burden/pay-scales', async (req, reply) => {
    guard(req, { action: 'burden:view' });
    const scales = await payScales(db);
    return reply.render(`${views}/pay-scales.njk`, {
      title: 'Pay scales used for costs',
      breadcrumbs: crumbs,
      scales: scales.map((s) => ({
        ...s,
        min: `£${s.annualMin.toLocaleString('en-GB')}`,
        max: `£${s.annualMax.toLocaleString('en-GB')}`,
        rate: `£${hourlyRate(s).toFixed(2)}`,
      })),
    });
  });
}
