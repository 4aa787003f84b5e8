import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { audit } from '../../plugins/audit.ts';
import { disclosedRate } from '../../stats/disclosure.ts';
import { formErrors, HttpError, notFound, singleError } from '../../web/http.ts';
import type { ProgrammeRow } from '../catalogue/queries.ts';
import { parseId } from './booking-routes.ts';
import { outcomeLabels, outcomes } from './cohorts.ts';
import { recordAttendance, recordCompletions } from './completion.ts';
import { attendanceOf, feedbackSummary } from './completion-queries.ts';
import { addSession, editCohort, removeSession } from './editing.ts';
import { auditRegisterRead, providerAccess } from './manage-access.ts';
import { interestCount } from './person-queries.ts';
import {
  dayText,
  londonToUtc,
  oneDecimal,
  placesText,
  sessionFlash,
  sessionText,
  setFlash,
  statusTag,
  takeFlash,
  todayOf,
  views,
} from './present.ts';
import {
  type CohortRow,
  cohortRegister,
  cohortsOfProgramme,
  insertCohort,
  sessionsOf,
  updateCohort,
} from './queries.ts';
import { cohortForm, type Problems, parseSession, readBookingWindow, readDate, statusForm } from './schemas.ts';

/** The provider's pages: cohorts of their programmes, sessions, the register, attendance, completions, feedback. */

