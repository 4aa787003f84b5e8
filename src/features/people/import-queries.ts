import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { stagingColumns, type TeamPairs } from './import-file.ts';
import { personDetails } from './people.ts';

/*
 * The SQL of the staff import, part one: staging and checks. Everything runs on one connection inside
 * one transaction: the file is copied into a temporary staging table, checked, matched to what the
 * organisation already has, then applied by import-apply-queries.ts. No statement runs per row.
 */

/** Kysely on one pg connection (so temporary tables and the open transaction are visible to every query). */
export function onConnection(client: pg.PoolClient): Database {
  const connection = { query: client.query.bind(client), release() {} };
  const pool = { connect: async () => connection, end: async () => {} };
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
}

export interface ImportContext {
  organisationId: number;
  /** temp_buffers was raised for this import, so its connection should not go back to the pool. */
  roomyTempBuffers: boolean;
  /** Identity sequences, resolved once: nextval on a constant is cheap, on pg_get_serial_sequence() per row it is not. */
  peopleSeq: string;
  assignmentsSeq: string;
  /** The planner's row estimates when the import began, to tell whether it grew the tables a lot. */
  peopleRows: number;
  assignmentRows: number;
}

export async function beginImport(db: Database, organisationId: number): Promise<ImportContext> {
  // One import per organisation at a time; a second waits rather than interleaving with the first.
  await sql`SELECT pg_advisory_xact_lock(7301, ${organisationId}::int)`.execute(db);
  // The joins below hash a whole file's rows; with the default 4MB they spill to disk and sort instead.
  await sql`SET LOCAL work_mem = '64MB'`.execute(db);
  // Staging tables are analysed from a small sample (see analyseStaging).
  await sql`SET LOCAL default_statistics_target = 10`.execute(db);
  const roomyTempBuffers = await raiseTempBuffers(db);
  await sql`
    CREATE TEMP TABLE staff_rows (
      line integer NOT NULL, assignment_number text, staff_number text, given_name text, family_name text,
      email text, position_title text, team text, cost_centre text, staff_group text, occupation_code text,
      band text, wte numeric(4,2), supervisor text, start_date date, end_date date, ethnicity text,
      disability text, sex text, age_band text, manager_flag boolean, valid boolean NOT NULL
    ) ON COMMIT DROP
  `.execute(db);
  const { rows } = await sql<{
    people_seq: string;
    assignments_seq: string;
    people_rows: number;
    assignment_rows: number;
  }>`
    SELECT pg_get_serial_sequence('people', 'id') AS people_seq,
           pg_get_serial_sequence('assignments', 'id') AS assignments_seq,
           (SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = 'people'::regclass) AS people_rows,
           (SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = 'assignments'::regclass) AS assignment_rows
  `.execute(db);
  const r = rows[0];
  return {
    organisationId,
    roomyTempBuffers,
    peopleSeq: r.people_seq,
    assignmentsSeq: r.assignments_seq,
    peopleRows: r.people_rows,
    assignmentRows: r.assignment_rows,
  };
}

/**
 * Temporary tables live in temp_buffers, 8MB by default: a 150,000-row file's staging tables take about
 * 100MB, so every pass over them went through the kernel's cache and wrote pages out on the way. PostgreSQL
 * allows raising it only before the session's first temporary table; on a pooled connection that already
 * had one the import runs with what it has.
 */
export async function raiseTempBuffers(db: Database): Promise<boolean> {
  await sql`SAVEPOINT staff_import_buffers`.execute(db);
  try {
    await sql`SET LOCAL temp_buffers = '256MB'`.execute(db);
    await sql`RELEASE SAVEPOINT staff_import_buffers`.execute(db);
    return true;
  } catch {
    await sql`ROLLBACK TO SAVEPOINT staff_import_buffers`.execute(db);
    return false;
  }
}

export const copySql = `COPY staff_rows (${stagingColumns.join(', ')}) FROM STDIN`;

/**
 * Statistics for the staging table, so that joins over a whole file are planned as hash joins. A small
 * sample is enough: the columns are either unique (assignment number) or few-valued (team, band).
 */
export async function analyseStaging(db: Database, table: 'staff_rows' | 'staff_match'): Promise<void> {
  await sql`ANALYZE ${sql.table(table)}`.execute(db);
}

