import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import { developmentSubjectColumns } from '../../plugins/access.ts';
import { type Db, type RoundRow, rounds } from './queries.ts';

// Stored 360 reports: one row per closed round, read by its primary key. SQL only; report-store.ts decides what
// goes in (the anonymity rule's output) and when.

export interface StoredRow {
  report: unknown;
  chart: unknown;
  framework_title: string;
  framework_version: number;
}

export async function readStoredReport(db: Db, roundId: number): Promise<StoredRow | undefined> {
  return db
    .selectFrom('feedback_reports')
    .select(['report', 'chart', 'framework_title', 'framework_version'])
    .where('round_id', '=', roundId)
    .executeTakeFirst();
}

/** A round, what the access decision needs about its subject, and its stored report (null columns when none). */
export interface RoundReportRow extends RoundRow {
  subject_managers: number[];
  subject_orgs: number[];
  report: unknown;
  chart: unknown;
  framework_title: string | null;
  framework_version: number | null;
}

// Every read of a report starts here, so the statement is compiled once and runs as a named prepared statement
// (src/db/prepared.ts): the round, its subject's access facts and the stored report used to be three statements.
const roundReportQuery = preparedQuery(['id'], (db, v) =>
  rounds(db)
    .leftJoin('feedback_reports as fr', 'fr.round_id', 'r.id')
    .select([
      ...developmentSubjectColumns('r.person_id'),
      'fr.report',
      'fr.chart',
      'fr.framework_title',
      'fr.framework_version',
    ])
    .where(sql<boolean>`r.id = ${v.id}`),
);

/**
 * A round with its subject's access facts and its stored report, in one statement. The report is only read here:
 * the caller decides access (from the subject) before it uses it.
 */
export async function readRoundWithReport(db: Database, roundId: number): Promise<RoundReportRow | undefined> {
  const [row] = await roundReportQuery(db, { id: roundId });
  return row as RoundReportRow | undefined;
}

/** The reports of several rounds at once (a person's development record). */
export async function readStoredReports(db: Db, roundIds: number[]) {
  if (!roundIds.length) return [];
  return db
    .selectFrom('feedback_reports')
    .select(['round_id', 'report', 'chart', 'framework_title', 'framework_version'])
    .where('round_id', 'in', roundIds)
    .execute();
}

/** Written once: a second writer (two first reads at once, the job and the close action) changes nothing. */
export async function insertStoredReport(
  db: Db,
  roundId: number,
  r: { report: unknown; chart: unknown; frameworkTitle: string; frameworkVersion: number },
): Promise<void> {
  await db
    .insertInto('feedback_reports')
    .values({
      round_id: roundId,
      report: JSON.stringify(r.report),
      chart: r.chart === null ? null : JSON.stringify(r.chart),
      framework_title: r.frameworkTitle,
      framework_version: r.frameworkVersion,
    })
    .onConflict((oc) => oc.column('round_id').doNothing())
    .execute();
}

/** Closed rounds without a stored report (closed before reports were stored), oldest first. */
export async function roundsWithoutReport(db: Db, limit: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    SELECT r.id FROM feedback_rounds r
     WHERE r.status = 'closed'
       AND NOT EXISTS (SELECT 1 FROM feedback_reports s WHERE s.round_id = r.id)
     ORDER BY r.id
     LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}
