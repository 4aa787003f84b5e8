import { sql } from 'kysely';
import type { Db } from './queries.ts';

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
