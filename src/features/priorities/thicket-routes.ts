import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { setFlash, takeFlash } from '../../plugins/session.ts';
import { formErrors, guard, HttpError, notFound } from '../../web/http.ts';
import { chartTable, childTable, distribution, figuresRows, trend, views } from './present.ts';
import { linkInput, linkLabels, percentText, sourceLabels, unfundedShare } from './priorities.ts';
import { applyingTo, linksOf, managedTeams, type OrgRef, orgByCode, orgsById, pendingSince } from './queries.ts';
import { linkScope, markLink, placeOf } from './register.ts';
import { areaFigures, areaSnapshot, type Level, managerRows, teamRows, trendOf } from './summary-queries.ts';
import { type DataTable, page } from './tables.ts';

// The thicket: an organisation's own view (its teams, managers, priorities and the links its people marked),
// a line manager's view of their teams, and the aggregate views of ICBs, regions and England.

const SHOWN_ROWS = 100;
const crumbs = [
  { href: '/', text: 'Home' },
  { href: '/priorities', text: 'Competing priorities' },
];

export async function thicketRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;

  const orgOr404 = async (code: string) => {
    const org = await orgByCode(db, code);
    if (!org) throw notFound('Organisation');
    return org;
  };

  /** The priorities applying to an organisation (or to some of its teams), as a table with titles and owners. */
  const prioritiesTable = async (org: OrgRef, teamIds?: number[]): Promise<DataTable> => {
    const rows = await applyingTo(db, org, teamIds);
    return {
      id: 'priorities',
      caption: `Active priorities applying to ${teamIds ? 'your teams' : org.name}`,
      columns: [
        { key: 'title', label: 'Priority' },
        { key: 'source', label: 'Set by' },
        { key: 'applies_to', label: 'Applies to' },
        { key: 'measure', label: 'How success is judged' },
        { key: 'target_date', label: 'Target date' },
        { key: 'funded', label: 'Funded' },
        { key: 'owner', label: 'Owner' },
      ],
      rows: rows.map((p) => ({
        title: p.title,
        source: sourceLabels[p.source],
        applies_to: p.whole ? 'Whole organisation' : p.teams.join(', '),
        measure: p.measure,
        target_date: p.target_date ?? 'None set',
        funded: p.funded,
        owner: p.owner,
      })),
      hrefs: rows.map((p) => `/priorities/${p.id}`),
    };
  };

  const linksTable = async (org: OrgRef): Promise<DataTable> => {
    const rows = await linksOf(db, org.id);
    return {
      id: 'links',
      caption: `Overlaps and conflicts marked in ${org.name}`,
      columns: [
        { key: 'first', label: 'Priority' },
        { key: 'kind', label: 'Marked as' },
        { key: 'second', label: 'With' },
        { key: 'note', label: 'Note' },
      ],
      rows: rows.map((l) => ({
        first: l.title_a,
        kind: linkLabels[l.kind],
        second: l.title_b,
        note: l.note || 'No note',
      })),
      hrefs: rows.map((l) => `/priorities/${l.priority_a}`),
    };
  };

  page(app, '/priorities/organisations/:code', `${views}/organisation.njk`, async (req) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const org = await orgOr404((req.params as { code: string }).code);
    guard(req, { action: 'workload:org-detail', org: placeOf(org) });
    const [figures, points, teams, managers, priorities, links, pending] = await Promise.all([
      areaFigures(db, 'organisation', org.id),
      trendOf(db, 'organisation', org.id),
      teamRows(db, org.id, SHOWN_ROWS),
      managerRows(db, org.id, SHOWN_ROWS),
      prioritiesTable(org),
      linksTable(org),
      pendingSince(db),
    ]);
    const dist = figures && distribution(figures, org.name);
    const tr = trend(points, org.name);
    const teamTable: DataTable = {
      id: 'teams',
      caption: `Teams of ${org.name} with the most concurrent priorities (up to ${SHOWN_ROWS})`,
      columns: [
        { key: 'team', label: 'Team' },
        { key: 'concurrent', label: 'Concurrent priorities', numeric: true },
        { key: 'unfunded', label: 'Unfunded', numeric: true },
        { key: 'unfunded_share', label: 'Unfunded share (%)', numeric: true },
        { key: 'overlaps', label: 'Overlaps marked', numeric: true },
        { key: 'conflicts', label: 'Conflicts marked', numeric: true },
      ],
      rows: teams.map((t) => ({
        team: t.name,
        concurrent: t.concurrent,
        unfunded: t.unfunded,
        unfunded_share: unfundedShare(t.unfunded, t.concurrent) ?? null,
        overlaps: t.overlaps,
        conflicts: t.conflicts,
      })),
    };
    const managerTable: DataTable = {
      id: 'managers',
      caption: `Managers of ${org.name} with the most concurrent priorities (up to ${SHOWN_ROWS})`,
      columns: [
        { key: 'manager', label: 'Manager' },
        { key: 'teams', label: 'Teams', numeric: true },
        { key: 'concurrent', label: 'Concurrent priorities', numeric: true },
        { key: 'unfunded', label: 'Unfunded', numeric: true },
        { key: 'overlaps', label: 'Overlaps marked', numeric: true },
        { key: 'conflicts', label: 'Conflicts marked', numeric: true },
      ],
      rows: managers.map((m) => ({
        manager: `${m.given_name} ${m.family_name}`,
        teams: m.teams,
        concurrent: m.concurrent,
        unfunded: m.unfunded,
        overlaps: m.overlaps,
        conflicts: m.conflicts,
      })),
    };
    return {
      base: `/priorities/organisations/${org.code}`,
      name: `priorities-${org.code}`,
      context: {
        title: `Competing priorities in ${org.name}`,
        breadcrumbs: crumbs,
        flash: await takeFlash(deps, req),
        org,
        figures: figures && figuresRows(figures),
        refreshedAt: figures?.refreshedAt,
        pendingSince: pending,
        dist: dist && { svg: dist.svg, table: chartTable(dist.table) },
        trendChart: tr.svg ? { svg: tr.svg, table: chartTable(tr.table) } : undefined,
        limits: tr.limits,
        canLink: (await linkScope(deps, viewer, org)) !== undefined,
        canPlace: authorise(viewer, { action: 'priorities:place', scope: 'organisation', area: placeOf(org) }),
      },
      tables: [priorities, links, teamTable, managerTable, tr.table, ...(dist ? [dist.table] : [])],
    };
  });

  page(app, '/priorities/mine', `${views}/mine.njk`, async (req) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const teams = await managedTeams(db, viewer.managerAssignmentIds);
    if (!teams.length) throw new HttpError(404, 'You do not manage a team, so there is no view of your priorities');
    const refs = await orgsById(db, [...new Set(teams.map((t) => t.organisation_id))]);
    const tables: DataTable[] = [];
    for (const [i, org] of refs.entries()) {
      const t = await prioritiesTable(
        org,
        teams.filter((x) => x.organisation_id === org.id).map((x) => x.team_id),
      );
      tables.push({ ...t, id: `priorities-${i + 1}`, caption: `Active priorities on your teams in ${org.name}` });
    }
    return {
      base: '/priorities/mine',
      name: 'my-priorities',
      context: {
        title: 'Priorities on your teams',
        breadcrumbs: crumbs,
        flash: await takeFlash(deps, req),
        teams,
        orgs: refs,
        tableIds: tables.map((t) => t.id),
      },
      tables,
    };
  });

  const areaPage = async (req: FastifyRequest, code: string) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    let level: Level = 'nation';
    let areaId = 0;
    let name = 'England';
    let area: OrgRef | undefined;
    if (code.toLowerCase() !== 'england') {
      area = await orgByCode(db, code);
      if (!area || (area.kind !== 'region' && area.kind !== 'icb')) throw notFound('Region or ICB');
      level = area.kind === 'region' ? 'region' : 'icb';
      areaId = area.id;
      name = area.name;
    }
    const {
      figures,
      trend: points,
      children,
      pendingSince: pending,
    } = await areaSnapshot(db, level as Exclude<Level, 'organisation'>, areaId);
    const dist = figures && distribution(figures, name);
    const tr = trend(points, name);
    const mayOpen = (c: { code: string; id: number; icb_id?: number | null }) => {
      if (children.level !== 'organisation') return `/priorities/areas/${c.code}`;
      return authorise(viewer, { action: 'workload:org-detail', org: { id: c.id, icbId: null, regionId: null } })
        ? `/priorities/organisations/${c.code}`
        : undefined;
    };
    const childT = childTable(level, children.areas, name, (c) => mayOpen(children.areas.find((a) => a.code === c)!));
    return {
      base: `/priorities/areas/${area ? area.code : 'england'}`,
      name: `priorities-${area ? area.code : 'england'}`,
      context: {
        title: `Competing priorities in ${name}`,
        breadcrumbs: area ? [...crumbs, { href: '/priorities/areas/england', text: 'England' }] : crumbs,
        name,
        level,
        area,
        figures: figures && figuresRows(figures),
        unfundedShare: figures && percentText(unfundedShare(figures.unfunded, figures.teamPriorities)),
        refreshedAt: figures?.refreshedAt,
        pendingSince: pending,
        dist: dist && { svg: dist.svg, table: chartTable(dist.table) },
        trendChart: tr.svg ? { svg: tr.svg, table: chartTable(tr.table) } : undefined,
        limits: tr.limits,
      },
      tables: [childT, tr.table, ...(dist ? [dist.table] : [])],
    };
  };

  page(app, '/priorities/areas/:code', `${views}/area.njk`, (req) =>
    areaPage(req, (req.params as { code: string }).code),
  );

  // Marking two priorities as overlapping or conflicting, within one organisation.
  const renderLinkForm = async (
    reply: FastifyReply,
    viewer: Viewer,
    org: OrgRef,
    values: Record<string, string>,
    problems?: ReturnType<typeof formErrors>,
  ) => {
    const scope = await linkScope(deps, viewer, org);
    if (!scope) throw new HttpError(403, 'You may not mark priorities in this organisation');
    const applying = await applyingTo(db, org, scope.teamIds);
    const options = (chosen?: string) => [
      { value: '', text: 'Select a priority' },
      ...applying.map((p) => ({ value: String(p.id), text: p.title, selected: String(p.id) === chosen })),
    ];
    return reply.render(
      `${views}/link-form.njk`,
      {
        title: 'Mark an overlap or conflict',
        breadcrumbs: [
          ...crumbs,
          ...(scope.teamIds ? [] : [{ href: `/priorities/organisations/${org.code}`, text: org.name }]),
        ],
        org,
        values,
        aItems: options(values.priority_a),
        bItems: options(values.priority_b),
        kindItems: (['overlap', 'conflict'] as const).map((k) => ({
          value: k,
          text:
            k === 'overlap'
              ? 'They overlap (ask for much the same thing)'
              : 'They conflict (pull in opposite directions)',
          checked: values.kind === k,
        })),
        errors: problems?.errors ?? [],
        fields: problems?.fields ?? {},
      },
      problems ? 400 : 200,
    );
  };

  app.get<{ Params: { code: string }; Querystring: { a?: string } }>(
    '/priorities/organisations/:code/links/new',
    async (req, reply) => {
      const viewer = guard(req, { action: 'workload:aggregates' });
      const org = await orgOr404(req.params.code);
      return renderLinkForm(reply, viewer, org, { priority_a: req.query.a ?? '' });
    },
  );

  app.post<{ Params: { code: string } }>('/priorities/organisations/:code/links', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const org = await orgOr404(req.params.code);
    const scope = await linkScope(deps, viewer, org);
    if (!scope) throw new HttpError(403, 'You may not mark priorities in this organisation');
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = linkInput.safeParse({ ...body, kind: body.kind || undefined });
    if (!parsed.success) return renderLinkForm(reply, viewer, org, body, formErrors(parsed.error));
    const saved = await markLink(deps, { viewer, ip: req.ip }, org, scope, parsed.data);
    if ('field' in saved) {
      return renderLinkForm(reply, viewer, org, body, {
        errors: [{ text: saved.message, href: `#${saved.field}` }],
        fields: { [saved.field]: { text: saved.message } },
      });
    }
    await setFlash(deps, req, `Marked as ${linkLabels[parsed.data.kind].toLowerCase()}.`);
    return reply.redirect(scope.teamIds ? '/priorities/mine' : `/priorities/organisations/${org.code}`, 303);
  });
}
