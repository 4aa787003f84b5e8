import { type Kysely, sql } from 'kysely';

// Cohorts and booking (feature src/features/cohorts, docs/learning-cohorts.md): dated cohorts of catalogue
// programmes with their sessions, applications with approvals and a wait-list, managers' reservations, interest
// without dates, attendance, completions with certificates, feedback, notices to send, and the supply-and-demand
// summaries that the refresh writes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE cohorts (
      id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      programme_id       bigint NOT NULL REFERENCES programmes(id),
      name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      capacity           integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
      -- Places held by applications (awaiting approval or confirmed) and by managers' reservations. Places are
      -- only taken by one guarded UPDATE (… WHERE places_taken < capacity), so concurrent bookings cannot overbook;
      -- the CHECK is the last line of defence.
      places_taken       integer NOT NULL DEFAULT 0 CHECK (places_taken >= 0 AND places_taken <= capacity),
      booking_opens_on   date NOT NULL,
      booking_closes_on  date NOT NULL,
      -- The first and last session days, kept by the session writes (the catalogue shows the next start).
      starts_on          date,
      ends_on            date,
      status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','open','cancelled','completed')),
      -- Funding must also be approved by an admin of the applicant's organisation.
      funder_approval    boolean NOT NULL DEFAULT false,
      synthetic          boolean NOT NULL DEFAULT false,
      created_by         integer REFERENCES accounts(id) ON DELETE SET NULL,
      created_at         timestamptz NOT NULL DEFAULT now(),
      updated_at         timestamptz NOT NULL DEFAULT now(),
      CHECK (booking_closes_on >= booking_opens_on)
    );
    CREATE INDEX cohorts_programme_idx ON cohorts (programme_id, starts_on, id);
    CREATE INDEX cohorts_starts_idx ON cohorts (starts_on) WHERE status IN ('open','completed');
    CREATE INDEX cohorts_closing_idx ON cohorts (booking_closes_on) WHERE status = 'open';

    CREATE TABLE cohort_sessions (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      cohort_id   bigint NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
      starts_at   timestamptz NOT NULL,
      ends_at     timestamptz NOT NULL,
      venue       text CHECK (venue IS NULL OR length(venue) <= 300),
      online_url  text CHECK (online_url IS NULL OR online_url ~ '^https://'),
      CHECK (ends_at > starts_at),
      CHECK (venue IS NOT NULL OR online_url IS NOT NULL)
    );
    CREATE INDEX cohort_sessions_cohort_idx ON cohort_sessions (cohort_id, starts_at);
    CREATE INDEX cohort_sessions_starts_idx ON cohort_sessions (starts_at);

    -- Places a line manager holds for their team, turned into applications for named reports one by one.
    CREATE TABLE cohort_reservations (
      id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      cohort_id          bigint NOT NULL REFERENCES cohorts(id),
      manager_person_id  bigint NOT NULL REFERENCES people(id),
      reserved_by        integer REFERENCES accounts(id) ON DELETE SET NULL,
      places             integer NOT NULL CHECK (places >= 1),
      used               integer NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= places),
      released_at        timestamptz,
      created_at         timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX cohort_reservations_cohort_idx ON cohort_reservations (cohort_id);
    CREATE INDEX cohort_reservations_manager_idx ON cohort_reservations (manager_person_id);

    CREATE TABLE cohort_applications (
      id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      cohort_id               bigint NOT NULL REFERENCES cohorts(id),
      person_id               bigint NOT NULL REFERENCES people(id),
      -- Where the applicant worked when applying: the supply-and-demand refresh groups by these without
      -- walking 1.35M assignments, and a later move does not rewrite history.
      organisation_id         integer REFERENCES organisations(id),
      staff_group             text,
      -- The applicant's line manager's assignment at the time of applying: whoever holds it approves.
      approver_assignment_id  bigint REFERENCES assignments(id),
      status                  text NOT NULL
        CHECK (status IN ('awaiting_approval','confirmed','waitlisted','rejected','cancelled')),
      manager_decision        text NOT NULL CHECK (manager_decision IN ('pending','approved','rejected','not_required')),
      funder_decision         text NOT NULL CHECK (funder_decision IN ('pending','approved','rejected','not_required')),
      manager_decided_by      integer REFERENCES accounts(id) ON DELETE SET NULL,
      manager_decided_at      timestamptz,
      funder_decided_by       integer REFERENCES accounts(id) ON DELETE SET NULL,
      funder_decided_at       timestamptz,
      decision_note           text CHECK (decision_note IS NULL OR length(decision_note) <= 1000),
      reservation_id          bigint REFERENCES cohort_reservations(id),
      applied_at              timestamptz NOT NULL DEFAULT now(),
      place_taken_at          timestamptz,
      cancelled_at            timestamptz,
      completed_on            date,
      outcome                 text CHECK (outcome IN ('passed','failed','completed')),
      completion_recorded_by  integer REFERENCES accounts(id) ON DELETE SET NULL,
      synthetic               boolean NOT NULL DEFAULT false,
      CHECK ((outcome IS NULL) = (completed_on IS NULL))
    );
    -- One live application per person and cohort; rejected and cancelled ones stay as history.
    CREATE UNIQUE INDEX cohort_applications_live_idx ON cohort_applications (cohort_id, person_id)
      WHERE status IN ('awaiting_approval','confirmed','waitlisted');
    -- The wait-list in order (first come, first served by id).
    CREATE INDEX cohort_applications_cohort_idx ON cohort_applications (cohort_id, status, id);
    CREATE INDEX cohort_applications_person_idx ON cohort_applications (person_id, applied_at DESC);
    CREATE INDEX cohort_applications_approver_idx ON cohort_applications (approver_assignment_id)
      WHERE manager_decision = 'pending';
    CREATE INDEX cohort_applications_funder_idx ON cohort_applications (organisation_id)
      WHERE funder_decision = 'pending';

    CREATE TABLE cohort_attendance (
      session_id      bigint NOT NULL REFERENCES cohort_sessions(id) ON DELETE CASCADE,
      application_id  bigint NOT NULL REFERENCES cohort_applications(id),
      attended        boolean NOT NULL,
      recorded_by     integer REFERENCES accounts(id) ON DELETE SET NULL,
      recorded_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (session_id, application_id)
    );

    -- A certificate as issued: the names are copied so a later rename cannot change what was certified.
    CREATE TABLE cohort_certificates (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      application_id   bigint NOT NULL UNIQUE REFERENCES cohort_applications(id),
      code             text NOT NULL UNIQUE CHECK (code ~ '^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$'),
      person_name      text NOT NULL,
      programme_title  text NOT NULL,
      provider_name    text NOT NULL,
      completed_on     date NOT NULL,
      issued_at        timestamptz NOT NULL DEFAULT now(),
      revoked_at       timestamptz
    );

    CREATE TABLE cohort_feedback (
      application_id  bigint PRIMARY KEY REFERENCES cohort_applications(id),
      cohort_id       bigint NOT NULL REFERENCES cohorts(id),
      overall         smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),
      relevance       smallint NOT NULL CHECK (relevance BETWEEN 1 AND 5),
      recommend       boolean NOT NULL,
      comment         text CHECK (comment IS NULL OR length(comment) <= 1000),
      submitted_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX cohort_feedback_cohort_idx ON cohort_feedback (cohort_id);

    -- Demand without dates: people who would join a programme that has no cohort open to them.
    CREATE TABLE programme_interest (
      programme_id     bigint NOT NULL REFERENCES programmes(id),
      person_id        bigint NOT NULL REFERENCES people(id),
      organisation_id  integer REFERENCES organisations(id),
      staff_group      text,
      registered_at    timestamptz NOT NULL DEFAULT now(),
      synthetic        boolean NOT NULL DEFAULT false,
      PRIMARY KEY (programme_id, person_id)
    );
    CREATE INDEX programme_interest_person_idx ON programme_interest (person_id);

    -- Emails to send. State changes add a notice in their own transaction; reminders are added by their job. The
    -- unique key makes every notice happen once, however often and on however many instances the jobs run.
    CREATE TABLE cohort_notices (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind            text NOT NULL CHECK (kind IN ('approval_needed','funder_approval_needed','decision','promoted',
                        'session_reminder','closing_reminder')),
      dedupe_key      text NOT NULL UNIQUE,
      application_id  bigint REFERENCES cohort_applications(id),
      cohort_id       bigint REFERENCES cohorts(id),
      session_id      bigint REFERENCES cohort_sessions(id) ON DELETE CASCADE,
      person_id       bigint REFERENCES people(id),
      -- What the notice says that the rows may no longer show when it is sent (the status it announces).
      details         jsonb NOT NULL DEFAULT '{}',
      created_at      timestamptz NOT NULL DEFAULT now(),
      sent_at         timestamptz
    );
    CREATE INDEX cohort_notices_unsent_idx ON cohort_notices (id) WHERE sent_at IS NULL;

    -- Supply against demand per area, staff group, competency domain and programme level ('' = all), written by
    -- the refresh (cohorts.refresh-supply); pages read only this.
    CREATE TABLE cohort_supply_summary (
      area_kind      text NOT NULL CHECK (area_kind IN ('nation','region','icb','organisation')),
      area_id        integer NOT NULL,
      staff_group    text NOT NULL,
      domain         text NOT NULL,
      level          text NOT NULL,
      managers       integer NOT NULL,
      programmes     integer NOT NULL,
      places         integer NOT NULL,
      offered        integer,
      applications   integer NOT NULL,
      waitlisted     integer NOT NULL,
      interest       integer NOT NULL,
      wait_n         integer NOT NULL,
      wait_median    numeric(8,1),
      wait_p90       numeric(8,1),
      PRIMARY KEY (area_kind, area_id, staff_group, domain, level)
    );

    CREATE TABLE cohort_supply_refreshes (
      id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      refreshed_at  timestamptz NOT NULL DEFAULT now(),
      window_from   date NOT NULL,
      window_to     date NOT NULL,
      rows          integer NOT NULL,
      millis        integer NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE cohort_supply_refreshes, cohort_supply_summary, cohort_notices, programme_interest, cohort_feedback,
      cohort_certificates, cohort_attendance, cohort_applications, cohort_reservations, cohort_sessions, cohorts;
  `.execute(db);
}
