import type { Database } from '../../db/database.ts';
import { developmentSubjectOf } from '../../plugins/access.ts';
import { notFound } from '../../web/http.ts';
import { versionMeta } from '../frameworks/document-queries.ts';
import type { Report } from './feedback.ts';
import { domainChart } from './present.ts';
import { findRound, type RoundRow } from './queries.ts';
import {
  insertStoredReport,
  readRoundWithReport,
  readStoredReport,
  roundsWithoutReport,
  type StoredRow,
} from './report-queries.ts';
import { type LoadedRound, reportOf } from './service.ts';

// A closed round's report is computed once and stored (feedback_reports): the answers can no longer change, so
// every later read (the page, the printable page, the API, the development record) takes that one row. What is
// stored is exactly what reportOf returns (the anonymity rule's output) and the chart drawn from it.

export type ReportChart = NonNullable<ReturnType<typeof domainChart>>;

export interface StoredReport {
  report: Report;
  chart: ReportChart | null;
  framework: { title: string; version: number };
}

/** The report as the live computation gives it, with its chart and its framework's title. */
export async function computeReport(db: Database, round: RoundRow): Promise<StoredReport> {
  const [report, meta] = await Promise.all([reportOf(db, round), versionMeta(db, round.framework_version_id)]);
  return {
    report,
    chart: domainChart(report, `${round.given_name} ${round.family_name}`) ?? null,
    framework: { title: meta?.title ?? '', version: meta?.version ?? 0 },
  };
}

/** Compute and store the report of a closed round (a second store of the same round changes nothing). */
export async function storeReport(db: Database, round: RoundRow): Promise<StoredReport> {
  if (round.status !== 'closed') throw new Error(`360 round ${round.id} is open: its report may still change`);
  const computed = await computeReport(db, round);
  await insertStoredReport(db, round.id, {
    report: computed.report,
    chart: computed.chart,
    frameworkTitle: computed.framework.title,
    frameworkVersion: computed.framework.version,
  });
  return computed;
}

/**
 * The report of a round: the stored one for a closed round (stored now, on its first read, when it was closed
 * before reports were stored); computed live while the round is open.
 */
export async function storedReportOf(db: Database, round: RoundRow): Promise<StoredReport> {
  if (round.status !== 'closed') return computeReport(db, round);
  return reportFromRow(db, round, await readStoredReport(db, round.id));
}

/** storedReportOf, given the round's stored row as read already (undefined: none stored). */
function reportFromRow(
  db: Database,
  round: RoundRow,
  row: StoredRow | undefined,
): Promise<StoredReport> | StoredReport {
  if (round.status !== 'closed') return computeReport(db, round);
  if (!row) return storeReport(db, round);
  return {
    report: row.report as Report,
    chart: row.chart as ReportChart | null,
    framework: { title: row.framework_title, version: row.framework_version },
  };
}

/**
 * A round and its subject (as loadRound gives them, or 404) with its report, read in one statement. `report()`
 * gives what storedReportOf would: call it only once access is decided.
 */
export async function loadRoundReport(
  db: Database,
  id: number,
): Promise<LoadedRound & { report(): Promise<StoredReport> }> {
  const row = await readRoundWithReport(db, id);
  if (!row) throw notFound('360 round');
  const { subject_managers, subject_orgs, report, chart, framework_title, framework_version, ...round } = row;
  const stored =
    framework_title === null ? undefined : { report, chart, framework_title, framework_version: framework_version! };
  return {
    round,
    subject: developmentSubjectOf(round.person_id, { subject_managers, subject_orgs }),
    report: async () => reportFromRow(db, round, stored),
  };
}

/** Store the reports of closed rounds that have none yet, up to `limit`; returns how many were stored. */
export async function storeMissingReports(db: Database, limit: number): Promise<number> {
  let stored = 0;
  for (const id of await roundsWithoutReport(db, limit)) {
    const round = await findRound(db, id);
    if (round) {
      await storeReport(db, round);
      stored++;
    }
  }
  return stored;
}

/** After closing: store the report of each round just closed. */
export async function storeReportsOf(db: Database, roundIds: number[]): Promise<void> {
  for (const id of roundIds) {
    const round = await findRound(db, id);
    if (round) await storeReport(db, round);
  }
}
