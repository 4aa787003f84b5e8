import { type Kysely, sql } from 'kysely';

// The platform foundation: organisations (ODS) with parent history, teams, people and their
// assignments with history, accounts and role grants, sessions, audit, API tokens, mail outbox.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE organisations (
      id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code          text NOT NULL UNIQUE,
      name          text NOT NULL,
      kind          text NOT NULL CHECK (kind IN ('nation','region','icb','sub_icb','trust','provider','other')),
      parent_id     integer REFERENCES organisations(id),
      -- Denormalised from the parent chain so that scope checks are one indexed comparison.
      icb_id        integer REFERENCES organisations(id),
      region_id     integer REFERENCES organisations(id),
      ons_code      text,
      postcode      text,
      address       text,
      phone         text,
      opened_on     date,
      closed_on     date,
      source        text NOT NULL DEFAULT 'manual',
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX organisations_parent_idx ON organisations (parent_id);
    CREATE INDEX organisations_icb_idx ON organisations (icb_id);
    CREATE INDEX organisations_region_idx ON organisations (region_id);
    CREATE INDEX organisations_name_trgm ON organisations USING gin (name gin_trgm_ops);

    -- Every change of parent, kept for as long as the organisation exists (ICBs merge, trusts move).
    CREATE TABLE organisation_parent_history (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id integer NOT NULL REFERENCES organisations(id),
      parent_id       integer REFERENCES organisations(id),
      valid_from      timestamptz NOT NULL,
      valid_to        timestamptz,
      recorded_at     timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX organisation_parent_history_org_idx ON organisation_parent_history (organisation_id, valid_from);

    CREATE FUNCTION organisations_parent_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO organisation_parent_history (organisation_id, parent_id, valid_from)
        VALUES (NEW.id, NEW.parent_id, now());
      ELSIF NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
        UPDATE organisation_parent_history SET valid_to = now()
         WHERE organisation_id = NEW.id AND valid_to IS NULL;
        INSERT INTO organisation_parent_history (organisation_id, parent_id, valid_from)
        VALUES (NEW.id, NEW.parent_id, now());
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER organisations_parent_history AFTER INSERT OR UPDATE OF parent_id ON organisations
      FOR EACH ROW EXECUTE FUNCTION organisations_parent_history();

    CREATE TABLE teams (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id integer NOT NULL REFERENCES organisations(id),
      parent_team_id  integer REFERENCES teams(id),
      code            text,
      name            text NOT NULL,
      kind            text NOT NULL DEFAULT 'team' CHECK (kind IN ('directorate','division','department','team')),
      closed_on       date,
      created_at      timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organisation_id, code)
    );
    CREATE INDEX teams_org_idx ON teams (organisation_id, parent_team_id);

    CREATE TABLE people (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- ESR employee (staff) number; national and stable across employers.
      staff_number  text UNIQUE,
      given_name    text NOT NULL,
      family_name   text NOT NULL,
      email         text,
      -- Equality fields (ESR categories). Shown only as the access model allows.
      ethnicity     text,
      disability    text,
      sex           text,
      age_band      text,
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX people_email_idx ON people (lower(email)) WHERE email IS NOT NULL;
    CREATE INDEX people_name_trgm ON people USING gin ((given_name || ' ' || family_name) gin_trgm_ops);
    CREATE INDEX people_family_name_idx ON people (lower(family_name), lower(given_name), id);

    CREATE TABLE assignments (
      id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id                  bigint NOT NULL REFERENCES people(id),
      organisation_id            integer NOT NULL REFERENCES organisations(id),
      assignment_number          text NOT NULL,
      team_id                    integer REFERENCES teams(id),
      position_title             text NOT NULL,
      band                       text CHECK (band IN ('1','2','3','4','5','6','7','8a','8b','8c','8d','9','VSM','Medical','Other')),
      staff_group                text,
      occupation_code            text,
      wte                        numeric(4,2) CHECK (wte >= 0 AND wte <= 1.5),
      line_manager_assignment_id bigint REFERENCES assignments(id),
      is_manager                 boolean NOT NULL DEFAULT false,
      start_date                 date NOT NULL,
      end_date                   date,
      managed_by_import          boolean NOT NULL DEFAULT false,
      created_at                 timestamptz NOT NULL DEFAULT now(),
      updated_at                 timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organisation_id, assignment_number),
      CHECK (end_date IS NULL OR end_date >= start_date)
    );
    CREATE INDEX assignments_person_idx ON assignments (person_id);
    CREATE INDEX assignments_org_active_idx ON assignments (organisation_id, person_id) WHERE end_date IS NULL;
    CREATE INDEX assignments_manager_idx ON assignments (line_manager_assignment_id) WHERE line_manager_assignment_id IS NOT NULL;
    CREATE INDEX assignments_team_idx ON assignments (team_id) WHERE team_id IS NOT NULL;

    -- The previous version of an assignment each time it changes: who held what, where, reporting to whom, when.
    CREATE TABLE assignment_history (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      assignment_id  bigint NOT NULL REFERENCES assignments(id),
      valid_from     timestamptz NOT NULL,
      valid_to       timestamptz NOT NULL,
      previous       jsonb NOT NULL
    );
    CREATE INDEX assignment_history_assignment_idx ON assignment_history (assignment_id, valid_to);

    CREATE FUNCTION assignments_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (to_jsonb(OLD) - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'updated_at') THEN
        INSERT INTO assignment_history (assignment_id, valid_from, valid_to, previous)
        VALUES (OLD.id, OLD.updated_at, now(), to_jsonb(OLD) - 'created_at' - 'updated_at');
        NEW.updated_at := now();
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER assignments_history BEFORE UPDATE ON assignments
      FOR EACH ROW EXECUTE FUNCTION assignments_history();

    CREATE TABLE accounts (
      id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id        bigint UNIQUE REFERENCES people(id),
      email            text NOT NULL,
      display_name     text NOT NULL,
      password_hash    text,
      oidc_subject     text UNIQUE,
      status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
      failed_attempts  integer NOT NULL DEFAULT 0,
      locked_until     timestamptz,
      is_demo          boolean NOT NULL DEFAULT false,
      last_sign_in_at  timestamptz,
      created_at       timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX accounts_email_idx ON accounts (lower(email));

    -- Roles beyond 'staff' and 'line manager' (which follow from the person's assignments).
    CREATE TABLE role_grants (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id      integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      role            text NOT NULL CHECK (role IN ('org_admin','icb_lead','regional_lead','national_admin','provider_admin')),
      organisation_id integer REFERENCES organisations(id),
      created_at      timestamptz NOT NULL DEFAULT now(),
      created_by      integer REFERENCES accounts(id),
      CHECK ((role = 'national_admin') = (organisation_id IS NULL))
    );
    CREATE UNIQUE INDEX role_grants_unique ON role_grants (account_id, role, coalesce(organisation_id, 0));

    CREATE TABLE sessions (
      id             text PRIMARY KEY,          -- sha256 of the cookie value
      account_id     integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      data           jsonb NOT NULL DEFAULT '{}',
      created_at     timestamptz NOT NULL DEFAULT now(),
      last_seen_at   timestamptz NOT NULL DEFAULT now(),
      expires_at     timestamptz NOT NULL,
      ip             text,
      user_agent     text
    );
    CREATE INDEX sessions_account_idx ON sessions (account_id);
    CREATE INDEX sessions_expires_idx ON sessions (expires_at);

    CREATE TABLE password_resets (
      token_hash  text PRIMARY KEY,
      account_id  integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      created_at  timestamptz NOT NULL DEFAULT now(),
      expires_at  timestamptz NOT NULL,
      used_at     timestamptz
    );

    CREATE TABLE api_tokens (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account_id      integer NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      name            text NOT NULL,
      token_hash      text NOT NULL UNIQUE,
      prefix          text NOT NULL,
      role_grant_id   integer REFERENCES role_grants(id) ON DELETE CASCADE,
      created_at      timestamptz NOT NULL DEFAULT now(),
      expires_at      timestamptz,
      last_used_at    timestamptz,
      revoked_at      timestamptz
    );
    CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

    CREATE TABLE audit_log (
      id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at                timestamptz NOT NULL DEFAULT now(),
      actor_account_id  integer,
      actor_label       text,
      action            text NOT NULL,
      subject_type      text,
      subject_id        text,
      person_id         bigint,
      organisation_id   integer,
      ip                text,
      details           jsonb
    );
    CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
    CREATE INDEX audit_log_actor_idx ON audit_log (actor_account_id, at DESC);
    CREATE INDEX audit_log_person_idx ON audit_log (person_id, at DESC) WHERE person_id IS NOT NULL;
    CREATE INDEX audit_log_org_idx ON audit_log (organisation_id, at DESC) WHERE organisation_id IS NOT NULL;

    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

    CREATE TABLE mail_outbox (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      to_address  text NOT NULL,
      subject     text NOT NULL,
      body_text   text NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now(),
      sent_at     timestamptz,
      error       text
    );

    CREATE TABLE staff_imports (
      id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id  integer NOT NULL REFERENCES organisations(id),
      account_id       integer REFERENCES accounts(id),
      filename         text NOT NULL,
      status           text NOT NULL CHECK (status IN ('applied','rejected')),
      rows_total       integer NOT NULL DEFAULT 0,
      created          integer NOT NULL DEFAULT 0,
      updated          integer NOT NULL DEFAULT 0,
      unchanged        integer NOT NULL DEFAULT 0,
      ended            integer NOT NULL DEFAULT 0,
      errors           jsonb NOT NULL DEFAULT '[]',
      created_at       timestamptz NOT NULL DEFAULT now()
    );

    -- Settings that the running product decides from its data (e.g. whether demo data was loaded).
    CREATE TABLE app_settings (
      key    text PRIMARY KEY,
      value  jsonb NOT NULL
    );
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reversed; restore from a backup instead.');
}
