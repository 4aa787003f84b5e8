import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { decodeCursor, encodeCursor, forbidden, guard, HttpError, notFound, schemaError } from '../../web/http.ts';
import { accreditedRegister } from './accreditation-queries.ts';
import {
  type CreateBody,
  createBody,
  errorReply,
  idParams,
  type PatchBody,
  patchBody,
  programmeReply,
  type RegisterQuery,
  registerQuery,
  registerReply,
  type SearchQuery,
  searchQuery,
  searchReply,
} from './api-schemas.ts';
import { canPublish, canWithdraw, outcomeLines } from './catalogue.ts';
import { publishedCompetencies } from './competencies.ts';
import { changeStatus, resolveProgramme, saveProgramme } from './programmes.ts';
import {
  competencyLinks,
  findProgramme,
  findProvider,
  organisationsByCodes,
  organisationsByIds,
  type ProgrammeRow,
} from './queries.ts';
import { maySeeUnpublished } from './routes.ts';
import type { ProgrammeForm } from './schemas.ts';
import { searchProgrammes } from './search-queries.ts';

const tags = ['Training catalogue'];
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };
const publicRoute = { security: [] as never[] };

// Form field names as the API calls them, for precise 400 messages.
const apiField: Record<string, string> = {
  competencies: 'competency_ids',
  elig_regions: 'eligibility.region_codes',
  elig_org_codes: 'eligibility.organisation_codes',
};

