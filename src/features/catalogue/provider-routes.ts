import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { audit } from '../../plugins/audit.ts';
import { guard, notFound } from '../../web/http.ts';
import { providerKindLabels, providerKinds } from './catalogue.ts';
import { options, problemsInOrder, setFlash, takeFlash, views, zodProblems } from './present.ts';
import {
  findProvider,
  grantProviderAdmin,
  insertProvider,
  listProviders,
  organisationsByCodes,
  providerAdmins,
  providerNameTaken,
} from './queries.ts';
import { adminForm, providerForm } from './schemas.ts';

// National admins register providers and name their admins (docs/learning-catalogue.md, "Providers").

export async function providerRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  app.get('/catalogue/providers', async (req, reply) => {
    guard(req, { action: 'catalogue:manage-providers' });
    const rows = await listProviders(db);
    return reply.render(`${views}/providers.njk`, {
      title: 'Training providers',
      breadcrumbs: [{ href: '/catalogue', text: 'Training' }],
      flash: await takeFlash(deps, req),
      rows: rows.map((r) => ({ ...r, kindLabel: providerKindLabels[r.kind] })),
    });
  });

  const renderNew = (
    reply: FastifyReply,
    values: Record<string, unknown>,
    problems?: ReturnType<typeof problemsInOrder>,
    status = 200,
  ) =>
    reply.render(
      `${views}/provider-form.njk`,
      {
        title: 'Add a training provider',
        breadcrumbs: [
          { href: '/catalogue', text: 'Training' },
          { href: '/catalogue/providers', text: 'Training providers' },
        ],
        values,
        kindItems: options(providerKinds, providerKindLabels, String(values.kind ?? '')),
        errors: problems?.errors ?? [],
        fields: problems?.fields ?? {},
      },
      status,
    );

  app.get('/catalogue/providers/new', async (req, reply) => {
    guard(req, { action: 'catalogue:manage-providers' });
    return renderNew(reply, {});
  });

  app.post('/catalogue/providers', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:manage-providers' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const order = Object.keys(providerForm.shape);
    const parsed = providerForm.safeParse(body);
    if (!parsed.success) return renderNew(reply, body, problemsInOrder(zodProblems(parsed.error.issues), order), 400);
    const f = parsed.data;
    const problems = new Map<string, string>();
    if (await providerNameTaken(db, f.name)) problems.set('name', `There is already a provider called ${f.name}`);
    const [org] = f.organisation_code ? await organisationsByCodes(db, [f.organisation_code]) : [];
    if (f.organisation_code && !org)
      problems.set('organisation_code', `No organisation has the code ${f.organisation_code}`);
    if (f.kind === 'nhs_organisation' && !f.organisation_code) {
      problems.set('organisation_code', 'Enter the ODS code of the NHS organisation');
    }
    const [region] = f.region_code ? await organisationsByCodes(db, [f.region_code]) : [];
    if (f.region_code && region?.kind !== 'region')
      problems.set('region_code', `${f.region_code} is not a region code, like Y56`);
    if (problems.size) return renderNew(reply, body, problemsInOrder(problems, order), 400);
    const id = await insertProvider(db, {
      name: f.name,
      kind: f.kind,
      organisationId: org?.id ?? null,
      regionId: region?.id ?? org?.region_id ?? null,
      website: f.website || null,
      contactEmail: f.contact_email || null,
    });
    await audit(
      db,
      { viewer, ip: req.ip },
      { action: 'catalogue.provider.create', subjectType: 'provider', subjectId: id, details: { name: f.name } },
    );
    await setFlash(deps, req, `Provider ${f.name} added. Name its admins below.`);
    return reply.redirect(`/catalogue/manage/providers/${id}`, 303);
  });

  app.get<{ Params: { pid: string } }>('/catalogue/manage/providers/:pid/admins', async (req, reply) => {
    guard(req, { action: 'catalogue:manage-providers' });
    return renderAdmins(reply, req.params.pid, { flash: await takeFlash(deps, req) });
  });

  const renderAdmins = async (
    reply: FastifyReply,
    pid: string,
    values: Record<string, unknown>,
    problems?: ReturnType<typeof problemsInOrder>,
    status = 200,
  ) => {
    if (!/^\d{1,12}$/.test(pid)) throw notFound('Provider');
    const provider = await findProvider(db, Number(pid));
    if (!provider) throw notFound('Provider');
    return reply.render(
      `${views}/provider-admins.njk`,
      {
        title: `Admins of ${provider.name}`,
        breadcrumbs: [
          { href: '/catalogue', text: 'Training' },
          { href: `/catalogue/manage/providers/${provider.id}`, text: provider.name },
        ],
        provider,
        flash: values.flash,
        admins: await providerAdmins(db, provider.id),
        values,
        errors: problems?.errors ?? [],
        fields: problems?.fields ?? {},
      },
      status,
    );
  };

  app.post<{ Params: { pid: string } }>('/catalogue/manage/providers/:pid/admins', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:manage-providers' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = adminForm.safeParse(body);
    if (!parsed.success)
      return renderAdmins(
        reply,
        req.params.pid,
        body,
        problemsInOrder(zodProblems(parsed.error.issues), ['email']),
        400,
      );
    const provider = /^\d{1,12}$/.test(req.params.pid) ? await findProvider(db, Number(req.params.pid)) : undefined;
    if (!provider) throw notFound('Provider');
    const account = await grantProviderAdmin(db, provider.id, parsed.data.email, viewer.accountId);
    if (!account) {
      const text = `No account has the email address ${parsed.data.email}: they need an account first`;
      return renderAdmins(reply, req.params.pid, body, problemsInOrder(new Map([['email', text]]), ['email']), 400);
    }
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'catalogue.provider.grant-admin',
        subjectType: 'provider',
        subjectId: provider.id,
        details: { account_id: account.id },
      },
    );
    await setFlash(deps, req, `${account.display_name} can now manage ${provider.name}’s programmes.`);
    return reply.redirect(`/catalogue/manage/providers/${provider.id}/admins`, 303);
  });
}
