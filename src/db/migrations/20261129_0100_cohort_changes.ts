import { type Kysely, sql } from 'kysely';

// Changes to a cohort's sessions that people booked on it rely on (feature src/features/cohorts,
// docs/learning-cohorts.md "Notifications"). Each session edit of an open cohort records the sessions before and
// after it in the same transaction as the edit; the job cohorts.notify-changes emails the people booked a summary
// of the net change, and their booking page says when the sessions changed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE cohort_changes (
      id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      cohort_id          bigint NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
      -- The cohort's sessions just before and just after the edit: [{id, starts_at, ends_at, venue, online_url}].
      sessions_before    jsonb NOT NULL,
      sessions_after     jsonb NOT NULL,
      -- The highest application id of the cohort when the edit was made (under the cohort lock, as applying is):
      -- applications made later were made knowing the new sessions, so they are not told of this change.
      applications_upto  bigint NOT NULL DEFAULT 0,
      changed_by         integer REFERENCES accounts(id) ON DELETE SET NULL,
      changed_at         timestamptz NOT NULL,
      -- When the job summarised this change (with the others pending for the cohort) and emailed it.
      notified_at        timestamptz
    );
    CREATE INDEX cohort_changes_cohort_idx ON cohort_changes (cohort_id, id);
    CREATE INDEX cohort_changes_pending_idx ON cohort_changes (cohort_id, id) WHERE notified_at IS NULL;

    -- Who was emailed about which change (the last change of the summarised run): the unique key makes each email
    -- happen once, however often and on however many instances the job runs.
    CREATE TABLE cohort_change_notices (
      change_id       bigint NOT NULL REFERENCES cohort_changes(id) ON DELETE CASCADE,
      application_id  bigint NOT NULL REFERENCES cohort_applications(id) ON DELETE CASCADE,
      sent_at         timestamptz NOT NULL,
      PRIMARY KEY (change_id, application_id)
    );
    CREATE INDEX cohort_change_notices_application_idx ON cohort_change_notices (application_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE cohort_change_notices, cohort_changes`.execute(db);
}
