import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { guard, HttpError, notFound, schemaError } from '../../web/http.ts';
import { isEligible } from '../catalogue/eligibility.ts';
import { eligibilityOf, findProgramme, programmesByIds } from '../catalogue/queries.ts';
import {
  applicationReply,
  bookingsReply,
  type CompletionsBody,
  cohortsReply,
  completionsBody,
  completionsReply,
  errorReply,
  idParams,
  registerReply,
} from './api-schemas.ts';
import { apply } from './booking.ts';
import { bookingWindow } from './cohorts.ts';
import { recordCompletions } from './completion.ts';
import { bookingsOf, certificatesOf } from './completion-queries.ts';
import { auditRegisterRead } from './manage-access.ts';
import { todayOf } from './present.ts';
import { cohortRegister, cohortsOfProgramme, findCohort, sessionsOf } from './queries.ts';

const tags = ['Cohorts and booking'];
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply, 409: errorReply };

/** JSON API under /api/v1: a programme's cohorts, applying, one's bookings, and providers' completions. */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'signed-in' });
  });
  app.setSchemaErrorFormatter(schemaError);

  const programmeFor = async (id: number, viewer: Parameters<typeof authorise>[0]) => {
    const p = await findProgramme(db, id);
    const manages =
      p &&
      authorise(viewer, {
        action: 'catalogue:manage-provider',
        provider: { id: p.provider_id, organisationId: p.provider_organisation_id },
      });
    if (!p || (p.status !== 'published' && !manages)) throw notFound(`Programme ${id}`);
    return { programme: p, manages: !!manages };
  };

  app.get<{ Params: { id: number } }>(
    '/programmes/:id/cohorts',
    {
      schema: {
        tags,
        summary: 'Cohorts of a programme',
        description:
          'The open and completed cohorts of a published programme, soonest first, with sessions and free places.',
        params: idParams,
        response: { 200: cohortsReply, ...errors },
      },
    },
    async (req) => {
      const { programme } = await programmeFor(req.params.id, req.viewer);
      const cohorts = await cohortsOfProgramme(db, programme.id, { includeDrafts: false });
      const sessions = await sessionsOf(
        db,
        cohorts.map((c) => c.id),
      );
      const today = todayOf(deps);
      return {
        programme_id: programme.id,
        items: cohorts.map((c) => ({
          id: c.id,
          name: c.name,
          status: c.status,
          starts_on: c.starts_on,
          ends_on: c.ends_on,
          capacity: c.capacity,
          places_free: c.capacity - c.places_taken,
          waiting: c.waiting,
          booking_opens_on: c.booking_opens_on,
          booking_closes_on: c.booking_closes_on,
          booking_open: bookingWindow(c, today) === 'open',
          funder_approval: c.funder_approval,
          sessions: sessions
            .filter((s) => s.cohort_id === c.id)
            .map((s) => ({
              id: s.id,
              starts_at: s.starts_at.toISOString(),
              ends_at: s.ends_at.toISOString(),
              venue: s.venue,
              online_url: s.online_url,
            })),
        })),
      };
    },
  );

  app.post<{ Params: { id: number } }>(
    '/cohorts/:id/applications',
    {
      schema: {
        tags,
        summary: 'Apply for a cohort',
        description:
          'The caller (a token with the personal role) applies. A free place is held while the line manager (and, when the cohort asks for it, the employer’s funder) approves; a full cohort puts the application on its wait-list.',
        params: idParams,
        response: { 201: applicationReply, ...errors },
      },
    },
    async (req, reply) => {
      const viewer = req.viewer!;
      if (viewer.personId === null) throw new HttpError(403, 'Only a person’s own token (personal role) can apply');
      const cohort = await findCohort(db, req.params.id);
      if (!cohort || cohort.status === 'draft') throw notFound(`Cohort ${req.params.id}`);
      const { programme } = await programmeFor(cohort.programme_id, viewer);
      const rules = { eligibility: eligibilityOf(programme) };
      const result = await apply(deps, {
        cohortId: cohort.id,
        personId: viewer.personId,
        eligible: (f) => isEligible(rules, f),
      });
      if (!result.ok) throw new HttpError(result.status, result.problem);
      await audit(
        db,
        { viewer, ip: req.ip },
        {
          action: 'cohorts.apply',
          subjectType: 'cohort_application',
          subjectId: result.id,
          personId: viewer.personId,
          details: { cohortId: cohort.id, status: result.status, via: 'api' },
        },
      );
      return reply.code(201).send({ id: result.id, cohort_id: cohort.id, status: result.status });
    },
  );

  app.get(
    '/me/bookings',
    {
      schema: {
        tags,
        summary: 'My bookings',
        description:
          'The caller’s applications, newest first, with their approvals, wait-list position and certificate code.',
        response: { 200: bookingsReply, ...errors },
      },
    },
    async (req) => {
      const viewer = req.viewer!;
      if (viewer.personId === null) return { items: [] };
      const rows = await bookingsOf(db, viewer.personId);
      const titles = new Map(
        (await programmesByIds(db, [...new Set(rows.map((r) => r.programme_id))])).map((p) => [p.id, p.title]),
      );
      const codes = new Map(
        (
          await certificatesOf(
            db,
            rows.map((r) => r.id),
          )
        )
          .filter((c) => !c.revoked_at)
          .map((c) => [c.application_id, c.code]),
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          cohort_id: r.cohort_id,
          cohort_name: r.cohort_name,
          programme_id: r.programme_id,
          programme_title: titles.get(r.programme_id) ?? '',
          starts_on: r.starts_on,
          status: r.status,
          manager_decision: r.manager_decision,
          funder_decision: r.funder_decision,
          waiting_position: r.waiting_position,
          applied_at: r.applied_at.toISOString(),
          completed_on: r.completed_on,
          outcome: r.outcome,
          certificate_code: codes.get(r.id) ?? null,
        })),
      };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/cohorts/:id/register',
    {
      schema: {
        tags,
        summary: 'The register of a cohort',
        description:
          'For the programme’s provider admins: the people holding or waiting for a place, by name, with their status and outcome. Every read is written to the audit log.',
        params: idParams,
        response: { 200: registerReply, ...errors },
      },
    },
    async (req) => {
      const cohort = await findCohort(db, req.params.id);
      if (!cohort) throw notFound(`Cohort ${req.params.id}`);
      const { manages } = await programmeFor(cohort.programme_id, req.viewer);
      if (!manages) throw new HttpError(403, 'Only admins of the programme’s provider can read its registers');
      const rows = await cohortRegister(db, cohort.id);
      await auditRegisterRead(db, { viewer: req.viewer, ip: req.ip }, cohort.id, 'api', rows.length);
      return {
        cohort_id: cohort.id,
        items: rows.map((r) => ({
          application_id: r.id,
          person_id: r.person_id,
          name: `${r.given_name} ${r.family_name}`,
          organisation: r.organisation_name,
          status: r.status,
          outcome: r.outcome,
          completed_on: r.completed_on,
        })),
      };
    },
  );

  app.post<{ Params: { id: number }; Body: CompletionsBody }>(
    '/cohorts/:id/completions',
    {
      schema: {
        tags,
        summary: 'Record completions of a cohort',
        description:
          'For the programme’s provider admins: outcomes of confirmed places, all or nothing. Each completion is added to the person’s learning record; passed and completed earn a certificate with a verification code.',
        params: idParams,
        body: completionsBody,
        response: { 200: completionsReply, ...errors },
      },
    },
    async (req) => {
      const cohort = await findCohort(db, req.params.id);
      if (!cohort) throw notFound(`Cohort ${req.params.id}`);
      const { programme, manages } = await programmeFor(cohort.programme_id, req.viewer);
      if (!manages) throw new HttpError(403, 'Only admins of the programme’s provider can record completions');
      const today = todayOf(deps);
      const late = req.body.completions.find(
        (c) => !/^\d{4}-\d{2}-\d{2}$/.test(c.completed_on) || c.completed_on > today,
      );
      if (late)
        throw new HttpError(400, `completed_on of application ${late.application_id} must be a date, today or earlier`);
      const result = await recordCompletions(
        deps,
        { viewer: req.viewer!, ip: req.ip },
        cohort.id,
        programme,
        req.body.completions.map((c) => ({
          applicationId: c.application_id,
          outcome: c.outcome as 'passed' | 'completed' | 'failed',
          completedOn: c.completed_on,
        })),
      );
      if (!result.ok) throw new HttpError(409, result.problem);
      const codes = await certificatesOf(
        db,
        req.body.completions.map((c) => c.application_id),
      );
      return {
        recorded: result.recorded,
        certificates: codes
          .filter((c) => !c.revoked_at)
          .map((c) => ({ application_id: c.application_id, code: c.code })),
      };
    },
  );
}
