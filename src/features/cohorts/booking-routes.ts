import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { forbidden, guard, HttpError, notFound, singleError } from '../../web/http.ts';
import { eligibilityReason, isEligible } from '../catalogue/eligibility.ts';
import { eligibilityOf, findProgramme, type ProgrammeRow } from '../catalogue/queries.ts';
import { applicantOf, apply, cancelApplication } from './booking.ts';
import { bookingWindow } from './cohorts.ts';
import { hasInterest, liveApplicationsOf, registerInterest, withdrawInterest } from './person-queries.ts';
import { dayText, placesText, sessionText, setFlash, statusTag, takeFlash, todayOf, views } from './present.ts';
import { cohortsOfProgramme, findCohort, sessionsOf } from './queries.ts';
import { idParam } from './schemas.ts';

/** A programme's cohorts as a person sees them: dates, places, apply, register interest. */

export function parseId(value: unknown, what: string): number {
  const r = idParam.safeParse({ id: value });
  if (!r.success) throw notFound(what);
  return r.data.id;
}

/** A published programme (or any programme its provider's admins manage). */
export async function visibleProgramme(req: FastifyRequest, ctx: AppContext, id: number): Promise<ProgrammeRow> {
  const programme = await findProgramme(ctx.deps.db, id);
  if (!programme) throw notFound('Programme');
  const manages = authorise(req.viewer, {
    action: 'catalogue:manage-provider',
    provider: { id: programme.provider_id, organisationId: programme.provider_organisation_id },
  });
  if (programme.status !== 'published' && !manages) throw notFound('Programme');
  return programme;
}

export async function bookingRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  async function cohortsPage(
    req: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    programme: ProgrammeRow,
    problem?: { errors: { text: string; href: string }[] },
    status = 200,
  ) {
    const today = todayOf(deps);
    const cohorts = await cohortsOfProgramme(db, programme.id, { includeDrafts: false });
    const sessions = await sessionsOf(
      db,
      cohorts.map((c) => c.id),
    );
    const mine =
      viewer.personId !== null
        ? await liveApplicationsOf(
            db,
            viewer.personId,
            cohorts.map((c) => c.id),
          )
        : [];
    const eligibility =
      viewer.personId !== null
        ? eligibilityReason({ eligibility: eligibilityOf(programme) }, (await applicantOf(db, viewer.personId)).facts)
        : { eligible: false, text: 'Only staff with an NHS record can apply' };
    const open = cohorts.filter((c) => c.status === 'open' && (c.starts_on === null || c.starts_on >= today));
    return reply.render(
      `${views}/programme-cohorts.njk`,
      {
        title: `Dates and booking: ${programme.title}`,
        breadcrumbs: [
          { href: '/catalogue', text: 'Catalogue' },
          { href: `/catalogue/${programme.id}`, text: programme.title },
        ],
        errors: problem?.errors,
        flash: await takeFlash(deps, req),
        programme,
        eligibility,
        interested: viewer.personId !== null && (await hasInterest(db, programme.id, viewer.personId)),
        isManager: viewer.managerAssignmentIds.length > 0 && viewer.personId !== null,
        cohorts: open.map((c) => {
          const app = mine.find((m) => m.cohort_id === c.id);
          const window = bookingWindow(c, today);
          return {
            ...c,
            startsText: dayText(c.starts_on),
            placesText: placesText(c),
            full: c.places_taken >= c.capacity,
            window,
            opensText: dayText(c.booking_opens_on),
            closesText: dayText(c.booking_closes_on),
            sessions: sessions.filter((s) => s.cohort_id === c.id).map((s) => ({ ...s, text: sessionText(s) })),
            mine: app ? statusTag(app.status) : undefined,
          };
        }),
      },
      status,
    );
  }

  app.get<{ Params: { id: string } }>('/catalogue/:id/cohorts', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const programme = await visibleProgramme(req, ctx, parseId(req.params.id, 'Programme'));
    return cohortsPage(req, reply, viewer, programme);
  });

  app.post<{ Params: { id: string } }>('/cohorts/:id/apply', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    if (viewer.personId === null) throw new HttpError(403, 'Only staff with an NHS record can apply for a programme');
    const cohort = await findCohort(db, parseId(req.params.id, 'Cohort'));
    if (!cohort || cohort.status === 'draft') throw notFound('Cohort');
    const programme = await visibleProgramme(req, ctx, cohort.programme_id);
    const rules = { eligibility: eligibilityOf(programme) };
    const result = await apply(deps, {
      cohortId: cohort.id,
      personId: viewer.personId,
      eligible: (facts) => isEligible(rules, facts),
    });
    if (!result.ok) {
      return cohortsPage(
        req,
        reply,
        viewer,
        programme,
        singleError(`cohort-${cohort.id}`, result.problem),
        result.status,
      );
    }
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'cohorts.apply',
        subjectType: 'cohort_application',
        subjectId: result.id,
        personId: viewer.personId,
        details: { cohortId: cohort.id, status: result.status },
      },
    );
    const said = {
      confirmed: 'Your place is confirmed',
      awaiting_approval: 'A place is held for you while your application is approved',
      waitlisted: 'The cohort is full: you are on the wait-list',
    }[result.status as 'confirmed' | 'awaiting_approval' | 'waitlisted'];
    await setFlash(deps, req, `${said}: ${programme.title}, ${cohort.name}`);
    return reply.redirect('/me/bookings', 303);
  });

  app.post<{ Params: { id: string } }>('/catalogue/:id/interest', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    if (viewer.personId === null) throw new HttpError(403, 'Only staff with an NHS record can register interest');
    const programme = await visibleProgramme(req, ctx, parseId(req.params.id, 'Programme'));
    const withdraw = (req.body as { action?: string } | undefined)?.action === 'withdraw';
    if (withdraw) {
      await withdrawInterest(db, programme.id, viewer.personId);
    } else {
      const { main } = await applicantOf(db, viewer.personId);
      await registerInterest(db, {
        programme_id: programme.id,
        person_id: viewer.personId,
        organisation_id: main?.organisation_id ?? null,
        staff_group: main?.staff_group ?? null,
      });
    }
    await setFlash(
      deps,
      req,
      withdraw
        ? `You are no longer registered as interested in ${programme.title}`
        : `Interest registered: we will email you before booking for ${programme.title} closes`,
    );
    return reply.redirect(`/catalogue/${programme.id}/cohorts`, 303);
  });

  app.post<{ Params: { id: string } }>('/me/bookings/:id/cancel', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    if (viewer.personId === null) throw forbidden();
    const result = await cancelApplication(deps, parseId(req.params.id, 'Booking'), (p) => p === viewer.personId);
    if (!result.ok) throw new HttpError(result.status, result.problem);
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'cohorts.cancel',
        subjectType: 'cohort_application',
        subjectId: req.params.id,
        personId: viewer.personId,
        details: { promoted: result.promoted },
      },
    );
    await setFlash(deps, req, 'Your place has been cancelled');
    return reply.redirect('/me/bookings', 303);
  });
}
