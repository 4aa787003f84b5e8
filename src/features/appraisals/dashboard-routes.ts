import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise, developmentScope } from '../../plugins/access.ts';
import { memoChart } from '../../web/chart-memo.ts';
import { barChart } from '../../web/charts.ts';
import { guard, HttpError, notFound } from '../../web/http.ts';
import { findOrganisation, type OrgDetail } from '../organisations/queries.ts';
import { placeOf } from './admin-routes.ts';
import { statusLabels } from './appraisals.ts';
import { findCycle } from './cycle-queries.ts';
import {
  dimensionLabel,
  disclosedBreakdown,
  disclosedRatings,
  disclosedTotal,
  equalityLens,
  sortRows,
} from './dashboard.ts';
import { todayOf, views } from './present.ts';
import { overdueAppraisals } from './queries.ts';
import { readSummary, readTeams, type StatusRow, summaryStamp } from './summary-queries.ts';

const OVERDUE_PAGE = 50;

const dimensionTitles: Record<string, string> = {
  directorate: 'Completion by directorate',
  organisation: 'Completion by organisation',
  band: 'Completion by Agenda for Change band',
  staff_group: 'Completion by staff group',
};

// Drawn once per set of figures (and wording), through the shared chart memo.
const ratingsChart = (...args: Parameters<typeof barChart>): string => memoChart(args, () => barChart(...args));

/** The dashboard's figures from the summary rows of one area, under disclosure control. */
export function dashboardView(summary: Awaited<ReturnType<typeof readSummary>>, minimum: number, dims: string[]) {
  const total = summary.status.find((r) => r.dimension === 'total');
  const labelled = (d: string): StatusRow[] =>
    sortRows(
      d,
      summary.status
        .filter((r) => r.dimension === d)
        .map((r) => Object.assign({}, r, { label: dimensionLabel(d, r.key, r.label) })),
    );
  const ratings = disclosedRatings(summary.ratings, minimum);
  const chartable = ratings.shares.filter((s) => s.value !== null);
  return {
    refreshedAt: total?.refreshed_at ?? null,
    cycleId: total?.cycle_id ?? null,
    total: disclosedTotal(total, minimum),
    breakdowns: dims.map((d) => ({
      dimension: d,
      title: dimensionTitles[d],
      rows: disclosedBreakdown(labelled(d), minimum),
    })),
    ratings,
    ratingsTable: {
      caption: 'Overall ratings of signed appraisals',
      head: ['Rating', 'People', 'Share'],
      rows: ratings.shares.map((s) => [s.label, s.people, s.share]),
    },
    ratingsChart: chartable.length
      ? ratingsChart(
          chartable.map((s) => ({ label: s.label, value: s.value! })),
          {
            title: 'Overall ratings of signed appraisals',
            description: 'Share of signed appraisals with each overall rating, in per cent.',
            xLabel: 'Per cent of signed appraisals',
            max: 100,
          },
        )
      : null,
    lenses: [equalityLens(summary.ratings, 'ethnicity', minimum), equalityLens(summary.ratings, 'disability', minimum)],
    minimum,
  };
}

/**
 * The appraisal dashboard: an organisation's (its admins, and the ICB, regional and national roles above it) and an
 * area's (ICB, region, England: aggregates only). Pages read the summary tables only; the overdue list, which names
 * people, is for the organisation's admins and limited to their development scope.
 */
