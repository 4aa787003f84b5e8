import { type Kysely, sql } from 'kysely';

// The pulse's team view, stored (docs/burden.md, "Results by team"): the disclosure decisions of every team of an
// organisation for each closed round, taken by the job `pulse.team-disclosure` with the same code the page used to
// run per request. A closed round's answers no longer change, so its decisions change only with the team tree or
// the disclosure minimum; the header row records both (and the round's sums) so that a page uses the stored rows
// only while they still hold, and computes the round live otherwise.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE pulse_team_periods (
      round_id         integer PRIMARY KEY REFERENCES pulse_rounds(id) ON DELETE CASCADE,
      organisation_id  integer NOT NULL REFERENCES organisations(id),
      opens_on         date NOT NULL,
      -- md5 of the organisation's teams as "id>parent", by id: the tree the decisions were taken on.
      tree_hash        text NOT NULL,
      minimum          integer NOT NULL,
      -- The round's sums the decisions were taken from (pulse_round_summary at the time).
      responses        integer NOT NULL,
      upward           numeric(12,1) NOT NULL,
      meetings         numeric(12,1) NOT NULL,
      people_mgmt      numeric(12,1) NOT NULL,
      improvement      numeric(12,1) NOT NULL,
      operational      numeric(12,1) NOT NULL,
      other            numeric(12,1) NOT NULL,
      computed_at      timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX pulse_team_periods_org_idx ON pulse_team_periods (organisation_id, opens_on);

    -- One row per round and team with answers in it or under it. Sums are the team's and every team's under it,
    -- as double precision: exactly the numbers the decision was computed from, so the page's means are the same.
    CREATE TABLE pulse_team_disclosure (
      round_id         integer NOT NULL REFERENCES pulse_team_periods(round_id) ON DELETE CASCADE,
      team_id          integer NOT NULL,
      responses        integer NOT NULL,
      upward           double precision NOT NULL,
      meetings         double precision NOT NULL,
      people_mgmt      double precision NOT NULL,
      improvement      double precision NOT NULL,
      operational      double precision NOT NULL,
      other            double precision NOT NULL,
      -- The team's figure is hidden; the figure of managers in the team itself (not in a team under it) is hidden.
      hidden           boolean NOT NULL,
      own_hidden       boolean NOT NULL,
      PRIMARY KEY (round_id, team_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE pulse_team_disclosure, pulse_team_periods`.execute(db);
}
