import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ApplicationStatus, CohortNoticeKind, Decision } from '../../db/schema.ts';
import { liveStatuses } from './cohorts.ts';

/**
 * The SQL of booking. Every change to a cohort's places runs in one transaction that first locks the cohort row
 * (lockCohort): bookings, decisions, cancellations and promotions of one cohort then happen one at a time, so the
 * count of places taken and the wait-list order are never decided on stale rows.
 */

export async function lockCohort(trx: Database, id: number) {
  return trx
    .selectFrom('cohorts')
    .select([
      'id',
      'programme_id',
      'name',
      'capacity',
      'places_taken',
      'status',
      'booking_opens_on',
      'booking_closes_on',
      'funder_approval',
      'starts_on',
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Take `n` places if they are free. Guarded, so that even without the lock it could never pass capacity: the row
 * is re-checked after any concurrent update commits. False when there is no room.
 */
export async function takePlaces(trx: Database, cohortId: number, n = 1): Promise<boolean> {
  const r = await trx
    .updateTable('cohorts')
    .set((eb) => ({ places_taken: eb('places_taken', '+', n) }))
    .where('id', '=', cohortId)
    .where(sql<boolean>`places_taken + ${n} <= capacity`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releasePlaces(trx: Database, cohortId: number, n: number) {
  if (n <= 0) return;
  await trx
    .updateTable('cohorts')
    .set((eb) => ({ places_taken: eb('places_taken', '-', n) }))
    .where('id', '=', cohortId)
    .execute();
}

/** The longest-waiting applications of a cohort, first come first served. */
export async function nextWaiting(trx: Database, cohortId: number, n: number) {
  return trx
    .selectFrom('cohort_applications')
    .select(['id', 'person_id', 'manager_decision', 'funder_decision'])
    .where('cohort_id', '=', cohortId)
    .where('status', '=', 'waitlisted')
    .orderBy('id')
    .limit(n)
    .execute();
}

export async function liveApplicationOf(db: Database, cohortId: number, personId: number) {
  return db
    .selectFrom('cohort_applications')
    .select(['id', 'status'])
    .where('cohort_id', '=', cohortId)
    .where('person_id', '=', personId)
    .where('status', 'in', liveStatuses)
    .executeTakeFirst();
}

export interface NewApplication {
  cohort_id: number;
  person_id: number;
  organisation_id: number | null;
  staff_group: string | null;
  approver_assignment_id: number | null;
  status: ApplicationStatus;
  manager_decision: Decision;
  funder_decision: Decision;
  manager_decided_by?: number | null;
  manager_decided_at?: Date | null;
  reservation_id?: number | null;
  applied_at: Date;
  place_taken_at: Date | null;
  synthetic?: boolean;
}

export async function insertApplication(trx: Database, a: NewApplication): Promise<number> {
  const row = await trx.insertInto('cohort_applications').values(a).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** An application locked for a change (its cohort must be locked first, by the caller). */
export async function lockApplication(trx: Database, id: number) {
  return trx
    .selectFrom('cohort_applications')
    .select([
      'id',
      'cohort_id',
      'person_id',
      'organisation_id',
      'approver_assignment_id',
      'status',
      'manager_decision',
      'funder_decision',
      'completed_on',
      'reservation_id',
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function cohortOfApplication(db: Database, id: number) {
  const row = await db.selectFrom('cohort_applications').select('cohort_id').where('id', '=', id).executeTakeFirst();
  return row?.cohort_id;
}

export async function cohortOfReservation(db: Database, id: number) {
  const row = await db.selectFrom('cohort_reservations').select('cohort_id').where('id', '=', id).executeTakeFirst();
  return row?.cohort_id;
}

export async function setCapacity(trx: Database, cohortId: number, capacity: number) {
  await trx.updateTable('cohorts').set({ capacity, updated_at: new Date() }).where('id', '=', cohortId).execute();
}

export async function updateApplication(
  trx: Database,
  id: number,
  set: Partial<{
    status: ApplicationStatus;
    manager_decision: Decision;
    funder_decision: Decision;
    manager_decided_by: number | null;
    manager_decided_at: Date;
    funder_decided_by: number | null;
    funder_decided_at: Date;
    decision_note: string | null;
    place_taken_at: Date;
    cancelled_at: Date;
  }>,
) {
  await trx.updateTable('cohort_applications').set(set).where('id', '=', id).execute();
}

/** Record a notice to send; a repeat of the same event (same key) is ignored. */
export async function addNotice(
  trx: Database,
  n: {
    kind: CohortNoticeKind;
    key: string;
    applicationId?: number;
    cohortId?: number;
    sessionId?: number;
    personId?: number;
    details?: Record<string, unknown>;
  },
) {
  await trx
    .insertInto('cohort_notices')
    .values({
      kind: n.kind,
      dedupe_key: n.key,
      application_id: n.applicationId ?? null,
      cohort_id: n.cohortId ?? null,
      session_id: n.sessionId ?? null,
      person_id: n.personId ?? null,
      details: JSON.stringify(n.details ?? {}),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** What applying needs to know about the applicant's current assignments (the first is the main one). */
export async function applicantAssignments(db: Database, personId: number) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id',
      'a.organisation_id',
      'a.staff_group',
      'a.band',
      'a.is_manager',
      'a.line_manager_assignment_id',
      'o.icb_id',
      'o.region_id',
    ])
    .where('a.person_id', '=', personId)
    .where('a.end_date', 'is', null)
    .orderBy('a.wte', 'desc')
    .orderBy('a.start_date')
    .orderBy('a.id')
    .execute();
}

// Reservations: places a manager holds for their team.

export async function insertReservation(
  trx: Database,
  r: { cohort_id: number; manager_person_id: number; reserved_by: number | null; places: number },
) {
  const row = await trx.insertInto('cohort_reservations').values(r).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function lockReservation(trx: Database, id: number) {
  return trx
    .selectFrom('cohort_reservations')
    .select(['id', 'cohort_id', 'manager_person_id', 'places', 'used', 'released_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function useReservationPlace(trx: Database, id: number) {
  await trx
    .updateTable('cohort_reservations')
    .set((eb) => ({ used: eb('used', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function markReservationReleased(trx: Database, id: number, at: Date) {
  await trx.updateTable('cohort_reservations').set({ released_at: at }).where('id', '=', id).execute();
}

export async function reservationsOfManager(db: Database, managerPersonId: number) {
  return db
    .selectFrom('cohort_reservations as r')
    .innerJoin('cohorts as c', 'c.id', 'r.cohort_id')
    .select([
      'r.id',
      'r.cohort_id',
      'r.places',
      'r.used',
      'r.released_at',
      'c.name as cohort_name',
      'c.programme_id',
      'c.starts_on',
    ])
    .where('r.manager_person_id', '=', managerPersonId)
    .where('r.released_at', 'is', null)
    .orderBy('r.id', 'desc')
    .limit(100)
    .execute();
}
