import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AssessmentStatus, DB, ManagementLevel } from '../../db/schema.ts';
import { type AssessmentResult, scoreAssessment } from './assessments.ts';
import { versionModel } from './framework.ts';
import { type ProfileChart, profileChart } from './present.ts';
import {
  insertStoredResult,
  ratingsOf,
  readStoredResult,
  readStoredResults,
  submittedWithoutResult,
} from './result-queries.ts';

// A submitted self-assessment's result is computed once and stored (self_assessment_results): its ratings can no
// longer change, so every later read (the result page, the API, the gaps behind plans and recommendations) takes
// that one row. What is stored is exactly what scoreAssessment returns and the profile chart drawn from it.
// Assessments submitted before results were stored get theirs on their first read, or from the job.

type Db = Database | Transaction<DB>;

/** The columns of an assessment that its result depends on. */
export interface Assessed {
  id: number;
  framework_version_id: number;
  management_level: ManagementLevel;
  status: AssessmentStatus;
}

export interface StoredResult {
  result: AssessmentResult;
  chart: ProfileChart;
}

/** The result as the live computation gives it: the scores, and the profile chart with its table. */
export async function computeResult(db: Db, a: Assessed): Promise<StoredResult> {
  const [model, ratings] = await Promise.all([versionModel(db, a.framework_version_id), ratingsOf(db, a.id)]);
  if (!model) throw new Error(`framework version ${a.framework_version_id} is missing`);
  const result = scoreAssessment(model, a.management_level, ratings);
  return { result, chart: profileChart(model, result) };
}

/**
 * Compute and store the result of a submitted assessment (a second store changes nothing). Inside the submitting
 * transaction this runs after the status change, so the ratings it reads are the locked ones.
 */
export async function storeResult(db: Db, a: Assessed): Promise<StoredResult> {
  if (a.status !== 'submitted') throw new Error(`self-assessment ${a.id} is in progress: its result may still change`);
  const computed = await computeResult(db, a);
  await insertStoredResult(db, a.id, computed);
  return computed;
}

/** The stored result of a submitted assessment, stored now (on its first read) when it has none yet. */
export async function storedResultOf(db: Db, a: Assessed): Promise<StoredResult> {
  const row = await readStoredResult(db, a.id);
  if (!row) return storeResult(db, a);
  return { result: row.result as AssessmentResult, chart: row.chart as ProfileChart };
}

/** The stored results of several submitted assessments by id (one query; any missing are stored now). */
export async function storedResultsOf(db: Db, rows: Assessed[]): Promise<Map<number, AssessmentResult>> {
  const submitted = rows.filter((a) => a.status === 'submitted');
  const out = new Map<number, AssessmentResult>();
  for (const r of await readStoredResults(
    db,
    submitted.map((a) => a.id),
  )) {
    out.set(r.assessment_id, r.result as AssessmentResult);
  }
  for (const a of submitted) if (!out.has(a.id)) out.set(a.id, (await storeResult(db, a)).result);
  return out;
}

/** Store the results of submitted assessments that have none yet, up to `limit`; returns how many were stored. */
export async function storeMissingResults(db: Db, limit: number): Promise<number> {
  const missing = await submittedWithoutResult(db, limit);
  for (const a of missing) await storeResult(db, a);
  return missing.length;
}
