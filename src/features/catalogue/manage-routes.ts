import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { forbidden, guard, notFound } from '../../web/http.ts';
import { submissionsOfProgramme } from './accreditation-queries.ts';
import {
  accreditationLabels,
  canPublish,
  canWithdraw,
  formatLabels,
  formats,
  fundingLabels,
  fundings,
  levelLabels,
  levels,
  scopeLabels,
  scopes,
  statusLabels,
  submissionRefusal,
} from './catalogue.ts';
import { publishedCompetencies } from './competencies.ts';
import { bandValues, eligibleLevelLabels, eligibleLevelValues, staffGroups } from './eligibility.ts';
import {
  dateOf,
  longDate,
  options,
  problemsInOrder,
  programmeView,
  setFlash,
  takeFlash,
  views,
  zodProblems,
} from './present.ts';
import { changeStatus, resolveProgramme, saveProgramme, submitProgramme } from './programmes.ts';
import { providerRoutes } from './provider-routes.ts';
import {
  competencyLinks,
  findProvider,
  listProviders,
  nationalProgrammes,
  organisationsByIds,
  type ProgrammeRow,
  type ProviderRow,
  programmesOfProvider,
  providersAdministeredBy,
  regions,
} from './queries.ts';
import { programmeOr404 } from './routes.ts';
import { programmeForm, programmeFormOrder, submissionForm } from './schemas.ts';

// Provider admins' authoring pages: their providers' programmes, the programme form, publish and withdraw, and
// submitting for accreditation. Every write is audited.

const asProvider = (p: { id: number; organisation_id: number | null }) => ({
  id: p.id,
  organisationId: p.organisation_id,
});

