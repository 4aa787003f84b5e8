import type { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { hasRole, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import type { TextEncoding } from '../../text.ts';
import {
  countNewPeople,
  endMissingAssignments,
  outcomeCounts,
  type Plan,
  planRows,
  refreshStatistics,
  writeAssignments,
  writePeople,
} from './import-apply-queries.ts';
import { type LoadedFile, loadStaffFile } from './import-file.ts';
import type { ImportField, MappingEntry } from './import-mapping.ts';
import {
  analyseStaging,
  beginImport,
  copySql,
  createMissingTeams,
  emailClashes,
  existingAssignmentNumbers,
  foreignPeople,
  type ImportContext,
  type MatchSummary,
  matchRows,
  mayLeaveOut,
  onConnection,
  outsideReportingLines,
} from './import-queries.ts';
import type { RowError } from './import-values.ts';
import { recordImport } from './queries.ts';

export interface ImportRequest {
  organisation: { id: number; code: string };
  source: Readable;
  filename: string;
  mapping: MappingEntry[];
  /** The file lists every assignment of the organisation: open ones it leaves out end today. */
  complete?: boolean;
  /** Check and count, then roll back: nothing is written or recorded. */
  dryRun?: boolean;
  actor: { viewer: Viewer; ip?: string } | { label: string };
  /** Progress for long files: rows read so far, then the steps of applying. */
  progress?: (phase: string, done: number, total: number) => void;
  expectedRows?: number;
}

export interface ImportReport {
  id: number | null;
  status: 'applied' | 'rejected' | 'checked';
  rowsTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  ended: number;
  teamsCreated: number;
  /** Sorted by line; at most MAX_KEPT_ERRORS of them. */
  errors: RowError[];
  errorCount: number;
  /** How the file's bytes were read as text: UTF-8, Windows-1252 (Excel's plain CSV) or UTF-16; null if never read. */
  encoding: TextEncoding | null;
}

/** Today in England, as the date an import ends assignments on. */
export function londonDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}

const byLine = (a: RowError, b: RowError) => a.line - b.line || (a.column ?? '').localeCompare(b.column ?? '');

/**
 * Import a staff file for one organisation: all or nothing. Every row is checked first; if any is wrong,
 * the report lists each problem with its line and nothing changes. Otherwise the file is applied in one
 * transaction, recorded in staff_imports and audited.
 */
export async function importStaff(deps: Deps, req: ImportRequest): Promise<ImportReport> {
  const client = await deps.pool.connect();
  const db = onConnection(client);
  const today = londonDate(deps.clock.now());
  const report: ImportReport = {
    id: null,
    status: 'rejected',
    rowsTotal: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    ended: 0,
    teamsCreated: 0,
    errors: [],
    errorCount: 0,
    encoding: null,
  };
  let broken = false;
  let roomyConnection = false;
  try {
    await client.query('BEGIN');
    const ctx = await beginImport(db, req.organisation.id);
    roomyConnection = ctx.roomyTempBuffers;
    const loaded = await loadStaffFile(req.source, req.mapping, client.query(copyFrom(copySql)), (n) =>
      req.progress?.('Reading', n, Math.max(n, req.expectedRows ?? n)),
    );
    report.rowsTotal = loaded.rows;
    report.encoding = loaded.encoding;
    const { errors, existing } = await crossChecks(db, ctx, req, loaded);
    report.errors = errors.items.sort(byLine);
    report.errorCount = errors.count;
    if (errors.count > 0) {
      await client.query('ROLLBACK');
      if (!req.dryRun) await recordApart(client, db, req, report);
      return report;
    }
    const present = (f: ImportField) =>
      loaded.columns!.index[f] !== undefined || (f === 'team' && loaded.columns!.index.cost_centre !== undefined);
    let plan: Plan = { rows: 0, newAssignments: 0, changedAssignments: 0, newPeople: 0, rowsWithPersonChanges: 0 };
    const steps: [string, () => Promise<unknown>][] = [
      ['teams', async () => (report.teamsCreated = await createMissingTeams(db, req.organisation.id, loaded.teams))],
      [
        'plan',
        async () => (plan = await planRows(db, ctx, present, { today, match: existing.match!, ...existing.lists })),
      ],
      [
        'people',
        async () => {
          await writePeople(db, present, plan);
          await countNewPeople(db, ctx, plan);
        },
      ],
      ['assignments', () => writeAssignments(db, req.organisation.id, present, plan)],
      [
        'leavers',
        async () =>
          (report.ended =
            req.complete && mayLeaveOut(existing.match!)
              ? await endMissingAssignments(db, req.organisation.id, today)
              : 0),
      ],
      ['counts', async () => Object.assign(report, await outcomeCounts(db, plan))],
    ];
    for (const [i, [, step]] of steps.entries()) {
      req.progress?.('Applying', i, steps.length);
      await step();
    }
    req.progress?.('Applying', steps.length, steps.length);
    if (req.dryRun) {
      report.status = 'checked';
      await client.query('ROLLBACK');
      return report;
    }
    report.status = 'applied';
    await record(db, req, report);
    await client.query('COMMIT');
    // The import has landed; statistics are a courtesy to the next one, so a failure here is only logged.
    await refreshStatistics(db, ctx, { people: plan.newPeople, assignments: report.created }).catch((err: unknown) =>
      deps.logger.warn({ err }, 'could not refresh statistics after a staff import'),
    );
    return report;
  } catch (err) {
    broken = true;
    await client.query('ROLLBACK').catch(() => {});
    const clash = uniqueClash(err);
    if (!clash) throw err;
    // Two people would end up with one email address (e.g. addresses swapped between people in one file).
    report.status = 'rejected';
    report.errors = [{ line: 1, column: null, message: clash }];
    report.errorCount = 1;
    if (!req.dryRun) await recordApart(client, db, req, report);
    broken = false;
    return report;
  } finally {
    // A connection whose temp_buffers grew keeps that memory while it lives: close it rather than pool it.
    client.release(broken || roomyConnection);
  }
}

async function crossChecks(db: Database, ctx: ImportContext, req: ImportRequest, loaded: LoadedFile) {
  const errors = loaded.errors;
  const existing = {
    match: null as MatchSummary | null,
    lists: { outsideSupervisors: [] as string[], outsideManagers: [] as string[] },
  };
  const checks = loaded.checks;
  if (!checks) return { errors, existing };
  req.progress?.('Checking', 0, 3);
  await analyseStaging(db, 'staff_rows');
  const match = await matchRows(db, ctx);
  existing.match = match;
  const outside = checks.outsideSupervisors();
  errors.push(...checks.missingSupervisors(await existingAssignmentNumbers(db, ctx.organisationId, outside)));
  req.progress?.('Checking', 1, 3);
  // A complete file ends everything it leaves out, so only the file's own reporting lines count; so does a
  // file that lists every assignment the organisation has.
  const lines =
    req.complete || !mayLeaveOut(match)
      ? new Map<string, string>()
      : await outsideReportingLines(db, ctx.organisationId);
  errors.push(...checks.cycles(lines));
  existing.lists = { outsideSupervisors: outside, outsideManagers: [...new Set(lines.values())] };
  req.progress?.('Checking', 2, 3);
  // The command line runs with the database's own rights; in the web, only national admins move people.
  const trusted = !('viewer' in req.actor) || hasRole(req.actor.viewer, 'national_admin');
  if (!trusted && match.joiningPeople > 0) {
    for (const f of await foreignPeople(db, ctx.organisationId)) {
      errors.push({
        line: f.line,
        column: loaded.columns?.header.staff_number ?? null,
        message: `employee number ${f.staff_number} belongs to a person who currently works at another organisation: they can join once that assignment has ended, or a national admin can import this row`,
      });
    }
  }
  for (const clash of match.newEmails > 0 ? await emailClashes(db) : []) {
    errors.push({
      line: clash.line,
      column: loaded.columns?.header.email ?? null,
      message: `email address ${clash.email} is already recorded for another person`,
    });
  }
  req.progress?.('Checking', 3, 3);
  return { errors, existing };
}

function uniqueClash(err: unknown): string | null {
  const e = err as { code?: string; constraint?: string };
  if (e?.code !== '23505') return null;
  if (e.constraint === 'people_email_idx') {
    return 'two people in the file would end up with the same email address; check the email column';
  }
  return `the file conflicts with data already in Leadwell (${e.constraint ?? 'unique constraint'})`;
}

/**
 * Record a rejected import in a transaction of its own, on the import's connection (after its rollback):
 * a second connection could wait forever on a pool of one.
 */
async function recordApart(client: PoolClient, db: Database, req: ImportRequest, report: ImportReport) {
  await client.query('BEGIN');
  await record(db, req, report);
  await client.query('COMMIT');
}

/** Keep a record of the import (applied or rejected) and audit it, in the caller's transaction. */
async function record(db: Database, req: ImportRequest, report: ImportReport): Promise<void> {
  report.id = await recordImport(db, {
    organisationId: req.organisation.id,
    accountId: 'viewer' in req.actor ? req.actor.viewer.accountId : null,
    filename: req.filename,
    status: report.status === 'applied' ? 'applied' : 'rejected',
    counts: report,
  });
  await audit(db, req.actor, {
    action: 'staff.import',
    subjectType: 'staff_import',
    subjectId: report.id,
    organisationId: req.organisation.id,
    details: {
      filename: req.filename,
      status: report.status,
      complete: req.complete === true,
      rows: report.rowsTotal,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      ended: report.ended,
      teams_created: report.teamsCreated,
      errors: report.errorCount,
      encoding: report.encoding,
    },
  });
}
