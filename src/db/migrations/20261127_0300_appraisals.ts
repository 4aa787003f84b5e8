import { type Kysely, sql } from 'kysely';

// The standard appraisal (feature src/features/appraisals; docs/standards-appraisal.md): cycles opened by an
// organisation, one appraisal per person in post, addenda after locking, check-ins between appraisals, reminders
// sent, and the summary tables the dashboard reads. A locked appraisal and a signed addendum cannot change: the
// triggers below refuse it whatever the writer.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE appraisal_cycles (
      id                    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id       integer NOT NULL REFERENCES organisations(id),
      name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      starts_on             date NOT NULL,
      mid_year_on           date NOT NULL,
      due_on                date NOT NULL,
      ends_on               date NOT NULL,
      template_key          text NOT NULL,
      template_version      integer NOT NULL,
      framework_version_id  integer NOT NULL REFERENCES framework_versions(id),
      synthetic             boolean NOT NULL DEFAULT false,
      created_by            integer REFERENCES accounts(id) ON DELETE SET NULL,
      created_at            timestamptz NOT NULL DEFAULT now(),
      CHECK (starts_on < mid_year_on AND mid_year_on < ends_on AND starts_on <= due_on AND due_on <= ends_on)
    );
    CREATE INDEX appraisal_cycles_org_idx ON appraisal_cycles (organisation_id, starts_on DESC, id DESC);

    CREATE TABLE appraisals (
      id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      cycle_id                 integer NOT NULL REFERENCES appraisal_cycles(id),
      organisation_id          integer NOT NULL REFERENCES organisations(id),
      person_id                bigint NOT NULL REFERENCES people(id),
      assignment_id            bigint NOT NULL REFERENCES assignments(id),
      appraiser_person_id      bigint REFERENCES people(id),
      -- Set when an admin chose the appraiser instead of the line manager.
      appraiser_set_by         integer REFERENCES accounts(id) ON DELETE SET NULL,
      appraiser_set_at         timestamptz,
      template_key             text NOT NULL,
      template_version         integer NOT NULL,
      framework_version_id     integer NOT NULL REFERENCES framework_versions(id),
      status                   text NOT NULL DEFAULT 'not_started'
                                 CHECK (status IN ('not_started','preparing','meeting_held','recorded','locked')),
      content                  jsonb NOT NULL DEFAULT '{}',
      overall_rating           text CHECK (overall_rating IN ('exceptional','strong','developing','not_yet_meeting')),
      meeting_on               date,
      due_on                   date NOT NULL,
      appraisee_signed_at      timestamptz,
      appraisee_signed_by      integer REFERENCES accounts(id) ON DELETE SET NULL,
      appraiser_signed_at      timestamptz,
      appraiser_signed_by      integer REFERENCES accounts(id) ON DELETE SET NULL,
      locked_at                timestamptz,
      synthetic                boolean NOT NULL DEFAULT false,
      created_at               timestamptz NOT NULL DEFAULT now(),
      updated_at               timestamptz NOT NULL DEFAULT now(),
      UNIQUE (cycle_id, person_id),
      CHECK ((status = 'locked') = (locked_at IS NOT NULL))
    );
    CREATE INDEX appraisals_person_idx ON appraisals (person_id, cycle_id DESC);
    CREATE INDEX appraisals_appraiser_idx ON appraisals (appraiser_person_id, cycle_id DESC) WHERE appraiser_person_id IS NOT NULL;
    -- Overdue lists and reminders: what is open, by due date.
    CREATE INDEX appraisals_open_due_idx ON appraisals (organisation_id, due_on, id) WHERE status <> 'locked';
    CREATE INDEX appraisals_cycle_idx ON appraisals (cycle_id, id);

    CREATE FUNCTION appraisals_locked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'locked' AND NOT OLD.synthetic THEN
          RAISE EXCEPTION 'appraisal % is locked: it cannot be deleted', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status = 'locked' THEN
        RAISE EXCEPTION 'appraisal % is locked: add an addendum instead', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      NEW.updated_at := now();
      RETURN NEW;
    END $$;
    CREATE TRIGGER appraisals_locked BEFORE UPDATE OR DELETE ON appraisals
      FOR EACH ROW EXECUTE FUNCTION appraisals_locked();

    -- Corrections after locking. The text never changes once written; both parties sign; then it is locked too.
    CREATE TABLE appraisal_addenda (
      id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      appraisal_id         bigint NOT NULL REFERENCES appraisals(id),
      body                 text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
      created_by           integer REFERENCES accounts(id) ON DELETE SET NULL,
      created_at           timestamptz NOT NULL DEFAULT now(),
      appraisee_signed_at  timestamptz,
      appraisee_signed_by  integer REFERENCES accounts(id) ON DELETE SET NULL,
      appraiser_signed_at  timestamptz,
      appraiser_signed_by  integer REFERENCES accounts(id) ON DELETE SET NULL,
      locked_at            timestamptz,
      synthetic            boolean NOT NULL DEFAULT false
    );
    CREATE INDEX appraisal_addenda_appraisal_idx ON appraisal_addenda (appraisal_id, id);

    CREATE FUNCTION appraisal_addenda_locked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF NOT OLD.synthetic THEN
          RAISE EXCEPTION 'addendum % cannot be deleted', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.locked_at IS NOT NULL THEN
        RAISE EXCEPTION 'addendum % is signed by both and locked', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.body IS DISTINCT FROM OLD.body OR NEW.appraisal_id IS DISTINCT FROM OLD.appraisal_id THEN
        RAISE EXCEPTION 'the text of addendum % cannot change', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER appraisal_addenda_locked BEFORE UPDATE OR DELETE ON appraisal_addenda
      FOR EACH ROW EXECUTE FUNCTION appraisal_addenda_locked();

    -- Short dated notes between appraisals, by the person or their line manager.
    CREATE TABLE appraisal_checkins (
      id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id          bigint NOT NULL REFERENCES people(id),
      author_account_id  integer REFERENCES accounts(id) ON DELETE SET NULL,
      author_name        text NOT NULL,
      author_role        text NOT NULL CHECK (author_role IN ('appraisee','line_manager')),
      noted_on           date NOT NULL,
      body               text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
      synthetic          boolean NOT NULL DEFAULT false,
      created_at         timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX appraisal_checkins_person_idx ON appraisal_checkins (person_id, noted_on DESC, id DESC);

    -- Each reminder once: the key is the appraisal, the recipient and the kind.
    CREATE TABLE appraisal_reminders (
      appraisal_id  bigint NOT NULL REFERENCES appraisals(id) ON DELETE CASCADE,
      recipient     text NOT NULL CHECK (recipient IN ('appraisee','appraiser')),
      kind          text NOT NULL CHECK (kind IN ('due_soon','overdue')),
      sent_at       timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (appraisal_id, recipient, kind)
    );

    -- Dashboard figures, written by the refresh (never computed per request). level/area_id: an organisation
    -- (its current cycle), an ICB, a region or the nation (0). Counts are raw; pages apply disclosure control.
    CREATE TABLE appraisal_status_summary (
      level          text NOT NULL CHECK (level IN ('organisation','icb','region','nation')),
      area_id        integer NOT NULL,
      dimension      text NOT NULL CHECK (dimension IN ('total','directorate','team','band','staff_group','organisation')),
      key            text NOT NULL,
      label          text NOT NULL,
      parent_key     text,
      people         integer NOT NULL,
      not_started    integer NOT NULL,
      in_progress    integer NOT NULL,
      completed      integer NOT NULL,
      overdue        integer NOT NULL,
      cycle_id       integer,
      refreshed_at   timestamptz NOT NULL,
      PRIMARY KEY (level, area_id, dimension, key)
    );

    CREATE TABLE appraisal_rating_summary (
      level          text NOT NULL CHECK (level IN ('organisation','icb','region','nation')),
      area_id        integer NOT NULL,
      dimension      text NOT NULL CHECK (dimension IN ('total','ethnicity','disability')),
      key            text NOT NULL,
      rating         text NOT NULL,
      people         integer NOT NULL,
      refreshed_at   timestamptz NOT NULL,
      PRIMARY KEY (level, area_id, dimension, key, rating)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE appraisal_rating_summary, appraisal_status_summary, appraisal_reminders, appraisal_checkins,
      appraisal_addenda, appraisals, appraisal_cycles;
    DROP FUNCTION appraisals_locked();
    DROP FUNCTION appraisal_addenda_locked();
  `.execute(db);
}
