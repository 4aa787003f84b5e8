import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ImportField } from './import-mapping.ts';
import type { ImportContext, MatchSummary } from './import-queries.ts';

/*
 * The SQL of the staff import, part two: applying a checked file. Each row's new values are resolved
 * once (staff_plan) beside what the database holds now (from staff_match), so changed rows are found
 * without another pass over the big tables. New rows are inserted set-based; only rows that differ are
 * updated, so a re-import of the same file writes nothing and the assignment history trigger records
 * only real changes.
 */

type Present = (field: ImportField) => boolean;
type Column = { name: string; value: RawBuilder<unknown>; current: RawBuilder<unknown> };

/** Values worked out by planRows; the write statements read them back from staff_plan (alias p). */
const computed = ['person_id', 'team_id', 'line_manager_assignment_id', 'is_manager'] as const;
type Computed = Record<(typeof computed)[number], RawBuilder<unknown>>;
const fromPlan = Object.fromEntries(computed.map((c) => [c, sql.ref(`p.${c}`)])) as Computed;

// File values come from staff_match (alias m), next to what the database held when the file was matched.
const col = (name: string, value: RawBuilder<unknown> = sql.ref(`m.${name}`)): Column => ({
  name,
  value,
  current: sql.ref(`m.cur_${name}`),
});

/** The person columns an import writes: names always, the others only when the file has the column. */
function personColumns(present: Present): Column[] {
  return [
    col('staff_number', sql`COALESCE(m.staff_number, m.cur_staff_number)`),
    col('given_name'),
    col('family_name'),
    ...(['email', 'ethnicity', 'disability', 'sex', 'age_band'] as const).filter(present).map((c) => col(c)),
  ];
}

function assignmentColumns(present: Present, values: Computed): Column[] {
  const cols = [
    col('person_id', values.person_id),
    col('position_title'),
    col('start_date'),
    col('managed_by_import', sql`true`),
  ];
  if (present('team') || present('cost_centre')) cols.push(col('team_id', values.team_id));
  for (const c of ['band', 'staff_group', 'occupation_code', 'wte', 'end_date'] as const) {
    if (present(c)) cols.push(col(c));
  }
  if (present('supervisor')) cols.push(col('line_manager_assignment_id', values.line_manager_assignment_id));
  if (present('supervisor') || present('manager_flag')) cols.push(col('is_manager', values.is_manager));
  return cols;
}

const differs = (cols: Column[]) =>
  sql`(${sql.join(cols.map((c) => c.current))}) IS DISTINCT FROM (${sql.join(cols.map((c) => c.value))})`;
const listOf = (cols: Column[]) => sql.join(cols.map((c) => sql`${c.value} AS ${sql.ref(c.name)}`));
const setFrom = (cols: Column[], alias: string) =>
  sql.join(cols.map((c) => sql`${sql.ref(c.name)} = ${sql.ref(`${alias}.${c.name}`)}`));

export interface Plan {
  rows: number;
  newAssignments: number;
  changedAssignments: number;
  newPeople: number;
  rowsWithPersonChanges: number;
}

/**
 * Everything each row will write, resolved into staff_plan: person and assignment ids (new people get
 * theirs here), team, line manager (a row of the file or an existing assignment of the organisation),
 * whether the assignment manages anyone (open reports in the file or, unless the file is complete,
 * outside it), and whether the row changes its assignment or its person. Only ids and flags are kept,
 * so the table stays narrow; the statements after it skip whatever has nothing to do.
 * What the checks already learnt comes in as small lists: `outsideSupervisors`, supervisors that are not
 * rows of the file; `outsideManagers`, assignments with open reports that the file leaves out.
 */
