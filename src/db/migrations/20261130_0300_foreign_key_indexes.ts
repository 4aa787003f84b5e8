import { type Kysely, sql } from 'kysely';

// Indexes for foreign keys whose referenced rows are deleted, on tables that grow with the workforce. PostgreSQL
// checks every deleted (or re-keyed) parent row for rows still referring to it; without an index on the referring
// column that check reads the whole referring table, once per parent row. Measured on the national data set:
// removing 150,000 assignments had not finished after fifteen minutes, each one reading all 1.35M appraisals and
// all 1.09M cohort applications (whose index on the approver holds pending decisions only).
// Parent rows go when `leadwell seed --reset` removes synthetic people, teams and their records, when a cohort's
// sessions are replaced (its notices go with them), and in the staff import benchmark's clean-up.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX appraisals_assignment_idx ON appraisals (assignment_id);
    -- The approver index holds pending decisions only, which a check for any referring row cannot use.
    CREATE INDEX cohort_applications_approver_any_idx ON cohort_applications (approver_assignment_id)
      WHERE approver_assignment_id IS NOT NULL;
    CREATE INDEX cohort_attendance_application_idx ON cohort_attendance (application_id);
    CREATE INDEX pulse_responses_team_idx ON pulse_responses (team_id) WHERE team_id IS NOT NULL;
    CREATE INDEX pulse_team_summary_team_idx ON pulse_team_summary (team_id);
    CREATE INDEX priority_targets_team_idx ON priority_targets (team_id) WHERE team_id IS NOT NULL;
    CREATE INDEX reorganisations_team_idx ON reorganisations (team_id) WHERE team_id IS NOT NULL;
    CREATE INDEX teams_parent_idx ON teams (parent_team_id) WHERE parent_team_id IS NOT NULL;
    CREATE INDEX cohort_notices_session_idx ON cohort_notices (session_id) WHERE session_id IS NOT NULL;
    CREATE INDEX cohort_notices_application_idx ON cohort_notices (application_id) WHERE application_id IS NOT NULL;
    CREATE INDEX cohort_notices_person_idx ON cohort_notices (person_id) WHERE person_id IS NOT NULL;
    CREATE INDEX pulse_reminders_person_idx ON pulse_reminders (person_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX appraisals_assignment_idx, cohort_applications_approver_any_idx, cohort_attendance_application_idx, pulse_responses_team_idx,
      pulse_team_summary_team_idx, priority_targets_team_idx, reorganisations_team_idx, teams_parent_idx,
      cohort_notices_session_idx, cohort_notices_application_idx, cohort_notices_person_idx, pulse_reminders_person_idx;
  `.execute(db);
}
