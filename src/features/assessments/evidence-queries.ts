import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, EvidenceKind } from '../../db/schema.ts';

// Evidence: SQL only. File bytes live in their own table and are read only by the download.

type Db = Database | Transaction<DB>;

export interface EvidenceRow {
  id: number;
  person_id: number;
  kind: EvidenceKind;
  title: string;
  url: string | null;
  note: string | null;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  created_at: Date;
  imported_from: string | null;
  has_file: boolean;
  /** Submitted assessments that use it: it cannot be deleted while this is above 0. */
  submitted_uses: number;
}

function evidenceQuery(db: Db) {
  return db
    .selectFrom('development_evidence as e')
    .leftJoin('development_imports as di', 'di.id', 'e.import_id')
    .select([
      'e.id',
      'e.person_id',
      'e.kind',
      'e.title',
      'e.url',
      'e.note',
      'e.file_name',
      'e.content_type',
      'e.size_bytes',
      'e.created_at',
      'di.source_organisation as imported_from',
      sql<boolean>`EXISTS (SELECT 1 FROM development_evidence_files f WHERE f.evidence_id = e.id)`.as('has_file'),
      sql<number>`(SELECT count(*)::int FROM self_assessment_evidence l JOIN self_assessments a ON a.id = l.assessment_id
        WHERE l.evidence_id = e.id AND a.status = 'submitted')`.as('submitted_uses'),
    ]);
}

export async function findEvidence(db: Db, id: number): Promise<EvidenceRow | undefined> {
  return evidenceQuery(db).where('e.id', '=', id).executeTakeFirst();
}

export async function evidenceOf(db: Db, personId: number, limit = 500): Promise<EvidenceRow[]> {
  return evidenceQuery(db)
    .where('e.person_id', '=', personId)
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

export async function evidenceOfAssessment(db: Db, assessmentId: number) {
  return evidenceQuery(db)
    .innerJoin('self_assessment_evidence as l', 'l.evidence_id', 'e.id')
    .select(['l.competency_id'])
    .where('l.assessment_id', '=', assessmentId)
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();
}

export interface NewEvidence {
  personId: number;
  kind: EvidenceKind;
  title: string;
  url?: string;
  note?: string;
  file?: { name: string; contentType: string; bytes: Buffer };
  importId?: number | null;
  /** For files listed in an imported record: what the file was, without its bytes. */
  fileMeta?: { name: string; contentType: string; size: number };
}

export async function insertEvidence(db: Db, e: NewEvidence): Promise<number> {
  const meta = e.file
    ? { name: e.file.name, contentType: e.file.contentType, size: e.file.bytes.length }
    : (e.fileMeta ?? null);
  const row = await db
    .insertInto('development_evidence')
    .values({
      person_id: e.personId,
      kind: e.kind,
      title: e.title,
      url: e.url ?? null,
      note: e.note ?? null,
      file_name: meta?.name ?? null,
      content_type: meta?.contentType ?? null,
      size_bytes: meta?.size ?? null,
      import_id: e.importId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (e.file) {
    await db.insertInto('development_evidence_files').values({ evidence_id: row.id, content: e.file.bytes }).execute();
  }
  return row.id;
}

export async function linkEvidence(
  db: Db,
  link: { assessmentId: number; versionId: number; evidenceId: number; competencyId: number | null },
): Promise<void> {
  await db
    .insertInto('self_assessment_evidence')
    .values({
      assessment_id: link.assessmentId,
      evidence_id: link.evidenceId,
      version_id: link.versionId,
      competency_id: link.competencyId,
    })
    .onConflict((oc) => oc.columns(['assessment_id', 'evidence_id']).doUpdateSet({ competency_id: link.competencyId }))
    .execute();
}

export async function unlinkEvidence(db: Db, assessmentId: number, evidenceId: number): Promise<void> {
  await db
    .deleteFrom('self_assessment_evidence')
    .where('assessment_id', '=', assessmentId)
    .where('evidence_id', '=', evidenceId)
    .execute();
}

/** Deleting evidence a submitted assessment uses is refused by the database (LW102). */
export async function deleteEvidence(db: Db, id: number): Promise<void> {
  await db.deleteFrom('development_evidence').where('id', '=', id).execute();
}

export async function evidenceFile(db: Db, id: number): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('development_evidence_files')
    .select('content')
    .where('evidence_id', '=', id)
    .executeTakeFirst();
  return row?.content;
}

/** The assessments of a person that use this evidence (for the download's access decision). */
export async function assessmentsUsing(db: Db, evidenceId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('self_assessment_evidence')
    .select('assessment_id')
    .where('evidence_id', '=', evidenceId)
    .execute();
  return rows.map((r) => r.assessment_id);
}