export async function planRows(
  db: Database,
  ctx: ImportContext,
  present: Present,
  args: { today: string; match: MatchSummary; outsideSupervisors: string[]; outsideManagers: string[] },
): Promise<Plan> {
  const org = sql`${ctx.organisationId}::int`;
  // Joins that would find nothing are left out: the planner cannot tell that an empty or unanalysed table
  // is empty, and once chose to hash the whole file against one.
  const newPeople = args.match.matchedPeople < args.match.rows;
  const outside = args.outsideSupervisors.length > 0;
  if (newPeople) {
    await sql`
      CREATE TEMP TABLE staff_new_people ON COMMIT DROP AS
      SELECT person_key, nextval(${ctx.peopleSeq}::regclass) AS id
        FROM (SELECT person_key FROM staff_match WHERE matched_person_id IS NULL
               GROUP BY person_key ORDER BY min(line)) k
    `.execute(db);
    await sql`ANALYZE staff_new_people`.execute(db);
  }
  const values: Computed = {
    person_id: newPeople ? sql`COALESCE(m.matched_person_id, np.id)` : sql`m.matched_person_id`,
    team_id: sql`tm.id`,
    line_manager_assignment_id: outside ? sql`COALESCE(sm.assignment_id, ex.id)` : sql`sm.assignment_id`,
    is_manager: sql`(COALESCE(m.manager_flag, false) OR rep.supervisor IS NOT NULL
                     OR m.assignment_number = ANY(${args.outsideManagers}::text[]))`,
  };
  const none = sql``;
  await sql`
    CREATE TEMP TABLE staff_plan ON COMMIT DROP AS
    SELECT m.line, m.assignment_id, m.assignment_new, m.matched_person_id IS NULL AS person_new,
           ${sql.join(computed.map((c) => sql`${values[c]} AS ${sql.ref(c)}`))},
           NOT m.assignment_new AND ${differs(assignmentColumns(present, values))} AS assignment_changed,
           m.matched_person_id IS NOT NULL AND ${differs(personColumns(present))} AS person_changed
      FROM staff_match m
      ${newPeople ? sql`LEFT JOIN staff_new_people np ON m.matched_person_id IS NULL AND np.person_key = m.person_key` : none}
      LEFT JOIN (SELECT lower(name) AS lname, min(id) AS id FROM teams
                  WHERE organisation_id = ${org} AND closed_on IS NULL GROUP BY lower(name)) tm
             ON tm.lname = lower(m.team)
      LEFT JOIN (SELECT assignment_number, assignment_id FROM staff_match) sm ON sm.assignment_number = m.supervisor
      ${
        outside
          ? sql`LEFT JOIN (SELECT id, assignment_number FROM assignments
                  WHERE organisation_id = ${org} AND assignment_number = ANY(${args.outsideSupervisors}::text[])) ex
             ON ex.assignment_number = m.supervisor`
          : none
      }
      LEFT JOIN (SELECT DISTINCT supervisor FROM staff_match
                  WHERE supervisor IS NOT NULL AND (end_date IS NULL OR end_date >= ${args.today}::date)) rep
             ON rep.supervisor = m.assignment_number
  `.execute(db);
  const { rows } = await sql<Plan>`
    SELECT count(*)::int AS rows,
           count(*) FILTER (WHERE assignment_new)::int AS "newAssignments",
           count(*) FILTER (WHERE assignment_changed)::int AS "changedAssignments",
           count(DISTINCT person_id) FILTER (WHERE person_new)::int AS "newPeople",
           count(*) FILTER (WHERE person_changed)::int AS "rowsWithPersonChanges"
      FROM staff_plan
  `.execute(db);
  // The writes join the plan back to the file; with nothing to write there is nothing to plan them on.
  if (hasWrites(rows[0])) await sql`ANALYZE staff_plan`.execute(db);
  return rows[0];
}

const hasWrites = (plan: Plan) =>
  plan.newAssignments > 0 || plan.changedAssignments > 0 || plan.newPeople > 0 || plan.rowsWithPersonChanges > 0;

/** Rows of the plan with their file values (staff_plan p joined to staff_match m), filtered. */
const planned = (where: RawBuilder<unknown>) => sql`staff_plan p JOIN staff_match m ON m.line = p.line WHERE ${where}`;

// The row that speaks for a person with several assignments: an open one, then the latest to start.
const primaryRow = sql`ORDER BY p.person_id, (m.end_date IS NULL) DESC, m.start_date DESC, m.line`;

/** More new rows than the planner's statistics allow for: a fifth of the table's estimated size, and then some. */
const outgrows = (added: number, estimated: number) => added > 0.2 * estimated + 1000;

/**
 * Insert new people; update those whose details differ, judged on each person's primary row. Columns
 * absent from the file are left alone.
 */
export async function writePeople(db: Database, present: Present, plan: Plan): Promise<void> {
  const cols = personColumns(present);
  if (plan.newPeople > 0) {
    await sql`
      INSERT INTO people (id, ${sql.join(cols.map((c) => sql.ref(c.name)))}) OVERRIDING SYSTEM VALUE
      SELECT DISTINCT ON (p.person_id) p.person_id, ${sql.join(cols.map((c) => c.value))}
        FROM ${planned(sql`p.person_new`)} ${primaryRow}
    `.execute(db);
  }
  await sql`CREATE TEMP TABLE staff_person_changes (id bigint PRIMARY KEY) ON COMMIT DROP`.execute(db);
  if (plan.rowsWithPersonChanges === 0) return;
  const changed = sql`p.person_id IN (SELECT person_id FROM staff_plan WHERE person_changed)`;
  await sql`
    CREATE TEMP TABLE staff_person_values ON COMMIT DROP AS
    SELECT * FROM (
      SELECT DISTINCT ON (p.person_id) p.person_id AS id, ${differs(cols)} AS changed, ${listOf(cols)}
        FROM ${planned(sql`NOT p.person_new AND ${changed}`)} ${primaryRow}) c
     WHERE changed
  `.execute(db);
  await sql`INSERT INTO staff_person_changes SELECT id FROM staff_person_values`.execute(db);
  await sql`
    UPDATE people x SET ${setFrom(cols, 'c')}, updated_at = now() FROM staff_person_values c WHERE x.id = c.id
  `.execute(db);
}

