import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { hasRole } from '../../plugins/access.ts';
import { guard, notFound } from '../../web/http.ts';
import { adminRoutes } from './admin-routes.ts';
import { api } from './api.ts';
import { type Party, statusLabels } from './appraisals.ts';
import { checkinRoutes } from './checkin-routes.ts';
import { behaviourFramework } from './cycle-queries.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import {
  behaviourItems,
  objectiveSlots,
  overallItems,
  preparationValues,
  recordValues,
  takeFlash,
  views,
} from './present.ts';
import { appraisalsConductedBy, appraisalsOf } from './queries.ts';
import { dateParts, readDate, readPreparation, readRecord, readText } from './schemas.ts';
import { appraisalPages, crumbs, type Found, formPage, idOf } from './steps.ts';
import { overallRatingLabels } from './template.ts';
import { addAddendum, holdMeeting, prepare, record, sign, signAddendumOf } from './workflow.ts';

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;
  const { load, renderAppraisal, step } = appraisalPages(deps);
  type Params = { Params: { id: string } };

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

  app.get<Params>('/appraisals/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    return renderAppraisal(reply, await load(req, viewer), { flash: await takeFlash(deps, req) });
  });

  /** A page of one appraisal's form, for one party while the appraisal is at a stage that allows it. */
  const formOf = async (req: FastifyRequest<Params>, party: Party, stages: (status: string) => boolean) => {
    const found = await load(req, guard(req, { action: 'signed-in' }));
    if (found.party !== party || !stages(found.appraisal.status)) throw notFound('Page');
    return found;
  };
  const about = (found: Found) => ({
    breadcrumbs: crumbs(found.appraisal.id, `Appraisal of ${found.appraisal.person_name}`),
    a: found.appraisal,
  });

  // The appraisee's preparation, saved as they go.
  const renderPrepare = formPage<Found>('prepare.njk', (found, values) => ({
    title: 'Prepare for your appraisal',
    ...about(found),
    slots: objectiveSlots(values),
  }));

  app.get<Params>('/appraisals/:id/prepare', async (req, reply) => {
    const found = await formOf(req, 'appraisee', (s) => s !== 'locked');
    return renderPrepare(reply, found, preparationValues(found.appraisal));
  });

  app.post(
    '/appraisals/:id/prepare',
    step({
      form: { read: readPreparation, show: renderPrepare },
      run: (actor, id, input) => prepare(deps, actor, id, input),
      done: 'Your preparation is saved.',
    }),
  );

  // The appraiser records the date of the meeting.
  const renderMeeting = formPage<Found>('meeting.njk', (found) => ({
    title: 'Record the appraisal meeting',
    ...about(found),
  }));

  app.get<Params>('/appraisals/:id/meeting', async (req, reply) => {
    const found = await formOf(req, 'appraiser', (s) => s !== 'locked');
    const p = dateParts(found.appraisal.meeting_on);
    return renderMeeting(reply, found, {
      'meeting_on-day': p.day,
      'meeting_on-month': p.month,
      'meeting_on-year': p.year,
    });
  });

  app.post(
    '/appraisals/:id/meeting',
    step({
      form: { read: (body) => readDate(body, 'meeting_on', 'date of the meeting'), show: renderMeeting },
      run: (actor, id, on) => holdMeeting(deps, actor, id, on),
      done: 'The meeting date is recorded.',
    }),
  );

  // The appraiser's record: behaviours against the framework and the overall rating.
  const renderRecord = formPage<Found>('record.njk', async (found, values) => {
    const fw = await behaviourFramework(db, found.appraisal.framework_version_id);
    return {
      title: 'Record the appraisal',
      ...about(found),
      domains: fw.domains.map((d) => ({ ...d, items: behaviourItems(fw.levels, values[`behaviour_${d.code}`] ?? '') })),
      overallItems: overallItems(values.overall_rating ?? ''),
    };
  });

  app.get<Params>('/appraisals/:id/record', async (req, reply) => {
    const found = await formOf(req, 'appraiser', (s) => s === 'meeting_held' || s === 'recorded');
    const fw = await behaviourFramework(db, found.appraisal.framework_version_id);
    return renderRecord(reply, found, recordValues(found.appraisal, fw.domains));
  });

  app.post(
    '/appraisals/:id/record',
    step({
      form: {
        read: async (body, found) => {
          const fw = await behaviourFramework(db, (await found()).appraisal.framework_version_id);
          return readRecord(body, fw.domains, fw.levels);
        },
        show: renderRecord,
      },
      run: (actor, id, input) => record(deps, actor, id, input),
      done: 'The appraisal is recorded. Both of you can now sign it.',
    }),
  );

  app.post(
    '/appraisals/:id/sign',
    step({
      run: (actor, id) => sign(deps, actor, id),
      done: (o) => (o.locked ? 'Both of you have signed: the appraisal is locked.' : 'You have signed the appraisal.'),
    }),
  );

  app.post(
    '/appraisals/:id/addenda',
    step({
      form: {
        read: (body) => readText(body, 'addendum', 'addendum', 5000),
        show: (reply, found, _body, problems, status) => renderAppraisal(reply, found, problems, status),
      },
      run: (actor, id, text) => addAddendum(deps, actor, id, text),
      done: 'The addendum is added. It needs both signatures.',
    }),
  );

  app.post(
    '/appraisals/:id/addenda/:addendum/sign',
    step({
      run: (actor, id, _none, req) => signAddendumOf(deps, actor, id, idOf(req.params.addendum ?? '', 'Addendum')),
      done: (o) => (o.locked ? 'Both of you have signed the addendum: it is locked.' : 'You have signed the addendum.'),
    }),
  );

  await checkinRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await dashboardRoutes(app, ctx);
}

export const appraisalsFeature: Feature = { name: 'appraisals', routes, api };
