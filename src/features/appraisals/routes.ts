import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { hasRole, type Viewer } from '../../plugins/access.ts';
import { guard, notFound } from '../../web/http.ts';
import { adminRoutes } from './admin-routes.ts';
import { api } from './api.ts';
import { statusLabels } from './appraisals.ts';
import { checkinRoutes } from './checkin-routes.ts';
import { behaviourFramework } from './cycle-queries.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import {
  appraisalView,
  behaviourItems,
  objectiveSlots,
  overallItems,
  preparationValues,
  problemsView,
  recordValues,
  setFlash,
  takeFlash,
  views,
} from './present.ts';
import { addendaOf, appraisalsConductedBy, appraisalsOf } from './queries.ts';
import { dateFromParts, dateParts, readPreparation, readRecord, textBody } from './schemas.ts';
import { overallRatingLabels } from './template.ts';
import {
  addAddendum,
  holdMeeting,
  type Outcome,
  prepare,
  problemsOf,
  readAppraisal,
  record,
  sign,
  signAddendumOf,
} from './workflow.ts';

export const idOf = (raw: string, what = 'Appraisal') => {
  if (!/^\d{1,15}$/.test(raw)) throw notFound(what);
  return Number(raw);
};

type Req = FastifyRequest<{ Params: { id: string } }>;

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  /** The appraisal, if the viewer may see it (audited when it is someone else's); 404 otherwise. */
  const load = async (req: Req, viewer: Viewer) => {
    const found = await readAppraisal(deps, { viewer, ip: req.ip }, idOf(req.params.id));
    if (!found) throw notFound('Appraisal');
    return found;
  };

  const crumbs = (id?: number, name?: string) => [
    { href: '/appraisals', text: 'Appraisals' },
    ...(id ? [{ href: `/appraisals/${id}`, text: name ?? 'Appraisal' }] : []),
  ];

  app.get('/appraisals', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const [mine, conducting] = viewer.personId
      ? await Promise.all([appraisalsOf(db, viewer.personId), appraisalsConductedBy(db, viewer.personId)])
      : [[], []];
    const withLabels = <T extends { status: keyof typeof statusLabels; overall_rating: string | null }>(rows: T[]) =>
      rows.map((r) => ({
        ...r,
        statusLabel: statusLabels[r.status],
        ratingLabel: r.overall_rating ? overallRatingLabels[r.overall_rating as keyof typeof overallRatingLabels] : '',
      }));
    return reply.render(`${views}/index.njk`, {
      title: 'Appraisals',
      flash: await takeFlash(deps, req),
      mine: withLabels(mine),
      conducting: withLabels(conducting),
      personId: viewer.personId,
      adminOrgs: viewer.grants.filter((g) => g.role === 'org_admin' && g.organisationCode),
      areas: viewer.grants.filter((g) => (g.role === 'icb_lead' || g.role === 'regional_lead') && g.organisationCode),
      national: hasRole(viewer, 'national_admin'),
    });
  });

  const renderAppraisal = async (
    reply: FastifyReply,
    found: Awaited<ReturnType<typeof load>>,
    extra: { errors?: unknown[]; flash?: string } = {},
    status = 200,
  ) => {
    const a = found.appraisal;
    const [framework, addenda, problems] = await Promise.all([
      behaviourFramework(db, a.framework_version_id),
      addendaOf(db, a.id),
      a.status === 'recorded' ? problemsOf(db, a) : Promise.resolve([]),
    ]);
    return reply.render(
      `${views}/appraisal.njk`,
      {
        title: `Appraisal of ${a.person_name}`,
        breadcrumbs: crumbs(),
        a: appraisalView(a, framework, addenda, found.party, problems),
        access: found.access,
        ...extra,
      },
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/appraisals/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    return renderAppraisal(reply, await load(req, viewer), { flash: await takeFlash(deps, req) });
  });

  /** After a step: the flash and a redirect, or the refusal on the appraisal page. */
  const done = async (req: Req, reply: FastifyReply, viewer: Viewer, outcome: Outcome, text: string) => {
    if (!outcome.ok) {
      return renderAppraisal(
        reply,
        await load(req, viewer),
        { errors: [{ text: outcome.reason, href: '#main' }] },
        409,
      );
    }
    const withdrawn = outcome.withdrawn?.length
      ? ' The content changed, so the signature given so far was withdrawn.'
      : '';
    await setFlash(deps, req, `${text}${withdrawn}`);
    return reply.redirect(`/appraisals/${req.params.id}`, 303);
  };

  // The appraisee's preparation, saved as they go.
  const renderPrepare = async (
    reply: FastifyReply,
    found: Awaited<ReturnType<typeof load>>,
    values: Record<string, string>,
    problems: { errors: unknown[]; fields: Record<string, unknown> } = { errors: [], fields: {} },
    status = 200,
  ) =>
    reply.render(
      `${views}/prepare.njk`,
      {
        title: 'Prepare for your appraisal',
        breadcrumbs: crumbs(found.appraisal.id, `Appraisal of ${found.appraisal.person_name}`),
        a: found.appraisal,
        values,
        slots: objectiveSlots(values),
        ...problems,
      },
      status,
    );

  app.get<{ Params: { id: string } }>('/appraisals/:id/prepare', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const found = await load(req, viewer);
    if (found.party !== 'appraisee' || found.appraisal.status === 'locked') throw notFound('Page');
    return renderPrepare(reply, found, preparationValues(found.appraisal));
  });

  app.post<{ Params: { id: string } }>('/appraisals/:id/prepare', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const body = (req.body ?? {}) as Record<string, string>;
    const input = readPreparation(body);
    if (!input.ok) return renderPrepare(reply, await load(req, viewer), body, problemsView(input.problems), 400);
    const outcome = await prepare(deps, { viewer, ip: req.ip }, idOf(req.params.id), input.value);
    return done(req, reply, viewer, outcome, 'Your preparation is saved.');
  });

  // The appraiser records the date of the meeting.
  const renderMeeting = (
    reply: FastifyReply,
    found: Awaited<ReturnType<typeof load>>,
    values: Record<string, string>,
    problems: { errors: unknown[]; fields: Record<string, unknown> } = { errors: [], fields: {} },
    status = 200,
  ) =>
    reply.render(
      `${views}/meeting.njk`,
      {
        title: 'Record the appraisal meeting',
        breadcrumbs: crumbs(found.appraisal.id, `Appraisal of ${found.appraisal.person_name}`),
        a: found.appraisal,
        values,
        ...problems,
      },
      status,
    );

  app.get<{ Params: { id: string } }>('/appraisals/:id/meeting', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const found = await load(req, viewer);
    if (found.party !== 'appraiser' || found.appraisal.status === 'locked') throw notFound('Page');
    const p = dateParts(found.appraisal.meeting_on);
    return renderMeeting(reply, found, {
      'meeting_on-day': p.day,
      'meeting_on-month': p.month,
      'meeting_on-year': p.year,
    });
  });

  app.post<{ Params: { id: string } }>('/appraisals/:id/meeting', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const body = (req.body ?? {}) as Record<string, string>;
    const date = dateFromParts(body, 'meeting_on', 'date of the meeting');
    if ('problem' in date) {
      return renderMeeting(
        reply,
        await load(req, viewer),
        body,
        problemsView([{ field: 'meeting_on-day', message: date.problem }]),
        400,
      );
    }
    const outcome = await holdMeeting(deps, { viewer, ip: req.ip }, idOf(req.params.id), date.iso);
    return done(req, reply, viewer, outcome, 'The meeting date is recorded.');
  });

  // The appraiser's record: behaviours against the framework and the overall rating.
  const renderRecord = async (
    reply: FastifyReply,
    found: Awaited<ReturnType<typeof load>>,
    values: Record<string, string>,
    problems: { errors: unknown[]; fields: Record<string, unknown> } = { errors: [], fields: {} },
    status = 200,
  ) => {
    const fw = await behaviourFramework(db, found.appraisal.framework_version_id);
    return reply.render(
      `${views}/record.njk`,
      {
        title: 'Record the appraisal',
        breadcrumbs: crumbs(found.appraisal.id, `Appraisal of ${found.appraisal.person_name}`),
        a: found.appraisal,
        domains: fw.domains.map((d) => ({
          ...d,
          items: behaviourItems(fw.levels, values[`behaviour_${d.code}`] ?? ''),
        })),
        overallItems: overallItems(values.overall_rating ?? ''),
        values,
        ...problems,
      },
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/appraisals/:id/record', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const found = await load(req, viewer);
    if (found.party !== 'appraiser' || !['meeting_held', 'recorded'].includes(found.appraisal.status)) {
      throw notFound('Page');
    }
    const fw = await behaviourFramework(db, found.appraisal.framework_version_id);
    return renderRecord(reply, found, recordValues(found.appraisal, fw.domains));
  });

  app.post<{ Params: { id: string } }>('/appraisals/:id/record', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const found = await load(req, viewer);
    const body = (req.body ?? {}) as Record<string, string>;
    const fw = await behaviourFramework(db, found.appraisal.framework_version_id);
    const input = readRecord(body, fw.domains, fw.levels);
    if (!input.ok) return renderRecord(reply, found, body, problemsView(input.problems), 400);
    const outcome = await record(deps, { viewer, ip: req.ip }, found.appraisal.id, input.value);
    return done(req, reply, viewer, outcome, 'The appraisal is recorded. Both of you can now sign it.');
  });

  app.post<{ Params: { id: string } }>('/appraisals/:id/sign', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const outcome = await sign(deps, { viewer, ip: req.ip }, idOf(req.params.id));
    return done(
      req,
      reply,
      viewer,
      outcome,
      outcome.ok && outcome.locked
        ? 'Both of you have signed: the appraisal is locked.'
        : 'You have signed the appraisal.',
    );
  });

  app.post<{ Params: { id: string } }>('/appraisals/:id/addenda', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const parsed = textBody('addendum', 'addendum', 5000).safeParse(req.body ?? {});
    if (!parsed.success) {
      const problems = problemsView([{ field: 'addendum', message: parsed.error.issues[0]!.message }]);
      return renderAppraisal(reply, await load(req, viewer), problems, 400);
    }
    const outcome = await addAddendum(
      deps,
      { viewer, ip: req.ip },
      idOf(req.params.id),
      parsed.data.addendum as string,
    );
    return done(req, reply, viewer, outcome, 'The addendum is added. It needs both signatures.');
  });

  app.post<{ Params: { id: string; addendum: string } }>(
    '/appraisals/:id/addenda/:addendum/sign',
    async (req, reply) => {
      const viewer = guard(req, { action: 'signed-in' });
      const outcome = await signAddendumOf(
        deps,
        { viewer, ip: req.ip },
        idOf(req.params.id),
        idOf(req.params.addendum, 'Addendum'),
      );
      return done(
        req as unknown as Req,
        reply,
        viewer,
        outcome,
        outcome.ok && outcome.locked
          ? 'Both of you have signed the addendum: it is locked.'
          : 'You have signed the addendum.',
      );
    },
  );

  await checkinRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await dashboardRoutes(app, ctx);
}

export const appraisalsFeature: Feature = { name: 'appraisals', routes, api };
