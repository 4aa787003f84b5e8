import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AssessmentStatus, DB, ManagementLevel } from '../../db/schema.ts';
import type { Rating } from './assessments.ts';
import { storedResultOf } from './result-store.ts';

export { ratingsOf } from './result-queries.ts';

// Self-assessments: SQL only. Every list is one person's (indexed by person_id) or a manager's reports.

type Db = Database | Transaction<DB>;

export interface AssessmentRow {
  id: number;
  person_id: number;
  framework_version_id: number;
  management_level: ManagementLevel;
  level_source: 'suggested' | 'chosen' | 'imported';
  band: string | null;
  status: AssessmentStatus;
  started_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  import_id: number | null;
  imported_from: string | null;
}

const assessmentColumns = [
  'sa.id',
  'sa.person_id',
  'sa.framework_version_id',
  'sa.management_level',
  'sa.level_source',
  'sa.band',
  'sa.status',
  'sa.started_at',
  'sa.updated_at',
  'sa.submitted_at',
  'sa.import_id',
  'di.source_organisation as imported_from',
] as const;

export async function findAssessment(db: Db, id: number): Promise<AssessmentRow | undefined> {
  return db
    .selectFrom('self_assessments as sa')
    .leftJoin('development_imports as di', 'di.id', 'sa.import_id')
    .select(assessmentColumns)
    .where('sa.id', '=', id)
    .executeTakeFirst();
}

/** A person's assessments, newest first (the one in progress on top). */
export async function assessmentsOf(db: Db, personId: number, limit = 200): Promise<AssessmentRow[]> {
  return db
    .selectFrom('self_assessments as sa')
    .leftJoin('development_imports as di', 'di.id', 'sa.import_id')
    .select(assessmentColumns)
    .where('sa.person_id', '=', personId)
    .orderBy(sql`sa.submitted_at DESC NULLS FIRST`)
    .orderBy('sa.id', 'desc')
    .limit(limit)
    .execute();
}

export async function openAssessment(db: Db, personId: number): Promise<AssessmentRow | undefined> {
  return db
    .selectFrom('self_assessments as sa')
    .leftJoin('development_imports as di', 'di.id', 'sa.import_id')
    .select(assessmentColumns)
    .where('sa.person_id', '=', personId)
    .where('sa.status', '=', 'in_progress')
    .executeTakeFirst();
}

/** The latest submitted assessment of a person, optionally of one framework version. */
export async function latestSubmitted(db: Db, personId: number, versionId?: number) {
  let q = db
    .selectFrom('self_assessments as sa')
    .leftJoin('development_imports as di', 'di.id', 'sa.import_id')
    .select(assessmentColumns)
    .where('sa.person_id', '=', personId)
    .where('sa.status', '=', 'submitted');
  if (versionId !== undefined) q = q.where('sa.framework_version_id', '=', versionId);
  return q.orderBy('sa.submitted_at', 'desc').orderBy('sa.id', 'desc').limit(1).executeTakeFirst();
}

export async function createAssessment(
  db: Db,
  a: {
    personId: number;
    versionId: number;
    level: ManagementLevel;
    levelSource: 'suggested' | 'chosen';
    band: string | null;
  },
): Promise<number> {
  const row = await db
    .insertInto('self_assessments')
    .values({
      person_id: a.personId,
      framework_version_id: a.versionId,
      management_level: a.level,
      level_source: a.levelSource,
      band: a.band,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Save one page's ratings (insert or replace); the lock trigger refuses a submitted assessment. */
export async function saveRatings(db: Db, assessmentId: number, versionId: number, ratings: Rating[]): Promise<void> {
  if (!ratings.length) return;
  await db
    .insertInto('self_assessment_ratings')
    .values(
      ratings.map((r) => ({
        assessment_id: assessmentId,
        version_id: versionId,
        competency_id: r.competencyId,
        scale_level_id: r.scaleLevelId,
        comment: r.comment,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['assessment_id', 'competency_id']).doUpdateSet((eb) => ({
        scale_level_id: eb.ref('excluded.scale_level_id'),
        comment: eb.ref('excluded.comment'),
      })),
    )
    .execute();
  await db.updateTable('self_assessments').set({ updated_at: new Date() }).where('id', '=', assessmentId).execute();
}

export async function submitAssessment(db: Db, assessmentId: number, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('self_assessments')
    .set({ status: 'submitted', submitted_at: at, updated_at: at })
    .where('id', '=', assessmentId)
    .where('status', '=', 'in_progress')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Only an assessment in progress can be discarded (the lock trigger refuses the others too). */
export async function discardAssessment(db: Db, assessmentId: number): Promise<boolean> {
  const r = await db
    .deleteFrom('self_assessments')
    .where('id', '=', assessmentId)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface Gap {
  frameworkVersionId: number;
  competencyId: number;
  competencyName: string;
  domainName: string;
  required: number;
  achieved: number;
  /** Scale steps below the required level (always 1 or more). */
  gap: number;
}

/**
 * The gaps of a person's latest submitted self-assessment: competencies rated below the level required for the
 * management level they assessed against, most steps below first. Competencies rated as a level that is no score
 * ("no chance to demonstrate") have no measurable gap and are left out. Empty when nothing is submitted.
 * Used by the 360, appraisal and training features: keep the signature stable.
 */
export async function currentGaps(db: Db, personId: number): Promise<Gap[]> {
  const latest = await latestSubmitted(db, personId);
  if (!latest) return [];
  const { result } = await storedResultOf(db, latest);
  return result.gaps
    .map((c) => ({
      frameworkVersionId: latest.framework_version_id,
      competencyId: c.id,
      competencyName: c.title,
      domainName: c.domainTitle,
      required: c.required!,
      achieved: c.achieved!,
      gap: c.gap!,
    }))
    .sort((a, b) => b.gap - a.gap);
}

/** For a list of people (a manager's reports): their latest submitted assessment and whether one is open. */
export async function assessmentStatusOf(db: Db, personIds: number[]) {
  if (personIds.length === 0)
    return new Map<number, { latestId: number | null; latestAt: Date | null; open: boolean }>();
  const { rows } = await sql<{ id: number; latest_id: number | null; latest_at: Date | null; open: boolean }>`
    SELECT p.id,
           (SELECT sa.id FROM self_assessments sa WHERE sa.person_id = p.id AND sa.status = 'submitted'
             ORDER BY sa.submitted_at DESC, sa.id DESC LIMIT 1) AS latest_id,
           (SELECT max(sa.submitted_at) FROM self_assessments sa WHERE sa.person_id = p.id) AS latest_at,
           EXISTS (SELECT 1 FROM self_assessments sa WHERE sa.person_id = p.id AND sa.status = 'in_progress') AS open
      FROM unnest(${personIds}::bigint[]) AS p(id)`.execute(db);
  return new Map(rows.map((r) => [Number(r.id), { latestId: r.latest_id, latestAt: r.latest_at, open: r.open }]));
}

/** Imported assessments of framework versions not held here: shown apart, never scored against local ones. */
export async function importedHistoryOf(db: Db, personId: number) {
  return db
    .selectFrom('imported_assessment_history as h')
    .innerJoin('development_imports as di', 'di.id', 'h.import_id')
    .select([
      'h.id',
      'h.framework_key',
      'h.framework_title',
      'h.framework_version',
      'h.management_level',
      'h.submitted_at',
      'h.content',
      'di.source_organisation',
      'di.imported_at',
    ])
    .where('h.person_id', '=', personId)
    .orderBy('h.submitted_at', 'desc')
    .orderBy('h.id', 'desc')
    .execute();
}
