import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PriorityScope } from '../../db/schema.ts';
import type { AppContext, Feature } from '../../feature.ts';
import { hasRole, type Viewer } from '../../plugins/access.ts';
import { setFlash, takeFlash } from '../../plugins/session.ts';
import { guard, HttpError, notFound } from '../../web/http.ts';
import { api } from './api.ts';
import { editRoutes, queuedWords } from './edit-routes.ts';
import { errorList, parsePriorityForm } from './form.ts';
import { linkLabels, sourceLabels, sources, statuses, statusLabels } from './priorities.ts';
import {
  findPriority,
  linksOf,
  listVisible,
  mayRead,
  openTeams,
  orgByCode,
  orgsById,
  orgsWithin,
  type PriorityRow,
  targetsOf,
  viewerAreas,
} from './queries.ts';
import { changeStatus, createPriority, linkScope, mayChange, resolvePlace } from './register.ts';
import { registerTable } from './register-table.ts';
import { sendTable, shown } from './tables.ts';
import { thicketRoutes } from './thicket-routes.ts';

const views = 'features/priorities/views';
const crumbs = [
  { href: '/', text: 'Home' },
  { href: '/priorities', text: 'Competing priorities' },
];
const PAGE = 50;
const scopeWords: Record<PriorityScope, string> = {
  national: 'England (every organisation)',
  region: 'Region',
  icb: 'ICB',
  organisation: 'Organisation',
};

/** Where a viewer may place priorities: "scope:CODE" values with words. */
function placeChoices(v: Viewer) {
  const out: { value: string; text: string }[] = [];
  if (hasRole(v, 'national_admin')) out.push({ value: 'national', text: 'England: every organisation' });
  for (const g of v.grants) {
    if (!g.organisationCode) continue;
    if (g.role === 'regional_lead')
      out.push({ value: `region:${g.organisationCode}`, text: `Region: ${g.organisationName}` });
    if (g.role === 'icb_lead') out.push({ value: `icb:${g.organisationCode}`, text: `ICB: ${g.organisationName}` });
    if (g.role === 'org_admin')
      out.push({ value: `organisation:${g.organisationCode}`, text: `Organisation: ${g.organisationName}` });
  }
  return out;
}

