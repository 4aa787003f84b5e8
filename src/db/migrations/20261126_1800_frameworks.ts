import { type Kysely, sql } from 'kysely';

// Competency frameworks as versioned data. A framework (stable key) has numbered versions; each version owns
// its content: ordered domains → competencies → indicator statements, a rating scale with a proficiency
// threshold, optional level descriptors, and required levels per management level. A published or retired
// version never changes: triggers reject any write to its content and any edit of the version row other
// than retiring it, so the rule holds whatever code (or person with psql) touches the tables.
//
// Every content row carries version_id, and children reference their parent through (version_id, id), so a
// competency can never sit under a domain of another version. Later features (assessments) should reference
// framework_competencies(version_id, id) the same way, which keeps results of different versions apart.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE frameworks (
      id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key           text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9-]{1,59}$'),
      -- Copied from the latest published version (or the first draft before any is published), for lists.
      title         text NOT NULL,
      description   text NOT NULL DEFAULT '',
      owner         text NOT NULL DEFAULT '',
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE framework_versions (
      id                   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      framework_id         integer NOT NULL REFERENCES frameworks(id),
      version              integer NOT NULL CHECK (version >= 1),
      status               text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','retired')),
      title                text NOT NULL,
      description          text NOT NULL DEFAULT '',
      owner                text NOT NULL DEFAULT '',
      notes                text NOT NULL DEFAULT '',
      source               text NOT NULL DEFAULT '',
      is_starter           boolean NOT NULL DEFAULT false,
      based_on_version_id  integer REFERENCES framework_versions(id),
      -- Minimum value of the scale that counts as proficient.
      proficient_value     integer,
      -- The red/amber/green rule: a rating this many scored steps below the required level or fewer is green
      -- (0: at or above), up to amber_within steps below is amber, further below is red.
      green_within         integer NOT NULL DEFAULT 0 CHECK (green_within >= 0),
      amber_within         integer NOT NULL DEFAULT 1 CHECK (amber_within >= green_within),
      created_at           timestamptz NOT NULL DEFAULT now(),
      created_by           integer REFERENCES accounts(id),
      published_at         timestamptz,
      published_by         integer REFERENCES accounts(id),
      retired_at           timestamptz,
      retired_by           integer REFERENCES accounts(id),
      UNIQUE (framework_id, version),
      CHECK ((status = 'draft') = (published_at IS NULL)),
      CHECK ((status = 'retired') = (retired_at IS NOT NULL))
    );
    -- One draft per framework at a time.
    CREATE UNIQUE INDEX framework_versions_one_draft ON framework_versions (framework_id) WHERE status = 'draft';

    CREATE TABLE framework_domains (
      id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version_id   integer NOT NULL REFERENCES framework_versions(id) ON DELETE CASCADE,
      position     integer NOT NULL,
      code         text NOT NULL,
      title        text NOT NULL,
      description  text NOT NULL DEFAULT '',
      UNIQUE (version_id, id),
      UNIQUE (version_id, code) DEFERRABLE INITIALLY DEFERRED,
      UNIQUE (version_id, position) DEFERRABLE INITIALLY DEFERRED
    );

    CREATE TABLE framework_competencies (
      id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version_id   integer NOT NULL,
      domain_id    integer NOT NULL,
      position     integer NOT NULL,
      -- Stable across versions: the explicit way to map results of one version to the next.
      code         text NOT NULL,
      title        text NOT NULL,
      description  text NOT NULL DEFAULT '',
      FOREIGN KEY (version_id, domain_id) REFERENCES framework_domains(version_id, id) ON DELETE CASCADE,
      UNIQUE (version_id, id),
      UNIQUE (version_id, code) DEFERRABLE INITIALLY DEFERRED,
      UNIQUE (domain_id, position) DEFERRABLE INITIALLY DEFERRED
    );

    CREATE TABLE framework_indicators (
      id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version_id     integer NOT NULL,
      competency_id  integer NOT NULL,
      position       integer NOT NULL,
      text           text NOT NULL,
      FOREIGN KEY (version_id, competency_id) REFERENCES framework_competencies(version_id, id) ON DELETE CASCADE,
      UNIQUE (competency_id, position) DEFERRABLE INITIALLY DEFERRED
    );

    CREATE TABLE framework_scale_levels (
      id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version_id   integer NOT NULL REFERENCES framework_versions(id) ON DELETE CASCADE,
      position     integer NOT NULL,
      -- NULL: a level that is no score at all, such as "no chance to demonstrate".
      value        integer,
      label        text NOT NULL,
      descriptor   text NOT NULL DEFAULT '',
      UNIQUE (version_id, id),
      UNIQUE (version_id, value) DEFERRABLE INITIALLY DEFERRED,
      UNIQUE (version_id, label) DEFERRABLE INITIALLY DEFERRED,
      UNIQUE (version_id, position) DEFERRABLE INITIALLY DEFERRED
    );

    CREATE TABLE framework_level_descriptors (
      version_id      integer NOT NULL,
      competency_id   integer NOT NULL,
      scale_level_id  integer NOT NULL,
      text            text NOT NULL,
      PRIMARY KEY (competency_id, scale_level_id),
      FOREIGN KEY (version_id, competency_id) REFERENCES framework_competencies(version_id, id) ON DELETE CASCADE,
      FOREIGN KEY (version_id, scale_level_id) REFERENCES framework_scale_levels(version_id, id) ON DELETE CASCADE
    );

    -- Required level per management level, set for a whole domain or, overriding it, for one competency.
    CREATE TABLE framework_required_levels (
      id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version_id        integer NOT NULL REFERENCES framework_versions(id) ON DELETE CASCADE,
      management_level  text NOT NULL CHECK (management_level IN ('first_line','middle','senior','executive','board')),
      domain_id         integer,
      competency_id     integer,
      required_value    integer NOT NULL,
      CHECK (num_nonnulls(domain_id, competency_id) = 1),
      FOREIGN KEY (version_id, domain_id) REFERENCES framework_domains(version_id, id) ON DELETE CASCADE,
      FOREIGN KEY (version_id, competency_id) REFERENCES framework_competencies(version_id, id) ON DELETE CASCADE,
      UNIQUE (domain_id, management_level),
      UNIQUE (competency_id, management_level)
    );
    CREATE INDEX framework_required_levels_version_idx ON framework_required_levels (version_id);
    CREATE INDEX framework_indicators_version_idx ON framework_indicators (version_id);
    CREATE INDEX framework_level_descriptors_version_idx ON framework_level_descriptors (version_id);

    CREATE FUNCTION framework_content_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      v integer;
      s text;
    BEGIN
      FOREACH v IN ARRAY CASE TG_OP
          WHEN 'INSERT' THEN ARRAY[NEW.version_id]
          WHEN 'DELETE' THEN ARRAY[OLD.version_id]
          ELSE ARRAY[OLD.version_id, NEW.version_id] END LOOP
        SELECT status INTO s FROM framework_versions WHERE id = v;
        -- No row: the version itself is being deleted (only drafts can be), and this is its cascade.
        IF s IS NOT NULL AND s <> 'draft' THEN
          RAISE EXCEPTION 'framework version % is %: its content cannot change', v, s
            USING ERRCODE = 'LW001', HINT = 'Start a new version to make changes';
        END IF;
      END LOOP;
      RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END $$;

    CREATE TRIGGER framework_domains_guard BEFORE INSERT OR UPDATE OR DELETE ON framework_domains
      FOR EACH ROW EXECUTE FUNCTION framework_content_guard();
    CREATE TRIGGER framework_competencies_guard BEFORE INSERT OR UPDATE OR DELETE ON framework_competencies
      FOR EACH ROW EXECUTE FUNCTION framework_content_guard();
    CREATE TRIGGER framework_indicators_guard BEFORE INSERT OR UPDATE OR DELETE ON framework_indicators
      FOR EACH ROW EXECUTE FUNCTION framework_content_guard();
    CREATE TRIGGER framework_scale_levels_guard BEFORE INSERT OR UPDATE OR DELETE ON framework_scale_levels
      FOR EACH ROW EXECUTE FUNCTION framework_content_guard();
    CREATE TRIGGER framework_level_descriptors_guard BEFORE INSERT OR UPDATE OR DELETE ON framework_level_descriptors
      FOR EACH ROW EXECUTE FUNCTION framework_content_guard();
    CREATE TRIGGER framework_required_levels_guard BEFORE INSERT OR UPDATE OR DELETE ON framework_required_levels
      FOR EACH ROW EXECUTE FUNCTION framework_content_guard();

    -- A draft may change freely and be published; a published version may only be retired; a retired one
    -- never changes. Only drafts may be deleted.
    CREATE FUNCTION framework_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
          RAISE EXCEPTION 'framework version % is %: it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'LW001';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status = 'draft' THEN
        IF NEW.status = 'retired' THEN
          RAISE EXCEPTION 'framework version % is a draft: publish it before retiring it', OLD.id USING ERRCODE = 'LW001';
        END IF;
        RETURN NEW;
      END IF;
      IF OLD.status = 'published' AND NEW.status = 'retired'
         AND (to_jsonb(NEW) - 'status' - 'retired_at' - 'retired_by')
           = (to_jsonb(OLD) - 'status' - 'retired_at' - 'retired_by') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'framework version % is %: it cannot change', OLD.id, OLD.status
        USING ERRCODE = 'LW001', HINT = 'Start a new version to make changes';
    END $$;
    CREATE TRIGGER framework_versions_guard BEFORE UPDATE OR DELETE ON framework_versions
      FOR EACH ROW EXECUTE FUNCTION framework_versions_guard();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE framework_required_levels, framework_level_descriptors, framework_scale_levels,
      framework_indicators, framework_competencies, framework_domains, framework_versions, frameworks;
    DROP FUNCTION framework_content_guard();
    DROP FUNCTION framework_versions_guard();
  `.execute(db);
}
