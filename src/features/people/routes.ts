import type { FastifyInstance } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { decodeCursor, encodeCursor, formErrors, guard, HttpError, notFound, singleError } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { api } from './api.ts';
import { importRoutes } from './import-routes.ts';
import { bandLabel, bands, classifySearch, isPeopleCursor, staffGroupName, staffGroups } from './people.ts';
import { loadPersonRecord } from './person-record.ts';
import { searchForm } from './schemas.ts';
import { SearchTooSlow, searchPeople } from './search-queries.ts';

const PAGE_SIZE = 25;

function urlWith(query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `/people?${s}#results` : '/people#results';
}
const home = { href: '/', text: 'Home' };
const staffGroupItems = [
  { value: '', text: 'Any staff group' },
  ...Object.entries(staffGroups).map(([value, text]) => ({ value, text: `${value} ${text}` })),
];
const bandItems = [{ value: '', text: 'Any band' }, ...bands.map((b) => ({ value: b, text: bandLabel(b) }))];

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get('/people', async (req, reply) => {
    const viewer = guard(req, { action: 'people:search' });
    const query = req.query as Record<string, string | undefined>;
    const page = {
      title: 'People',
      breadcrumbs: [home],
      form: query,
      staffGroups: staffGroupItems,
      bands: bandItems,
    };
    const parsed = searchForm.safeParse(query);
    if (!parsed.success)
      return reply.render('features/people/views/search.njk', { ...page, ...formErrors(parsed.error) }, 400);
    const f = parsed.data;
    let organisationId: number | undefined;
    if (f.org) {
      const org = await findOrganisation(db, f.org);
      if (!org) {
        const problem = singleError('org', `No organisation has the ODS code ${f.org}`);
        return reply.render('features/people/views/search.njk', { ...page, ...problem }, 400);
      }
      organisationId = org.id;
    }
    const after = decodeCursor(f.after);
    if (after !== undefined && !isPeopleCursor(after)) throw new HttpError(400, 'This page link is not valid');
    let rows: Awaited<ReturnType<typeof searchPeople>>;
    try {
      rows = await searchPeople(db, viewer, {
        search: classifySearch(f.q),
        organisationId,
        staffGroup: f.staff_group,
        band: f.band,
        managersOnly: f.managers === 'yes',
        includeLeavers: f.leavers === 'yes',
        after,
        limit: PAGE_SIZE,
      });
    } catch (err) {
      if (!(err instanceof SearchTooSlow)) throw err;
      return reply.render('features/people/views/search.njk', { ...page, ...singleError('q', err.message) }, 400);
    }
    const items = rows.slice(0, PAGE_SIZE).map((r) => ({
      ...r,
      bandLabel: bandLabel(r.band),
      staffGroupName: staffGroupName(r.staff_group),
    }));
    const last = items[items.length - 1];
    const filters = {
      q: f.q,
      org: f.org,
      staff_group: f.staff_group,
      band: f.band,
      managers: f.managers,
      leavers: f.leavers,
    };
    const next = rows.length > PAGE_SIZE ? encodeCursor([last.sort_family, last.sort_given, last.id]) : null;
    return reply.render('features/people/views/search.njk', {
      ...page,
      items,
      paged: after !== undefined,
      firstUrl: after !== undefined ? urlWith(filters) : undefined,
      nextUrl: next ? urlWith({ ...filters, after: next }) : undefined,
    });
  });

  app.get<{ Params: { id: string } }>('/people/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    if (!/^\d{1,15}$/.test(req.params.id)) throw notFound('Person');
    const record = await loadPersonRecord(db, { viewer, ip: req.ip }, Number(req.params.id), {
      history: true,
      channel: 'web',
    });
    const name = `${record.person.given_name} ${record.person.family_name}`;
    return reply.render('features/people/views/person.njk', {
      title: name,
      breadcrumbs: [
        home,
        ...(authorise(viewer, { action: 'people:search' }) ? [{ href: '/people', text: 'People' }] : []),
      ],
      record,
      current: record.assignments.filter((a) => a.end_date === null),
      past: record.assignments.filter((a) => a.end_date !== null),
      bandLabel,
      staffGroupName,
    });
  });
}

export const peopleFeature: Feature = {
  name: 'people',
  routes: async (app, ctx) => {
    await routes(app, ctx);
    await importRoutes(app, ctx);
  },
  api,
};