/** JSON API under /api/v1: the public catalogue and register, and provider admins' programme writes. */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.setSchemaErrorFormatter(schemaError);

  const regionId = async (code: string | undefined) => {
    if (!code) return undefined;
    const [r] = await organisationsByCodes(db, [code]);
    if (r?.kind !== 'region') throw new HttpError(400, `region ${code} is not the ODS code of a region, like Y56`);
    return r.id;
  };

  async function programmeJson(p: ProgrammeRow) {
    const [links, orgs] = await Promise.all([
      competencyLinks(db, [p.id]),
      organisationsByIds(db, [...p.elig_organisation_ids, ...p.elig_region_ids]),
    ]);
    const code = new Map(orgs.map((o) => [o.id, o.code]));
    const provider = (await findProvider(db, p.provider_id))!;
    return {
      id: p.id,
      title: p.title,
      summary: p.summary,
      outcomes: outcomeLines(p.outcomes),
      level: p.level,
      format: p.format,
      hours: p.hours,
      duration_weeks: p.duration_weeks,
      cost_pounds: p.cost_pounds,
      funding: p.funding,
      funding_note: p.funding_note,
      provider: { id: provider.id, name: provider.name, kind: provider.kind },
      competencies: links.map((l) => ({ id: l.competency_id, version_id: l.version_id, code: l.code, title: l.title })),
      eligibility: {
        management_levels: p.elig_management_levels,
        bands: p.elig_bands,
        staff_groups: p.elig_staff_groups,
        organisation_codes: p.elig_organisation_ids.map((id) => code.get(id) ?? String(id)),
        region_codes: p.elig_region_ids.map((id) => code.get(id) ?? String(id)),
      },
      scope: p.scope,
      scope_org_code: p.scope_org_code,
      local_version_of: p.local_version_of,
      status: p.status,
      next_cohort_start: p.next_cohort_start,
      accreditation: { status: p.accreditation_status, until: p.accredited_until },
    };
  }

  app.get(
    '/catalogue',
    {
      schema: {
        tags,
        summary: 'Search the training catalogue',
        description:
          'Published programmes, ranked by relevance when q is given (full-text search over title, summary, provider, competencies and outcomes), otherwise by title. Public: no token needed.',
        querystring: searchQuery,
        response: { 200: searchReply, 400: errorReply },
        ...publicRoute,
      },
    },
    async (req) => {
      const q = req.query as SearchQuery;
      const size = q.page_size ?? 20;
      const page = q.page ?? 1;
      const today = deps.clock.now().toISOString().slice(0, 10);
      const cost =
        q.cost === 'free'
          ? { kind: 'free' as const }
          : q.cost === 'funded'
            ? { kind: 'funded' as const }
            : q.max_cost !== undefined
              ? { kind: 'max' as const, pounds: q.max_cost }
              : undefined;
      const { rows, total } = await searchProgrammes(
        db,
        {
          q: q.q,
          level: q.level,
          format: q.format,
          regionId: await regionId(q.region),
          competencyId: q.competency,
          cost,
          startsFrom: q.starts_by ? today : undefined,
          startsBy: q.starts_by,
          accreditedOnly: q.accredited === true,
        },
        page,
        size,
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          title: r.title,
          summary: r.summary,
          provider: r.provider_name,
          level: r.level,
          format: r.format,
          hours: r.hours,
          duration_weeks: r.duration_weeks,
          cost_pounds: r.cost_pounds,
          funding: r.funding,
          scope: r.scope,
          area: r.scope_org_name,
          next_cohort_start: r.next_cohort_start,
          accreditation: { status: r.accreditation_status, until: r.accredited_until },
          rank: r.rank,
        })),
        total,
        page,
        pages: Math.min(50, Math.max(1, Math.ceil(total / size))),
      };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/catalogue/:id',
    {
      schema: {
        tags,
        summary: 'One programme',
        description:
          'A published programme (drafts and withdrawn ones only for its provider’s admins and reviewers). Public.',
        params: idParams,
        response: { 200: programmeReply, ...errors },
        ...publicRoute,
      },
    },
    async (req) => {
      const p = await findProgramme(db, req.params.id);
      if (!p || (p.status !== 'published' && !maySeeUnpublished(req.viewer, p)))
        throw notFound(`Programme ${req.params.id}`);
      return programmeJson(p);
    },
  );

  /** An API body as the programme form's values, so that the API and the pages share every rule. */
  async function toForm(b: Required<Omit<CreateBody, 'provider_id'>>): Promise<ProgrammeForm> {
    const e = b.eligibility ?? {};
    const regionCodes = e.region_codes ?? [];
    const regionRows = await organisationsByCodes(db, regionCodes);
    const bad = regionCodes.find((c) => !regionRows.some((r) => r.code === c.toUpperCase() && r.kind === 'region'));
    if (bad) throw new HttpError(400, `eligibility.region_codes: ${bad} is not the ODS code of a region`);
    return {
      title: b.title.trim(),
      summary: b.summary.trim(),
      outcomes: b.outcomes
        .map((o) => o.trim())
        .filter(Boolean)
        .join('\n'),
      level: b.level,
      competencies: b.competency_ids.map(String),
      format: b.format,
      hours: b.hours,
      duration_weeks: b.duration_weeks,
      cost_pounds: b.cost_pounds,
      funding: b.funding,
      funding_note: b.funding_note ?? '',
      elig_levels: e.management_levels ?? [],
      elig_bands: e.bands ?? [],
      elig_staff_groups: e.staff_groups ?? [],
      elig_regions: regionRows.map((r) => String(r.id)),
      elig_org_codes: (e.organisation_codes ?? []).map((c) => c.toUpperCase()),
      scope: b.scope,
      scope_org_code: (b.scope_org_code ?? '').toUpperCase(),
      local_version_of: b.local_version_of ?? null,
    };
  }

  async function save(
    req: FastifyRequest,
    viewer: Viewer,
    providerId: number,
    form: ProgrammeForm,
    existingId?: number,
  ) {
    // Writes check against the list as it is now, not as this process last saw it.
    const resolved = await resolveProgramme(db, form, await publishedCompetencies(db, true));
    if (!resolved.ok) {
      const [field, message] = [...resolved.problems][0];
      throw new HttpError(400, `${apiField[field] ?? field.replace(/^elig_/, 'eligibility.')}: ${message}`);
    }
    return saveProgramme(db, { viewer, ip: req.ip }, { providerId, existingId }, resolved);
  }

  const writeSchema = { tags, response: { 200: programmeReply, 201: programmeReply, 409: errorReply, ...errors } };

  app.post(
    '/catalogue',
    {
      schema: {
        ...writeSchema,
        summary: 'Add a programme (provider admins)',
        description: 'Creates a draft programme for a provider the caller administers. Publish it with PATCH status.',
        body: createBody,
      },
    },
    async (req, reply) => {
      const viewer = guard(req, { action: 'catalogue:author' });
      const b = req.body as CreateBody;
      const provider = await findProvider(db, b.provider_id);
      if (!provider) throw new HttpError(400, `provider_id: there is no provider ${b.provider_id}`);
      if (
        !authorise(viewer, {
          action: 'catalogue:manage-provider',
          provider: { id: provider.id, organisationId: provider.organisation_id },
        })
      ) {
        throw forbidden();
      }
      const id = await save(
        req,
        viewer,
        provider.id,
        await toForm({ funding_note: '', eligibility: {}, scope_org_code: null, local_version_of: null, ...b }),
      );
      reply.code(201);
      return programmeJson((await findProgramme(db, id))!);
    },
  );

  app.patch<{ Params: { id: number } }>(
    '/catalogue/:id',
    {
      schema: {
        ...writeSchema,
        summary: 'Change, publish or withdraw a programme (provider admins)',
        description: 'Fields given replace the stored ones; status publishes or withdraws it.',
        params: idParams,
        body: patchBody,
      },
    },
    async (req) => {
      const viewer = guard(req, { action: 'catalogue:author' });
      const p = await findProgramme(db, req.params.id);
      if (!p) throw notFound(`Programme ${req.params.id}`);
      if (
        !authorise(viewer, {
          action: 'catalogue:manage-provider',
          provider: { id: p.provider_id, organisationId: p.provider_organisation_id },
        })
      ) {
        throw forbidden();
      }
      const { status, ...changes } = req.body as PatchBody;
      if (Object.keys(changes).length) {
        const current = await programmeJson(p);
        await save(
          req,
          viewer,
          p.provider_id,
          await toForm({
            title: current.title,
            summary: current.summary,
            outcomes: current.outcomes,
            level: current.level,
            competency_ids: current.competencies.map((c) => c.id),
            format: current.format,
            hours: current.hours,
            duration_weeks: current.duration_weeks,
            cost_pounds: current.cost_pounds,
            funding: current.funding,
            funding_note: current.funding_note,
            eligibility: current.eligibility as NonNullable<CreateBody['eligibility']>,
            scope: current.scope,
            scope_org_code: current.scope_org_code,
            local_version_of: current.local_version_of,
            ...changes,
          }),
          p.id,
        );
      }
      if (status) {
        const allowed = status === 'published' ? canPublish(p.status) : canWithdraw(p.status);
        if (!allowed) throw new HttpError(409, `status: the programme is ${p.status} and cannot become ${status}`);
        await changeStatus(db, { viewer, ip: req.ip }, p, status);
      }
      return programmeJson((await findProgramme(db, p.id))!);
    },
  );

  app.get(
    '/accreditation/register',
    {
      schema: {
        tags,
        summary: 'The register of accredited programmes',
        description: 'Programmes with a current accreditation, by title, a page at a time. Public.',
        querystring: registerQuery,
        response: { 200: registerReply, 400: errorReply },
        ...publicRoute,
      },
    },
    async (req) => {
      const q = req.query as RegisterQuery;
      const limit = q.limit ?? 100;
      const after = decodeCursor(q.cursor);
      if (after !== undefined && (after.length !== 2 || typeof after[0] !== 'string' || typeof after[1] !== 'number')) {
        throw new HttpError(400, 'cursor is not valid: use the next_cursor value from the previous page');
      }
      const rows = await accreditedRegister(db, {
        regionId: await regionId(q.region),
        after: after as [string, number] | undefined,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => ({
          id: r.id,
          title: r.title,
          provider: r.provider_name,
          level: r.level,
          scope: r.scope,
          area: r.scope_org_name,
          accredited_on: r.accredited_on ? r.accredited_on.toISOString().slice(0, 10) : null,
          accredited_until: r.accredited_until,
        })),
        next_cursor: rows.length > limit ? encodeCursor([last.title, last.id]) : null,
      };
    },
  );
}
