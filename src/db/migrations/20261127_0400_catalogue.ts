import { type Kysely, sql } from 'kysely';

// The training catalogue (feature src/features/catalogue, docs/learning-catalogue.md): providers, their
// programmes with structured eligibility and full-text search, competency links, and accreditation with its
// history and reminders.
//
// Provider admins: a provider_admin grant may now name a provider (role_grants.provider_id) instead of an
// organisation, because universities, professional bodies and private providers have no ODS organisation.
// A provider_admin grant names exactly one of the two; a grant naming an organisation covers the providers
// linked to that organisation (an NHS trust's own learning and development team).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE providers (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name             text NOT NULL,
      kind             text NOT NULL CHECK (kind IN ('nhs_organisation','academy','university','professional_body','private')),
      organisation_id  integer REFERENCES organisations(id),
      -- Where the provider is based (a region), for "near me"; null for national bodies.
      region_id        integer REFERENCES organisations(id),
      website          text,
      contact_email    text,
      synthetic        boolean NOT NULL DEFAULT false,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now(),
      CHECK (kind <> 'nhs_organisation' OR organisation_id IS NOT NULL)
    );
    CREATE UNIQUE INDEX providers_name_idx ON providers (lower(name));
    CREATE INDEX providers_org_idx ON providers (organisation_id) WHERE organisation_id IS NOT NULL;

    ALTER TABLE role_grants ADD COLUMN provider_id bigint REFERENCES providers(id) ON DELETE CASCADE;
    ALTER TABLE role_grants DROP CONSTRAINT role_grants_check;
    ALTER TABLE role_grants ADD CONSTRAINT role_grants_scope_check CHECK (CASE role
      WHEN 'national_admin' THEN organisation_id IS NULL AND provider_id IS NULL
      WHEN 'provider_admin' THEN (organisation_id IS NULL) <> (provider_id IS NULL)
      ELSE organisation_id IS NOT NULL AND provider_id IS NULL END);
    DROP INDEX role_grants_unique;
    CREATE UNIQUE INDEX role_grants_unique
      ON role_grants (account_id, role, coalesce(organisation_id, 0), coalesce(provider_id, 0));

    CREATE TABLE programmes (
      id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      provider_id             bigint NOT NULL REFERENCES providers(id),
      title                   text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
      summary                 text NOT NULL DEFAULT '',
      -- One learning outcome per line.
      outcomes                text NOT NULL DEFAULT '',
      level                   text NOT NULL CHECK (level IN ('first_line','middle','senior','executive','board')),
      format                  text NOT NULL CHECK (format IN ('online','face_to_face','blended')),
      hours                   integer NOT NULL CHECK (hours BETWEEN 1 AND 2000),
      duration_weeks          integer NOT NULL CHECK (duration_weeks BETWEEN 1 AND 260),
      -- Cost to the learner's employer in whole pounds; funding says whether someone else pays.
      cost_pounds             integer NOT NULL DEFAULT 0 CHECK (cost_pounds >= 0),
      funding                 text NOT NULL DEFAULT 'none' CHECK (funding IN ('none','part_funded','fully_funded')),
      funding_note            text NOT NULL DEFAULT '',
      -- Eligibility: an empty list means no restriction on that dimension (rules in catalogue/eligibility.ts).
      elig_bands              text[] NOT NULL DEFAULT '{}',
      elig_management_levels  text[] NOT NULL DEFAULT '{}',
      elig_staff_groups       text[] NOT NULL DEFAULT '{}',
      elig_organisation_ids   integer[] NOT NULL DEFAULT '{}',
      elig_region_ids         integer[] NOT NULL DEFAULT '{}',
      scope                   text NOT NULL CHECK (scope IN ('national','regional','icb','local')),
      -- The owning area: a region, an ICB or an organisation; none for national programmes.
      scope_org_id            integer REFERENCES organisations(id),
      -- Denormalised from the owning area so that the region filter is one indexed comparison.
      area_region_id          integer REFERENCES organisations(id),
      area_icb_id             integer REFERENCES organisations(id),
      local_version_of        bigint REFERENCES programmes(id),
      status                  text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','withdrawn')),
      published_at            timestamptz,
      withdrawn_at            timestamptz,
      -- Kept by the cohorts feature through setNextCohortStart.
      next_cohort_start       date,
      accreditation_status    text NOT NULL DEFAULT 'none'
        CHECK (accreditation_status IN ('none','submitted','changes_requested','accredited','rejected','expired')),
      accredited_until        date,
      -- Provider name and competency titles, maintained by the catalogue's writes, so search finds them.
      search_extra            text NOT NULL DEFAULT '',
      search                  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', search_extra), 'C') ||
        setweight(to_tsvector('english', outcomes), 'D')) STORED,
      synthetic               boolean NOT NULL DEFAULT false,
      created_by              integer REFERENCES accounts(id),
      updated_by              integer REFERENCES accounts(id),
      created_at              timestamptz NOT NULL DEFAULT now(),
      updated_at              timestamptz NOT NULL DEFAULT now(),
      CHECK ((scope = 'national') = (scope_org_id IS NULL)),
      CHECK ((status = 'draft') = (published_at IS NULL)),
      CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
      CHECK ((accreditation_status = 'accredited') = (accredited_until IS NOT NULL)),
      CHECK (local_version_of IS NULL OR local_version_of <> id)
    );
    CREATE INDEX programmes_search_idx ON programmes USING gin (search);
    CREATE INDEX programmes_provider_idx ON programmes (provider_id, status, id);
    CREATE INDEX programmes_published_idx ON programmes (title, id) WHERE status = 'published';
    CREATE INDEX programmes_level_idx ON programmes (level, id) WHERE status = 'published';
    CREATE INDEX programmes_region_idx ON programmes (area_region_id) WHERE status = 'published';
    CREATE INDEX programmes_next_start_idx ON programmes (next_cohort_start, id) WHERE status = 'published';
    CREATE INDEX programmes_accredited_idx ON programmes (accredited_until, id) WHERE accreditation_status = 'accredited';
    CREATE INDEX programmes_local_version_idx ON programmes (local_version_of) WHERE local_version_of IS NOT NULL;

    -- The competencies a programme develops: framework competencies referenced with their version, as the
    -- frameworks migration asks, so a link can never point at a competency of another version.
    CREATE TABLE programme_competencies (
      programme_id   bigint NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
      version_id     integer NOT NULL,
      competency_id  integer NOT NULL,
      FOREIGN KEY (version_id, competency_id) REFERENCES framework_competencies(version_id, id),
      PRIMARY KEY (programme_id, competency_id)
    );
    CREATE INDEX programme_competencies_competency_idx ON programme_competencies (competency_id, programme_id);

    -- One submission of a programme for accreditation against the management standards, and its decision.
    CREATE TABLE accreditation_submissions (
      id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      programme_id       bigint NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
      status             text NOT NULL DEFAULT 'submitted'
        CHECK (status IN ('submitted','accredited','changes_requested','rejected','expired','superseded')),
      -- Who reviews: national programmes nationally, others by their region (or nationally).
      review_region_id   integer REFERENCES organisations(id),
      competency_mapping text NOT NULL,
      assessment_method  text NOT NULL,
      evidence           text NOT NULL,
      -- The programme as submitted (title, outcomes, competency links), so a later edit cannot change what was judged.
      snapshot           jsonb NOT NULL,
      submitted_by       integer REFERENCES accounts(id),
      submitted_at       timestamptz NOT NULL DEFAULT now(),
      criteria           jsonb,
      decision_note      text,
      decided_by         integer REFERENCES accounts(id),
      decided_at         timestamptz,
      expires_on         date,
      CHECK ((status = 'accredited') <= (expires_on IS NOT NULL))
    );
    CREATE INDEX accreditation_submissions_programme_idx ON accreditation_submissions (programme_id, id DESC);
    CREATE INDEX accreditation_submissions_open_idx ON accreditation_submissions (review_region_id, submitted_at)
      WHERE status = 'submitted';
    CREATE INDEX accreditation_submissions_expiry_idx ON accreditation_submissions (expires_on)
      WHERE status = 'accredited';
    -- At most one open submission per programme.
    CREATE UNIQUE INDEX accreditation_submissions_one_open ON accreditation_submissions (programme_id)
      WHERE status = 'submitted';

    -- Every step of the accreditation workflow, in order (submitted, decisions, reminders, expiry).
    CREATE TABLE accreditation_events (
      id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      submission_id     bigint NOT NULL REFERENCES accreditation_submissions(id) ON DELETE CASCADE,
      programme_id      bigint NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
      at                timestamptz NOT NULL DEFAULT now(),
      actor_account_id  integer REFERENCES accounts(id),
      action            text NOT NULL,
      note              text,
      details           jsonb
    );
    CREATE INDEX accreditation_events_programme_idx ON accreditation_events (programme_id, at);

    -- Reminders sent, one row per submission and kind: the unique key makes the job safe to run twice.
    CREATE TABLE accreditation_reminders (
      submission_id  bigint NOT NULL REFERENCES accreditation_submissions(id) ON DELETE CASCADE,
      kind           text NOT NULL CHECK (kind IN ('due_90','due_30')),
      sent_at        timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (submission_id, kind)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE accreditation_reminders, accreditation_events, accreditation_submissions, programme_competencies, programmes;
    DELETE FROM role_grants WHERE provider_id IS NOT NULL;
    DROP INDEX role_grants_unique;
    CREATE UNIQUE INDEX role_grants_unique ON role_grants (account_id, role, coalesce(organisation_id, 0));
    ALTER TABLE role_grants DROP CONSTRAINT role_grants_scope_check;
    ALTER TABLE role_grants ADD CONSTRAINT role_grants_check CHECK ((role = 'national_admin') = (organisation_id IS NULL));
    ALTER TABLE role_grants DROP COLUMN provider_id;
    DROP TABLE providers;
  `.execute(db);
}
