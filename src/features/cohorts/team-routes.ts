import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { forbidden, formErrors, guard, HttpError, notFound, singleError } from '../../web/http.ts';
import { programmesByIds } from '../catalogue/queries.ts';
import { directReports } from '../people/queries.ts';
import { assignReservedPlace, decideApplication, releaseReservation, reservePlaces } from './booking.ts';
import { reservationsOfManager } from './booking-queries.ts';
import { parseId, visibleProgramme } from './booking-routes.ts';
import { pendingForFunder, pendingForManager } from './person-queries.ts';
import { dayText, setFlash, statusTag, takeFlash, views } from './present.ts';
import { findCohort } from './queries.ts';
import { assignForm, decisionForm, reserveForm } from './schemas.ts';

/** Line managers and funders: approvals to give, and places reserved for a team. */

const orgAdminOrgs = (v: Viewer) =>
  v.grants.filter((g) => g.role === 'org_admin' && g.organisationId !== null).map((g) => g.organisationId!);

export async function teamRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  async function approvalsPage(
    req: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    problem?: ReturnType<typeof singleError>,
    status = 200,
  ) {
    const asManager = await pendingForManager(db, viewer.managerAssignmentIds);
    const asFunder = await pendingForFunder(db, orgAdminOrgs(viewer));
    const programmes = new Map(
      (await programmesByIds(db, [...new Set([...asManager, ...asFunder].map((a) => a.programme_id))])).map((p) => [
        p.id,
        p,
      ]),
    );
    const shape = (a: (typeof asManager)[number]) => ({
      ...a,
      name: `${a.given_name} ${a.family_name}`,
      programme: programmes.get(a.programme_id)?.title ?? 'Programme',
      startsText: dayText(a.starts_on),
      appliedText: a.applied_at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }),
      tag: statusTag(a.status),
    });
    if (asManager.length + asFunder.length > 0) {
      await audit(
        db,
        { viewer, ip: req.ip },
        {
          action: 'cohorts.approvals.view',
          details: { manager: asManager.length, funder: asFunder.length },
        },
      );
    }
    return reply.render(
      `${views}/approvals.njk`,
      {
        title: 'Development applications to approve',
        breadcrumbs: [{ href: '/', text: 'Home' }],
        flash: await takeFlash(deps, req),
        errors: problem?.errors,
        asManager: asManager.map(shape),
        asFunder: asFunder.map(shape),
        isFunder: orgAdminOrgs(viewer).length > 0,
      },
      status,
    );
  }

  app.get('/cohorts/approvals', async (req, reply) => approvalsPage(req, reply, guard(req, { action: 'signed-in' })));

  app.post<{ Params: { id: string } }>('/cohorts/approvals/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const id = parseId(req.params.id, 'Application');
    const parsed = decisionForm.safeParse(req.body ?? {});
    if (!parsed.success) {
      const { errors } = formErrors(parsed.error);
      return approvalsPage(
        req,
        reply,
        viewer,
        { errors: errors.map((e) => ({ ...e, href: `#decision-${id}` })), fields: {} },
        400,
      );
    }
    const { decision, as, note } = parsed.data;
    const result = await decideApplication(
      deps,
      id,
      as,
      decision === 'approve',
      {
        accountId: viewer.accountId,
        may: (a) =>
          as === 'manager'
            ? a.approver_assignment_id !== null && viewer.managerAssignmentIds.includes(a.approver_assignment_id)
            : a.organisation_id !== null &&
              authorise(viewer, { action: 'cohorts:approve-funding', organisationId: a.organisation_id }),
      },
      note || null,
    );
    if (!result.ok) {
      if (result.status === 404 || result.status === 403) throw new HttpError(result.status, result.problem);
      return approvalsPage(req, reply, viewer, singleError(`decision-${id}`, result.problem), result.status);
    }
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: as === 'manager' ? 'cohorts.decision.manager' : 'cohorts.decision.funder',
        subjectType: 'cohort_application',
        subjectId: id,
        personId: result.personId,
        details: { decision, status: result.status, promoted: result.promoted },
      },
    );
    await setFlash(
      deps,
      req,
      decision === 'approve' ? 'Application approved' : 'Application not approved: the place has been freed',
    );
    return reply.redirect('/cohorts/approvals', 303);
  });

  const manager = (req: FastifyRequest): Viewer & { personId: number } => {
    const viewer = guard(req, { action: 'signed-in' });
    if (viewer.personId === null || viewer.managerAssignmentIds.length === 0) throw forbidden();
    return viewer as Viewer & { personId: number };
  };

  app.post<{ Params: { id: string } }>('/cohorts/:id/reservations', async (req, reply) => {
    const viewer = manager(req);
    const cohort = await findCohort(db, parseId(req.params.id, 'Cohort'));
    if (!cohort || cohort.status === 'draft') throw notFound('Cohort');
    const programme = await visibleProgramme(req, ctx, cohort.programme_id);
    const parsed = reserveForm.safeParse(req.body ?? {});
    if (!parsed.success) throw new HttpError(400, parsed.error.issues[0]!.message);
    const result = await reservePlaces(deps, {
      cohortId: cohort.id,
      managerPersonId: viewer.personId,
      accountId: viewer.accountId,
      places: parsed.data.places,
    });
    if (!result.ok) throw new HttpError(result.status, result.problem);
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'cohorts.reserve',
        subjectType: 'cohort_reservation',
        subjectId: result.id,
        details: { cohortId: cohort.id, places: parsed.data.places },
      },
    );
    await setFlash(
      deps,
      req,
      `${parsed.data.places} place(s) reserved on ${programme.title}, ${cohort.name}: name who takes them`,
    );
    return reply.redirect('/cohorts/reservations', 303);
  });

  async function reservationsPage(
    req: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer & { personId: number },
    problem?: ReturnType<typeof singleError>,
    status = 200,
  ) {
    const reservations = await reservationsOfManager(db, viewer.personId);
    const programmes = new Map(
      (await programmesByIds(db, [...new Set(reservations.map((r) => r.programme_id))])).map((p) => [p.id, p]),
    );
    const reports = await directReports(db, viewer, viewer.managerAssignmentIds);
    return reply.render(
      `${views}/reservations.njk`,
      {
        title: 'Places reserved for your team',
        breadcrumbs: [{ href: '/', text: 'Home' }],
        flash: await takeFlash(deps, req),
        errors: problem?.errors,
        reservations: reservations.map((r) => ({
          ...r,
          programme: programmes.get(r.programme_id)?.title ?? 'Programme',
          startsText: dayText(r.starts_on),
          free: r.places - r.used,
        })),
        reports: reports.map((p) => ({
          value: String(p.id),
          text: `${p.given_name} ${p.family_name}, ${p.position_title}`,
        })),
      },
      status,
    );
  }

  app.get('/cohorts/reservations', async (req, reply) => reservationsPage(req, reply, manager(req)));

  app.post<{ Params: { id: string } }>('/cohorts/reservations/:id/assign', async (req, reply) => {
    const viewer = manager(req);
    const rid = parseId(req.params.id, 'Reservation');
    const parsed = assignForm.safeParse(req.body ?? {});
    if (!parsed.success)
      return reservationsPage(req, reply, viewer, singleError(`person-${rid}`, 'Select a person'), 400);
    const reports = await directReports(db, viewer, viewer.managerAssignmentIds);
    if (!reports.some((p) => p.id === parsed.data.person_id)) {
      return reservationsPage(
        req,
        reply,
        viewer,
        singleError(`person-${rid}`, 'Select one of your direct reports'),
        400,
      );
    }
    const result = await assignReservedPlace(deps, {
      reservationId: rid,
      managerPersonId: viewer.personId,
      personId: parsed.data.person_id,
      accountId: viewer.accountId,
    });
    if (!result.ok) {
      if (result.status === 404) throw notFound('Reservation');
      return reservationsPage(req, reply, viewer, singleError(`person-${rid}`, result.problem), result.status);
    }
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'cohorts.reservation.assign',
        subjectType: 'cohort_application',
        subjectId: result.id,
        personId: parsed.data.person_id,
        details: { reservationId: rid },
      },
    );
    await setFlash(deps, req, 'The place has been given to your team member');
    return reply.redirect('/cohorts/reservations', 303);
  });

  app.post<{ Params: { id: string } }>('/cohorts/reservations/:id/release', async (req, reply) => {
    const viewer = manager(req);
    const rid = parseId(req.params.id, 'Reservation');
    const result = await releaseReservation(deps, rid, viewer.personId);
    if (!result.ok) throw new HttpError(result.status, result.problem);
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'cohorts.reservation.release',
        subjectType: 'cohort_reservation',
        subjectId: rid,
        details: { released: result.released, promoted: result.promoted },
      },
    );
    await setFlash(deps, req, `${result.released} unused place(s) released`);
    return reply.redirect('/cohorts/reservations', 303);
  });
}
