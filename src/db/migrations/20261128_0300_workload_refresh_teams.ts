import { type Kysely, sql } from 'kysely';

// Management workload, second part (docs/workload-priorities.md, docs/burden.md "The time-use pulse"):
// - priority_refresh_requests: figures to recompute after a change that reaches many organisations (a national,
//   regional or ICB-wide priority), done by the job `priorities.refresh-pending` instead of inside the request;
// - the team of each pulse answer (the team of the assignment the manager answered for) and the sums per round
//   and team, kept in the submitting transaction like the per-round sums, for the team view.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE priority_refresh_requests (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- NULL: every organisation.
      organisation_ids integer[],
      reason           text NOT NULL,
      requested_at     timestamptz NOT NULL DEFAULT now(),
      done_at          timestamptz
    );
    CREATE INDEX priority_refresh_requests_pending_idx ON priority_refresh_requests (id) WHERE done_at IS NULL;

    ALTER TABLE pulse_responses ADD COLUMN team_id integer REFERENCES teams(id);

    -- Answers given before teams were recorded: the team of the person's manager seat in the round's organisation
    -- (an assignment that line-manages someone first, as the pulse chooses it).
    UPDATE pulse_responses p SET team_id = (
      SELECT a.team_id FROM assignments a JOIN pulse_rounds r ON r.id = p.round_id
       WHERE a.person_id = p.person_id AND a.organisation_id = r.organisation_id
       ORDER BY EXISTS (SELECT 1 FROM assignments x WHERE x.line_manager_assignment_id = a.id AND x.end_date IS NULL) DESC,
                (a.end_date IS NULL) DESC, a.start_date, a.id
       LIMIT 1);

    CREATE TABLE pulse_team_summary (
      round_id         integer NOT NULL REFERENCES pulse_rounds(id) ON DELETE CASCADE,
      team_id          integer NOT NULL REFERENCES teams(id),
      organisation_id  integer NOT NULL REFERENCES organisations(id),
      opens_on         date NOT NULL,
      responses        integer NOT NULL,
      upward           numeric(12,1) NOT NULL,
      meetings         numeric(12,1) NOT NULL,
      people_mgmt      numeric(12,1) NOT NULL,
      improvement      numeric(12,1) NOT NULL,
      operational      numeric(12,1) NOT NULL,
      other            numeric(12,1) NOT NULL,
      PRIMARY KEY (round_id, team_id)
    );
    CREATE INDEX pulse_team_summary_org_idx ON pulse_team_summary (organisation_id, opens_on);

    INSERT INTO pulse_team_summary (round_id, team_id, organisation_id, opens_on, responses,
                                    upward, meetings, people_mgmt, improvement, operational, other)
    SELECT p.round_id, p.team_id, r.organisation_id, r.opens_on, count(*),
           sum(p.upward), sum(p.meetings), sum(p.people_mgmt), sum(p.improvement), sum(p.operational), sum(p.other)
      FROM pulse_responses p JOIN pulse_rounds r ON r.id = p.round_id
     WHERE p.team_id IS NOT NULL
     GROUP BY p.round_id, p.team_id, r.organisation_id, r.opens_on;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE pulse_team_summary, priority_refresh_requests;
    ALTER TABLE pulse_responses DROP COLUMN team_id;
  `.execute(db);
}
