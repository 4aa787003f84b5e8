import { type Kysely, sql } from 'kysely';

// The learning record (docs/learning-record.md): everything a person has completed, owned by the person (people.id),
// not by an employer, so it follows them between NHS organisations. Equity summaries are computed by a refresh.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE learning_records (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id      bigint NOT NULL REFERENCES people(id),
      -- A catalogue programme when there is one; prior learning and external platforms have none.
      programme_id   bigint,
      title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
      provider_name  text CHECK (provider_name IS NULL OR length(provider_name) <= 200),
      completed_on   date NOT NULL,
      outcome        text NOT NULL CHECK (outcome IN ('completed','passed','failed','attended')),
      hours          numeric(7,2) CHECK (hours IS NULL OR (hours >= 0 AND hours <= 10000)),
      mandatory      boolean NOT NULL DEFAULT false,
      source         text NOT NULL CHECK (source IN ('cohort','import','xapi','manual')),
      -- Where the record came from (cohort completion id, xAPI statement id, import key): a repeat is the same record.
      source_ref     text,
      recorded_by    integer REFERENCES accounts(id) ON DELETE SET NULL,
      synthetic      boolean NOT NULL DEFAULT false,
      created_at     timestamptz NOT NULL DEFAULT now(),
      updated_at     timestamptz NOT NULL DEFAULT now(),
      UNIQUE (source, source_ref)
    );
    CREATE INDEX learning_records_person_idx ON learning_records (person_id, completed_on DESC, id DESC);
    -- The equity refresh reads non-mandatory records by date.
    CREATE INDEX learning_records_nonmandatory_idx ON learning_records (completed_on, person_id) WHERE NOT mandatory;
    CREATE INDEX learning_records_programme_idx ON learning_records (programme_id) WHERE programme_id IS NOT NULL;

    -- The catalogue's migrations sort before this one; the guard keeps this file usable on its own.
    DO $$
    BEGIN
      IF to_regclass('programmes') IS NOT NULL THEN
        ALTER TABLE learning_records ADD CONSTRAINT learning_records_programme_fk
          FOREIGN KEY (programme_id) REFERENCES programmes(id) ON DELETE SET NULL;
      END IF;
    END $$;

    -- Uptake of non-mandatory development for one area, period, dimension and group, already disclosure-controlled.
    CREATE TABLE learning_equity_cells (
      area_kind     text NOT NULL CHECK (area_kind IN ('nation','region','icb','organisation')),
      area_id       integer NOT NULL,        -- 0 for the nation
      period        text NOT NULL,           -- '2025/26' (financial year) or '2025/26 Q1'
      period_kind   text NOT NULL CHECK (period_kind IN ('year','quarter')),
      period_end    date NOT NULL,
      dimension     text NOT NULL,
      grp           text NOT NULL,
      staff         integer NOT NULL,
      accessed      integer NOT NULL,
      hours         numeric(12,1) NOT NULL,
      suppressed    boolean NOT NULL,
      PRIMARY KEY (area_kind, area_id, period, dimension, grp)
    );

    CREATE TABLE learning_equity_refreshes (
      id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      refreshed_at  timestamptz NOT NULL DEFAULT now(),
      minimum       integer NOT NULL,
      cells         integer NOT NULL,
      millis        integer NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE learning_equity_refreshes; DROP TABLE learning_equity_cells; DROP TABLE learning_records;`.execute(
    db,
  );
}
