import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/** The SQL of the notices jobs: what is due, who it goes to, and marking it sent. */

/**
 * Unsent notices, oldest first, locked so that another instance running the job skips them. A session reminder
 * is `superseded` when, since it was added, the session moved (its key no longer matches), started, or the place
 * or cohort ended: it is then marked sent without an email (a moved session gets its own reminder when due).
 */
export async function claimUnsent(trx: Database, limit: number, now: Date) {
  return trx
    .selectFrom('cohort_notices as n')
    .leftJoin('cohort_applications as a', 'a.id', 'n.application_id')
    .leftJoin('cohorts as c', (j) => j.on(sql<boolean>`c.id = coalesce(n.cohort_id, a.cohort_id)`))
    .leftJoin('people as ap', 'ap.id', 'a.person_id')
    .leftJoin('assignments as ma', 'ma.id', 'a.approver_assignment_id')
    .leftJoin('people as mp', 'mp.id', 'ma.person_id')
    .leftJoin('people as ip', 'ip.id', 'n.person_id')
    .leftJoin('cohort_sessions as s', 's.id', 'n.session_id')
    .select([
      'n.id',
      'n.kind',
      'n.details',
      'a.organisation_id',
      'c.id as cohort_id',
      'c.name as cohort_name',
      'c.programme_id',
      'c.starts_on',
      'c.booking_closes_on',
      sql<string | null>`ap.given_name || ' ' || ap.family_name`.as('applicant_name'),
      'ap.email as applicant_email',
      'mp.email as manager_email',
      'ip.email as person_email',
      's.starts_at as session_starts_at',
      's.venue as session_venue',
      's.online_url as session_url',
      sql<boolean>`n.kind = 'session_reminder' AND (
        s.id IS NULL OR a.status IS DISTINCT FROM 'confirmed' OR a.completed_on IS NOT NULL
        OR c.status IS DISTINCT FROM 'open' OR s.starts_at <= ${now} OR n.dedupe_key <> ${reminderKey})`.as(
        'superseded',
      ),
    ])
    .where('n.sent_at', 'is', null)
    .orderBy('n.id')
    .limit(limit)
    .forUpdate('n')
    .skipLocked()
    .execute();
}

/** Email addresses of the organisation admins of each organisation (the funders who approve). */
export async function orgAdminEmails(db: Database, orgIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!orgIds.length) return out;
  const rows = await db
    .selectFrom('role_grants as g')
    .innerJoin('accounts as acc', 'acc.id', 'g.account_id')
    .select(['g.organisation_id', 'acc.email'])
    .where('g.role', '=', 'org_admin')
    .where('g.organisation_id', 'in', orgIds)
    .where('acc.status', '=', 'active')
    .execute();
  for (const r of rows) out.set(r.organisation_id!, [...(out.get(r.organisation_id!) ?? []), r.email]);
  return out;
}

export async function markSent(trx: Database, ids: number[], at: Date) {
  if (!ids.length) return;
  await trx.updateTable('cohort_notices').set({ sent_at: at }).where('id', 'in', ids).execute();
}

/**
 * The unique key of a session reminder: the session, the application, and the session's start time (UTC, to the
 * second). A session moved to a new time has a new key, so it is reminded of again when the new time comes within
 * the reminder window; a new venue or joining link keeps the key. Migration 20261130_0100 gave the reminders sent
 * before this their start time, in the same format; change both together. `s` is the session, `a` the application.
 */
const reminderKey = sql<string>`'session_reminder:' || s.id || ':' || a.id || ':'
  || to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/**
 * Reminders for confirmed, unfinished places on sessions of open cohorts starting in the next `days` days; each
 * (session, start time, application) once. Inserted in key order so that instances running at once take the unique
 * index's locks in the same order and cannot deadlock.
 */
export async function addSessionReminders(trx: Database, now: Date, days: number): Promise<number> {
  const r = await sql`
    INSERT INTO cohort_notices (kind, dedupe_key, application_id, cohort_id, session_id, created_at)
    SELECT 'session_reminder', ${reminderKey}, a.id, a.cohort_id, s.id, ${now}
      FROM cohort_sessions s
      JOIN cohorts c ON c.id = s.cohort_id AND c.status = 'open'
      JOIN cohort_applications a ON a.cohort_id = s.cohort_id AND a.status = 'confirmed' AND a.completed_on IS NULL
     WHERE s.starts_at > ${now} AND s.starts_at <= ${now}::timestamptz + make_interval(days => ${days})
     ORDER BY s.id, a.id
    ON CONFLICT (dedupe_key) DO NOTHING`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Reminders to people who registered interest in a programme when booking for one of its cohorts closes within
 * `days` days and they have not applied; each (cohort, person) once.
 */
export async function addClosingReminders(trx: Database, today: string, days: number): Promise<number> {
  const r = await sql`
    INSERT INTO cohort_notices (kind, dedupe_key, cohort_id, person_id)
    SELECT 'closing_reminder', 'closing_reminder:' || c.id || ':' || i.person_id, c.id, i.person_id
      FROM cohorts c
      JOIN programme_interest i ON i.programme_id = c.programme_id
     WHERE c.status = 'open'
       AND c.booking_opens_on <= ${today}::date
       AND c.booking_closes_on BETWEEN ${today}::date AND ${today}::date + ${days}::int
       AND NOT EXISTS (SELECT 1 FROM cohort_applications a
                        WHERE a.cohort_id = c.id AND a.person_id = i.person_id
                          AND a.status IN ('awaiting_approval','confirmed','waitlisted'))
    ON CONFLICT (dedupe_key) DO NOTHING`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}
