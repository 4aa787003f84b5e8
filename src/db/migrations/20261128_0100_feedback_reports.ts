import { type Kysely, sql } from 'kysely';

// 360 reports computed once, when the round closes (feature src/features/feedback, docs/standards-feedback.md).
// A closed round takes no more answers, so its report never changes: the page and the API read this one row
// instead of aggregating ratings and drawing the chart on every request. `report` is the output of the anonymity
// rule (buildReport → discloseReport), never raw answers. Rounds closed before this migration are filled on
// their first read and by the closing job.
//
// Records brought from another employer: the sections this organisation keeps only as read-only history (360
// summaries, appraisals, learning), one row per item, each once per person however often the record is imported.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE feedback_reports (
      round_id           integer PRIMARY KEY REFERENCES feedback_rounds(id) ON DELETE CASCADE,
      report             jsonb NOT NULL,
      chart              jsonb,
      framework_title    text NOT NULL,
      framework_version  integer NOT NULL,
      computed_at        timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE imported_record_items (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      import_id    bigint NOT NULL REFERENCES development_imports(id) ON DELETE CASCADE,
      person_id    bigint NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      section      text NOT NULL CHECK (section IN ('feedback','appraisals','learning')),
      -- A digest of the item as it came (without where it was imported from): the same item imported again,
      -- from the same file or a later export, is not stored twice.
      item_key     text NOT NULL,
      content      jsonb NOT NULL,
      UNIQUE (person_id, section, item_key)
    );
    CREATE INDEX imported_record_items_import_idx ON imported_record_items (import_id);
  `.execute(db);
}
