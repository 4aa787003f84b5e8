import { type Kysely, sql } from 'kysely';

// Self-assessment results computed once, when the assessment is submitted (feature src/features/assessments,
// docs/standards-assessment.md). A submitted assessment is locked (lock triggers on self_assessments and its
// ratings), so its result never changes: the result page, the API, the gaps behind development plans and
// recommendations read this one row instead of reading the framework content, scoring the ratings and drawing
// the profile chart on every request. `result` is exactly what scoreAssessment returns; `chart` is the profile
// chart's SVG with its table. Assessments submitted (or imported) before this migration are filled on their
// first read and by the job assessments.store-results.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE self_assessment_results (
      assessment_id  bigint PRIMARY KEY REFERENCES self_assessments(id) ON DELETE CASCADE,
      result         jsonb NOT NULL,
      chart          jsonb NOT NULL,
      computed_at    timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE self_assessment_results`.execute(db);
}
