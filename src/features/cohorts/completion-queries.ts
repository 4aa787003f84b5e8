import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { CompletionOutcome } from '../../db/schema.ts';

/** Attendance, completions, certificates and feedback. */

export async function attendanceOf(db: Database, cohortId: number) {
  return db
    .selectFrom('cohort_attendance as t')
    .innerJoin('cohort_sessions as s', 's.id', 't.session_id')
    .select(['t.session_id', 't.application_id', 't.attended'])
    .where('s.cohort_id', '=', cohortId)
    .execute();
}

export async function saveAttendance(
  trx: Database,
  sessionId: number,
  entries: { applicationId: number; attended: boolean }[],
  accountId: number,
) {
  if (!entries.length) return;
  await trx
    .insertInto('cohort_attendance')
    .values(
      entries.map((e) => ({
        session_id: sessionId,
        application_id: e.applicationId,
        attended: e.attended,
        recorded_by: accountId,
        recorded_at: new Date(),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['session_id', 'application_id']).doUpdateSet((eb) => ({
        attended: eb.ref('excluded.attended'),
        recorded_by: eb.ref('excluded.recorded_by'),
        recorded_at: eb.ref('excluded.recorded_at'),
      })),
    )
    .execute();
}

/** Confirmed places of a cohort among the ids given, with what a completion record needs. */
export async function confirmedPlaces(trx: Database, cohortId: number, ids: number[]) {
  if (!ids.length) return [];
  return trx
    .selectFrom('cohort_applications as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['a.id', 'a.person_id', 'a.organisation_id', 'p.given_name', 'p.family_name'])
    .where('a.cohort_id', '=', cohortId)
    .where('a.status', '=', 'confirmed')
    .where('a.id', 'in', ids)
    .forUpdate('a')
    .execute();
}

export async function setCompletion(
  trx: Database,
  id: number,
  c: { outcome: CompletionOutcome; completedOn: string; accountId: number | null },
) {
  await trx
    .updateTable('cohort_applications')
    .set({ outcome: c.outcome, completed_on: c.completedOn, completion_recorded_by: c.accountId })
    .where('id', '=', id)
    .execute();
}

/** Issue a certificate once per place; a repeat keeps the first code (it may already be printed). */
export async function issueCertificate(
  trx: Database,
  c: {
    applicationId: number;
    code: string;
    personName: string;
    programmeTitle: string;
    providerName: string;
    completedOn: string;
  },
) {
  await trx
    .insertInto('cohort_certificates')
    .values({
      application_id: c.applicationId,
      code: c.code,
      person_name: c.personName,
      programme_title: c.programmeTitle,
      provider_name: c.providerName,
      completed_on: c.completedOn,
    })
    .onConflict((oc) => oc.column('application_id').doUpdateSet({ revoked_at: null, completed_on: c.completedOn }))
    .execute();
}

export async function revokeCertificate(trx: Database, applicationId: number, at: Date) {
  await trx
    .updateTable('cohort_certificates')
    .set({ revoked_at: at })
    .where('application_id', '=', applicationId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function certificateByCode(db: Database, code: string) {
  return db
    .selectFrom('cohort_certificates')
    .select(['code', 'person_name', 'programme_title', 'provider_name', 'completed_on', 'revoked_at'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function certificatesOf(db: Database, applicationIds: number[]) {
  if (!applicationIds.length) return [];
  return db
    .selectFrom('cohort_certificates')
    .select(['application_id', 'code', 'revoked_at'])
    .where('application_id', 'in', applicationIds)
    .execute();
}

export async function insertFeedback(
  db: Database,
  f: {
    application_id: number;
    cohort_id: number;
    overall: number;
    relevance: number;
    recommend: boolean;
    comment: string | null;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('cohort_feedback')
    .values(f)
    .onConflict((oc) => oc.column('application_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Feedback of a cohort in aggregate: the page decides what may be shown (disclosure control). */
export async function feedbackSummary(db: Database, cohortId: number) {
  const totals = await db
    .selectFrom('cohort_feedback')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<number | null>`avg(overall)::float8`.as('overall'),
      sql<number | null>`avg(relevance)::float8`.as('relevance'),
      sql<number>`count(*) FILTER (WHERE recommend)::int`.as('recommend'),
    ])
    .where('cohort_id', '=', cohortId)
    .executeTakeFirstOrThrow();
  const comments = await db
    .selectFrom('cohort_feedback')
    .select('comment')
    .where('cohort_id', '=', cohortId)
    .where('comment', 'is not', null)
    .orderBy(sql`random()`)
    .limit(50)
    .execute();
  return { ...totals, comments: comments.map((c) => c.comment!) };
}

/** What a person sees of each of their applications (`a`) and its cohort (`c`), with their wait-list place. */
export const bookingColumns = [
  'a.id',
  'a.cohort_id',
  'a.status',
  'a.manager_decision',
  'a.funder_decision',
  'a.applied_at',
  'a.completed_on',
  'a.outcome',
  'c.name as cohort_name',
  'c.programme_id',
  'c.starts_on',
  'c.ends_on',
  sql<number | null>`CASE WHEN a.status = 'waitlisted' THEN (SELECT count(*)::int + 1 FROM cohort_applications w
    WHERE w.cohort_id = a.cohort_id AND w.status = 'waitlisted' AND w.id < a.id) END`.as('waiting_position'),
] as const;

/** A person's own applications with their cohorts, newest first. */
export async function bookingsOf(db: Database, personId: number) {
  return db
    .selectFrom('cohort_applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .select(bookingColumns)
    .where('a.person_id', '=', personId)
    .orderBy('a.applied_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(200)
    .execute();
}

export async function applicationOfPerson(db: Database, id: number, personId: number) {
  return db
    .selectFrom('cohort_applications')
    .select(['id', 'cohort_id', 'status', 'completed_on', 'outcome'])
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** The certificate of one place, with whose it is and the cohort it was earned on; undefined when none was issued. */
export async function certificateOfApplication(db: Database, applicationId: number) {
  return db
    .selectFrom('cohort_certificates as c')
    .innerJoin('cohort_applications as a', 'a.id', 'c.application_id')
    .select([
      'c.application_id',
      'c.code',
      'c.person_name',
      'c.programme_title',
      'c.provider_name',
      'c.completed_on',
      'c.issued_at',
      'c.revoked_at',
      'a.person_id',
      'a.cohort_id',
      'a.organisation_id',
      'a.outcome',
    ])
    .where('c.application_id', '=', applicationId)
    .executeTakeFirst();
}
