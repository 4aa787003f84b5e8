import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { setFlash, takeFlash } from '../../plugins/session.ts';
import { formErrors, guard, notFound, readUpload } from '../../web/http.ts';
import { datePartsToIso } from '../priorities/priorities.ts';
import { type OrgRef, orgByCode } from '../priorities/queries.ts';
import { placeOf } from '../priorities/register.ts';
import { cellText, type DataTable, page } from '../priorities/tables.ts';
import { api } from './api.ts';
import { findReorganisation, logOf, teamsForUnits } from './queries.ts';
import { recordOutcome, recordReorganisation, resolveUnit } from './record.ts';
import { numberText, outcomeInput, reorganisationInput, repeatedWithinThreeYears, unitKey } from './reorganisations.ts';
import { areaView } from './summary.ts';
import { exportLog, importLog, type LineError } from './transfer.ts';

const views = 'features/reorganisations/views';
const crumbs = [
  { href: '/', text: 'Home' },
  { href: '/reorganisations', text: 'Reorganisations' },
];
const money = (v: string | number | null) => (v === null ? null : Number(v));

/** The log with the three-year flag, as a table. */
function logTable(org: OrgRef, rows: Awaited<ReturnType<typeof logOf>>): DataTable {
  const repeated = repeatedWithinThreeYears(
    rows.map((r) => ({ id: r.id, unit: unitKey(r), effective_on: r.effective_on })),
  );
  return {
    id: 'log',
    caption: `Reorganisations of ${org.name}, newest first`,
    columns: [
      { key: 'unit', label: 'Unit' },
      { key: 'effective_on', label: 'Took effect' },
      { key: 'staff_affected', label: 'Staff affected', numeric: true },
      { key: 'cost', label: 'Cost (£)', numeric: true },
      { key: 'rationale', label: 'Rationale' },
      { key: 'expected_benefits', label: 'Expected benefits' },
      { key: 'review_on', label: 'Review date' },
      { key: 'outcome', label: 'Outcome' },
      { key: 'flag', label: 'Restructured again within 3 years' },
    ],
    rows: rows.map((r) => ({
      unit: r.unit_name,
      effective_on: r.effective_on,
      staff_affected: r.staff_affected,
      cost: money(r.cost),
      rationale: r.rationale,
      expected_benefits: r.expected_benefits,
      review_on: r.review_on ?? 'None set',
      outcome: r.outcome ?? 'Not recorded yet',
      flag: repeated.has(r.id) ? 'Yes: within 3 years of the previous one' : 'No',
    })),
    hrefs: rows.map((r) => `/reorganisations/${r.id}`),
    note: 'Cost “Not available”: no cost recorded.',
  };
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  const orgFor = async (req: FastifyRequest, code: string, record = false) => {
    guard(req, { action: 'workload:aggregates' });
    const org = await orgByCode(db, code);
    if (!org) throw notFound('Organisation');
    guard(req, { action: record ? 'reorganisations:record' : 'workload:org-detail', org: placeOf(org) });
    return org;
  };

  app.get('/reorganisations', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    return reply.render(`${views}/index.njk`, {
      title: 'Reorganisations',
      breadcrumbs: [crumbs[0]],
      adminOrgs: viewer.grants.filter((g) => g.role === 'org_admin' && g.organisationCode),
      areaGrants: viewer.grants.filter(
        (g) => (g.role === 'icb_lead' || g.role === 'regional_lead') && g.organisationCode,
      ),
    });
  });

  page(app, '/reorganisations/organisations/:code', `${views}/organisation.njk`, async (req) => {
    const org = await orgFor(req, (req.params as { code: string }).code);
    const rows = await logOf(db, org.id);
    const log = logTable(org, rows);
    const years = await areaView(deps, 'organisation', org.id, org.name);
    return {
      base: `/reorganisations/organisations/${org.code}`,
      name: `reorganisations-${org.code}`,
      context: {
        title: `Reorganisations of ${org.name}`,
        breadcrumbs: crumbs,
        flash: await takeFlash(deps, req),
        org,
        count: rows.length,
        flagged: log.rows.filter((r) => String(r.flag).startsWith('Yes')).length,
        chart: years.chart,
        canRecord: authorise(req.viewer, { action: 'reorganisations:record', org: placeOf(org) }),
      },
      tables: [log, years.years],
    };
  });

  const renderForm = async (
    reply: FastifyReply,
    org: OrgRef,
    values: Record<string, string>,
    problems?: { errors: { text: string; href: string }[]; fields: Record<string, { text: string }> },
  ) => {
    const teams = (await teamsForUnits(db, org.id)).filter((t) => t.closed_on === null);
    return reply.render(
      `${views}/form.njk`,
      {
        title: `Record a reorganisation of ${org.name}`,
        breadcrumbs: [...crumbs, { href: `/reorganisations/organisations/${org.code}`, text: org.name }],
        org,
        values,
        unitItems: [
          {
            value: 'organisation',
            text: `The whole organisation (${org.name})`,
            selected: values.unit === 'organisation',
          },
          ...teams.map((t) => ({ value: String(t.id), text: t.name, selected: values.unit === String(t.id) })),
        ],
        errors: problems?.errors ?? [],
        fields: problems?.fields ?? {},
      },
      problems ? 400 : 200,
    );
  };

  app.get<{ Params: { code: string } }>('/reorganisations/organisations/:code/new', async (req, reply) => {
    const org = await orgFor(req, req.params.code, true);
    return renderForm(reply, org, { unit: 'organisation' });
  });

  app.post<{ Params: { code: string } }>('/reorganisations/organisations/:code', async (req, reply) => {
    const org = await orgFor(req, req.params.code, true);
    const viewer = req.viewer as Viewer;
    const body = (req.body ?? {}) as Record<string, string>;
    const fields: Record<string, { text: string }> = {};
    const dates: Record<string, string> = {};
    for (const [field, label] of [
      ['effective_on', 'The date it took effect'],
      ['review_on', 'The review date'],
    ] as const) {
      const r = datePartsToIso(label, {
        day: body[`${field}-day`],
        month: body[`${field}-month`],
        year: body[`${field}-year`],
      });
      if ('problem' in r) fields[field] = { text: r.problem };
      else dates[field] = r.iso;
    }
    const parsed = reorganisationInput.safeParse({
      effective_on: dates.effective_on ?? '2000-01-01',
      staff_affected: numberText(body.staff_affected),
      rationale: body.rationale,
      cost: numberText(body.cost),
      expected_benefits: body.expected_benefits,
      review_on: dates.review_on ?? '',
    });
    if (!parsed.success) for (const [k, v] of Object.entries(formErrors(parsed.error).fields)) fields[k] ??= v;
    const unit = await resolveUnit(deps, org, body.unit ?? '');
    if ('problem' in unit) fields.unit = { text: unit.problem };
    const order = ['unit', 'effective_on', 'staff_affected', 'rationale', 'cost', 'expected_benefits', 'review_on'];
    if (!parsed.success || 'problem' in unit || Object.keys(fields).length) {
      const anchor = (f: string) => (f.endsWith('_on') ? `#${f}-day` : `#${f}`);
      return renderForm(reply, org, body, {
        errors: order.filter((f) => fields[f]).map((f) => ({ text: fields[f]!.text, href: anchor(f) })),
        fields,
      });
    }
    await recordReorganisation(deps, { viewer, ip: req.ip }, org, unit, parsed.data);
    await setFlash(deps, req, `Reorganisation of ${unit.unitName} recorded.`);
    return reply.redirect(`/reorganisations/organisations/${org.code}`, 303);
  });

  const reorgOr404 = async (req: FastifyRequest, id: string) => {
    guard(req, { action: 'workload:aggregates' });
    const r = /^\d{1,12}$/.test(id) ? await findReorganisation(db, Number(id)) : undefined;
    if (!r) throw notFound('Reorganisation');
    const [org] = await db
      .selectFrom('organisations')
      .select(['id', 'code', 'name', 'kind', 'icb_id', 'region_id'])
      .where('id', '=', r.organisation_id)
      .execute();
    guard(req, { action: 'workload:org-detail', org: placeOf(org!) });
    return { r, org: org! };
  };

  const renderOne = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    problems?: ReturnType<typeof formErrors>,
    values: Record<string, string> = {},
  ) => {
    const { r, org } = await reorgOr404(req, id);
    const log = await logOf(db, org.id);
    const repeated = repeatedWithinThreeYears(
      log.map((x) => ({ id: x.id, unit: unitKey(x), effective_on: x.effective_on })),
    );
    return reply.render(
      `${views}/reorganisation.njk`,
      {
        title: `Reorganisation of ${r.unit_name}`,
        breadcrumbs: [...crumbs, { href: `/reorganisations/organisations/${org.code}`, text: org.name }],
        flash: await takeFlash(deps, req),
        r: { ...r, costText: r.cost === null ? 'Not recorded' : `£${cellText(Number(r.cost))}` },
        org,
        repeated: repeated.has(r.id),
        canRecord: authorise(req.viewer, { action: 'reorganisations:record', org: placeOf(org) }),
        values,
        errors: problems?.errors ?? [],
        fields: problems?.fields ?? {},
      },
      problems ? 400 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/reorganisations/:id', async (req, reply) =>
    renderOne(req, reply, req.params.id),
  );

  app.post<{ Params: { id: string } }>('/reorganisations/:id/outcome', async (req, reply) => {
    const { r, org } = await reorgOr404(req, req.params.id);
    const viewer = guard(req, { action: 'reorganisations:record', org: placeOf(org) });
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = outcomeInput.safeParse(body);
    if (!parsed.success) return renderOne(req, reply, req.params.id, formErrors(parsed.error), body);
    await recordOutcome(deps, { viewer, ip: req.ip }, r.id, parsed.data.outcome);
    await setFlash(deps, req, 'Outcome recorded.');
    return reply.redirect(`/reorganisations/${r.id}`, 303);
  });

  for (const format of ['csv', 'json'] as const) {
    app.get<{ Params: { code: string } }>(
      `/reorganisations/organisations/:code/export.${format}`,
      async (req, reply) => {
        const org = await orgFor(req, req.params.code);
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="reorganisations-${org.code}.${format}"`)
          .send(exportLog(await logOf(db, org.id), format));
      },
    );
  }

  const renderImport = (reply: FastifyReply, org: OrgRef, extra: Record<string, unknown> = {}, status = 200) =>
    reply.render(
      `${views}/import.njk`,
      {
        title: `Import reorganisations of ${org.name}`,
        breadcrumbs: [...crumbs, { href: `/reorganisations/organisations/${org.code}`, text: org.name }],
        org,
        errors: [],
        fields: {},
        ...extra,
      },
      status,
    );

  app.get<{ Params: { code: string } }>('/reorganisations/organisations/:code/import', async (req, reply) =>
    renderImport(reply, await orgFor(req, req.params.code, true)),
  );

  app.post<{ Params: { code: string } }>(
    '/reorganisations/organisations/:code/import',
    { config: { csrf: false } },
    async (req, reply) => {
      const org = await orgFor(req, req.params.code, true);
      const { file, tooLarge } = await readUpload(app, req, reply, 5 * 1024 * 1024);
      const fail = (text: string, status = 400) =>
        renderImport(reply, org, { errors: [{ text, href: '#file' }], fields: { file: { text } } }, status);
      if (tooLarge) return fail('The file must be smaller than 5 MB', 413);
      if (!file) return fail('Select a CSV or JSON file to import');
      if (!/\.(csv|json)$/i.test(file.filename))
        return fail('The file must be a CSV file (.csv) or a JSON file (.json)');
      const result = await importLog(deps, { viewer: req.viewer!, ip: req.ip }, org, file);
      if (!result.ok) {
        const errs = result.errors as LineError[];
        return renderImport(
          reply,
          org,
          {
            errors: errs.slice(0, 10).map((p, i) => ({ text: `Line ${p.line}: ${p.message}`, href: `#problem-${i}` })),
            problems: errs,
            filename: file.filename,
          },
          400,
        );
      }
      await setFlash(
        deps,
        req,
        `Imported ${file.filename}: ${result.created} added, ${result.updated} updated. Nothing else changed.`,
      );
      return reply.redirect(`/reorganisations/organisations/${org.code}`, 303);
    },
  );

  page(app, '/reorganisations/areas/:code', `${views}/area.njk`, async (req) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const code = (req.params as { code: string }).code;
    let area: OrgRef | undefined;
    if (code.toLowerCase() !== 'england') {
      area = await orgByCode(db, code);
      if (!area || (area.kind !== 'region' && area.kind !== 'icb')) throw notFound('Region or ICB');
    }
    const level = !area ? 'nation' : area.kind === 'region' ? 'region' : 'icb';
    const name = area?.name ?? 'England';
    const v = await areaView(deps, level, area?.id ?? 0, name, (c) =>
      level === 'icb'
        ? authorise(viewer, { action: 'workload:org-detail', org: { id: c.id, icbId: null, regionId: null } })
          ? `/reorganisations/organisations/${c.code}`
          : undefined
        : `/reorganisations/areas/${c.code}`,
    );
    return {
      base: `/reorganisations/areas/${area?.code ?? 'england'}`,
      name: `reorganisations-${area?.code ?? 'england'}`,
      context: {
        title: `Reorganisations in ${name}`,
        breadcrumbs: crumbs,
        area,
        level,
        name,
        chart: v.chart,
        totals: v.totals,
      },
      tables: [v.years, ...(v.children ? [v.children] : [])],
    };
  });
}

export const reorganisationsFeature: Feature = { name: 'reorganisations', routes, api };
