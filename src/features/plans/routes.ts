import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { HttpError, notFound } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { historyByVersion } from '../assessments/present.ts';
import { assessmentsOf, findAssessment, latestSubmitted } from '../assessments/queries.ts';
import { loadModels, scored } from '../assessments/result.ts';
import {
  auditWrite,
  flash,
  formBody,
  formList,
  home,
  idParam,
  ownPerson,
  readSubject,
  takeFlash,
} from '../assessments/web.ts';
import { api } from './api.ts';
import { dateFromParts, itemForm, planStatuses, presentItem, statusLabels, withDueParts } from './plans.ts';
import { addManualItem, addPlanItems, findPlanItem, type PlanItemRow, planOf, updatePlanItem } from './queries.ts';
import { recordRoutes } from './record-routes.ts';

// The development plan: the person's items (from self-assessment gaps, 360, appraisal or added by hand), each
// with status, due date and agreed support; and a person's development overview for their line manager or admin.

const views = 'features/plans/views';
const planUrl = `${home}/plan`;
const crumbs = [
  { href: '/', text: 'Home' },
  { href: home, text: 'Development' },
];

/** The plan's items, and the framework versions they (and `also`) use, each version read once. */
async function presentPlan(db: AppContext['deps']['db'], items: PlanItemRow[], also: number[] = []) {
  const models = await loadModels(db, [
    ...items.flatMap((i) => (i.framework_version_id ? [{ framework_version_id: i.framework_version_id }] : [])),
    ...also.map((id) => ({ framework_version_id: id })),
  ]);
  return { items: items.map((i) => presentItem(i, models)), models };
}

type Form = { values?: Record<string, string>; errors?: FieldError[]; fields?: Record<string, { text: string }> };

