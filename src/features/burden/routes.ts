import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { forbidden, guard, notFound } from '../../web/http.ts';
import { analysisRoutes } from './analysis-routes.ts';
import { api } from './api.ts';
import { cyclesPerYear } from './burden.ts';
import { effortRoutes } from './effort-routes.ts';
import { itemRoutes } from './item-routes.ts';
import {
  bodyLabel,
  defaultPlace,
  type FormProblems,
  flagsOf,
  problemsInOrder,
  scopeChoices,
  scopeText,
  setFlash,
  showFigures,
  takeFlash,
  todayOf,
  views,
} from './present.ts';
import { duplicatesOf, findReturn, itemsOfReturns, listReturns, type ReturnRow } from './queries.ts';
import {
  appliesTo,
  bodyLabels,
  frequencies,
  frequencyLabels,
  itemNamesFromText,
  requestingBodies,
  scopeLabels,
} from './register.ts';
import { reportRoutes } from './report-routes.ts';
import {
  createReturn,
  curateRefusal,
  editReturn,
  mayCurate,
  nameTaken,
  placeOf,
  placeReturn,
  removeReturn,
  storedPlace,
} from './returns.ts';
import { checkReturn, datePartsToIso, MAX_ITEMS_PER_RETURN, registerFilters } from './schemas.ts';
import { areaSummary } from './summary-queries.ts';
import { registerColumns } from './transfer-format.ts';
import { transferRoutes } from './transfer-routes.ts';

const PAGE_SIZE = 50;
// The form lists its fields in the order of the register's CSV columns, so errors are summarised in that order.
const formOrder = registerColumns;
const dateFields = ['start_date', 'sunset_date'];

const options = <T extends string>(values: readonly T[], labels: Record<T, string>, chosen?: string) =>
  values.map((v) => ({ value: v, text: labels[v], selected: v === chosen, checked: v === chosen }));

/** The form's values as typed (for re-display) from a stored return. */
function formValuesOf(r: ReturnRow, items: string[]): Record<string, string> {
  const parts = (prefix: string, iso: string | null) => {
    const [y, m, d] = iso ? iso.split('-') : ['', '', ''];
    return {
      [`${prefix}-day`]: d ? String(Number(d)) : '',
      [`${prefix}-month`]: m ? String(Number(m)) : '',
      [`${prefix}-year`]: y,
    };
  };
  return {
    name: r.name,
    requesting_body: r.requesting_body,
    legal_basis: r.legal_basis,
    mandatory: r.mandatory ? 'yes' : 'no',
    approval_ref: r.approval_ref ?? '',
    frequency: r.frequency,
    ad_hoc_cycles: r.ad_hoc_cycles === null ? '' : String(r.ad_hoc_cycles),
    deadline_rule: r.deadline_rule,
    submission_route: r.submission_route,
    ...parts('start_date', r.start_date),
    ...parts('sunset_date', r.sunset_date),
    scope: r.scope,
    scope_org_code: r.scope_org_code ?? '',
    owner_org_code: r.owner_org_code && r.owner_org_code !== r.scope_org_code ? r.owner_org_code : '',
    data_items: items.join('\n'),
  };
}

