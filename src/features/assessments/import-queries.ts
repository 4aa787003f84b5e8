import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, ManagementLevel } from '../../db/schema.ts';
import type { Rating } from './assessments.ts';

// Records brought from another employer: the import itself, and the assessments it carries. SQL only; the
// import's checks and its transaction are in src/features/plans/record-import.ts.

type Db = Database | Transaction<DB>;

export async function insertImport(
  db: Db,
  i: {
    personId: number;
    sourceOrganisation: string;
    exportedAt: string;
    accountId: number | null;
    summary: Record<string, unknown>;
  },
): Promise<number> {
  const row = await db
    .insertInto('development_imports')
    .values({
      person_id: i.personId,
      source_organisation: i.sourceOrganisation,
      exported_at: i.exportedAt,
      imported_by: i.accountId,
      summary: JSON.stringify(i.summary),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether this export (same source and time) was imported for the person before. */
export async function priorImport(db: Db, personId: number, source: string, exportedAt: string): Promise<boolean> {
  const row = await db
    .selectFrom('development_imports')
    .select('id')
    .where('person_id', '=', personId)
    .where('source_organisation', '=', source)
    .where('exported_at', '=', new Date(exportedAt))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * An imported assessment of a version held here: written like one in progress (ratings and evidence), then
 * submitted with the date it was submitted at the previous employer, after which the lock applies.
 */
export async function insertImportedAssessment(
  trx: Transaction<DB>,
  a: {
    importId: number;
    personId: number;
    versionId: number;
    level: ManagementLevel;
    startedAt: string;
    submittedAt: string;
    ratings: Rating[];
    attach: (assessmentId: number) => Promise<void>;
  },
): Promise<number> {
  const row = await trx
    .insertInto('self_assessments')
    .values({
      person_id: a.personId,
      framework_version_id: a.versionId,
      management_level: a.level,
      level_source: 'imported',
      band: null,
      started_at: a.startedAt,
      import_id: a.importId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (a.ratings.length) {
    await trx
      .insertInto('self_assessment_ratings')
      .values(
        a.ratings.map((r) => ({
          assessment_id: row.id,
          version_id: a.versionId,
          competency_id: r.competencyId,
          scale_level_id: r.scaleLevelId,
          comment: r.comment,
        })),
      )
      .execute();
  }
  await a.attach(row.id);
  await trx
    .updateTable('self_assessments')
    .set({ status: 'submitted', submitted_at: a.submittedAt, updated_at: a.submittedAt })
    .where('id', '=', row.id)
    .execute();
  return row.id;
}

export async function insertImportedHistory(
  db: Db,
  h: {
    importId: number;
    personId: number;
    assessment: {
      framework: { key: string; title: string; version: number };
      management_level: string;
      submitted_at: string;
    };
  },
): Promise<void> {
  await db
    .insertInto('imported_assessment_history')
    .values({
      import_id: h.importId,
      person_id: h.personId,
      framework_key: h.assessment.framework.key,
      framework_title: h.assessment.framework.title,
      framework_version: h.assessment.framework.version,
      management_level: h.assessment.management_level,
      submitted_at: h.assessment.submitted_at,
      content: JSON.stringify(h.assessment),
    })
    .execute();
}