export async function dashboardRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  const minimum = deps.config.disclosureMin;

  const orgOr404 = async (code: string): Promise<OrgDetail> => {
    const org = await findOrganisation(db, code);
    if (!org) throw notFound('Organisation');
    return org;
  };

  app.get<{ Params: { code: string } }>('/appraisals/organisations/:code', async (req, reply) => {
    const org = await orgOr404(req.params.code);
    const viewer = guard(req, { action: 'appraisals:org-figures', org: placeOf(org) });
    const view = dashboardView(await readSummary(db, 'organisation', org.id), minimum, [
      'directorate',
      'band',
      'staff_group',
    ]);
    const cycle = view.cycleId ? await findCycle(db, view.cycleId) : undefined;
    return reply.render(`${views}/dashboard.njk`, {
      title: `Appraisals in ${org.name}`,
      breadcrumbs: [{ href: '/appraisals', text: 'Appraisals' }],
      areaName: org.name,
      org,
      cycle,
      view,
      isAdmin: authorise(viewer, { action: 'appraisals:manage', org: placeOf(org) }),
      teamsBase: `/appraisals/organisations/${org.code}/teams/`,
    });
  });

  app.get<{ Params: { code: string; directorate: string } }>(
    '/appraisals/organisations/:code/teams/:directorate',
    async (req, reply) => {
      const org = await orgOr404(req.params.code);
      guard(req, { action: 'appraisals:org-figures', org: placeOf(org) });
      if (!/^(\d{1,9}|none)$/.test(req.params.directorate)) throw notFound('Directorate');
      const summary = await readSummary(db, 'organisation', org.id);
      const directorate = summary.status.find((r) => r.dimension === 'directorate' && r.key === req.params.directorate);
      if (!directorate) throw notFound('Directorate');
      const teams = await readTeams(db, org.id, directorate.key);
      return reply.render(`${views}/teams.njk`, {
        title: `Appraisals in ${directorate.label}`,
        breadcrumbs: [
          { href: '/appraisals', text: 'Appraisals' },
          { href: `/appraisals/organisations/${org.code}`, text: `Appraisals in ${org.name}` },
        ],
        org,
        directorate: directorate.label,
        rows: disclosedBreakdown(teams, minimum),
        total: disclosedTotal(directorate, minimum),
        minimum,
      });
    },
  );

  app.get<{ Params: { code: string }; Querystring: { after?: string } }>(
    '/appraisals/organisations/:code/overdue',
    async (req, reply) => {
      const org = await orgOr404(req.params.code);
      const viewer = guard(req, { action: 'appraisals:manage', org: placeOf(org) });
      const summary = await readSummary(db, 'organisation', org.id);
      const cycleId = summary.status.find((r) => r.dimension === 'total')?.cycle_id;
      const cycle = cycleId ? await findCycle(db, cycleId) : undefined;
      const m = /^(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/.exec(req.query.after ?? '');
      if (req.query.after && !m) throw new HttpError(400, 'The page link is not valid: go back to the first page');
      const rows = cycle
        ? await overdueAppraisals(
            db,
            cycle.id,
            org.id,
            todayOf(deps),
            developmentScope(viewer),
            m ? { due_on: m[1]!, id: Number(m[2]) } : undefined,
            OVERDUE_PAGE + 1,
          )
        : [];
      const page = rows.slice(0, OVERDUE_PAGE);
      const last = page[page.length - 1];
      return reply.render(`${views}/overdue.njk`, {
        title: `Overdue appraisals in ${org.name}`,
        breadcrumbs: [
          { href: '/appraisals', text: 'Appraisals' },
          { href: `/appraisals/organisations/${org.code}`, text: `Appraisals in ${org.name}` },
        ],
        org,
        cycle,
        rows: page.map((r) => ({ ...r, statusLabel: statusLabels[r.status] })),
        nextUrl:
          rows.length > OVERDUE_PAGE && last
            ? `/appraisals/organisations/${org.code}/overdue?after=${last.due_on}.${last.id}`
            : undefined,
      });
    },
  );

  // An area's dashboard is the same for everyone who may see it and changes only when the summaries are refreshed:
  // its content is rendered once per refresh (stamped with the refresh time of the area's total) and kept, one per
  // area (England, 7 regions, 42 ICBs). England's is 150 KB of tables whose rendering was most of the page's cost.
  // Each app instance keeps its own copy; a refresh changes the stamp, so none serves figures older than the
  // database's.
  const areaBodies = new Map<string, { stamp: number; name: string; body: string }>();
  const area = async (
    reply: import('fastify').FastifyReply,
    level: 'icb' | 'region' | 'nation',
    id: number,
    name: string,
  ) => {
    const key = `${level}:${id}`;
    const stamp = (await summaryStamp(db, level, id))?.getTime();
    const kept = areaBodies.get(key);
    // An area renamed by an ODS import shows its new name at once, not at the next refresh.
    let body = kept && stamp !== undefined && kept.stamp === stamp && kept.name === name ? kept.body : undefined;
    if (body === undefined) {
      const view = dashboardView(await readSummary(db, level, id), minimum, ['organisation', 'band', 'staff_group']);
      body = reply.renderFragment(`${views}/dashboard-body.njk`, { areaName: name, level, view });
      // Kept only when the figures are those of the refresh the stamp names (one may have landed in between).
      if (stamp !== undefined && view.refreshedAt?.getTime() === stamp) areaBodies.set(key, { stamp, name, body });
    }
    return reply.render(`${views}/area-dashboard.njk`, {
      title: `Appraisals in ${name}`,
      breadcrumbs: [{ href: '/appraisals', text: 'Appraisals' }],
      body,
    });
  };

  app.get<{ Params: { code: string } }>('/appraisals/areas/:code', async (req, reply) => {
    const org = await orgOr404(req.params.code);
    if (org.kind !== 'icb' && org.kind !== 'region') throw notFound('ICB or region');
    guard(req, { action: 'appraisals:area-figures', area: { level: org.kind, id: org.id } });
    return area(reply, org.kind, org.id, org.name);
  });

  app.get('/appraisals/england', async (req, reply) => {
    guard(req, { action: 'appraisals:area-figures', area: { level: 'nation', id: 0 } });
    return area(reply, 'nation', 0, 'England');
  });
}
