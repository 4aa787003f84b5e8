import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import type { DB, EvidenceKind } from '../../db/schema.ts';
import type { Rating } from './assessments.ts';
import type { AssessmentRow } from './queries.ts';

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

/** Evidence as the result page lists it (the evidence bank's columns, less what only the bank shows). */
export interface ResultEvidence {
  id: number;
  kind: EvidenceKind;
  title: string;
  url: string | null;
  note: string | null;
  file_name: string | null;
  size_bytes: number | null;
  has_file: boolean;
  competency_id: number | null;
}

export interface ResultPageRow extends AssessmentRow {
  /** The stored result and chart; null when the assessment is in progress or its result is not stored yet. */
  result: unknown;
  chart: unknown;
  /** The previous submitted assessment of the same person and framework version, and its stored domain means. */
  prev_id: number | null;
  prev_submitted_at: Date | null;
  prev_management_level: AssessmentRow['management_level'] | null;
  prev_domains: unknown;
  evidence: ResultEvidence[];
}

/**
 * Everything the result page shows of one assessment, in one statement: the assessment, its stored result and
 * chart, the previous assessment it is compared with, and its evidence. Each part is an indexed lookup (primary
 * keys, and self_assessments_person_idx for the previous one); the route checks whose it is and its status.
 */
export async function readResultPage(db: Database, assessmentId: number): Promise<ResultPageRow | undefined> {
  const [row] = await resultPageQuery(db, { id: assessmentId });
  return row;
}

// Every result page (the person's own, a line manager's or an admin's audited read) runs this statement, so it is
// compiled once and runs as a named prepared statement (src/db/prepared.ts) instead of being parsed and planned on
// every read.
const resultPageQuery = preparedQuery(['id'], (db, v) => {
  const query = sql<ResultPageRow>`
    SELECT sa.id, sa.person_id, sa.framework_version_id, sa.management_level, sa.level_source, sa.band, sa.status,
           sa.started_at, sa.updated_at, sa.submitted_at, sa.import_id, di.source_organisation AS imported_from,
           r.result, r.chart,
           prev.id AS prev_id, prev.submitted_at AS prev_submitted_at,
           prev.management_level AS prev_management_level, prev.domains AS prev_domains,
           coalesce((
             SELECT json_agg(json_build_object(
                      'id', e.id, 'kind', e.kind, 'title', e.title, 'url', e.url, 'note', e.note,
                      'file_name', e.file_name, 'size_bytes', e.size_bytes, 'competency_id', l.competency_id,
                      'has_file', EXISTS (SELECT 1 FROM development_evidence_files f WHERE f.evidence_id = e.id))
                    ORDER BY e.created_at, e.id)
               FROM self_assessment_evidence l
               JOIN development_evidence e ON e.id = l.evidence_id
              WHERE l.assessment_id = sa.id), '[]') AS evidence
      FROM self_assessments sa
      LEFT JOIN development_imports di ON di.id = sa.import_id
      LEFT JOIN self_assessment_results r ON r.assessment_id = sa.id AND sa.status = 'submitted'
      LEFT JOIN LATERAL (
        SELECT p.id, p.submitted_at, p.management_level, pr.result -> 'domains' AS domains
          FROM self_assessments p
          LEFT JOIN self_assessment_results pr ON pr.assessment_id = p.id
         WHERE sa.status = 'submitted' AND p.person_id = sa.person_id AND p.status = 'submitted'
           AND p.framework_version_id = sa.framework_version_id
           AND (p.submitted_at < sa.submitted_at OR (p.submitted_at = sa.submitted_at AND p.id < sa.id))
         ORDER BY p.submitted_at DESC, p.id DESC
         LIMIT 1) prev ON true
     WHERE sa.id = ${v.id}`;
  return { compile: () => query.compile(db) };
});

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