/** Which of these assignment numbers the organisation already has. */
export async function existingAssignmentNumbers(db: Database, organisationId: number, numbers: string[]) {
  if (numbers.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('assignments')
    .select('assignment_number')
    .where('organisation_id', '=', organisationId)
    .where('assignment_number', '=', sql<string>`any(${numbers}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.assignment_number));
}

/** Reporting lines of the organisation's open assignments that are not in the file (they stay as they are). */
export async function outsideReportingLines(db: Database, organisationId: number): Promise<Map<string, string>> {
  // Assignments left out of the file first (usually none), then their managers: not 150,000 joins to find none.
  const { rows } = await sql<{ asg: string; manager: string }>`
    WITH outside AS MATERIALIZED (
      SELECT a.assignment_number, a.line_manager_assignment_id
        FROM assignments a
       WHERE a.organisation_id = ${organisationId}::int AND a.end_date IS NULL
         AND a.line_manager_assignment_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM staff_rows r WHERE r.assignment_number = a.assignment_number)
    )
    SELECT o.assignment_number AS asg, m.assignment_number AS manager
      FROM outside o
      JOIN assignments m ON m.id = o.line_manager_assignment_id AND m.organisation_id = ${organisationId}::int
  `.execute(db);
  return new Map(rows.map((r) => [r.asg, r.manager]));
}

/**
 * Match each valid row to its assignment (by organisation and assignment number) and person (by employee
 * number; without one, the person who holds the assignment already), keeping what both hold now so that
 * changes can be found later without another pass over the big tables. New assignments get their id here,
 * so that reporting lines between new rows resolve in the statement that inserts them.
 * Returns what the rows matched, for the steps after it to skip what they have no work for.
 */
export async function matchRows(db: Database, ctx: ImportContext): Promise<MatchSummary> {
  // What the matched person holds now, as cur_<column>, to find changes later.
  const personNow = (from: string) =>
    sql.join(personDetails.map((c) => sql`${sql.ref(`${from}.${c}`)} AS ${sql.ref(`cur_${c}`)}`));
  await sql`
    CREATE TEMP TABLE staff_match ON COMMIT DROP AS
    SELECT r.*,
           COALESCE(ea.id, nextval(${ctx.assignmentsSeq}::regclass)) AS assignment_id,
           ea.id IS NULL AS assignment_new,
           sp.id AS matched_person_id,
           ea.person_id AS holder_id,
           COALESCE('s:' || r.staff_number, 'l:' || r.line) AS person_key,
           ea.person_id AS cur_person_id, ea.team_id AS cur_team_id, ea.position_title AS cur_position_title,
           ea.band AS cur_band, ea.staff_group AS cur_staff_group, ea.occupation_code AS cur_occupation_code,
           ea.wte AS cur_wte, ea.line_manager_assignment_id AS cur_line_manager_assignment_id,
           ea.is_manager AS cur_is_manager, ea.start_date AS cur_start_date, ea.end_date AS cur_end_date,
           ea.managed_by_import AS cur_managed_by_import,
           ${personNow('sp')}
      FROM staff_rows r
      LEFT JOIN assignments ea ON ea.organisation_id = ${ctx.organisationId}::int AND ea.assignment_number = r.assignment_number
      LEFT JOIN people sp ON sp.staff_number = r.staff_number
     WHERE r.valid
  `.execute(db);
  // One pass over the matched rows counts everything the later steps need to know whether they have work:
  // a re-import of an unchanged file skips them all.
  const { rows } = await sql<MatchSummary>`
    SELECT count(*)::int AS rows,
           count(*) FILTER (WHERE NOT assignment_new)::int AS "existingAssignments",
           count(*) FILTER (WHERE matched_person_id IS NOT NULL)::int AS "matchedPeople",
           count(*) FILTER (WHERE matched_person_id IS NULL AND holder_id IS NOT NULL)::int AS "toHolders",
           count(*) FILTER (WHERE matched_person_id IS NOT NULL AND assignment_new)::int AS "joiningPeople",
           count(*) FILTER (WHERE ${newEmail})::int AS "newEmails",
           (SELECT count(*) FROM assignments a WHERE a.organisation_id = ${ctx.organisationId}::int)::int
             AS "organisationAssignments"
      FROM staff_match
  `.execute(db);
  const summary = rows[0];
  // Rows without a known employee number belong to the assignment's holder, when the holder has no
  // employee number either (people created before their ESR record). Few rows: looked up one by one.
  if (summary.toHolders > 0) {
    const { numAffectedRows } = await sql`
      UPDATE staff_match m SET matched_person_id = h.id,
             ${sql.join(personDetails.map((c) => sql`${sql.ref(`cur_${c}`)} = ${sql.ref(`h.${c}`)}`))}
        FROM people h
       WHERE m.matched_person_id IS NULL AND h.id = m.holder_id
         AND (m.staff_number IS NULL OR h.staff_number IS NULL)
    `.execute(db);
    const moved = Number(numAffectedRows ?? 0);
    if (moved > 0) {
      // Those rows now match a person: their email and whether they join from elsewhere are judged again.
      const again = await sql<{ joining: number; emails: number }>`
        SELECT count(*) FILTER (WHERE matched_person_id IS NOT NULL AND assignment_new)::int AS joining,
               count(*) FILTER (WHERE ${newEmail})::int AS emails
          FROM staff_match
      `.execute(db);
      summary.matchedPeople += moved;
      summary.joiningPeople = again.rows[0].joining;
      summary.newEmails = again.rows[0].emails;
    }
  }
  await analyseStaging(db, 'staff_match');
  return summary;
}

/**
 * Rows whose email address is new to their person (or whose person is new): the only ones looked up. Equal
 * text is compared first: lower() on both sides of 150,000 unchanged addresses was most of the summary pass.
 */
const newEmail = sql`email IS NOT NULL AND (matched_person_id IS NULL OR cur_email IS NULL
  OR (cur_email <> email AND lower(cur_email) <> lower(email)))`;

export interface MatchSummary {
  /** Valid rows of the file. */
  rows: number;
  existingAssignments: number;
  matchedPeople: number;
  toHolders: number;
  /** Rows of existing people that are new assignments here (the only ones foreignPeople looks at). */
  joiningPeople: number;
  /** Rows whose email address may clash with someone else's (the only ones emailClashes looks at). */
  newEmails: number;
  organisationAssignments: number;
}

/**
 * Whether the organisation may have assignments that the file leaves out. When every assignment it has
 * matched a row, there are none: no reporting lines outside the file, and nothing for --complete to end.
 */
export const mayLeaveOut = (s: MatchSummary) => s.organisationAssignments > s.existingAssignments;

/**
 * Rows whose employee number belongs to a person who works elsewhere now and has never worked here: an
 * organisation's file must not take over (and so read and rewrite) another employer's staff record.
 * A move between employers is made by the new employer once the old assignment has ended, or by a
 * national admin. Only the rows matched to an existing person are looked at.
 */
export async function foreignPeople(db: Database, organisationId: number) {
  const { rows } = await sql<{ line: number; staff_number: string }>`
    SELECT m.line, m.staff_number
      FROM staff_match m
     WHERE m.matched_person_id IS NOT NULL AND m.assignment_new
       AND NOT EXISTS (SELECT 1 FROM assignments a
                        WHERE a.person_id = m.matched_person_id AND a.organisation_id = ${organisationId}::int)
       AND EXISTS (SELECT 1 FROM assignments a
                    WHERE a.person_id = m.matched_person_id AND a.end_date IS NULL
                      AND a.organisation_id <> ${organisationId}::int)
     ORDER BY m.line
  `.execute(db);
  return rows;
}

/**
 * Rows whose email address already belongs to someone else in Leadwell. Only new or changed addresses
 * are looked up, through the email index: a re-import of an unchanged file looks up none.
 */
export async function emailClashes(db: Database) {
  const { rows } = await sql<{ line: number; email: string }>`
    WITH candidates AS MATERIALIZED (
      SELECT line, email, matched_person_id AS person_id FROM staff_match WHERE ${newEmail}
    )
    SELECT c.line, c.email
      FROM candidates c
      JOIN people p ON lower(p.email) = lower(c.email)
     WHERE lower(p.email) = ANY(ARRAY(SELECT lower(email) FROM candidates))
       AND p.id IS DISTINCT FROM c.person_id
     ORDER BY c.line
  `.execute(db);
  return rows;
}

/**
 * Teams named in the file that the organisation does not have yet (matched by name, ignoring case), from
 * the file's distinct (team, cost centre) pairs: the same answer as grouping every row, without the rows.
 * Runs only for a file whose rows are all valid.
 */
export async function createMissingTeams(db: Database, organisationId: number, teams: TeamPairs): Promise<number> {
  if (teams.names.length === 0) return 0;
  const result = await sql`
    WITH named AS (
      SELECT lower(t.team) AS lname, min(t.team) AS name, min(t.cost_centre) AS cost_centre
        FROM unnest(${teams.names}::text[], ${teams.costCentres}::text[]) AS t(team, cost_centre)
       GROUP BY lower(t.team)
    ),
    -- A cost centre becomes the team's code when it belongs to this team alone.
    single AS (SELECT cost_centre FROM named WHERE cost_centre IS NOT NULL GROUP BY cost_centre HAVING count(*) = 1)
    INSERT INTO teams (organisation_id, name, code)
    SELECT ${organisationId}::int, n.name,
           CASE WHEN s.cost_centre IS NOT NULL AND NOT EXISTS (
                  SELECT 1 FROM teams x WHERE x.organisation_id = ${organisationId}::int AND x.code = n.cost_centre)
                THEN n.cost_centre END
      FROM named n
      LEFT JOIN single s ON s.cost_centre = n.cost_centre
     WHERE NOT EXISTS (SELECT 1 FROM teams x
                        WHERE x.organisation_id = ${organisationId}::int AND x.closed_on IS NULL
                          AND lower(x.name) = n.lname)
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
