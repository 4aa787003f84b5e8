import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { CohortStatus } from '../../db/schema.ts';
import { liveStatuses } from './cohorts.ts';

/** Cohorts and their sessions: reads and the provider's writes. Booking is in booking-queries.ts. */

const cohortColumns = [
  'c.id',
  'c.programme_id',
  'c.name',
  'c.capacity',
  'c.places_taken',
  'c.booking_opens_on',
  'c.booking_closes_on',
  'c.starts_on',
  'c.ends_on',
  'c.status',
  'c.funder_approval',
] as const;

export type CohortRow = Awaited<ReturnType<typeof findCohort>> & {};

export async function findCohort(db: Database, id: number) {
  return db.selectFrom('cohorts as c').select(cohortColumns).where('c.id', '=', id).executeTakeFirst();
}

/** A programme's cohorts, soonest first (undated last), with how many wait. */
export async function cohortsOfProgramme(db: Database, programmeId: number, opts: { includeDrafts: boolean }) {
  let q = db
    .selectFrom('cohorts as c')
    .select([
      ...cohortColumns,
      sql<number>`(SELECT count(*)::int FROM cohort_applications a WHERE a.cohort_id = c.id AND a.status = 'waitlisted')`.as(
        'waiting',
      ),
    ])
    .where('c.programme_id', '=', programmeId);
  if (!opts.includeDrafts) q = q.where('c.status', 'in', ['open', 'completed']);
  return q.orderBy(sql`c.starts_on NULLS LAST`).orderBy('c.id').limit(200).execute();
}

export async function sessionsOf(db: Database, cohortIds: number[]) {
  if (!cohortIds.length) return [];
  return db
    .selectFrom('cohort_sessions')
    .select(['id', 'cohort_id', 'starts_at', 'ends_at', 'venue', 'online_url'])
    .where('cohort_id', 'in', cohortIds)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

export interface CohortInput {
  name: string;
  capacity: number;
  booking_opens_on: string;
  booking_closes_on: string;
  funder_approval: boolean;
}

export async function insertCohort(db: Database, programmeId: number, input: CohortInput, accountId: number | null) {
  const row = await db
    .insertInto('cohorts')
    .values({ programme_id: programmeId, ...input, created_by: accountId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCohort(db: Database, id: number, input: Partial<CohortInput> & { status?: CohortStatus }) {
  await db
    .updateTable('cohorts')
    .set({ ...input, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export interface SessionInput {
  starts_at: Date;
  ends_at: Date;
  venue: string | null;
  online_url: string | null;
}

export async function insertSession(db: Database, cohortId: number, s: SessionInput) {
  const row = await db
    .insertInto('cohort_sessions')
    .values({ cohort_id: cohortId, ...s })
    .returning('id')
    .executeTakeFirstOrThrow();
  await syncDates(db, cohortId);
  return row.id;
}

export async function deleteSession(db: Database, cohortId: number, sessionId: number) {
  const gone = await db
    .deleteFrom('cohort_sessions')
    .where('id', '=', sessionId)
    .where('cohort_id', '=', cohortId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('cohort_attendance').select('session_id').whereRef('session_id', '=', 'cohort_sessions.id'),
        ),
      ),
    )
    .executeTakeFirst();
  await syncDates(db, cohortId);
  return Number(gone.numDeletedRows) > 0;
}

/** Change a session's times and place; the cohort's dates follow. False when the session is not of this cohort. */
export async function updateSession(db: Database, cohortId: number, sessionId: number, s: SessionInput) {
  const r = await db
    .updateTable('cohort_sessions')
    .set(s)
    .where('id', '=', sessionId)
    .where('cohort_id', '=', cohortId)
    .executeTakeFirst();
  await syncDates(db, cohortId);
  return Number(r.numUpdatedRows) > 0;
}

/** One session of a cohort, with whether attendance has been recorded for it (then it cannot be removed). */
export async function findSession(db: Database, cohortId: number, sessionId: number) {
  return db
    .selectFrom('cohort_sessions as s')
    .select([
      's.id',
      's.cohort_id',
      's.starts_at',
      's.ends_at',
      's.venue',
      's.online_url',
      sql<boolean>`EXISTS (SELECT 1 FROM cohort_attendance t WHERE t.session_id = s.id)`.as('has_attendance'),
    ])
    .where('s.id', '=', sessionId)
    .where('s.cohort_id', '=', cohortId)
    .executeTakeFirst();
}

/** The cohort's first and last days follow its sessions (in UK time, where the sessions happen). */
async function syncDates(db: Database, cohortId: number) {
  await sql`
    UPDATE cohorts c SET
      starts_on = s.first, ends_on = s.last, updated_at = now()
    FROM (SELECT min((starts_at AT TIME ZONE 'Europe/London')::date) AS first,
                 max((ends_at AT TIME ZONE 'Europe/London')::date) AS last
            FROM cohort_sessions WHERE cohort_id = ${cohortId}) s
    WHERE c.id = ${cohortId}`.execute(db);
}

/** The earliest start of a programme's open cohorts from today, for the catalogue's "next cohort" (null: none). */
export async function nextStartOf(db: Database, programmeId: number, today: string): Promise<string | null> {
  const row = await db
    .selectFrom('cohorts')
    .select((eb) => eb.fn.min('starts_on').as('next'))
    .where('programme_id', '=', programmeId)
    .where('status', '=', 'open')
    .where('starts_on', '>=', today)
    .executeTakeFirst();
  return (row?.next as string | null | undefined) ?? null;
}

/** The people booked on a cohort, for the provider's register and attendance (names only: no other personal data). */
export async function cohortRegister(db: Database, cohortId: number) {
  return db
    .selectFrom('cohort_applications as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id',
      'a.person_id',
      'a.status',
      'a.manager_decision',
      'a.funder_decision',
      'a.completed_on',
      'a.outcome',
      'p.given_name',
      'p.family_name',
      'o.name as organisation_name',
    ])
    .where('a.cohort_id', '=', cohortId)
    .where('a.status', 'in', liveStatuses)
    .orderBy(sql`CASE a.status WHEN 'waitlisted' THEN 1 ELSE 0 END`)
    .orderBy('a.id')
    .limit(10_000)
    .execute();
}
