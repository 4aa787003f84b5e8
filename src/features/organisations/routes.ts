import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise, type OrgPlace, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { setFlash, takeFlash } from '../../plugins/session.ts';
import { formErrors, guard, notFound, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { api } from './api.ts';
import {
  childGroups,
  flattenTree,
  kindLabels,
  searchTerm,
  teamKindLabels,
  teamKinds,
  teamTree,
} from './organisations.ts';
import {
  childrenOf,
  countCurrentStaff,
  findOrganisation,
  insertTeam,
  type OrgDetail,
  openTeamInOrg,
  parentChain,
  parentHistory,
  regionSummaries,
  searchOrganisations,
  teamCodeTaken,
  teamsOf,
} from './queries.ts';
import { type TeamForm, teamForm } from './schemas.ts';

const PAGE_SIZE = 50;
const views = 'features/organisations/views';

const browseQuery = z.object({
  q: z.string().max(200).optional().catch(undefined),
  closed: z.literal('yes').optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

const placeOf = (o: OrgDetail): OrgPlace => ({ id: o.id, icbId: o.icb_id, regionId: o.region_id });
const orgUrl = (code: string) => `/organisations/${encodeURIComponent(code)}`;

async function organisationOr404(ctx: AppContext, code: string): Promise<OrgDetail> {
  const org = await findOrganisation(ctx.deps.db, code);
  if (!org) throw notFound('Organisation');
  return org;
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get('/organisations', async (req, reply) => {
    guard(req, { action: 'organisations:browse' });
    const query = browseQuery.parse(req.query);
    const term = searchTerm(query.q);
    const includeClosed = query.closed === 'yes';
    const [regions, results] = await Promise.all([
      regionSummaries(db),
      term
        ? searchOrganisations(db, { term, includeClosed, limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE })
        : undefined,
    ]);
    const pages = results ? Math.max(1, Math.ceil(results.total / PAGE_SIZE)) : 0;
    const pageUrl = (page: number) =>
      `/organisations?${new URLSearchParams({ q: term?.text ?? '', ...(includeClosed ? { closed: 'yes' } : {}), page: String(page) })}#results`;
    return reply.render(`${views}/index.njk`, {
      title: term ? `Organisations matching “${term.text}”` : 'Organisations',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      regions,
      q: term?.text ?? '',
      includeClosed,
      results: results && {
        ...results,
        rows: results.rows.map((r) => ({ ...r, kindLabel: kindLabels[r.kind], href: orgUrl(r.code) })),
        from: (query.page - 1) * PAGE_SIZE + 1,
        to: (query.page - 1) * PAGE_SIZE + results.rows.length,
        previousUrl: query.page > 1 ? pageUrl(query.page - 1) : undefined,
        nextUrl: query.page < pages ? pageUrl(query.page + 1) : undefined,
        page: query.page,
        pages,
      },
    });
  });

  app.get<{ Params: { code: string } }>('/organisations/:code', async (req, reply) => {
    const viewer = guard(req, { action: 'organisations:browse' });
    const org = await organisationOr404(ctx, req.params.code);
    const seeStaff = authorise(viewer, { action: 'org:view-detail', org: placeOf(org) });
    const [chain, children, history, teams, staff] = await Promise.all([
      parentChain(db, org.id),
      childrenOf(db, org.id),
      parentHistory(db, org.id),
      teamsOf(db, org.id),
      seeStaff ? countCurrentStaff(db, org.id) : undefined,
    ]);
    const flash = await takeFlash(ctx.deps, req);
    const groups = childGroups
      .map((g) => {
        const ofKind = children.filter((c) => c.kind === g.kind).map((c) => ({ ...c, href: orgUrl(c.code) }));
        return {
          heading: g.heading,
          closedHeading: g.closedHeading,
          open: ofKind.filter((c) => !c.closed_on),
          closed: ofKind.filter((c) => c.closed_on),
        };
      })
      .filter((g) => g.open.length + g.closed.length > 0);
    return reply.render(`${views}/show.njk`, {
      title: org.name,
      flash,
      org: { ...org, kindLabel: kindLabels[org.kind] },
      breadcrumbs: [
        { href: '/organisations', text: 'Organisations' },
        ...chain.map((c) => ({ href: orgUrl(c.code), text: c.name })),
      ],
      chain,
      groups,
      history,
      teams: teamTree(teams),
      showTeams: org.kind === 'trust' || teams.length > 0,
      staff,
      canAdmin: authorise(viewer, { action: 'org:admin', org: placeOf(org) }),
      teamKindLabels,
    });
  });

  const renderTeamForm = async (
    reply: FastifyReply,
    org: OrgDetail,
    form: { values: Record<string, unknown>; errors?: FieldError[]; fields?: Record<string, { text: string }> },
    status = 200,
  ) => {
    const chosen = String(form.values.parent_team_id ?? '');
    const parentItems = [
      { value: '', text: 'None: a top-level unit' },
      ...flattenTree(teamTree(await teamsOf(db, org.id)))
        .filter((t) => !t.closed_on)
        .map((t) => ({
          value: String(t.id),
          text: `${'— '.repeat(t.depth)}${t.name}${t.code ? ` (${t.code})` : ''}`,
          selected: String(t.id) === chosen,
        })),
    ];
    return reply.render(
      `${views}/team-new.njk`,
      {
        title: `Add a team to ${org.name}`,
        breadcrumbs: [
          { href: '/organisations', text: 'Organisations' },
          { href: orgUrl(org.code), text: org.name },
        ],
        org,
        parentItems,
        kinds: teamKinds.map((k) => ({ value: k, text: teamKindLabels[k] })),
        values: form.values,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  app.get<{ Params: { code: string } }>('/organisations/:code/teams/new', async (req, reply) => {
    const org = await organisationOr404(ctx, req.params.code);
    guard(req, { action: 'org:admin', org: placeOf(org) });
    return renderTeamForm(reply, org, { values: { kind: 'team' } });
  });

  app.post<{ Params: { code: string } }>('/organisations/:code/teams', async (req, reply) => {
    const org = await organisationOr404(ctx, req.params.code);
    const viewer = guard(req, { action: 'org:admin', org: placeOf(org) });
    const values = (req.body ?? {}) as Record<string, unknown>;
    const parsed = teamForm.safeParse(values);
    if (!parsed.success) return renderTeamForm(reply, org, { values, ...formErrors(parsed.error) }, 400);
    const team = parsed.data;
    if (team.parent_team_id !== undefined && !(await openTeamInOrg(db, org.id, team.parent_team_id))) {
      const e = singleError('parent_team_id', 'Select a parent team from the list');
      return renderTeamForm(reply, org, { values, ...e }, 400);
    }
    const codeTaken = () => singleError('code', `Another team in ${org.name} already has the code ${team.code}`);
    if (team.code && (await teamCodeTaken(db, org.id, team.code))) {
      return renderTeamForm(reply, org, { values, ...codeTaken() }, 400);
    }
    const id = await createTeam(ctx, org, team, { viewer, ip: req.ip });
    // Two admins adding the same code at once: the unique index decides, and the loser sees the form again.
    if (id === undefined) return renderTeamForm(reply, org, { values, ...codeTaken() }, 400);
    await setFlash(ctx.deps, req, `${teamKindLabels[team.kind]} “${team.name}” added.`);
    return reply.redirect(`${orgUrl(org.code)}#team-${id}`, 303);
  });
}

async function createTeam(
  ctx: AppContext,
  org: OrgDetail,
  team: TeamForm,
  actor: { viewer: Viewer; ip: string },
): Promise<number | undefined> {
  try {
    return await ctx.deps.db.transaction().execute(async (trx) => {
      const teamId = await insertTeam(trx, {
        organisationId: org.id,
        parentTeamId: team.parent_team_id ?? null,
        code: team.code ?? null,
        name: team.name,
        kind: team.kind,
      });
      await audit(trx, actor, {
        action: 'team.create',
        subjectType: 'team',
        subjectId: teamId,
        organisationId: org.id,
        details: {
          name: team.name,
          kind: team.kind,
          code: team.code ?? null,
          parentTeamId: team.parent_team_id ?? null,
        },
      });
      return teamId;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return undefined;
    throw err;
  }
}

export const organisationsFeature: Feature = { name: 'organisations', routes, api };
