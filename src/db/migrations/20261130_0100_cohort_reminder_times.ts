import { type Kysely, sql } from 'kysely';

// Session reminders keyed by the session's start time (feature src/features/cohorts, docs/learning-cohorts.md
// "Notifications"). A reminder's unique key was session_reminder:{session}:{application}, so a session moved after
// its reminder was never reminded again; it is now session_reminder:{session}:{application}:{start, UTC}, and a
// moved session gets a fresh reminder when its new time comes within the window.
//
// Reminders added before this get the start time they were about, so that an unmoved session is not reminded
// twice: the session's time just before the first change to its cohort recorded after the reminder was added
// (cohort_changes keeps the sessions before each edit), or its time now when it has not changed since. A session
// that moved after its reminder then gets its new one when due. The format must match reminderKey in
// src/features/cohorts/notice-queries.ts. Only keys of the old shape are touched, so running this again does nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cohort_notices n
       SET dedupe_key = n.dedupe_key || ':' || to_char(coalesce(
             (SELECT (b.snapshot->>'starts_at')::timestamptz
                FROM cohort_changes ch
                CROSS JOIN LATERAL jsonb_array_elements(ch.sessions_before) AS b(snapshot)
               WHERE ch.cohort_id = s.cohort_id AND ch.changed_at >= n.created_at
                 AND (b.snapshot->>'id')::bigint = s.id
               ORDER BY ch.id
               LIMIT 1),
             s.starts_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      FROM cohort_sessions s
     WHERE s.id = n.session_id
       AND n.kind = 'session_reminder'
       AND n.dedupe_key ~ '^session_reminder:[0-9]+:[0-9]+$'`.execute(db);
}

// Back to one key per (session, application): the latest reminder of each takes the old key, so the old code does
// not remind of it again; earlier reminders of a moved session keep their longer key as history.
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cohort_notices n
       SET dedupe_key = substring(n.dedupe_key from '^(session_reminder:[0-9]+:[0-9]+):')
     WHERE n.id IN (SELECT max(id) FROM cohort_notices
                     WHERE kind = 'session_reminder' AND dedupe_key ~ '^session_reminder:[0-9]+:[0-9]+:'
                     GROUP BY session_id, application_id)`.execute(db);
}
