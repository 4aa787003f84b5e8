import type { FastifyInstance, FastifyRequest } from 'fastify';
import { csvLine } from '../../csv.ts';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { decodeCursor, encodeCursor, HttpError, notFound } from '../../web/http.ts';
import { accreditedRegister, eventsOfProgramme } from './accreditation-queries.ts';
import { api } from './api.ts';
import { formatLabels, formats, levelLabels, levels, parseCost } from './catalogue.ts';
import { publishedCompetencies } from './competencies.ts';
import { eligibilityReason } from './eligibility.ts';
import { insightRoutes } from './insight-routes.ts';
import { manageRoutes } from './manage-routes.ts';
import {
  dateOf,
  eligibilityLines,
  longDate,
  options,
  optionsHtml,
  programmeView,
  resultCard,
  scopeText,
  takeFlash,
  todayOf,
  views,
} from './present.ts';
import { competencyLinks, eligibilityOf, findProgramme, organisationsByIds, type ProgrammeRow } from './queries.ts';
import { personFacts } from './recommend-queries.ts';
import { openRegions } from './reference.ts';
import { reviewRoutes } from './review-routes.ts';
import { searchQuery } from './schemas.ts';
import { MAX_PAGE, PAGE_SIZE, searchProgrammes } from './search-queries.ts';

/** Whether a viewer may see a programme that is not published: its provider's admins and reviewers. */
export function maySeeUnpublished(v: Viewer | null, p: ProgrammeRow): boolean {
  return (
    authorise(v, {
      action: 'catalogue:manage-provider',
      provider: { id: p.provider_id, organisationId: p.provider_organisation_id },
    }) || authorise(v, { action: 'catalogue:review', regionId: p.scope === 'national' ? null : p.area_region_id })
  );
}

export async function programmeOr404(db: AppContext['deps']['db'], id: string) {
  if (!/^\d{1,12}$/.test(id)) throw notFound('Programme');
  const p = await findProgramme(db, Number(id));
  if (!p) throw notFound('Programme');
  return p;
}

// A page of the public register: keyset pages of 50 (it held every accredited programme on one page, 430 ms).
const REGISTER_PAGE = 50;

const costChoices = [
  ['', 'Any cost'],
  ['free', 'Free'],
  ['funded', 'Funded (fully or partly)'],
  ['max', 'Up to an amount'],
] as const;

