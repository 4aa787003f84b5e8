import type { Database } from '../../db/database.ts';
import { type AssessmentResult, scoreAssessment, type VersionModel } from './assessments.ts';
import { versionModel } from './framework.ts';
import type { ProfileChart } from './present.ts';
import { type AssessmentRow, findAssessment, ratingsOf } from './queries.ts';
import { type ResultPageRow, readResultPage } from './result-queries.ts';
import { storedResultOf, storeResult } from './result-store.ts';

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

/** What the result page shows of a submitted assessment: its result, the previous one's domain means, evidence. */
export interface ResultPage extends SubmittedResult {
  previous?: { submittedAt: Date; domains: AssessmentResult['domains'] };
  evidence: ResultPageRow['evidence'];
}

/**
 * One of a person's assessments as its result page reads it (one statement; the framework version comes from
 * memory): undefined when the person has no such assessment, without `page` while it is in progress. A result not
 * stored yet (submitted before results were stored) is stored now, as every other read does.
 */
export async function resultPageOf(
  db: Database,
  personId: number,
  id: number,
): Promise<{ assessment: AssessmentRow; page?: ResultPage } | undefined> {
  const row = await readResultPage(db, id);
  if (!row || row.person_id !== personId) return undefined;
  const { result, chart, prev_id, prev_submitted_at, prev_management_level, prev_domains, evidence, ...assessment } =
    row;
  if (assessment.status !== 'submitted') return { assessment };
  const [model, stored, prevDomains] = await Promise.all([
    modelOf(db, assessment.framework_version_id),
    result ? { result: result as AssessmentResult, chart: chart as ProfileChart } : storeResult(db, assessment),
    prev_id === null || prev_domains !== null
      ? prev_domains
      : storedResultOf(db, {
          id: prev_id,
          framework_version_id: assessment.framework_version_id,
          management_level: prev_management_level!,
          status: 'submitted',
        }).then((s) => s.result.domains),
  ]);
  return {
    assessment,
    page: {
      assessment,
      model,
      ...stored,
      previous:
        prev_id === null
          ? undefined
          : { submittedAt: prev_submitted_at!, domains: prevDomains as AssessmentResult['domains'] },
      evidence,
    },
  };
}
