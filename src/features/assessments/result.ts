import type { Database } from '../../db/database.ts';
import { type AssessmentResult, scoreAssessment, type VersionModel } from './assessments.ts';
import { versionModel } from './framework.ts';
import type { ProfileChart } from './present.ts';
import { type AssessmentRow, findAssessment, previousSubmitted, ratingsOf } from './queries.ts';
import { storedResultOf } from './result-store.ts';

// An assessment with its framework version and scores, as the result page, the API and the record read it. A
// submitted assessment's scores are its stored result (result-store.ts); only one in progress is scored live.

export async function loadModels(db: Database, rows: Pick<AssessmentRow, 'framework_version_id'>[]) {
  const models = new Map<number, VersionModel>();
  for (const id of new Set(rows.map((r) => r.framework_version_id))) {
    const m = await versionModel(db, id);
    if (m) models.set(id, m);
  }
  return models;
}

async function modelOf(db: Database, versionId: number): Promise<VersionModel> {
  const model = await versionModel(db, versionId);
  if (!model) throw new Error(`framework version ${versionId} is missing`);
  return model;
}

export interface ScoredAssessment {
  assessment: AssessmentRow;
  model: VersionModel;
  ratings: Awaited<ReturnType<typeof ratingsOf>>;
  result: AssessmentResult;
}

/** An assessment with its ratings and scores (the stored result once it is submitted). */
export async function scored(db: Database, assessment: AssessmentRow): Promise<ScoredAssessment> {
  const [model, ratings] = await Promise.all([
    modelOf(db, assessment.framework_version_id),
    ratingsOf(db, assessment.id),
  ]);
  const result =
    assessment.status === 'submitted'
      ? (await storedResultOf(db, assessment)).result
      : scoreAssessment(model, assessment.management_level, ratings);
  return { assessment, model, ratings, result };
}

/** A submitted assessment as its result page shows it: the stored result and profile chart, no ratings read. */
export interface SubmittedResult {
  assessment: AssessmentRow;
  model: VersionModel;
  result: AssessmentResult;
  chart: ProfileChart;
}

export async function submittedResult(db: Database, assessment: AssessmentRow): Promise<SubmittedResult> {
  const [model, stored] = await Promise.all([
    modelOf(db, assessment.framework_version_id),
    storedResultOf(db, assessment),
  ]);
  return { assessment, model, ...stored };
}

/** One submitted assessment of a person, with its result; undefined when it is not theirs or not submitted. */
export async function submittedResultOf(db: Database, personId: number, id: number) {
  const a = await findAssessment(db, id);
  if (!a || a.person_id !== personId || a.status !== 'submitted') return undefined;
  return submittedResult(db, a);
}

/** The previous submitted assessment of the same framework version, with its domain means. */
export async function previousOf(db: Database, a: AssessmentRow) {
  if (a.status !== 'submitted') return undefined;
  const prev = await previousSubmitted(db, a);
  if (!prev) return undefined;
  const { domains, ...assessment } = prev;
  return {
    assessment,
    model: await versionModel(db, prev.framework_version_id),
    domains: (domains ?? (await storedResultOf(db, assessment)).result.domains) as AssessmentResult['domains'],
  };
}