export async function manageRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  const mayManage = (viewer: Viewer, provider: { id: number; organisationId: number | null }) =>
    authorise(viewer, { action: 'catalogue:manage-provider', provider });

  const providerOr404 = async (viewer: Viewer, id: string) => {
    if (!/^\d{1,12}$/.test(id)) throw notFound('Provider');
    const p = await findProvider(db, Number(id));
    if (!p) throw notFound('Provider');
    if (!mayManage(viewer, asProvider(p))) throw forbidden();
    return p;
  };

  /** The programme, once the viewer is known to manage its provider. */
  const managed = async (viewer: Viewer, id: string) => {
    const p = await programmeOr404(db, id);
    if (!mayManage(viewer, { id: p.provider_id, organisationId: p.provider_organisation_id })) throw forbidden();
    return p;
  };

  app.get('/catalogue/manage', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const providers = await providersAdministeredBy(db, viewer.accountId);
    const national = authorise(viewer, { action: 'catalogue:manage-providers' });
    const lists = await Promise.all(providers.map((p) => programmesOfProvider(db, p.id)));
    return reply.render(`${views}/manage.njk`, {
      title: 'Your programmes',
      breadcrumbs: [{ href: '/catalogue', text: 'Training' }],
      flash: await takeFlash(deps, req),
      national,
      providers: providers.map((p, i) => ({ ...p, programmes: lists[i].map(listRow) })),
      allProviders: national ? await listProviders(db) : [],
    });
  });

  app.get<{ Params: { pid: string } }>('/catalogue/manage/providers/:pid', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const provider = await providerOr404(viewer, req.params.pid);
    return reply.render(`${views}/provider.njk`, {
      title: provider.name,
      breadcrumbs: [
        { href: '/catalogue', text: 'Training' },
        { href: '/catalogue/manage', text: 'Your programmes' },
      ],
      flash: await takeFlash(deps, req),
      provider,
      programmes: (await programmesOfProvider(db, provider.id)).map(listRow),
      canAddAdmins: authorise(viewer, { action: 'catalogue:manage-providers' }),
    });
  });

  const renderForm = async (
    reply: FastifyReply,
    provider: ProviderRow,
    form: {
      values: Record<string, unknown>;
      existing?: ProgrammeRow;
      errors?: unknown[];
      fields?: Record<string, unknown>;
    },
    status = 200,
  ) => {
    const [competencies, regionRows, nationals] = await Promise.all([
      publishedCompetencies(db),
      regions(db),
      nationalProgrammes(db),
    ]);
    const v = form.values;
    const chosen = (k: string) => (Array.isArray(v[k]) ? (v[k] as string[]) : v[k] ? [String(v[k])] : []);
    const frameworks = new Map<string, { value: string; text: string; hint: { text: string }; checked: boolean }[]>();
    for (const c of competencies) {
      const list = frameworks.get(c.frameworkTitle) ?? [];
      list.push({
        value: String(c.competencyId),
        text: c.title,
        hint: { text: c.domainTitle },
        checked: chosen('competencies').includes(String(c.competencyId)),
      });
      frameworks.set(c.frameworkTitle, list);
    }
    const base = form.existing ? `/catalogue/manage/programmes/${form.existing.id}` : undefined;
    return reply.render(
      `${views}/programme-form.njk`,
      {
        title: form.existing ? `Change ${form.existing.title}` : `Add a programme for ${provider.name}`,
        breadcrumbs: [
          { href: '/catalogue', text: 'Training' },
          { href: `/catalogue/manage/providers/${provider.id}`, text: provider.name },
          ...(base && form.existing ? [{ href: base, text: form.existing.title }] : []),
        ],
        provider,
        existing: form.existing,
        action: base ?? `/catalogue/manage/providers/${provider.id}/programmes`,
        values: v,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        levelItems: options(levels, levelLabels, chosen('level')),
        formatItems: options(formats, formatLabels, chosen('format')),
        fundingItems: options(fundings, fundingLabels, chosen('funding')),
        scopeItems: options(scopes, scopeLabels, chosen('scope')),
        competencyGroups: [...frameworks].map(([title, items]) => ({ title, items })),
        eligLevelItems: options(eligibleLevelValues, eligibleLevelLabels, chosen('elig_levels')),
        bandItems: bandValues.map((b) => ({ value: b, text: b, checked: chosen('elig_bands').includes(b) })),
        staffGroupItems: Object.entries(staffGroups).map(([code, name]) => ({
          value: code,
          text: name,
          checked: chosen('elig_staff_groups').includes(code),
        })),
        regionItems: regionRows.map((r) => ({
          value: String(r.id),
          text: r.name,
          checked: chosen('elig_regions').includes(String(r.id)),
        })),
        nationalItems: [
          { value: '', text: 'None: this is not a local version' },
          ...nationals
            .filter((n) => n.id !== form.existing?.id)
            .map((n) => ({
              value: String(n.id),
              text: n.title,
              selected: String(n.id) === String(v.local_version_of ?? ''),
            })),
        ],
      },
      status,
    );
  };

  app.get<{ Params: { pid: string } }>('/catalogue/manage/providers/:pid/programmes/new', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const provider = await providerOr404(viewer, req.params.pid);
    return renderForm(reply, provider, { values: { funding: 'none', cost_pounds: '0' } });
  });

  async function submit(req: FastifyRequest, reply: FastifyReply, provider: ProviderRow, existing?: ProgrammeRow) {
    const viewer = req.viewer as Viewer;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fail = (problems: Map<string, string>) =>
      renderForm(reply, provider, { values: body, existing, ...problemsInOrder(problems, programmeFormOrder) }, 400);
    const parsed = programmeForm.safeParse(body);
    if (!parsed.success) return fail(zodProblems(parsed.error.issues));
    // Writes check against the list as it is now, not as this process last saw it.
    const resolved = await resolveProgramme(db, parsed.data, await publishedCompetencies(db, true));
    if (!resolved.ok) return fail(resolved.problems);
    const id = await saveProgramme(
      db,
      { viewer, ip: req.ip },
      { providerId: provider.id, existingId: existing?.id },
      resolved,
    );
    await setFlash(
      deps,
      req,
      existing ? 'Programme saved.' : 'Programme added as a draft. Publish it when it is ready.',
    );
    return reply.redirect(`/catalogue/manage/programmes/${id}`, 303);
  }

  app.post<{ Params: { pid: string } }>('/catalogue/manage/providers/:pid/programmes', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const provider = await providerOr404(viewer, req.params.pid);
    return submit(req, reply, provider);
  });

  app.get<{ Params: { id: string } }>('/catalogue/manage/programmes/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const p = await managed(viewer, req.params.id);
    const [links, submissions] = await Promise.all([competencyLinks(db, [p.id]), submissionsOfProgramme(db, p.id)]);
    return reply.render(`${views}/manage-programme.njk`, {
      title: p.title,
      breadcrumbs: [
        { href: '/catalogue', text: 'Training' },
        { href: `/catalogue/manage/providers/${p.provider_id}`, text: p.provider_name },
      ],
      flash: await takeFlash(deps, req),
      p: programmeView(p),
      competencies: links,
      canPublish: canPublish(p.status),
      canWithdraw: canWithdraw(p.status),
      submitRefusal: submissionRefusal(p),
      submissions: submissions.map((s) => ({
        ...s,
        statusLabel:
          accreditationLabels[s.status === 'superseded' ? 'accredited' : s.status] +
          (s.status === 'superseded' ? ' (renewed since)' : ''),
        submittedOn: dateOf(s.submitted_at),
        decidedOn: dateOf(s.decided_at),
        expires: longDate(s.expires_on),
      })),
    });
  });

  app.get<{ Params: { id: string } }>('/catalogue/manage/programmes/:id/edit', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const p = await managed(viewer, req.params.id);
    const provider = (await findProvider(db, p.provider_id))!;
    const [links, orgs] = await Promise.all([
      competencyLinks(db, [p.id]),
      organisationsByIds(db, p.elig_organisation_ids),
    ]);
    return renderForm(reply, provider, {
      existing: p,
      values: {
        title: p.title,
        summary: p.summary,
        outcomes: p.outcomes,
        level: p.level,
        competencies: links.map((l) => String(l.competency_id)),
        format: p.format,
        hours: String(p.hours),
        duration_weeks: String(p.duration_weeks),
        cost_pounds: String(p.cost_pounds),
        funding: p.funding,
        funding_note: p.funding_note,
        elig_levels: p.elig_management_levels,
        elig_bands: p.elig_bands,
        elig_staff_groups: p.elig_staff_groups,
        elig_regions: p.elig_region_ids.map(String),
        elig_org_codes: orgs.map((o) => o.code).join(', '),
        scope: p.scope,
        scope_org_code: p.scope_org_code ?? '',
        local_version_of: p.local_version_of === null ? '' : String(p.local_version_of),
      },
    });
  });

  app.post<{ Params: { id: string } }>('/catalogue/manage/programmes/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const p = await managed(viewer, req.params.id);
    return submit(req, reply, (await findProvider(db, p.provider_id))!, p);
  });

  for (const [path, status, allowed, message] of [
    ['publish', 'published', canPublish, 'Programme published: it is now in the public catalogue.'],
    ['withdraw', 'withdrawn', canWithdraw, 'Programme withdrawn: it no longer appears in the public catalogue.'],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/catalogue/manage/programmes/:id/${path}`, async (req, reply) => {
      const viewer = guard(req, { action: 'catalogue:author' });
      const p = await managed(viewer, req.params.id);
      if (!allowed(p.status)) {
        await setFlash(deps, req, `The programme is ${statusLabels[p.status].toLowerCase()}: nothing changed.`);
      } else {
        await changeStatus(db, { viewer, ip: req.ip }, p, status);
        await setFlash(deps, req, message);
      }
      return reply.redirect(`/catalogue/manage/programmes/${p.id}`, 303);
    });
  }

  const renderSubmission = (
    reply: FastifyReply,
    p: ProgrammeRow,
    values: Record<string, unknown>,
    problems?: ReturnType<typeof problemsInOrder>,
    status = 200,
  ) =>
    reply.render(
      `${views}/submit.njk`,
      {
        title: `Submit ${p.title} for accreditation`,
        breadcrumbs: [
          { href: '/catalogue', text: 'Training' },
          { href: `/catalogue/manage/programmes/${p.id}`, text: p.title },
        ],
        p,
        values,
        errors: problems?.errors ?? [],
        fields: problems?.fields ?? {},
      },
      status,
    );

  app.get<{ Params: { id: string } }>('/catalogue/manage/programmes/:id/accreditation', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const p = await managed(viewer, req.params.id);
    const refusal = submissionRefusal(p);
    if (refusal) {
      await setFlash(deps, req, refusal);
      return reply.redirect(`/catalogue/manage/programmes/${p.id}`, 303);
    }
    return renderSubmission(reply, p, {});
  });

  app.post<{ Params: { id: string } }>('/catalogue/manage/programmes/:id/accreditation', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:author' });
    const p = await managed(viewer, req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const refusal = submissionRefusal(p);
    if (refusal) return renderSubmission(reply, p, body, problemsInOrder(new Map([['main', refusal]]), []), 409);
    const parsed = submissionForm.safeParse(body);
    if (!parsed.success) {
      return renderSubmission(
        reply,
        p,
        body,
        problemsInOrder(zodProblems(parsed.error.issues), Object.keys(submissionForm.shape)),
        400,
      );
    }
    const id = await submitProgramme(db, { viewer, ip: req.ip }, p, parsed.data);
    if (id === undefined) {
      return renderSubmission(
        reply,
        p,
        body,
        problemsInOrder(new Map([['main', 'The programme is already waiting for a decision']]), []),
        409,
      );
    }
    await setFlash(deps, req, 'Submitted for accreditation. A reviewer will assess it against the criteria.');
    return reply.redirect(`/catalogue/manage/programmes/${p.id}`, 303);
  });

  await providerRoutes(app, ctx);
}

function listRow(r: Awaited<ReturnType<typeof programmesOfProvider>>[number]) {
  return {
    ...r,
    levelLabel: levelLabels[r.level],
    statusLabel: statusLabels[r.status],
    accreditationLabel: accreditationLabels[r.accreditation_status],
    nextStart: r.next_cohort_start ? longDate(r.next_cohort_start) : 'None planned',
  };
}