function parsePlace(value: string | undefined): { scope: PriorityScope; code?: string } | undefined {
  if (!value) return undefined;
  if (value === 'national') return { scope: 'national' };
  const m = /^(region|icb|organisation):([A-Za-z0-9]{1,12})$/.exec(value);
  return m ? { scope: m[1] as PriorityScope, code: m[2]!.toUpperCase() } : undefined;
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined || v === '' ? [] : [String(v)];

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  app.get('/priorities', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const q = req.query as Record<string, string | undefined>;
    const filters = {
      status: statuses.find((s) => s === q.status),
      source: sources.find((s) => s === q.source),
    };
    const before = q.before && /^\d{1,9}$/.test(q.before) ? Number(q.before) : undefined;
    const areas = await viewerAreas(db, viewer);
    const rows = await listVisible(db, areas, filters, before, PAGE + 1);
    const page = rows.slice(0, PAGE);
    const table = registerTable(page);
    const adminOrgs = viewer.grants.filter((g) => g.role === 'org_admin' && g.organisationCode);
    const areaGrants = viewer.grants.filter(
      (g) => (g.role === 'icb_lead' || g.role === 'regional_lead') && g.organisationCode,
    );
    return reply.render(`${views}/index.njk`, {
      title: 'Competing priorities',
      breadcrumbs: [crumbs[0]],
      flash: await takeFlash(deps, req),
      table: shown(table),
      filters,
      statusItems: [
        { value: '', text: 'Any status' },
        ...statuses.map((s) => ({ value: s, text: statusLabels[s], selected: s === filters.status })),
      ],
      sourceItems: [
        { value: '', text: 'Any source' },
        ...sources.map((s) => ({ value: s, text: sourceLabels[s], selected: s === filters.source })),
      ],
      nextUrl:
        rows.length > PAGE
          ? `/priorities?${new URLSearchParams({ ...(filters.status && { status: filters.status }), ...(filters.source && { source: filters.source }), before: String(page[page.length - 1]!.id) })}`
          : undefined,
      canPlace: placeChoices(viewer).length > 0,
      adminOrgs,
      areaGrants,
      isManager: viewer.managerAssignmentIds.length > 0,
    });
  });

  for (const format of ['csv', 'json'] as const) {
    app.get(`/priorities/tables/register.${format}`, async (req, reply) => {
      const viewer = guard(req, { action: 'workload:aggregates' });
      const rows = await listVisible(db, await viewerAreas(db, viewer), {}, undefined, 100_000);
      return sendTable(reply, registerTable(rows), format, 'priorities');
    });
  }

  const renderForm = async (
    reply: FastifyReply,
    place: { scope: PriorityScope; code?: string },
    values: Record<string, unknown>,
    problems?: { errors: { text: string; href: string }[]; fields: Record<string, { text: string }> },
  ) => {
    const area = place.code ? await orgByCode(db, place.code) : undefined;
    if (place.scope !== 'national' && !area) throw notFound('Organisation');
    const chosenTeams = list(values.teams);
    const chosenOrgs = list(values.organisations);
    const teams =
      place.scope === 'organisation' && area
        ? (await openTeams(db, area.id)).map((t) => ({
            value: String(t.id),
            text: t.name,
            checked: chosenTeams.includes(String(t.id)),
          }))
        : [];
    const orgs =
      (place.scope === 'icb' || place.scope === 'region') && area
        ? (await orgsWithin(db, place.scope, area.id)).map((o) => ({
            value: o.code,
            text: o.name,
            checked: chosenOrgs.includes(o.code),
          }))
        : [];
    return reply.render(
      `${views}/form.njk`,
      {
        title: 'Add a priority',
        breadcrumbs: crumbs,
        placeValue: place.scope === 'national' ? 'national' : `${place.scope}:${place.code}`,
        placeText:
          place.scope === 'national' ? 'England: every organisation' : `${scopeWords[place.scope]}: ${area!.name}`,
        values,
        teams,
        orgs,
        sourceItems: sources.map((s) => ({ value: s, text: sourceLabels[s], checked: values.source === s })),
        errors: problems?.errors ?? [],
        fields: problems?.fields ?? {},
      },
      problems ? 400 : 200,
    );
  };

  app.get('/priorities/new', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const choices = placeChoices(viewer);
    if (!choices.length) throw new HttpError(403, 'You may not place priorities');
    const q = req.query as { place?: string };
    const place = parsePlace(q.place) ?? (choices.length === 1 ? parsePlace(choices[0]!.value) : undefined);
    if (!place) {
      return reply.render(`${views}/choose-place.njk`, {
        title: 'Where is the priority placed?',
        breadcrumbs: crumbs,
        choices,
        errors: q.place !== undefined ? [{ text: 'Select where the priority is placed', href: '#place' }] : [],
        fields: q.place !== undefined ? { place: { text: 'Select where the priority is placed' } } : {},
      });
    }
    return renderForm(reply, place, { funded: '' });
  });

  app.post('/priorities', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const place = parsePlace(String(body.place ?? ''));
    if (!place) throw new HttpError(400, 'Choose where the priority is placed first');
    const { data, fields } = parsePriorityForm(body);
    let resolved: Awaited<ReturnType<typeof resolvePlace>> | undefined;
    if (data) {
      resolved = await resolvePlace(deps, viewer, {
        ...place,
        teamIds: list(body.teams).map(Number).filter(Number.isInteger),
        organisationCodes: list(body.organisations),
      });
      if ('field' in resolved) fields[resolved.field] = { text: resolved.message };
    }
    if (!data || !resolved || 'field' in resolved) {
      return renderForm(reply, place, body, { errors: errorList(fields), fields });
    }
    const created = await createPriority(deps, { viewer, ip: req.ip }, data, resolved);
    await setFlash(deps, req, `Priority “${data.title}” added.${created.queued ? queuedWords : ''}`);
    const id = created.id;
    return reply.redirect(`/priorities/${id}`, 303);
  });

  const visibleOr404 = async (viewer: Viewer, id: string) => {
    if (!/^\d{1,9}$/.test(id)) throw notFound('Priority');
    const areas = await viewerAreas(db, viewer);
    if (!(await mayRead(db, areas, Number(id)))) throw notFound('Priority');
    return (await findPriority(db, Number(id)))!;
  };

  const areaOf = async (p: PriorityRow) =>
    p.scope_org_code ? ((await orgByCode(db, p.scope_org_code)) ?? null) : null;

  app.get<{ Params: { id: string } }>('/priorities/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const p = await visibleOr404(viewer, req.params.id);
    const targets = await targetsOf(db, [p.id]);
    // Notes stay in the organisation that wrote them: only links of organisations where the viewer may mark
    // links (its admins, its line managers) are shown.
    const linkOrgs = [];
    for (const org of await orgsById(db, (await viewerAreas(db, viewer)).orgs)) {
      if (await linkScope(deps, viewer, org)) linkOrgs.push(org);
    }
    const linkSets = await Promise.all(
      linkOrgs.map(async (o) => (await linksOf(db, o.id, p.id)).map((l) => ({ ...l, orgName: o.name }))),
    );
    return reply.render(`${views}/priority.njk`, {
      title: p.title,
      breadcrumbs: crumbs,
      flash: await takeFlash(deps, req),
      p,
      sourceLabel: sourceLabels[p.source],
      statusLabel: statusLabels[p.status],
      placeText: p.scope === 'national' ? scopeWords.national : `${scopeWords[p.scope]}: ${p.scope_org_name}`,
      targets,
      links: linkSets.flat().map((l) => ({
        ...l,
        kindLabel: linkLabels[l.kind],
        other: l.priority_a === p.id ? { id: l.priority_b, title: l.title_b } : { id: l.priority_a, title: l.title_a },
      })),
      linkOrgs,
      canChange: mayChange(viewer, p, await areaOf(p)),
      statusItems: statuses.map((s) => ({ value: s, text: statusLabels[s], checked: s === p.status })),
    });
  });

  app.post<{ Params: { id: string } }>('/priorities/:id/status', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const p = await visibleOr404(viewer, req.params.id);
    if (!mayChange(viewer, p, await areaOf(p))) throw new HttpError(403, 'You may not change this priority');
    const status = statuses.find((s) => s === (req.body as { status?: string } | undefined)?.status);
    if (!status) throw new HttpError(400, 'Select active, met or dropped');
    const changed = await changeStatus(deps, { viewer, ip: req.ip }, p, status);
    await setFlash(
      deps,
      req,
      `Status set to ${statusLabels[status].toLowerCase()}.${changed.queued ? queuedWords : ''}`,
    );
    return reply.redirect(`/priorities/${p.id}`, 303);
  });

  await editRoutes(app, ctx);
  await thicketRoutes(app, ctx);
}

export const prioritiesFeature: Feature = { name: 'priorities', routes, api };
