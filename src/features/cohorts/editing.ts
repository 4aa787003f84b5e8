import type { Database } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { capacityProblem, offerNewPlaces } from './booking.ts';
import { lockCohort } from './booking-queries.ts';
import { recordChange, sessionSnapshot } from './change-queries.ts';
import { diffSessions, isEmpty } from './changes.ts';
import { deleteSession, findSession, insertSession, type SessionInput, sessionsOf, updateSession } from './queries.ts';

/**
 * A provider's changes to a cohort after it was set up: its name, places and booking window, and its sessions. Each
 * runs in one transaction with the cohort row locked (as booking does), and is written to the audit log in the
 * same transaction, with what changed from what. A session change to an open cohort is also recorded as a cohort
 * change (the sessions before and after), from which the job cohorts.notify-changes tells the people booked.
 */

type Actor = { viewer: Viewer; ip?: string };
type Problem = { ok: false; status: 400 | 404 | 409; field: string; problem: string };
const fail = (status: Problem['status'], field: string, problem: string): Problem => ({
  ok: false,
  status,
  field,
  problem,
});

export interface CohortDetails {
  name: string;
  capacity: number;
  booking_opens_on: string;
  booking_closes_on: string;
}

const fields = ['name', 'capacity', 'booking_opens_on', 'booking_closes_on'] as const;

/**
 * Change a cohort's details. The capacity never goes below the places already taken; raising it gives the new
 * places to the wait-list first (the same promotion as a cancellation).
 */
export async function editCohort(deps: Deps, actor: Actor, cohortId: number, input: CohortDetails) {
  return deps.db.transaction().execute(async (trx) => {
    const before = await lockCohort(trx, cohortId);
    if (!before) return fail(404, 'name', 'Cohort not found');
    if (input.capacity < before.places_taken) return fail(400, 'capacity', capacityProblem(before.places_taken));
    const changes = Object.fromEntries(
      fields.filter((f) => before[f] !== input[f]).map((f) => [f, { from: before[f], to: input[f] }]),
    );
    if (!Object.keys(changes).length) return { ok: true as const, changed: 0, promoted: 0 };
    await trx
      .updateTable('cohorts')
      .set({
        name: input.name,
        capacity: input.capacity,
        booking_opens_on: input.booking_opens_on,
        booking_closes_on: input.booking_closes_on,
        updated_at: new Date(),
      })
      .where('id', '=', cohortId)
      .execute();
    const promoted = await offerNewPlaces(trx, cohortId, input.capacity - before.capacity, deps.clock.now());
    await audit(trx, actor, {
      action: 'cohorts.cohort.update',
      subjectType: 'cohort',
      subjectId: cohortId,
      details: { changes, promoted },
    });
    return { ok: true as const, changed: Object.keys(changes).length, promoted };
  });
}

type Locked = NonNullable<Awaited<ReturnType<typeof lockCohort>>>;

/**
 * Run a session edit with the cohort row locked, then record what it did to the sessions when it changed any.
 * Only for open cohorts: nobody is booked on a draft, and the sessions of a completed or cancelled cohort are
 * history, not plans.
 */
async function withChange<T extends { ok: boolean }>(
  deps: Deps,
  actor: Actor,
  cohortId: number,
  edit: (trx: Database, cohort: Locked | undefined) => Promise<T>,
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    const cohort = await lockCohort(trx, cohortId);
    const before = cohort?.status === 'open' ? await sessionSnapshot(trx, cohortId) : null;
    const result = await edit(trx, cohort);
    if (result.ok && before) {
      const after = await sessionSnapshot(trx, cohortId);
      if (!isEmpty(diffSessions(before, after))) {
        await recordChange(trx, {
          cohortId,
          before,
          after,
          changedBy: actor.viewer.accountId,
          at: deps.clock.now(),
        });
      }
    }
    return result;
  });
}

const sessionFacts = (s: SessionInput) => ({
  starts_at: s.starts_at.toISOString(),
  ends_at: s.ends_at.toISOString(),
  venue: s.venue,
  online_url: s.online_url,
});

export async function addSession(deps: Deps, actor: Actor, cohortId: number, s: SessionInput) {
  const r = await withChange(deps, actor, cohortId, async (trx) => {
    const id = await insertSession(trx, cohortId, s);
    await audit(trx, actor, {
      action: 'cohorts.session.add',
      subjectType: 'cohort_session',
      subjectId: id,
      details: { cohortId, ...sessionFacts(s) },
    });
    return { ok: true as const, id };
  });
  return r.id;
}

/** Change a session's date, times or place. Attendance already recorded stays with the session. */
export async function changeSession(deps: Deps, actor: Actor, cohortId: number, sessionId: number, s: SessionInput) {
  return withChange(deps, actor, cohortId, async (trx) => {
    const before = await findSession(trx, cohortId, sessionId);
    if (!before) return fail(404, 'session', 'Session not found');
    await updateSession(trx, cohortId, sessionId, s);
    await audit(trx, actor, {
      action: 'cohorts.session.update',
      subjectType: 'cohort_session',
      subjectId: sessionId,
      details: { cohortId, from: sessionFacts(before), to: sessionFacts(s) },
    });
    return { ok: true as const };
  });
}

/**
 * Remove a session: not one with attendance recorded (that record is evidence of who took part), and not the last
 * session of a cohort open for booking (people would be booked on a cohort without dates).
 */
export async function removeSession(deps: Deps, actor: Actor, cohortId: number, sessionId: number) {
  return withChange(deps, actor, cohortId, async (trx, cohort) => {
    const session = await findSession(trx, cohortId, sessionId);
    if (!cohort || !session) return fail(404, 'session', 'Session not found');
    if (session.has_attendance) {
      return fail(409, 'session', 'This session has attendance recorded, so it cannot be removed: change it instead');
    }
    if (cohort.status === 'open' && (await sessionsOf(trx, [cohortId])).length === 1) {
      return fail(
        409,
        'session',
        'This is the only session of a cohort open for booking: add another session before removing it',
      );
    }
    await deleteSession(trx, cohortId, sessionId);
    await audit(trx, actor, {
      action: 'cohorts.session.remove',
      subjectType: 'cohort_session',
      subjectId: sessionId,
      details: { cohortId, ...sessionFacts(session) },
    });
    return { ok: true as const };
  });
}
