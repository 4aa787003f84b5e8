import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Rating } from './assessments.ts';

// What a result is computed from (the ratings) and where a submitted assessment's result is kept
// (self_assessment_results, one row per assessment, read by its primary key). SQL only; result-store.ts decides
// what goes in and when.

type Db = Database | Transaction<DB>;

export async function ratingsOf(db: Db, assessmentId: number): Promise<Rating[]> {
  const rows = await db
    .selectFrom('self_assessment_ratings')
    .select(['competency_id', 'scale_level_id', 'comment'])
    .where('assessment_id', '=', assessmentId)
    .execute();
  return rows.map((r) => ({ competencyId: r.competency_id, scaleLevelId: r.scale_level_id, comment: r.comment }));
}

export interface StoredRow {
  result: unknown;
  chart: unknown;
}

export async function readStoredResult(db: Db, assessmentId: number): Promise<StoredRow | undefined> {
  return db
    .selectFrom('self_assessment_results')
    .select(['result', 'chart'])
    .where('assessment_id', '=', assessmentId)
    .executeTakeFirst();
}

/** The stored results (without charts) of several assessments at once: a person's history in the API. */
export async function readStoredResults(db: Db, assessmentIds: number[]) {
  if (!assessmentIds.length) return [];
  return db
    .selectFrom('self_assessment_results')
    .select(['assessment_id', 'result'])
    .where('assessment_id', 'in', assessmentIds)
    .execute();
}

/**
 * Written once, and only for a submitted assessment: a second writer (two first reads at once, the job and a
 * page) changes nothing, and an assessment in progress (whose ratings may still change) gets no row.
 */
export async function insertStoredResult(
  db: Db,
  assessmentId: number,
  r: { result: unknown; chart: unknown },
): Promise<void> {
  await sql`
    INSERT INTO self_assessment_results (assessment_id, result, chart)
    SELECT sa.id, ${JSON.stringify(r.result)}::jsonb, ${JSON.stringify(r.chart)}::jsonb
      FROM self_assessments sa
     WHERE sa.id = ${assessmentId} AND sa.status = 'submitted'
    ON CONFLICT (assessment_id) DO NOTHING`.execute(db);
}

/** Submitted assessments without a stored result (submitted or imported before results were stored), oldest first. */
export async function submittedWithoutResult(db: Db, limit: number) {
  return db
    .selectFrom('self_assessments as sa')
    .select(['sa.id', 'sa.framework_version_id', 'sa.management_level', 'sa.status'])
    .where('sa.status', '=', 'submitted')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('self_assessment_results as r').select(sql`1`.as('one')).whereRef('r.assessment_id', '=', 'sa.id'),
        ),
      ),
    )
    .orderBy('sa.id')
    .limit(limit)
    .execute();
}