/** Validate the item form (title, status, due date in three fields, support). */
function readItemForm(body: Record<string, string>) {
  const errors: FieldError[] = [];
  const fields: Record<string, { text: string }> = {};
  const parsed = itemForm.safeParse({ status: 'not_started', ...body, support: body.support ?? '' });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const f = String(issue.path[0]);
      if (fields[f]) continue;
      fields[f] = { text: issue.message };
      errors.push({ text: issue.message, href: `#${f}` });
    }
  }
  const due = dateFromParts(body['due-day'], body['due-month'], body['due-year']);
  if (due === 'invalid') {
    fields.due = { text: 'Enter a real due date, for example 31 3 2027' };
    errors.push({ text: fields.due.text, href: '#due-day' });
  }
  return parsed.success && due !== 'invalid'
    ? { ok: true as const, data: { ...parsed.data, due } }
    : { ok: false as const, errors, fields };
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  const renderPlan = async (
    req: FastifyRequest,
    reply: FastifyReply,
    personId: number,
    form: Form = {},
    status = 200,
  ) => {
    // The competency list comes from the latest assessment's framework version: only its model is needed, not
    // its scores, and the plan's items usually use the same version, so it is read once for both (from memory).
    // The items and the latest assessment are independent reads, made at the same time.
    const [latest, rows] = await Promise.all([latestSubmitted(db, personId), planOf(db, personId)]);
    const plan = await presentPlan(db, rows, latest ? [latest.framework_version_id] : []);
    const latestModel = latest ? plan.models.get(latest.framework_version_id) : undefined;
    const v = form.values ?? {};
    return reply.render(
      `${views}/plan.njk`,
      {
        title: 'Your development plan',
        breadcrumbs: crumbs,
        flash: await takeFlash(ctx, req),
        items: plan.items,
        competencyItems: [
          { value: '', text: 'No competency', selected: !v.competency },
          ...(latestModel?.content.competencies.map((c) => ({
            value: String(c.id),
            text: `${c.code} ${c.title}`,
            selected: v.competency === String(c.id),
          })) ?? []),
        ],
        frameworkText: latestModel ? `${latestModel.meta.title}, version ${latestModel.meta.version}` : undefined,
        values: v,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  app.get(planUrl, async (req, reply) => renderPlan(req, reply, ownPerson(req).personId));

  app.post(planUrl, async (req, reply) => {
    const { viewer, personId } = ownPerson(req);
    const body = withDueParts(formBody(req));
    const form = readItemForm(body);
    if (!form.ok) return renderPlan(req, reply, personId, { values: body, ...form }, 400);
    let competency: { versionId: number; id: number } | null = null;
    if (body.competency) {
      const latest = await latestSubmitted(db, personId);
      const c = latest
        ? (await scored(db, latest)).model.content.competencies.find((x) => String(x.id) === body.competency)
        : undefined;
      if (!latest || !c)
        throw new HttpError(400, 'The competency is not part of your latest self-assessment’s framework');
      competency = { versionId: latest.framework_version_id, id: c.id };
    }
    const id = await addManualItem(db, personId, {
      title: form.data.title,
      competency,
      dueOn: form.data.due,
      support: form.data.support,
    });
    await auditWrite(db, req, viewer, { action: 'plan.item.add', subjectType: 'development_plan_item', subjectId: id });
    await flash(ctx, req, `“${form.data.title}” added to your plan.`);
    return reply.redirect(planUrl, 303);
  });

  const renderItem = async (
    reply: FastifyReply,
    item: NonNullable<Awaited<ReturnType<typeof findPlanItem>>>,
    form: Form = {},
    status = 200,
  ) => {
    const models = await loadModels(
      db,
      item.framework_version_id ? [{ framework_version_id: item.framework_version_id }] : [],
    );
    const [y, m, d] = (item.due_on ?? '').split('-');
    const v = form.values ?? {
      title: item.title,
      status: item.status,
      support: item.support,
      'due-day': d ?? '',
      'due-month': m ?? '',
      'due-year': y ?? '',
    };
    return reply.render(
      `${views}/item.njk`,
      {
        title: 'Change a plan item',
        breadcrumbs: [...crumbs, { href: planUrl, text: 'Development plan' }],
        item: presentItem(item, models),
        statusItems: planStatuses.map((s) => ({ value: s, text: statusLabels[s], checked: v.status === s })),
        values: v,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  const ownItem = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const { viewer, personId } = ownPerson(req);
    const item = await findPlanItem(db, idParam(req.params.id, 'Plan item'));
    if (!item || item.person_id !== personId) throw notFound('Plan item');
    return { viewer, item };
  };

  app.get<{ Params: { id: string } }>(`${planUrl}/:id`, async (req, reply) =>
    renderItem(reply, (await ownItem(req)).item),
  );

  app.post<{ Params: { id: string } }>(`${planUrl}/:id`, async (req, reply) => {
    const { viewer, item } = await ownItem(req);
    const body = withDueParts(formBody(req));
    const form = readItemForm(body);
    if (!form.ok) return renderItem(reply, item, { values: body, ...form }, 400);
    await updatePlanItem(db, item.id, {
      title: form.data.title,
      status: form.data.status,
      dueOn: form.data.due,
      support: form.data.support,
    });
    await auditWrite(db, req, viewer, {
      action: 'plan.item.update',
      subjectType: 'development_plan_item',
      subjectId: item.id,
      details: { status: form.data.status },
    });
    await flash(ctx, req, `“${form.data.title}” updated.`);
    return reply.redirect(planUrl, 303);
  });

  app.post<{ Params: { aid: string } }>(`${planUrl}/from-assessment/:aid`, async (req, reply) => {
    const { viewer, personId } = ownPerson(req);
    const a = await findAssessment(db, idParam(req.params.aid, 'Self-assessment'));
    if (!a || a.person_id !== personId || a.status !== 'submitted') throw notFound('Self-assessment');
    const chosen = new Set(formList(req, 'gap'));
    const s = await scored(db, a);
    const gaps = s.result.gaps.filter((g) => chosen.has(String(g.id)));
    if (!gaps.length) throw new HttpError(400, 'Select at least one gap to add to your development plan');
    const ids = await addPlanItems(
      db,
      personId,
      gaps.map((g) => ({
        frameworkVersionId: a.framework_version_id,
        competencyId: g.id,
        title: `Develop ${g.title.charAt(0).toLowerCase()}${g.title.slice(1)} to ${g.requiredLabel.toLowerCase()}`,
        source: 'assessment' as const,
        sourceId: String(a.id),
      })),
    );
    await auditWrite(db, req, viewer, {
      action: 'plan.item.add',
      subjectType: 'self_assessment',
      subjectId: a.id,
      details: { items: ids, from_gaps: gaps.map((g) => g.code) },
    });
    const skipped = gaps.length - ids.length;
    await flash(
      ctx,
      req,
      `${ids.length} item${ids.length === 1 ? '' : 's'} added to your plan${skipped ? ` (${skipped} already there)` : ''}.`,
    );
    return reply.redirect(planUrl, 303);
  });

  // A person's development, read-only, for their line manager or an admin of their organisation (audited).
  app.get<{ Params: { pid: string } }>('/development/people/:pid', async (req, reply) => {
    const personId = idParam(req.params.pid, 'Person');
    const { person, access, loaded } = await readSubject(
      db,
      req,
      personId,
      { action: 'development.read', subjectType: 'person' },
      () => Promise.all([assessmentsOf(db, personId), planOf(db, personId)]),
    );
    const rows = loaded[0].filter((a) => a.status === 'submitted');
    const name = `${person.given_name} ${person.family_name}`;
    return reply.render(`${views}/person.njk`, {
      title: `Development of ${name}`,
      breadcrumbs: crumbs,
      name,
      personId,
      access,
      history: historyByVersion(rows, await loadModels(db, rows)),
      items: (await presentPlan(db, loaded[1])).items,
    });
  });

  await recordRoutes(app, ctx);
}

export const plansFeature: Feature = { name: 'plans', routes, api };
