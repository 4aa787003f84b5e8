import type { Database } from '../../db/database.ts';
import { type AssessmentResult, scoreAssessment, type VersionModel } from './assessments.ts';
import { versionModel } from './framework.ts';
import { type AssessmentRow, findAssessment, latestSubmitted, ratingsOf } from './queries.ts';

// An assessment with its framework version and scores, as the result page, the API and the record read it.

export async function loadModels(db: Database, rows: Pick<AssessmentRow, 'framework_version_id'>[]) {
  const models = new Map<number, VersionModel>();
  for (const id of new Set(rows.map((r) => r.framework_version_id))) {
    const m = await versionModel(db, id);
    if (m) models.set(id, m);
  }
  return models;
}

export interface ScoredAssessment {
  assessment: AssessmentRow;
  model: VersionModel;
  ratings: Awaited<ReturnType<typeof ratingsOf>>;
  result: AssessmentResult;
}

export async function scored(db: Database, assessment: AssessmentRow): Promise<ScoredAssessment> {
  const model = await versionModel(db, assessment.framework_version_id);
  if (!model) throw new Error(`framework version ${assessment.framework_version_id} is missing`);
  const ratings = await ratingsOf(db, assessment.id);
  return { assessment, model, ratings, result: scoreAssessment(model, assessment.management_level, ratings) };
}

/** One assessment of a person, scored; undefined when it is not theirs or does not exist. */
export async function scoredAssessmentOf(db: Database, personId: number, id: number) {
  const a = await findAssessment(db, id);
  if (!a || a.person_id !== personId) return undefined;
  return scored(db, a);
}

/** The previous submitted assessment of the same framework version (comparisons stay within one version). */
export async function previousOf(db: Database, s: ScoredAssessment) {
  if (s.assessment.status !== 'submitted') return undefined;
  const prev = await latestSubmitted(db, s.assessment.person_id, s.assessment.framework_version_id, s.assessment);
  return prev ? scored(db, prev) : undefined;
}
