import { type Kysely, sql } from 'kysely';

// Management workload (docs/workload-priorities.md): the register of competing priorities placed on organisations
// and teams, the overlaps and conflicts people mark between them, the reorganisations log, and the summary tables
// their refresh writes (pages read only those).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE priorities (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      source          text NOT NULL CHECK (source IN ('nhse_national','nhse_region','icb','dhsc','cqc','board','local_authority','other')),
      set_on          date NOT NULL,
      measure         text NOT NULL,
      target_date     date,
      funded          boolean NOT NULL,
      funding_amount  numeric(14,2) CHECK (funding_amount IS NULL OR funding_amount >= 0),
      owner           text NOT NULL,
      -- Where it was placed: England, a region, an ICB or one organisation (scope_org_id is that area).
      scope           text NOT NULL CHECK (scope IN ('national','region','icb','organisation')),
      scope_org_id    integer REFERENCES organisations(id),
      -- False: it cascades to every organisation of its area. True: only the targets listed.
      targeted        boolean NOT NULL DEFAULT false,
      status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active','met','dropped')),
      -- The day it stopped being active (met or dropped); the trend counts it up to the day before.
      ended_on        date,
      created_by      integer REFERENCES accounts(id),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      synthetic       boolean NOT NULL DEFAULT false,
      CHECK ((scope = 'national') = (scope_org_id IS NULL)),
      CHECK ((status = 'active') = (ended_on IS NULL))
    );
    CREATE INDEX priorities_scope_idx ON priorities (scope, scope_org_id);
    CREATE INDEX priorities_synthetic_idx ON priorities (id) WHERE synthetic;

    -- The organisations (team_id null) or teams a targeted priority is placed on.
    CREATE TABLE priority_targets (
      priority_id     integer NOT NULL REFERENCES priorities(id) ON DELETE CASCADE,
      organisation_id integer NOT NULL REFERENCES organisations(id),
      team_id         integer REFERENCES teams(id)
    );
    CREATE UNIQUE INDEX priority_targets_unique ON priority_targets (priority_id, organisation_id, coalesce(team_id, 0));
    CREATE INDEX priority_targets_org_idx ON priority_targets (organisation_id, team_id);

    -- Two priorities marked as overlapping or conflicting by someone in an organisation; the note stays there.
    CREATE TABLE priority_links (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id integer NOT NULL REFERENCES organisations(id),
      priority_a      integer NOT NULL REFERENCES priorities(id) ON DELETE CASCADE,
      priority_b      integer NOT NULL REFERENCES priorities(id) ON DELETE CASCADE,
      kind            text NOT NULL CHECK (kind IN ('overlap','conflict')),
      note            text NOT NULL DEFAULT '',
      created_by      integer REFERENCES accounts(id),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      synthetic       boolean NOT NULL DEFAULT false,
      CHECK (priority_a < priority_b),
      UNIQUE (organisation_id, priority_a, priority_b)
    );

    CREATE TABLE priority_team_summary (
      team_id         integer PRIMARY KEY,
      organisation_id integer NOT NULL,
      concurrent      integer NOT NULL,
      unfunded        integer NOT NULL,
      overlapping     integer NOT NULL,
      conflicting     integer NOT NULL,
      refreshed_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX priority_team_summary_org_idx ON priority_team_summary (organisation_id, concurrent DESC);

    CREATE TABLE priority_manager_summary (
      organisation_id integer NOT NULL,
      person_id       bigint NOT NULL,
      teams           integer NOT NULL,
      concurrent      integer NOT NULL,
      unfunded        integer NOT NULL,
      overlapping     integer NOT NULL,
      conflicting     integer NOT NULL,
      refreshed_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, person_id)
    );
    CREATE INDEX priority_manager_summary_rank_idx ON priority_manager_summary (organisation_id, concurrent DESC);

    -- Organisation, ICB, region and England (area_id 0): teams counted and the distribution of their priorities.
    CREATE TABLE priority_area_summary (
      level           text NOT NULL CHECK (level IN ('organisation','icb','region','nation')),
      area_id         integer NOT NULL,
      organisations   integer NOT NULL,
      teams           integer NOT NULL,
      team_priorities bigint NOT NULL,
      unfunded        bigint NOT NULL,
      median          numeric(8,1),
      p90             numeric(8,1),
      max             integer,
      distribution    jsonb NOT NULL,
      overlapping     integer NOT NULL,
      conflicting     integer NOT NULL,
      active          integer NOT NULL,
      refreshed_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (level, area_id)
    );

    -- Mean concurrent active priorities per team on the last day of each month (today for the current month).
    CREATE TABLE priority_trend (
      level           text NOT NULL,
      area_id         integer NOT NULL,
      month           date NOT NULL,
      teams           integer NOT NULL,
      mean            numeric(8,2) NOT NULL,
      PRIMARY KEY (level, area_id, month)
    );

    CREATE TABLE reorganisations (
      id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id   integer NOT NULL REFERENCES organisations(id),
      team_id           integer REFERENCES teams(id),
      unit_name         text NOT NULL,
      effective_on      date NOT NULL,
      staff_affected    integer NOT NULL CHECK (staff_affected >= 0),
      rationale         text NOT NULL,
      cost              numeric(14,2) CHECK (cost IS NULL OR cost >= 0),
      expected_benefits text NOT NULL,
      review_on         date,
      outcome           text,
      outcome_on        date,
      recorded_by       integer REFERENCES accounts(id),
      review_reminded_at timestamptz,
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now(),
      synthetic         boolean NOT NULL DEFAULT false
    );
    CREATE INDEX reorganisations_unit_idx ON reorganisations (organisation_id, team_id, effective_on);
    CREATE INDEX reorganisations_review_due_idx ON reorganisations (review_on)
      WHERE outcome IS NULL AND review_reminded_at IS NULL AND review_on IS NOT NULL;
    CREATE INDEX reorganisations_synthetic_idx ON reorganisations (id) WHERE synthetic;

    -- Per area and calendar year; organisation level too, so the organisation's own page reads it.
    CREATE TABLE reorganisation_summary (
      level            text NOT NULL CHECK (level IN ('organisation','icb','region','nation')),
      area_id          integer NOT NULL,
      year             integer NOT NULL,
      organisations    integer NOT NULL,
      reorganisations  integer NOT NULL,
      repeated         integer NOT NULL,
      staff_affected   bigint NOT NULL,
      cost             numeric(16,2) NOT NULL,
      cost_unknown     integer NOT NULL,
      refreshed_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (level, area_id, year)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE reorganisation_summary, reorganisations, priority_trend, priority_area_summary,
      priority_manager_summary, priority_team_summary, priority_links, priority_targets, priorities;
  `.execute(db);
}
