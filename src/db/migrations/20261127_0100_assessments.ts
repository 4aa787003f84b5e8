import { type Kysely, sql } from 'kysely';

// Self-assessments against a published framework version, typed evidence (files stored here, so that several
// app instances serve them), development plan items, and imports of a record from another employer.
//
// Ratings and evidence links carry the assessment's framework version and reference
// framework_competencies(version_id, id), so a result can never mix versions. Submitting locks an assessment:
// triggers reject changes to it, its ratings and its evidence links, and the deletion of evidence a submitted
// assessment uses, whatever code touches the tables. Development records go with their person: the keys to
// people cascade, and a statement trigger on people does the same when the keys are dropped (the seed's reset).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- A record brought from another employer (JSON import): where it came from and when.
    CREATE TABLE development_imports (
      id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id            bigint NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      source_organisation  text NOT NULL,
      exported_at          timestamptz,
      imported_at          timestamptz NOT NULL DEFAULT now(),
      imported_by          integer REFERENCES accounts(id) ON DELETE SET NULL,
      summary              jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX development_imports_person_idx ON development_imports (person_id, imported_at DESC);

    CREATE TABLE self_assessments (
      id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id             bigint NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      framework_version_id  integer NOT NULL REFERENCES framework_versions(id),
      management_level      text NOT NULL CHECK (management_level IN ('first_line','middle','senior','executive','board')),
      -- 'suggested': the level suggested from the band was kept; 'chosen': the person picked another one.
      level_source          text NOT NULL CHECK (level_source IN ('suggested','chosen','imported')),
      band                  text,
      status                text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress','submitted')),
      started_at            timestamptz NOT NULL DEFAULT now(),
      updated_at            timestamptz NOT NULL DEFAULT now(),
      submitted_at          timestamptz,
      import_id             bigint REFERENCES development_imports(id) ON DELETE CASCADE,
      synthetic             boolean NOT NULL DEFAULT false,
      UNIQUE (id, framework_version_id),
      CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
    );
    CREATE UNIQUE INDEX self_assessments_one_open ON self_assessments (person_id)
      WHERE status = 'in_progress' AND import_id IS NULL;
    CREATE INDEX self_assessments_person_idx ON self_assessments (person_id, submitted_at DESC NULLS FIRST, id DESC);
    CREATE INDEX self_assessments_version_idx ON self_assessments (framework_version_id);
    CREATE INDEX self_assessments_synthetic_idx ON self_assessments (id) WHERE synthetic;

    CREATE TABLE self_assessment_ratings (
      assessment_id    bigint NOT NULL,
      version_id       integer NOT NULL,
      competency_id    integer NOT NULL,
      scale_level_id   integer NOT NULL,
      comment          text NOT NULL DEFAULT '',
      PRIMARY KEY (assessment_id, competency_id),
      FOREIGN KEY (assessment_id, version_id) REFERENCES self_assessments(id, framework_version_id) ON DELETE CASCADE,
      FOREIGN KEY (version_id, competency_id) REFERENCES framework_competencies(version_id, id),
      FOREIGN KEY (version_id, scale_level_id) REFERENCES framework_scale_levels(version_id, id)
    );

    -- The person's evidence bank. Files keep their bytes in development_evidence_files (absent for files
    -- listed in an imported record: the bytes stay with the previous employer).
    CREATE TABLE development_evidence (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id     bigint NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      kind          text NOT NULL CHECK (kind IN ('file','link','note')),
      title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      url           text CHECK (url ~ '^https?://'),
      note          text,
      file_name     text,
      content_type  text,
      size_bytes    integer CHECK (size_bytes >= 0),
      created_at    timestamptz NOT NULL DEFAULT now(),
      import_id     bigint REFERENCES development_imports(id) ON DELETE CASCADE,
      CHECK ((kind = 'link') = (url IS NOT NULL)),
      CHECK ((kind = 'note') = (note IS NOT NULL)),
      CHECK ((kind = 'file') = (file_name IS NOT NULL AND content_type IS NOT NULL AND size_bytes IS NOT NULL))
    );
    CREATE INDEX development_evidence_person_idx ON development_evidence (person_id, created_at DESC);

    CREATE TABLE development_evidence_files (
      evidence_id  bigint PRIMARY KEY REFERENCES development_evidence(id) ON DELETE CASCADE,
      content      bytea NOT NULL
    );

    CREATE TABLE self_assessment_evidence (
      assessment_id  bigint NOT NULL REFERENCES self_assessments(id) ON DELETE CASCADE,
      evidence_id    bigint NOT NULL REFERENCES development_evidence(id) ON DELETE CASCADE,
      version_id     integer NOT NULL,
      competency_id  integer,
      PRIMARY KEY (assessment_id, evidence_id),
      FOREIGN KEY (assessment_id, version_id) REFERENCES self_assessments(id, framework_version_id) ON DELETE CASCADE,
      FOREIGN KEY (version_id, competency_id) REFERENCES framework_competencies(version_id, id)
    );
    CREATE INDEX self_assessment_evidence_evidence_idx ON self_assessment_evidence (evidence_id);

    -- Assessments of framework versions this organisation does not hold, kept as they came, never mixed in.
    CREATE TABLE imported_assessment_history (
      id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      import_id          bigint NOT NULL REFERENCES development_imports(id) ON DELETE CASCADE,
      person_id          bigint NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      framework_key      text NOT NULL,
      framework_title    text NOT NULL,
      framework_version  integer NOT NULL,
      management_level   text NOT NULL,
      submitted_at       timestamptz,
      content            jsonb NOT NULL
    );
    CREATE INDEX imported_assessment_history_person_idx ON imported_assessment_history (person_id, submitted_at DESC);

    CREATE TABLE development_plan_items (
      id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id             bigint NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      framework_version_id  integer,
      competency_id         integer,
      title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
      status                text NOT NULL DEFAULT 'not_started'
                              CHECK (status IN ('not_started','in_progress','done','dropped')),
      due_on                date,
      support               text NOT NULL DEFAULT '',
      source                text NOT NULL CHECK (source IN ('assessment','feedback','appraisal','manual')),
      source_id             text,
      -- Imported items: the record they came from and, for a competency of a version not held here, what it was.
      import_id             bigint REFERENCES development_imports(id) ON DELETE CASCADE,
      imported_competency   jsonb,
      created_at            timestamptz NOT NULL DEFAULT now(),
      updated_at            timestamptz NOT NULL DEFAULT now(),
      synthetic             boolean NOT NULL DEFAULT false,
      FOREIGN KEY (framework_version_id, competency_id) REFERENCES framework_competencies(version_id, id),
      CHECK ((framework_version_id IS NULL) = (competency_id IS NULL))
    );
    CREATE INDEX development_plan_items_person_idx ON development_plan_items (person_id, id);
    -- The same gap (or feedback theme, or appraisal objective) becomes one item, however often it is added.
    CREATE UNIQUE INDEX development_plan_items_source_once ON development_plan_items
      (person_id, source, source_id, competency_id)
      WHERE source_id IS NOT NULL AND competency_id IS NOT NULL AND import_id IS NULL;
    CREATE INDEX development_plan_items_synthetic_idx ON development_plan_items (id) WHERE synthetic;

    -- A submitted assessment never changes. It may go only with its person (or as synthetic data); the app
    -- deletes only assessments in progress.
    CREATE FUNCTION self_assessments_lock() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'submitted' AND NOT OLD.synthetic
           AND EXISTS (SELECT 1 FROM people WHERE id = OLD.person_id) THEN
          RAISE EXCEPTION 'self-assessment % is submitted: it cannot be deleted', OLD.id USING ERRCODE = 'LW101';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status = 'submitted' THEN
        RAISE EXCEPTION 'self-assessment % is submitted: it cannot change', OLD.id USING ERRCODE = 'LW101';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER self_assessments_lock BEFORE UPDATE OR DELETE ON self_assessments
      FOR EACH ROW EXECUTE FUNCTION self_assessments_lock();

    -- Ratings and evidence links of a submitted assessment are fixed. No parent row: the assessment itself is
    -- being deleted, and this is its cascade.
    CREATE FUNCTION self_assessment_parts_lock() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      a bigint;
      s text;
    BEGIN
      FOREACH a IN ARRAY CASE TG_OP
          WHEN 'INSERT' THEN ARRAY[NEW.assessment_id]
          WHEN 'DELETE' THEN ARRAY[OLD.assessment_id]
          ELSE ARRAY[OLD.assessment_id, NEW.assessment_id] END LOOP
        SELECT status INTO s FROM self_assessments WHERE id = a;
        IF s = 'submitted' THEN
          RAISE EXCEPTION 'self-assessment % is submitted: it cannot change', a USING ERRCODE = 'LW101';
        END IF;
      END LOOP;
      RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END $$;
    CREATE TRIGGER self_assessment_ratings_lock BEFORE INSERT OR UPDATE OR DELETE ON self_assessment_ratings
      FOR EACH ROW EXECUTE FUNCTION self_assessment_parts_lock();
    CREATE TRIGGER self_assessment_evidence_lock BEFORE INSERT OR UPDATE OR DELETE ON self_assessment_evidence
      FOR EACH ROW EXECUTE FUNCTION self_assessment_parts_lock();

    -- Evidence a submitted assessment uses can be neither deleted nor changed (unless its person goes).
    CREATE FUNCTION development_evidence_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM self_assessment_evidence l JOIN self_assessments a ON a.id = l.assessment_id
                  WHERE l.evidence_id = OLD.id AND a.status = 'submitted')
         AND EXISTS (SELECT 1 FROM people WHERE id = OLD.person_id) THEN
        RAISE EXCEPTION 'evidence % is used by a submitted self-assessment', OLD.id USING ERRCODE = 'LW102';
      END IF;
      RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END $$;
    CREATE TRIGGER development_evidence_in_use BEFORE UPDATE OR DELETE ON development_evidence
      FOR EACH ROW EXECUTE FUNCTION development_evidence_in_use();
    CREATE FUNCTION development_evidence_file_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM self_assessment_evidence l JOIN self_assessments a ON a.id = l.assessment_id
                  WHERE l.evidence_id = OLD.evidence_id AND a.status = 'submitted') THEN
        RAISE EXCEPTION 'evidence % is used by a submitted self-assessment', OLD.evidence_id USING ERRCODE = 'LW102';
      END IF;
      RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END $$;
    CREATE TRIGGER development_evidence_files_in_use BEFORE UPDATE OR DELETE ON development_evidence_files
      FOR EACH ROW EXECUTE FUNCTION development_evidence_file_in_use();

    -- The seed's reset drops the keys to people before it deletes synthetic people, so the cascades above do
    -- not run then: this removes the development records of people deleted in any way, in one statement.
    CREATE FUNCTION people_development_records_gone() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM self_assessments WHERE person_id IN (SELECT id FROM gone);
      DELETE FROM development_plan_items WHERE person_id IN (SELECT id FROM gone);
      DELETE FROM development_evidence WHERE person_id IN (SELECT id FROM gone);
      DELETE FROM imported_assessment_history WHERE person_id IN (SELECT id FROM gone);
      DELETE FROM development_imports WHERE person_id IN (SELECT id FROM gone);
      RETURN NULL;
    END $$;
    CREATE TRIGGER people_development_records_gone AFTER DELETE ON people
      REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION people_development_records_gone();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER IF EXISTS people_development_records_gone ON people;
    DROP TABLE self_assessment_evidence, development_evidence_files, development_evidence, self_assessment_ratings,
      imported_assessment_history, development_plan_items, self_assessments, development_imports;
    DROP FUNCTION self_assessments_lock(), self_assessment_parts_lock(), development_evidence_in_use(),
      development_evidence_file_in_use(), people_development_records_gone();
  `.execute(db);
}