/**
 * Count people again once a large batch of them is written, before their assignments are. Each new assignment's
 * foreign key looks its person up by id, planned on people's statistics: on a table recorded as empty while its
 * pages are not (its rows deleted and vacuumed, or autovacuum running while an import was still writing) every
 * index costs the planner the same, and it has picked the name-order index, which holds id third: a scan of the
 * whole index per assignment (9.7 s for 20,000 rows instead of 1.9 s, growing with the square of the rows).
 * ANALYZE sees this transaction's own rows. It holds a lock on people until the import ends that only another
 * ANALYZE, VACUUM or schema change waits for; it comes after every write to people, so the import never waits
 * on another import's rows while holding it (two imports doing this wait in turn rather than deadlock).
 */
export async function countNewPeople(db: Database, ctx: ImportContext, plan: Plan): Promise<void> {
  if (outgrows(plan.newPeople, ctx.peopleRows)) await sql`ANALYZE people (id)`.execute(db);
}

/** Insert new assignments, then update those that differ (new rows first: existing ones may now report to them). */
export async function writeAssignments(db: Database, organisationId: number, present: Present, plan: Plan) {
  const cols = assignmentColumns(present, fromPlan);
  if (plan.newAssignments > 0) {
    await sql`
      INSERT INTO assignments (id, organisation_id, assignment_number, ${sql.join(cols.map((c) => sql.ref(c.name)))})
      OVERRIDING SYSTEM VALUE
      SELECT p.assignment_id, ${organisationId}::int, m.assignment_number, ${sql.join(cols.map((c) => c.value))}
        FROM ${planned(sql`p.assignment_new`)}
       ORDER BY p.assignment_id
    `.execute(db);
  }
  if (plan.changedAssignments === 0) return;
  await sql`
    CREATE TEMP TABLE staff_assignment_values ON COMMIT DROP AS
    SELECT p.assignment_id AS id, ${listOf(cols)} FROM ${planned(sql`p.assignment_changed`)}
  `.execute(db);
  await sql`ANALYZE staff_assignment_values`.execute(db);
  await sql`
    UPDATE assignments a SET ${setFrom(cols, 'c')} FROM staff_assignment_values c WHERE a.id = c.id
  `.execute(db);
}

/** With --complete: open assignments of the organisation that the file no longer lists end today. */
export async function endMissingAssignments(db: Database, organisationId: number, today: string): Promise<number> {
  const result = await sql`
    UPDATE assignments a SET end_date = GREATEST(${today}::date, a.start_date)
     WHERE a.organisation_id = ${organisationId}::int
       AND (a.end_date IS NULL OR a.end_date > ${today}::date)
       AND a.end_date IS DISTINCT FROM GREATEST(${today}::date, a.start_date)
       AND NOT EXISTS (SELECT 1 FROM staff_rows r WHERE r.assignment_number = a.assignment_number)
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Per row of the file: a new assignment, a changed assignment or person, or nothing to do. */
export async function outcomeCounts(db: Database, plan: Plan) {
  // Nothing changed: every row that is not a new assignment is unchanged, without another pass.
  if (plan.changedAssignments === 0 && plan.rowsWithPersonChanges === 0) {
    return { created: plan.newAssignments, updated: 0, unchanged: plan.rows - plan.newAssignments };
  }
  const { rows } = await sql<{ created: number; updated: number; unchanged: number }>`
    SELECT count(*) FILTER (WHERE p.assignment_new)::int AS created,
           count(*) FILTER (WHERE NOT p.assignment_new AND (p.assignment_changed OR c.id IS NOT NULL))::int AS updated,
           count(*) FILTER (WHERE NOT p.assignment_new AND NOT p.assignment_changed AND c.id IS NULL)::int AS unchanged
      FROM staff_plan p
      LEFT JOIN staff_person_changes c ON c.id = p.person_id
  `.execute(db);
  return rows[0];
}

/**
 * After an import that grew people or assignments by more than a fifth, refresh the planner's statistics
 * now rather than when autovacuum gets to it: a next import planned on "the table is nearly empty" would
 * pick nested loops over what are by then hundreds of thousands of rows.
 */
export async function refreshStatistics(
  db: Database,
  ctx: ImportContext,
  created: { people: number; assignments: number },
) {
  // Only the columns imports join and filter on, which also refreshes the row counts: the whole tables take
  // seconds (the name and trigram statistics), and autovacuum's own analyse will follow for the rest.
  if (outgrows(created.people, ctx.peopleRows)) await sql`ANALYZE people (id, staff_number, email)`.execute(db);
  if (outgrows(created.assignments, ctx.assignmentRows)) {
    await sql`
      ANALYZE assignments (id, person_id, organisation_id, assignment_number, line_manager_assignment_id, end_date)
    `.execute(db);
  }
}