/** Read and check the return form: typed values and item names, or the problems in page order. */
function readForm(body: Record<string, string>) {
  const problems = new Map<string, string>();
  const dates: Record<string, string> = {};
  for (const [field, label] of [
    ['start_date', 'Start date'],
    ['sunset_date', 'Sunset date'],
  ] as const) {
    const r = datePartsToIso(label, {
      day: body[`${field}-day`],
      month: body[`${field}-month`],
      year: body[`${field}-year`],
    });
    if ('problem' in r) problems.set(field, r.problem);
    else dates[field] = r.iso;
  }
  const checked = checkReturn({ ...body, ...dates });
  if (!checked.ok) for (const p of checked.problems) if (!problems.has(p.field)) problems.set(p.field, p.message);
  const items = itemNamesFromText(body.data_items ?? '');
  if (items.length > MAX_ITEMS_PER_RETURN) problems.set('data_items', `List up to ${MAX_ITEMS_PER_RETURN} data items`);
  const bad = items.find((i) => i.length > 200 || i.includes('|'));
  if (bad)
    problems.set(
      'data_items',
      `Each data item name must be up to 200 characters, without “|”: check “${bad.slice(0, 40)}”`,
    );
  return { values: checked.ok ? checked.values : undefined, items, problems };
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  app.get('/burden', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:view' });
    const filters = registerFilters.parse(req.query ?? {});
    const today = todayOf(deps);
    const { page, ...f } = filters;
    const { rows, total } = await listReturns(db, f, today, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const dups = await duplicatesOf(
      db,
      rows.map((r) => r.id),
    );
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const pageUrl = (p: number) => `/burden?${new URLSearchParams({ ...clean(f), page: String(p) })}`;
    return reply.render(`${views}/register.njk`, {
      title: 'Reporting requirements register',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      flash: await takeFlash(deps, req),
      filters: f,
      total,
      rows: rows.map((r) => ({
        ...r,
        bodyLabel: bodyLabel(r.requesting_body),
        scopeText: scopeText(r.scope, r.scope_org_name),
        frequencyLabel: frequencyLabels[r.frequency],
        flags: flagsOf(r, today, dups.get(r.id)),
      })),
      scopeItems: [
        { value: '', text: 'Any scope' },
        ...options(['national', 'regional', 'icb', 'local'] as const, scopeLabels, f.scope),
      ],
      bodyItems: [{ value: '', text: 'Any body' }, ...options(requestingBodies, bodyLabels, f.body)],
      page,
      pages,
      previousUrl: page > 1 ? pageUrl(page - 1) : undefined,
      nextUrl: page < pages ? pageUrl(page + 1) : undefined,
      canCurate: authorise(viewer, { action: 'burden:curate-any' }),
      myOrgs: viewer.grants
        .filter((g) => g.organisationCode && (g.role === 'org_admin' || g.role === 'icb_lead'))
        .map((g) => ({ code: g.organisationCode, name: g.organisationName })),
    });
  });

  const renderForm = (
    reply: FastifyReply,
    viewer: Viewer,
    form: { values: Record<string, string>; existing?: ReturnRow } & Partial<FormProblems>,
    status = 200,
  ) => {
    const choices = scopeChoices(viewer);
    if (form.existing && !choices.includes(form.existing.scope)) choices.unshift(form.existing.scope);
    return reply.render(
      `${views}/return-form.njk`,
      {
        title: form.existing ? `Change ${form.existing.name}` : 'Add a return to the register',
        breadcrumbs: [
          { href: '/burden', text: 'Reporting requirements' },
          ...(form.existing ? [{ href: `/burden/returns/${form.existing.id}`, text: form.existing.name }] : []),
        ],
        existing: form.existing,
        action: form.existing ? `/burden/returns/${form.existing.id}` : '/burden/returns',
        values: form.values,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        bodyItems: [
          { value: '', text: 'Select a body' },
          ...options(requestingBodies, bodyLabels, form.values.requesting_body),
        ],
        frequencyItems: options(frequencies, frequencyLabels, form.values.frequency),
        scopeItems: options(choices, scopeLabels, form.values.scope),
      },
      status,
    );
  };

  app.get('/burden/returns/new', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:curate-any' });
    const place = defaultPlace(viewer);
    return renderForm(reply, viewer, {
      values: { scope: place.scope, scope_org_code: place.code, mandatory: '', frequency: '' },
    });
  });

  /** Create or update: the same checks, in the order a person fixes them. */
  async function submit(req: FastifyRequest, reply: FastifyReply, existing?: ReturnRow) {
    const viewer = guard(req, { action: 'burden:curate-any' });
    const body = (req.body ?? {}) as Record<string, string>;
    const form = readForm(body);
    const fail = (p: Map<string, string>) =>
      renderForm(reply, viewer, { values: body, existing, ...problemsInOrder(p, formOrder, dateFields) }, 400);
    if (!form.values || form.problems.size) return fail(form.problems);
    const v = form.values;
    const placed = await placeReturn(db, v);
    if ('field' in placed) return fail(new Map([[placed.field, placed.message]]));
    if (!mayCurate(viewer, v.scope, placed.scopeOrg ? placeOf(placed.scopeOrg) : null)) {
      const field = v.scope === 'national' ? 'scope' : 'scope_org_code';
      return fail(new Map([[field, curateRefusal(v.scope, placed.scopeOrg)]]));
    }
    if (await nameTaken(db, v, placed, existing?.id)) {
      return fail(
        new Map([
          [
            'name',
            `The register already has a ${scopeLabels[v.scope].toLowerCase()} return called “${v.name}”${placed.scopeOrg ? ` for ${placed.scopeOrg.name}` : ''}`,
          ],
        ]),
      );
    }
    const items = form.items.map((name) => ({ name }));
    const actor = { viewer, ip: req.ip };
    try {
      if (existing) {
        await editReturn(deps, actor, existing, v, placed, items);
        await setFlash(deps, req, `Return “${v.name}” saved.`);
        return reply.redirect(`/burden/returns/${existing.id}`, 303);
      }
      const id = await createReturn(deps, actor, v, placed, items);
      await setFlash(deps, req, `Return “${v.name}” added to the register.`);
      return reply.redirect(`/burden/returns/${id}`, 303);
    } catch (err) {
      // Two curators saving the same name at once: the unique index decides.
      if ((err as { code?: string }).code === '23505') {
        return fail(new Map([['name', `The register already has a return called “${v.name}” in this scope`]]));
      }
      throw err;
    }
  }

  app.post('/burden/returns', async (req, reply) => submit(req, reply));

  const returnOr404 = async (id: string) => {
    if (!/^\d{1,9}$/.test(id)) throw notFound('Return');
    const r = await findReturn(db, Number(id));
    if (!r) throw notFound('Return');
    return r;
  };

  const mayChange = (viewer: Viewer, r: ReturnRow) => mayCurate(viewer, r.scope, storedPlace(r));

  app.get<{ Params: { id: string } }>('/burden/returns/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:view' });
    const r = await returnOr404(req.params.id);
    const today = todayOf(deps);
    const [items, dups, national] = await Promise.all([
      itemsOfReturns(db, [r.id]),
      duplicatesOf(db, [r.id]),
      areaSummary(db, 'nation', 0),
    ]);
    const figures = national.returns.find((x) => x.id === r.id);
    return reply.render(`${views}/return.njk`, {
      title: r.name,
      breadcrumbs: [{ href: '/burden', text: 'Reporting requirements' }],
      flash: await takeFlash(deps, req),
      r: {
        ...r,
        bodyLabel: bodyLabel(r.requesting_body),
        frequencyLabel: frequencyLabels[r.frequency],
        cycles: cyclesPerYear(r.frequency, r.ad_hoc_cycles),
        scopeText: scopeText(r.scope, r.scope_org_name),
        appliesTo: appliesTo(r.scope, r.scope_org_name),
      },
      items: items.get(r.id) ?? [],
      flags: flagsOf(r, today, dups.get(r.id)),
      duplicates: dups.get(r.id) ?? [],
      figures: figures && showFigures(figures),
      canChange: mayChange(viewer, r),
    });
  });

  app.get<{ Params: { id: string } }>('/burden/returns/:id/edit', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:curate-any' });
    const r = await returnOr404(req.params.id);
    if (!mayChange(viewer, r)) throw forbidden();
    const items = (await itemsOfReturns(db, [r.id])).get(r.id) ?? [];
    return renderForm(reply, viewer, {
      values: formValuesOf(
        r,
        items.map((i) => i.name),
      ),
      existing: r,
    });
  });

  app.post<{ Params: { id: string } }>('/burden/returns/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:curate-any' });
    const r = await returnOr404(req.params.id);
    if (!mayChange(viewer, r)) throw forbidden();
    return submit(req, reply, r);
  });

  app.get<{ Params: { id: string } }>('/burden/returns/:id/delete', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:curate-any' });
    const r = await returnOr404(req.params.id);
    if (!mayChange(viewer, r)) throw forbidden();
    return reply.render(`${views}/return-delete.njk`, {
      title: `Delete ${r.name}`,
      breadcrumbs: [
        { href: '/burden', text: 'Reporting requirements' },
        { href: `/burden/returns/${r.id}`, text: r.name },
      ],
      r,
    });
  });

  app.post<{ Params: { id: string } }>('/burden/returns/:id/delete', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:curate-any' });
    const r = await returnOr404(req.params.id);
    if (!mayChange(viewer, r)) throw forbidden();
    if (!(await removeReturn(deps, { viewer, ip: req.ip }, r))) {
      return reply.render(
        `${views}/return-delete.njk`,
        {
          title: `Delete ${r.name}`,
          breadcrumbs: [
            { href: '/burden', text: 'Reporting requirements' },
            { href: `/burden/returns/${r.id}`, text: r.name },
          ],
          r,
          errors: [
            {
              text: 'Organisations have recorded effort on this return, so it cannot be deleted: give it a sunset date instead',
              href: '#delete',
            },
          ],
        },
        409,
      );
    }
    await setFlash(deps, req, `Return “${r.name}” deleted.`);
    return reply.redirect('/burden', 303);
  });

  await itemRoutes(app, ctx);
  await effortRoutes(app, ctx);
  await analysisRoutes(app, ctx);
  await transferRoutes(app, ctx);
  await reportRoutes(app, ctx);
}

function clean(f: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(f)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
}

export const burdenFeature: Feature = { name: 'burden', routes, api };
