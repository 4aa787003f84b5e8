import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { type SessionSnapshot, snapshotOf } from './changes.ts';
import { liveStatuses } from './cohorts.ts';
import { sessionsOf } from './queries.ts';

/** The SQL of session changes: recording them with the edit, the job that emails them, and the booking page. */

/** The cohort's sessions now, as a change records them. Call with the cohort row locked. */
export async function sessionSnapshot(trx: Database, cohortId: number): Promise<SessionSnapshot[]> {
  return (await sessionsOf(trx, [cohortId])).map(snapshotOf);
}

/**
 * Record a change in the edit's transaction (the cohort row is locked, as applying locks it, so the highest
 * application id now separates the people who booked before the change from those who booked knowing it).
 */
export async function recordChange(
  trx: Database,
  c: {
    cohortId: number;
    before: SessionSnapshot[];
    after: SessionSnapshot[];
    changedBy: number | null;
    at: Date;
  },
) {
  await sql`
    INSERT INTO cohort_changes (cohort_id, sessions_before, sessions_after, applications_upto, changed_by, changed_at)
    SELECT ${c.cohortId}, ${JSON.stringify(c.before)}::jsonb, ${JSON.stringify(c.after)}::jsonb,
           coalesce((SELECT max(id) FROM cohort_applications WHERE cohort_id = ${c.cohortId}), 0),
           ${c.changedBy}, ${c.at}`.execute(trx);
}

/**
 * Claim cohorts whose pending changes are due: the provider has stopped editing for `quietMinutes`, or the first
 * pending change is `maxWaitMinutes` old. A cohort is claimed by locking its oldest pending change (SKIP LOCKED),
 * so another instance running the job passes over the whole cohort rather than sending part of its changes.
 */
export async function claimDueCohorts(
  trx: Database,
  now: Date,
  o: { quietMinutes: number; maxWaitMinutes: number; limit: number },
) {
  const r = await sql<{ id: number; cohort_id: number }>`
    SELECT c.id, c.cohort_id
      FROM cohort_changes c
     WHERE c.notified_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM cohort_changes e
                        WHERE e.cohort_id = c.cohort_id AND e.notified_at IS NULL AND e.id < c.id)
       AND (c.changed_at <= ${now}::timestamptz - make_interval(mins => ${o.maxWaitMinutes})
            OR NOT EXISTS (SELECT 1 FROM cohort_changes l
                            WHERE l.cohort_id = c.cohort_id AND l.notified_at IS NULL
                              AND l.changed_at > ${now}::timestamptz - make_interval(mins => ${o.quietMinutes})))
     ORDER BY c.id
     LIMIT ${o.limit}
       FOR UPDATE OF c SKIP LOCKED`.execute(trx);
  return r.rows;
}

/** A claimed cohort's pending changes, oldest first. */
export async function pendingChanges(trx: Database, cohortId: number) {
  return trx
    .selectFrom('cohort_changes')
    .select(['id', 'changed_at', 'applications_upto', 'sessions_before', 'sessions_after'])
    .where('cohort_id', '=', cohortId)
    .where('notified_at', 'is', null)
    .orderBy('id')
    .execute();
}

/**
 * The people to tell: applications still live (a place, awaiting approval, or wait-listed) and not completed,
 * made before the last change, on a cohort still open. Withdrawn, cancelled and declined applications are not.
 */
export async function changeRecipients(trx: Database, cohortId: number, uptoApplicationId: number) {
  return trx
    .selectFrom('cohort_applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'a.status', 'p.email', 'c.name as cohort_name', 'c.programme_id'])
    .where('a.cohort_id', '=', cohortId)
    .where('c.status', '=', 'open')
    .where('a.status', 'in', liveStatuses)
    .where('a.completed_on', 'is', null)
    .where('a.id', '<=', uptoApplicationId)
    .orderBy('a.id')
    .execute();
}

/** Mark (change, application) sent; returns the applications not already marked (the ones to email). */
export async function markPeopleSent(trx: Database, changeId: number, applicationIds: number[], at: Date) {
  if (!applicationIds.length) return new Set<number>();
  const rows = await trx
    .insertInto('cohort_change_notices')
    .values(applicationIds.map((application_id) => ({ change_id: changeId, application_id, sent_at: at })))
    .onConflict((oc) => oc.columns(['change_id', 'application_id']).doNothing())
    .returning('application_id')
    .execute();
  return new Set(rows.map((r) => r.application_id));
}

export async function markChangesNotified(trx: Database, ids: number[], at: Date) {
  if (!ids.length) return;
  await trx.updateTable('cohort_changes').set({ notified_at: at }).where('id', 'in', ids).execute();
}