const clean = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  // Public: no sign-in needed. Signed-in viewers see links to the parts of the catalogue their roles open.
  app.get('/catalogue', async (req, reply) => {
    const f = searchQuery.parse(req.query ?? {});
    const page = Math.min(Math.max(f.page ?? 1, 1), MAX_PAGE);
    const filters = {
      q: f.q || undefined,
      level: f.level as (typeof levels)[number] | undefined,
      format: f.format as (typeof formats)[number] | undefined,
      regionId: f.region,
      competencyId: f.competency,
      cost: parseCost(f.cost, f.max_cost),
      startsFrom: f.starts_by ? todayOf(deps) : undefined,
      startsBy: f.starts_by,
      accreditedOnly: f.accredited === 'yes',
    };
    // The regions and competencies are kept by the process and re-checked every few seconds (reference.ts), so
    // the page costs one statement, as the API does.
    const [{ rows, total }, regionRows, competencies] = await Promise.all([
      searchProgrammes(db, filters, page),
      openRegions(db),
      publishedCompetencies(db),
    ]);
    const pages = Math.min(MAX_PAGE, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    const query = clean({ ...f, page: undefined });
    const pageUrl = (p: number) => `/catalogue?${new URLSearchParams({ ...query, page: String(p) })}#results`;
    return reply.render(`${views}/search.njk`, {
      title: f.q ? `Training programmes matching “${f.q}”` : 'Find leadership and management training',
      f,
      total,
      results: rows.map(resultCard),
      page,
      pages,
      truncated: total > MAX_PAGE * PAGE_SIZE,
      previousUrl: page > 1 ? pageUrl(page - 1) : undefined,
      nextUrl: page < pages ? pageUrl(page + 1) : undefined,
      levelItems: [{ value: '', text: 'Any level' }, ...options(levels, levelLabels, f.level)],
      formatItems: [{ value: '', text: 'Any format' }, ...options(formats, formatLabels, f.format)],
      costItems: costChoices.map(([value, text], i) => ({
        id: i === 0 ? 'cost' : `cost-${i + 1}`,
        value,
        text,
        checked: (f.cost ?? '') === value,
      })),
      regionItems: [
        { value: '', text: 'Anywhere in England' },
        ...regionRows.map((r) => ({ value: String(r.id), text: r.name, selected: r.id === f.region })),
      ],
      competencyOptions: optionsHtml(
        competencies,
        (c) => ({ value: String(c.competencyId), text: `${c.title} (${c.frameworkTitle})` }),
        { value: '', text: 'Any competency' },
        f.competency === undefined ? undefined : String(f.competency),
      ),
      links: linksFor(req),
    });
  });

  app.get('/catalogue/accredited', async (req, reply) => {
    const q = req.query as { region?: string; level?: string; after?: string; before?: string };
    const region = q.region && /^\d{1,9}$/.test(q.region) ? Number(q.region) : undefined;
    const level = levels.find((l) => l === q.level);
    const key = (raw: string | undefined) => {
      const k = decodeCursor(raw);
      if (k && (k.length !== 2 || typeof k[0] !== 'string' || typeof k[1] !== 'number')) {
        throw new HttpError(400, 'The page link is not valid: go back to the first page of the register');
      }
      return k as [string, number] | undefined;
    };
    const after = key(q.after);
    const before = after ? undefined : key(q.before);
    const [found, regionRows] = await Promise.all([
      accreditedRegister(db, { regionId: region, level, after, before, limit: REGISTER_PAGE + 1 }),
      openRegions(db),
    ]);
    // One row more than a page says whether there is more in the direction read.
    const more = found.length > REGISTER_PAGE;
    const rows = before ? found.slice(more ? 1 : 0) : found.slice(0, REGISTER_PAGE);
    const hasNext = before ? true : more;
    const hasPrevious = before ? more : after !== undefined;
    const filters = { ...(region ? { region: String(region) } : {}), ...(level ? { level } : {}) };
    const link = (cursor: Record<string, string>) =>
      `/catalogue/accredited?${new URLSearchParams({ ...filters, ...cursor })}`;
    const first = rows[0];
    const last = rows[rows.length - 1];
    return reply.render(`${views}/register.njk`, {
      title: 'Register of accredited programmes',
      breadcrumbs: [{ href: '/catalogue', text: 'Training' }],
      rows: rows.map((r) => ({
        ...r,
        levelLabel: levelLabels[r.level],
        scopeLabel: scopeText(r.scope, r.scope_org_name),
        accreditedOn: dateOf(r.accredited_on),
        until: longDate(r.accredited_until),
      })),
      filtered: region !== undefined || level !== undefined,
      continued: hasPrevious,
      pageSize: REGISTER_PAGE,
      nextUrl: hasNext && last ? link({ after: encodeCursor([last.title, last.id]) }) : undefined,
      previousUrl: hasPrevious && first ? link({ before: encodeCursor([first.title, first.id]) }) : undefined,
      regionItems: [
        { value: '', text: 'All of England' },
        ...regionRows.map((r) => ({ value: String(r.id), text: r.name, selected: r.id === region })),
      ],
      levelItems: [{ value: '', text: 'Any level' }, ...options(levels, levelLabels, level)],
      csvUrl: `/catalogue/accredited.csv${Object.keys(filters).length ? `?${new URLSearchParams(filters)}` : ''}`,
    });
  });

  app.get('/catalogue/accredited.csv', async (req, reply) => {
    const q = req.query as { region?: string; level?: string };
    const region = q.region && /^\d{1,9}$/.test(q.region) ? Number(q.region) : undefined;
    const rows = await accreditedRegister(db, { regionId: region, level: levels.find((l) => l === q.level) });
    const lines = [
      csvLine([
        'programme_id',
        'title',
        'provider',
        'level',
        'scope',
        'area',
        'accredited_on',
        'accredited_until',
        'status',
      ]),
      ...rows.map((r) =>
        csvLine([
          r.id,
          r.title,
          r.provider_name,
          r.level,
          r.scope,
          r.scope_org_name ?? '',
          r.accredited_on ? r.accredited_on.toISOString().slice(0, 10) : '',
          r.accredited_until,
          r.status,
        ]),
      ),
    ];
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="accredited-programmes.csv"')
      .send(`${lines.join('\n')}\n`);
  });

  app.get<{ Params: { id: string } }>('/catalogue/:id', async (req, reply) => {
    const p = await programmeOr404(db, req.params.id);
    if (p.status !== 'published' && !maySeeUnpublished(req.viewer, p)) throw notFound('Programme');
    const [links, names, history] = await Promise.all([
      competencyLinks(db, [p.id]),
      organisationsByIds(db, [...p.elig_region_ids, ...p.elig_organisation_ids]),
      eventsOfProgramme(db, p.id),
    ]);
    let mine: { eligible: boolean; text: string } | undefined;
    if (req.viewer?.personId) {
      mine = eligibilityReason({ eligibility: eligibilityOf(p) }, await personFacts(db, req.viewer.personId));
    }
    const canManage = authorise(req.viewer, {
      action: 'catalogue:manage-provider',
      provider: { id: p.provider_id, organisationId: p.provider_organisation_id },
    });
    return reply.render(`${views}/programme.njk`, {
      title: p.title,
      breadcrumbs: [{ href: '/catalogue', text: 'Training' }],
      flash: await takeFlash(deps, req),
      p: programmeView(p),
      competencies: links,
      eligibility: eligibilityLines(p, new Map(names.map((o) => [o.id, o.name]))),
      mine,
      canManage,
      accreditationHistory: history
        .filter((e) => ['accredited', 'expired'].includes(e.action))
        .map((e) => ({ text: e.action === 'accredited' ? 'Accredited' : 'Accreditation expired', date: dateOf(e.at) })),
    });
  });

  await manageRoutes(app, ctx);
  await reviewRoutes(app, ctx);
  await insightRoutes(app, ctx);
}

function linksFor(req: FastifyRequest) {
  const v = req.viewer;
  return {
    manage: authorise(v, { action: 'catalogue:author' }),
    review: authorise(v, { action: 'catalogue:review-any' }),
    providers: authorise(v, { action: 'catalogue:manage-providers' }),
    coverage: authorise(v, { action: 'catalogue:coverage' }),
    recommendations: authorise(v, { action: 'catalogue:recommendations' }),
  };
}

export const catalogueFeature: Feature = { name: 'catalogue', routes, api };
