import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import { liveStatuses } from './cohorts.ts';
import { bookingColumns } from './completion-queries.ts';

/** What the person and manager pages read: their applications, their approvals to give, interest. */

export async function liveApplicationsOf(db: Database, personId: number, cohortIds: number[]) {
  if (!cohortIds.length) return [];
  return db
    .selectFrom('cohort_applications')
    .select(['id', 'cohort_id', 'status'])
    .where('person_id', '=', personId)
    .where('cohort_id', 'in', cohortIds)
    .where('status', 'in', liveStatuses)
    .execute();
}

const pendingColumns = [
  'a.id',
  'a.cohort_id',
  'a.person_id',
  'a.status',
  'a.applied_at',
  'a.manager_decision',
  'a.funder_decision',
  'a.organisation_id',
  'a.approver_assignment_id',
  'c.name as cohort_name',
  'c.programme_id',
  'c.starts_on',
  'p.given_name',
  'p.family_name',
] as const;

/** Applications waiting for the decision of the line manager holding one of these assignments. */
export async function pendingForManager(db: Database, managerAssignmentIds: number[]) {
  if (!managerAssignmentIds.length) return [];
  return db
    .selectFrom('cohort_applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(pendingColumns)
    .where('a.approver_assignment_id', 'in', managerAssignmentIds)
    .where('a.manager_decision', '=', 'pending')
    .where('a.status', 'in', ['awaiting_approval', 'waitlisted'])
    .orderBy('a.applied_at')
    .limit(500)
    .execute();
}

/** Applications of these organisations' staff waiting for funding approval (after their line manager). */
export async function pendingForFunder(db: Database, organisationIds: number[]) {
  if (!organisationIds.length) return [];
  return db
    .selectFrom('cohort_applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(pendingColumns)
    .where('a.organisation_id', 'in', organisationIds)
    .where('a.funder_decision', '=', 'pending')
    .where('a.manager_decision', 'in', ['approved', 'not_required'])
    .where('a.status', 'in', ['awaiting_approval', 'waitlisted'])
    .orderBy('a.applied_at')
    .limit(500)
    .execute();
}

export async function hasInterest(db: Database, programmeId: number, personId: number): Promise<boolean> {
  const row = await db
    .selectFrom('programme_interest')
    .select('person_id')
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function registerInterest(
  db: Database,
  i: { programme_id: number; person_id: number; organisation_id: number | null; staff_group: string | null },
) {
  await db
    .insertInto('programme_interest')
    .values(i)
    .onConflict((oc) => oc.columns(['programme_id', 'person_id']).doNothing())
    .execute();
}

export async function withdrawInterest(db: Database, programmeId: number, personId: number) {
  await db
    .deleteFrom('programme_interest')
    .where('programme_id', '=', programmeId)
    .where('person_id', '=', personId)
    .execute();
}

/** How many people registered interest in a programme (shown to its provider). */
export async function interestCount(db: Database, programmeId: number): Promise<number> {
  const row = await db
    .selectFrom('programme_interest')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('programme_id', '=', programmeId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/*
 * The learner's bookings page, in three statements that depend only on the person, each compiled once and run as
 * a named prepared statement (src/db/prepared.ts): at national scale their planning cost more than running them,
 * and the page used to take six round trips (bookings, interest, certificates, feedback, changes) one after another.
 */

/** A person's applications, newest first, with their wait-list place, certificate (unless withdrawn) and feedback. */
const bookingsPageQuery = preparedQuery(['personId'], (db, v) =>
  db
    .selectFrom('cohort_applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .leftJoin('cohort_certificates as cert', (j) =>
      j.onRef('cert.application_id', '=', 'a.id').on('cert.revoked_at', 'is', null),
    )
    .select([
      ...bookingColumns,
      'cert.code as certificate',
      sql<boolean>`EXISTS (SELECT 1 FROM cohort_feedback f WHERE f.application_id = a.id)`.as('feedback_given'),
    ])
    .where(sql<boolean>`a.person_id = ${v.personId}`)
    .orderBy('a.applied_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(200),
);

const interestsPageQuery = preparedQuery(['personId'], (db, v) =>
  db
    .selectFrom('programme_interest')
    .select(['programme_id', 'registered_at'])
    .where(sql<boolean>`person_id = ${v.personId}`)
    .orderBy('registered_at', 'desc')
    .limit(200),
);

/**
 * Changes to the sessions of cohorts where the person holds a live, unfinished application, made since they applied
 * (changes made before, they saw when applying); oldest first per cohort. One live application per cohort and
 * person (a unique index), so each change comes once.
 */
const changesPageQuery = preparedQuery(['personId'], (db, v) =>
  db
    .selectFrom('cohort_changes as ch')
    .innerJoin('cohort_applications as a', (j) =>
      j
        .onRef('a.cohort_id', '=', 'ch.cohort_id')
        .onRef('ch.applications_upto', '>=', 'a.id')
        .on(sql<boolean>`a.person_id = ${v.personId}`)
        .on('a.status', 'in', liveStatuses)
        .on('a.completed_on', 'is', null),
    )
    .select([
      'ch.id',
      'ch.cohort_id',
      'ch.changed_at',
      'ch.applications_upto',
      'ch.sessions_before',
      'ch.sessions_after',
    ])
    .orderBy('ch.cohort_id')
    .orderBy('ch.id')
    .limit(2000),
);

/** Everything of the person's own that their bookings page shows, the three statements side by side. */
export async function bookingsPage(db: Database, personId: number) {
  const [bookings, interests, changes] = await Promise.all([
    bookingsPageQuery(db, { personId }),
    interestsPageQuery(db, { personId }),
    changesPageQuery(db, { personId }),
  ]);
  return { bookings, interests, changes };
}