export async function manageRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  const { managedProgramme, managedCohort, syncNextStart } = providerAccess(deps);

  async function programmePage(req: FastifyRequest, reply: FastifyReply, programme: ProgrammeRow, problems?: Problems) {
    const cohorts = await cohortsOfProgramme(db, programme.id, { includeDrafts: true });
    return reply.render(
      `${views}/manage-programme.njk`,
      {
        title: `Cohorts of ${programme.title}`,
        breadcrumbs: [
          { href: '/catalogue/manage', text: 'Manage programmes' },
          { href: `/catalogue/manage/programmes/${programme.id}`, text: programme.title },
        ],
        flash: await takeFlash(deps, req),
        programme,
        interest: await interestCount(db, programme.id),
        cohorts: cohorts.map((c) => ({ ...c, startsText: dayText(c.starts_on), placesText: placesText(c) })),
        values: problems ? req.body : { funder_approval: programme.funding === 'none' ? 'no' : 'yes' },
        errors: problems?.errors,
        fields: problems?.fields ?? {},
      },
      problems ? 400 : 200,
    );
  }

  app.get<{ Params: { id: string } }>('/cohorts/manage/programmes/:id', async (req, reply) => {
    const { programme } = await managedProgramme(req, parseId(req.params.id, 'Programme'));
    return programmePage(req, reply, programme);
  });

  app.post<{ Params: { id: string } }>('/cohorts/manage/programmes/:id', async (req, reply) => {
    const { viewer, programme } = await managedProgramme(req, parseId(req.params.id, 'Programme'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = cohortForm.safeParse(body);
    const problems: Problems = parsed.success ? { errors: [], fields: {} } : formErrors(parsed.error);
    const { opens, closes } = readBookingWindow(body, problems);
    if (!parsed.success || problems.errors.length) return programmePage(req, reply, programme, problems);
    const id = await insertCohort(
      db,
      programme.id,
      {
        name: parsed.data.name,
        capacity: parsed.data.capacity,
        booking_opens_on: opens.data!,
        booking_closes_on: closes.data!,
        funder_approval: parsed.data.funder_approval === 'yes',
      },
      viewer.accountId,
    );
    await setFlash(
      deps,
      req,
      `Cohort “${parsed.data.name}” added as a draft: add its sessions, then open it for booking`,
    );
    return reply.redirect(`/cohorts/manage/${id}`, 303);
  });

  async function cohortPage(
    req: FastifyRequest,
    reply: FastifyReply,
    cohort: CohortRow,
    programme: ProgrammeRow,
    problems?: Problems,
    status = 200,
  ) {
    const [sessions, register, attendance, feedback] = await Promise.all([
      sessionsOf(db, [cohort.id]),
      cohortRegister(db, cohort.id),
      attendanceOf(db, cohort.id),
      feedbackSummary(db, cohort.id),
    ]);
    await auditRegisterRead(db, { viewer: req.viewer, ip: req.ip }, cohort.id, 'page', register.length);
    const min = deps.config.disclosureMin;
    const confirmed = register.filter((r) => r.status === 'confirmed');
    const attended = new Map(attendance.map((a) => [`${a.session_id}:${a.application_id}`, a.attended]));
    return reply.render(
      `${views}/manage-cohort.njk`,
      {
        title: `${cohort.name}: ${programme.title}`,
        breadcrumbs: [
          { href: '/catalogue/manage', text: 'Manage programmes' },
          { href: `/cohorts/manage/programmes/${programme.id}`, text: `Cohorts of ${programme.title}` },
        ],
        flash: await takeFlash(deps, req),
        errors: problems?.errors,
        fields: problems?.fields ?? {},
        values: problems ? req.body : {},
        cohort: {
          ...cohort,
          placesText: placesText(cohort),
          opensText: dayText(cohort.booking_opens_on),
          closesText: dayText(cohort.booking_closes_on),
        },
        programme,
        sessions: sessions.map((s) => ({
          ...s,
          text: sessionText(s),
          hasAttendance: attendance.some((a) => a.session_id === s.id),
          people: confirmed.map((r) => ({
            id: r.id,
            name: `${r.given_name} ${r.family_name}`,
            attended: attended.get(`${s.id}:${r.id}`) === true,
          })),
        })),
        register: register.map((r) => ({
          ...r,
          name: `${r.given_name} ${r.family_name}`,
          tag: statusTag(r.status),
          outcomeText: r.outcome ? outcomeLabels[r.outcome] : null,
          certificate: r.outcome === 'passed' || r.outcome === 'completed',
        })),
        confirmed: confirmed.map((r) => ({ id: r.id, name: `${r.given_name} ${r.family_name}`, outcome: r.outcome })),
        outcomeItems: [
          { value: '', text: 'Not recorded' },
          ...outcomes.map((o) => ({ value: o, text: outcomeLabels[o] })),
        ],
        feedback: {
          n: feedback.n,
          shown: feedback.n >= min,
          min,
          overall: oneDecimal(feedback.n >= min ? feedback.overall : null),
          relevance: oneDecimal(feedback.n >= min ? feedback.relevance : null),
          recommend:
            disclosedRate(feedback.recommend, feedback.n, min) === null
              ? '*'
              : `${Math.round(disclosedRate(feedback.recommend, feedback.n, min)! * 100)}%`,
          comments: feedback.n >= min ? feedback.comments : [],
        },
      },
      status,
    );
  }

  app.get<{ Params: { id: string } }>('/cohorts/manage/:id', async (req, reply) => {
    const { cohort, programme } = await managedCohort(req);
    return cohortPage(req, reply, cohort, programme);
  });

  app.post<{ Params: { id: string } }>('/cohorts/manage/:id/status', async (req, reply) => {
    const { cohort, programme } = await managedCohort(req);
    const parsed = statusForm.safeParse(req.body ?? {});
    if (!parsed.success) return cohortPage(req, reply, cohort, programme, formErrors(parsed.error), 400);
    const next = parsed.data.status;
    if (next === 'open' && (await sessionsOf(db, [cohort.id])).length === 0) {
      return cohortPage(
        req,
        reply,
        cohort,
        programme,
        singleError('status', 'Add at least one session before opening the cohort for booking'),
        400,
      );
    }
    if (next === 'cancelled' && cohort.places_taken > 0) {
      return cohortPage(
        req,
        reply,
        cohort,
        programme,
        singleError('status', 'People hold places on this cohort: cancel or move their bookings before cancelling it'),
        409,
      );
    }
    await updateCohort(db, cohort.id, { status: next });
    await audit(
      db,
      { viewer: req.viewer, ip: req.ip },
      {
        action: 'cohorts.cohort.status',
        subjectType: 'cohort',
        subjectId: cohort.id,
        details: { from: cohort.status, to: next },
      },
    );
    await syncNextStart(programme.id);
    await setFlash(deps, req, `Cohort status changed to ${next}`);
    return reply.redirect(`/cohorts/manage/${cohort.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/cohorts/manage/:id/capacity', async (req, reply) => {
    const { viewer, cohort, programme } = await managedCohort(req);
    const parsed = cohortForm.shape.capacity.safeParse((req.body as { capacity?: unknown } | undefined)?.capacity);
    if (!parsed.success)
      return cohortPage(req, reply, cohort, programme, singleError('capacity', parsed.error.issues[0]!.message), 400);
    const result = await editCohort(deps, { viewer, ip: req.ip }, cohort.id, { ...cohort, capacity: parsed.data });
    if (!result.ok) return cohortPage(req, reply, cohort, programme, singleError('capacity', result.problem), 400);
    await setFlash(
      deps,
      req,
      `Capacity changed to ${parsed.data}${result.promoted ? `; ${result.promoted} people moved off the wait-list` : ''}`,
    );
    return reply.redirect(`/cohorts/manage/${cohort.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/cohorts/manage/:id/sessions', async (req, reply) => {
    const { viewer, cohort, programme } = await managedCohort(req);
    const parsed = parseSession((req.body ?? {}) as Record<string, unknown>, londonToUtc);
    if (!parsed.ok) return cohortPage(req, reply, cohort, programme, parsed.problems, 400);
    await addSession(deps, { viewer, ip: req.ip }, cohort.id, parsed.session);
    await syncNextStart(programme.id);
    await setFlash(deps, req, sessionFlash('Session added', cohort));
    return reply.redirect(`/cohorts/manage/${cohort.id}`, 303);
  });

  app.post<{ Params: { id: string; sid: string } }>('/cohorts/manage/:id/sessions/:sid/delete', async (req, reply) => {
    const { viewer, cohort, programme } = await managedCohort(req);
    const sid = parseId(req.params.sid, 'Session');
    const removed = await removeSession(deps, { viewer, ip: req.ip }, cohort.id, sid);
    if (!removed.ok && removed.status === 404) throw notFound('Session');
    if (!removed.ok) {
      return cohortPage(
        req,
        reply,
        cohort,
        programme,
        { errors: [{ text: removed.problem, href: `#session-${sid}` }], fields: {} },
        409,
      );
    }
    await syncNextStart(programme.id);
    await setFlash(deps, req, sessionFlash('Session removed', cohort));
    return reply.redirect(`/cohorts/manage/${cohort.id}`, 303);
  });

  app.post<{ Params: { id: string; sid: string } }>(
    '/cohorts/manage/:id/sessions/:sid/attendance',
    async (req, reply) => {
      const { viewer, cohort } = await managedCohort(req);
      const sid = parseId(req.params.sid, 'Session');
      const sessions = await sessionsOf(db, [cohort.id]);
      if (!sessions.some((s) => s.id === sid)) throw notFound('Session');
      const body = (req.body ?? {}) as { attended?: string | string[] };
      const present = new Set([body.attended ?? []].flat().map(Number));
      const register = (await cohortRegister(db, cohort.id)).filter((r) => r.status === 'confirmed');
      const n = await recordAttendance(
        deps,
        { viewer, ip: req.ip },
        cohort.id,
        sid,
        register.map((r) => ({ applicationId: r.id, attended: present.has(r.id) })),
      );
      await setFlash(deps, req, `Attendance recorded for ${n} people`);
      return reply.redirect(`/cohorts/manage/${cohort.id}#session-${sid}`, 303);
    },
  );

  app.post<{ Params: { id: string } }>('/cohorts/manage/:id/completions', async (req, reply) => {
    const { viewer, cohort, programme } = await managedCohort(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const date = readDate(body, 'completed', 'completion date');
    if (!date.success) {
      return cohortPage(
        req,
        reply,
        cohort,
        programme,
        { ...singleError('completed-day', date.error.issues[0]!.message) },
        400,
      );
    }
    if (date.data > todayOf(deps)) {
      return cohortPage(
        req,
        reply,
        cohort,
        programme,
        singleError('completed-day', 'The completion date must be today or in the past'),
        400,
      );
    }
    const entries = Object.entries(body)
      .filter(([k, v]) => k.startsWith('outcome_') && v !== '')
      .map(([k, v]) => ({
        applicationId: Number(k.slice('outcome_'.length)),
        outcome: v as (typeof outcomes)[number],
        completedOn: date.data,
      }));
    if (entries.some((e) => !outcomes.includes(e.outcome) || !Number.isInteger(e.applicationId))) {
      throw new HttpError(400, 'An outcome is not one of the choices offered');
    }
    if (!entries.length) {
      return cohortPage(
        req,
        reply,
        cohort,
        programme,
        singleError('completions', 'Select an outcome for at least one person'),
        400,
      );
    }
    const result = await recordCompletions(deps, { viewer, ip: req.ip }, cohort.id, programme, entries);
    if (!result.ok) throw new HttpError(409, result.problem);
    await setFlash(deps, req, `${result.recorded} completions recorded; ${result.certificates} certificates issued`);
    return reply.redirect(`/cohorts/manage/${cohort.id}`, 303);
  });
}
