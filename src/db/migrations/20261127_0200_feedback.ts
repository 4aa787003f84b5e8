import { type Kysely, sql } from 'kysely';

// 360 feedback (feature src/features/feedback, docs/standards-feedback.md). A round asks nominated raters, in
// groups, to rate one person against one published framework version. Ratings reference the version's own
// competencies and scale levels, so a round keeps its meaning when the framework moves on.
//
// Raters' identities sit beside their answers (a rater saves as they go and comes back), but no page, report or
// API shows them together: the report is built only from group aggregates that pass the anonymity rule.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE feedback_rounds (
      id                      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id               bigint NOT NULL REFERENCES people(id),
      framework_version_id    integer NOT NULL REFERENCES framework_versions(id),
      -- A chosen subset of the version's domains; null: every domain.
      domain_ids              integer[],
      closes_on               date NOT NULL,
      -- The smallest number of submitted responses a group needs before its answers are shown. Never below 3.
      min_peer                integer NOT NULL DEFAULT 3 CHECK (min_peer BETWEEN 3 AND 20),
      min_direct_report       integer NOT NULL DEFAULT 3 CHECK (min_direct_report BETWEEN 3 AND 20),
      min_other               integer NOT NULL DEFAULT 3 CHECK (min_other BETWEEN 3 AND 20),
      facilitator_account_id  integer REFERENCES accounts(id),
      status                  text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
      closed_at               timestamptz,
      released_at             timestamptz,
      released_by             integer REFERENCES accounts(id),
      -- The person's choice to let their line managers and organisation admins read the released report.
      shared_at               timestamptz,
      created_by              integer REFERENCES accounts(id),
      created_at              timestamptz NOT NULL DEFAULT now(),
      synthetic               boolean NOT NULL DEFAULT false,
      CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
      CHECK (released_at IS NULL OR status = 'closed')
    );
    CREATE INDEX feedback_rounds_person_idx ON feedback_rounds (person_id, created_at DESC);
    CREATE INDEX feedback_rounds_open_idx ON feedback_rounds (closes_on) WHERE status = 'open';
    CREATE INDEX feedback_rounds_facilitator_idx ON feedback_rounds (facilitator_account_id)
      WHERE facilitator_account_id IS NOT NULL;

    CREATE TABLE feedback_raters (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      round_id      integer NOT NULL REFERENCES feedback_rounds(id) ON DELETE CASCADE,
      rater_group   text NOT NULL CHECK (rater_group IN ('self','line_manager','peer','direct_report','other')),
      -- A person in the system, or only an email address (someone invited from outside).
      person_id     bigint REFERENCES people(id),
      email         text,
      name          text NOT NULL,
      -- SHA-256 of the single-use link's token, for raters who answer without signing in.
      token_hash    text UNIQUE,
      invited_at    timestamptz,
      saved_at      timestamptz,
      submitted_at  timestamptz,
      strengths     text NOT NULL DEFAULT '',
      development   text NOT NULL DEFAULT '',
      created_at    timestamptz NOT NULL DEFAULT now(),
      CHECK (person_id IS NOT NULL OR email IS NOT NULL)
    );
    CREATE UNIQUE INDEX feedback_raters_person_idx ON feedback_raters (round_id, person_id) WHERE person_id IS NOT NULL;
    CREATE UNIQUE INDEX feedback_raters_email_idx ON feedback_raters (round_id, lower(email)) WHERE email IS NOT NULL;
    CREATE INDEX feedback_raters_rater_person_idx ON feedback_raters (person_id) WHERE person_id IS NOT NULL;

    CREATE TABLE feedback_ratings (
      rater_id        bigint NOT NULL REFERENCES feedback_raters(id) ON DELETE CASCADE,
      competency_id   integer NOT NULL REFERENCES framework_competencies(id),
      scale_level_id  integer NOT NULL REFERENCES framework_scale_levels(id),
      -- Copied from the level: null for a level that is not a score ("no chance to observe").
      value           integer,
      PRIMARY KEY (rater_id, competency_id)
    );

    -- One row per reminder sent: the primary key makes each reminder go once, whichever worker sends it.
    CREATE TABLE feedback_reminders (
      rater_id     bigint NOT NULL REFERENCES feedback_raters(id) ON DELETE CASCADE,
      days_before  integer NOT NULL,
      sent_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (rater_id, days_before)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE feedback_reminders, feedback_ratings, feedback_raters, feedback_rounds`.execute(db);
}
