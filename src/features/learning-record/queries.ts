import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/database.ts';
import type { LearningOutcome, LearningSource } from '../../db/schema.ts';

// SQL on learning_records. Other features (cohorts, the development-record export) call these functions and never
// touch the table themselves. Writers audit their own writes: these functions do not know who is acting.

export interface CompletionInput {
  personId: number;
  programmeId: number | null;
  title: string;
  providerName: string | null;
  /** YYYY-MM-DD */
  completedOn: string;
  outcome: LearningOutcome;
  hours: number | null;
  source: LearningSource;
  /** Cohort completion id, xAPI statement id, import key: a repeat with the same source and ref is the same record. */
  sourceRef: string | null;
  mandatory?: boolean;
  /** The account that recorded it, when there is one. */
  recordedBy?: number | null;
}

/** A (source, sourceRef) that already belongs to another person: the caller reports a conflict. */
export class LearningRecordConflict extends Error {
  constructor(
    readonly recordId: number,
    readonly source: LearningSource,
    readonly sourceRef: string,
  ) {
    super(`${source} record ${sourceRef} already belongs to another person`);
  }
}

/**
 * Record one completion, idempotent on (source, sourceRef): a repeat updates the same row (a corrected outcome or
 * hours) and returns its id with created false. Throws LearningRecordConflict when the ref belongs to someone else.
 */
export async function recordCompletion(
  db: Database,
  input: CompletionInput,
): Promise<{ id: number; created: boolean }> {
  const row = await db
    .insertInto('learning_records')
    .values({
      person_id: input.personId,
      programme_id: input.programmeId,
      title: input.title,
      provider_name: input.providerName,
      completed_on: input.completedOn,
      outcome: input.outcome,
      hours: input.hours,
      mandatory: input.mandatory ?? false,
      source: input.source,
      source_ref: input.sourceRef,
      recorded_by: input.recordedBy ?? null,
    })
    .onConflict((oc) =>
      oc
        .columns(['source', 'source_ref'])
        .doUpdateSet((eb) => ({
          programme_id: eb.ref('excluded.programme_id'),
          title: eb.ref('excluded.title'),
          provider_name: eb.ref('excluded.provider_name'),
          completed_on: eb.ref('excluded.completed_on'),
          outcome: eb.ref('excluded.outcome'),
          hours: eb.ref('excluded.hours'),
          mandatory: eb.ref('excluded.mandatory'),
          updated_at: sql`now()`,
        }))
        .whereRef('learning_records.person_id', '=', 'excluded.person_id'),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirst();
  if (row) return { id: Number(row.id), created: row.created };
  const existing = await db
    .selectFrom('learning_records')
    .select('id')
    .where('source', '=', input.source)
    .where('source_ref', '=', input.sourceRef)
    .executeTakeFirstOrThrow();
  throw new LearningRecordConflict(Number(existing.id), input.source, input.sourceRef ?? '');
}

/** The record behind a (source, sourceRef), e.g. an xAPI statement id. */
export async function findBySourceRef(db: Database, source: LearningSource, sourceRef: string) {
  return db
    .selectFrom('learning_records')
    .select(['id', 'person_id'])
    .where('source', '=', source)
    .where('source_ref', '=', sourceRef)
    .executeTakeFirst();
}

export interface LearningRecordRow {
  personId: number;
  programmeId: number | null;
  title: string;
  providerName: string | null;
  completedOn: string;
  outcome: LearningOutcome;
  hours: number | null;
  mandatory: boolean;
  source: LearningSource;
  sourceRef: string | null;
  synthetic?: boolean;
}

const copyColumns = [
  'person_id',
  'programme_id',
  'title',
  'provider_name',
  'completed_on',
  'outcome',
  'hours',
  'mandatory',
  'source',
  'source_ref',
  'synthetic',
];

function text(v: string | number | null): string {
  if (v === null) return '\\N';
  return String(v).replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

function* copyChunks(rows: readonly LearningRecordRow[]): Generator<string> {
  let buf = '';
  for (const r of rows) {
    buf += `${r.personId}\t${text(r.programmeId)}\t${text(r.title)}\t${text(r.providerName)}\t${r.completedOn}\t${r.outcome}\t${text(r.hours)}\t${r.mandatory ? 't' : 'f'}\t${r.source}\t${text(r.sourceRef)}\t${r.synthetic ? 't' : 'f'}\n`;
    if (buf.length >= 262_144) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * The bulk path (data generator, large imports): COPY rows into learning_records on a client the caller holds,
 * usually inside its transaction. Not idempotent: the caller removes its earlier rows first.
 */
export async function copyLearningRecords(client: pg.PoolClient, rows: readonly LearningRecordRow[]): Promise<void> {
  if (rows.length === 0) return;
  const target = client.query(copyFrom(`COPY learning_records (${copyColumns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), target);
}

export interface LearningRecordView {
  id: number;
  programmeId: number | null;
  title: string;
  providerName: string | null;
  completedOn: string;
  outcome: LearningOutcome;
  hours: number | null;
  mandatory: boolean;
  source: LearningSource;
}

/** A person's whole record, newest first. A record is hundreds of rows at most, so it is read in one go. */
export async function recordsOf(db: Database, personId: number, limit = 5000): Promise<LearningRecordView[]> {
  const rows = await db
    .selectFrom('learning_records')
    .select(['id', 'programme_id', 'title', 'provider_name', 'completed_on', 'outcome', 'hours', 'mandatory', 'source'])
    .where('person_id', '=', personId)
    .orderBy('completed_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    programmeId: r.programme_id === null ? null : Number(r.programme_id),
    title: r.title,
    providerName: r.provider_name,
    completedOn: r.completed_on,
    outcome: r.outcome,
    hours: r.hours === null ? null : Number(r.hours),
    mandatory: r.mandatory,
    source: r.source,
  }));
}

/** The data generator starts again from nothing it made before. */
export async function deleteSyntheticRecords(db: Database): Promise<number> {
  const r = await db.deleteFrom('learning_records').where('synthetic', '=', true).executeTakeFirst();
  return Number(r.numDeletedRows);
}
