import type pg from 'pg';
import type { Database } from '../../db/database.ts';
import type { GrantedRole } from '../../db/schema.ts';

// SQL of the data generator. Reads before the load go through Kysely; everything inside the load's single
// transaction runs on one raw pg client, because COPY needs it and the whole seed must commit or roll back as one.

export interface TrustRow {
  id: number;
  code: string;
  name: string;
  icbId: number | null;
  icbCode: string | null;
  regionId: number | null;
  regionCode: string | null;
}

/** Open trusts with the ICB and region the ODS import placed them in, in code order (the generation order). */
export async function openTrusts(db: Database): Promise<TrustRow[]> {
  return db
    .selectFrom('organisations as t')
    .leftJoin('organisations as i', 'i.id', 't.icb_id')
    .leftJoin('organisations as r', 'r.id', 't.region_id')
    .select([
      't.id',
      't.code',
      't.name',
      't.icb_id as icbId',
      'i.code as icbCode',
      't.region_id as regionId',
      'r.code as regionCode',
    ])
    .where('t.kind', '=', 'trust')
    .where('t.closed_on', 'is', null)
    .orderBy('t.code')
    .execute();
}

export async function setDemoData(db: Database, on: boolean): Promise<void> {
  if (!on) {
    await db.deleteFrom('app_settings').where('key', '=', 'demo_data').execute();
    return;
  }
  await db
    .insertInto('app_settings')
    .values({ key: 'demo_data', value: JSON.stringify(true) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(true) }))
    .execute();
}

export async function analyse(client: pg.PoolClient): Promise<void> {
  await client.query('ANALYZE people, assignments, teams');
}

export interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

/**
 * Drops every foreign key on or into people, assignments and teams for the load, and re-adds them at the end.
 * Checked row by row they cost three quarters of the assignments COPY (each check locks the referenced row) and
 * most of a reset's deletes; re-adding a key validates all rows in one join. Read from the catalogue, so keys that
 * other features add are handled too. Holds exclusive locks on the tables involved until the seed commits.
 */
export async function dropForeignKeys(client: pg.PoolClient): Promise<ForeignKey[]> {
  const { rows } = await client.query<ForeignKey>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE contype = 'f'
        AND (conrelid IN ('people'::regclass, 'assignments'::regclass, 'teams'::regclass)
          OR confrelid IN ('people'::regclass, 'assignments'::regclass, 'teams'::regclass))
      ORDER BY 1, 2`,
  );
  for (const fk of rows) {
    await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${client.escapeIdentifier(fk.name)}`);
  }
  return rows;
}

/** Re-adds (and so validates) the keys; run ANALYZE first or the planner may validate with nested loops. */
export async function restoreForeignKeys(client: pg.PoolClient, keys: ForeignKey[]): Promise<void> {
  for (const fk of keys) {
    try {
      await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${client.escapeIdentifier(fk.name)} ${fk.definition}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '23503') throw err;
      throw new Error(
        `Rows in ${fk.table} still refer to synthetic data that a reset removes (${fk.name}); nothing was changed. ` +
          'Remove those rows first, or seed a fresh database.',
        { cause: err },
      );
    }
  }
}

/** Keeps other writers of these tables out until the seed commits, so the id ranges we reserve stay ours. */
export async function lockForSeeding(client: pg.PoolClient): Promise<void> {
  await client.query('LOCK TABLE people, assignments, teams, accounts IN SHARE ROW EXCLUSIVE MODE');
}

export async function peopleCounts(client: pg.PoolClient): Promise<{ all: number; synthetic: number }> {
  const { rows } = await client.query<{ all: number; synthetic: number }>(
    'SELECT count(*)::int AS "all", count(*) FILTER (WHERE synthetic)::int AS synthetic FROM people',
  );
  return rows[0];
}

type IdTable = 'people' | 'assignments' | 'teams';

/** The last id used in a table: the larger of its sequence and its rows, so computed ids never collide. */
export async function lastId(client: pg.PoolClient, table: IdTable): Promise<number> {
  const { rows } = await client.query<{ last: string }>(
    `SELECT greatest(
       coalesce((SELECT max(id) FROM ${table}), 0),
       coalesce(pg_sequence_last_value(pg_get_serial_sequence('${table}', 'id')::regclass), 0)
     ) AS last`,
  );
  return Number(rows[0].last);
}

/** Moves the identity past the ids the seed wrote, so later inserts continue after them. */
export async function advanceIdentity(client: pg.PoolClient, table: IdTable, last: number): Promise<void> {
  if (last > 0) await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), $1)`, [last]);
}

export interface ResetCounts {
  accounts: number;
  assignments: number;
  teams: number;
  people: number;
}

/**
 * Removes what an earlier seed created: demo accounts (their grants, sessions and tokens cascade), synthetic
 * people with their assignments and assignment history, and synthetic teams. Real rows that point at them are
 * detached first rather than deleted.
 */
/** A single-column foreign key from another feature's table into people, assignments or teams. */
export interface Dependent {
  table: string;
  column: string;
  target: 'people' | 'assignments' | 'teams';
  notNull: boolean;
}

/**
 * Every other table that points at people, assignments or teams (appraisals, assessments, bookings, pulses…),
 * read before the keys are dropped: a reset must clear what those tables say about synthetic people, whichever
 * feature owns them, or the keys cannot be put back.
 */
export async function syntheticDependents(client: pg.PoolClient): Promise<Dependent[]> {
  const { rows } = await client.query<Dependent>(
    `SELECT c.conrelid::regclass::text AS table, a.attname AS column, c.confrelid::regclass::text AS target,
            a.attnotnull AS "notNull"
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
        AND c.confrelid IN ('people'::regclass, 'assignments'::regclass, 'teams'::regclass)
        AND c.conrelid NOT IN ('people'::regclass, 'assignments'::regclass, 'teams'::regclass,
                               'accounts'::regclass, 'assignment_history'::regclass)
      ORDER BY 1, 2`,
  );
  return rows;
}

/**
 * Delete the rows of `table` that match `where`, first clearing what points at them through keys that would
 * refuse the delete: required references are deleted the same way (depth first), optional ones set to null.
 */
async function purge(client: pg.PoolClient, table: string, where: string, depth = 0): Promise<void> {
  if (depth > 6) throw new Error(`Foreign keys into ${table} nest too deeply to clear synthetic data`);
  const { rows } = await client.query<{ table: string; column: string; target: string; notNull: boolean }>(
    `SELECT c.conrelid::regclass::text AS table, a.attname AS column, t.attname AS target, a.attnotnull AS "notNull"
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_attribute t ON t.attrelid = c.confrelid AND t.attnum = c.confkey[1]
      WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.confrelid = $1::regclass
        AND c.confdeltype IN ('a', 'r') AND c.conrelid <> c.confrelid`,
    [table],
  );
  for (const ref of rows) {
    const column = client.escapeIdentifier(ref.column);
    const inDoomed = `${column} IN (SELECT ${client.escapeIdentifier(ref.target)} FROM ${table} WHERE ${where})`;
    if (ref.notNull) await purge(client, ref.table, inDoomed, depth + 1);
    else await client.query(`UPDATE ${ref.table} SET ${column} = NULL WHERE ${inDoomed}`);
  }
  await client.query(`DELETE FROM ${table} WHERE ${where}`);
}

export async function deleteSynthetic(client: pg.PoolClient, dependents: Dependent[] = []): Promise<ResetCounts> {
  const run = async (text: string) => (await client.query(text)).rowCount ?? 0;
  const doomed: Record<Dependent['target'], string> = {
    people: 'SELECT id FROM people WHERE synthetic',
    assignments: 'SELECT a.id FROM assignments a JOIN people p ON p.id = a.person_id WHERE p.synthetic',
    teams: 'SELECT id FROM teams WHERE synthetic',
  };
  // Rows about synthetic people go with them (and the rows that depend on those); an optional reference to a
  // person (an appraiser, an approver) is cleared. A row placed on a synthetic team goes too: clearing its team
  // would widen it to the whole organisation.
  const goes = (d: Dependent) => d.notNull || d.target === 'teams';
  for (const d of dependents.filter(goes)) {
    await purge(client, d.table, `${client.escapeIdentifier(d.column)} IN (${doomed[d.target]})`);
  }
  for (const d of dependents.filter((x) => !goes(x))) {
    const column = client.escapeIdentifier(d.column);
    await run(`UPDATE ${d.table} SET ${column} = NULL WHERE ${column} IN (${doomed[d.target]})`);
  }
  await run('UPDATE role_grants SET created_by = NULL WHERE created_by IN (SELECT id FROM accounts WHERE is_demo)');
  const accounts = await run('DELETE FROM accounts WHERE is_demo');
  await run('UPDATE accounts SET person_id = NULL WHERE person_id IN (SELECT id FROM people WHERE synthetic)');
  await run(`CREATE TEMP TABLE seed_doomed ON COMMIT DROP AS
               SELECT a.id FROM assignments a JOIN people p ON p.id = a.person_id WHERE p.synthetic`);
  await run('ALTER TABLE seed_doomed ADD PRIMARY KEY (id)');
  await run(`UPDATE assignments a SET line_manager_assignment_id = NULL
              WHERE a.line_manager_assignment_id IN (SELECT id FROM seed_doomed)
                AND NOT EXISTS (SELECT 1 FROM seed_doomed d WHERE d.id = a.id)`);
  await run(`UPDATE assignments a SET team_id = NULL
              WHERE a.team_id IN (SELECT id FROM teams WHERE synthetic)
                AND NOT EXISTS (SELECT 1 FROM seed_doomed d WHERE d.id = a.id)`);
  await run(`UPDATE teams SET parent_team_id = NULL
              WHERE NOT synthetic AND parent_team_id IN (SELECT id FROM teams WHERE synthetic)`);
  await run('DELETE FROM assignment_history h USING seed_doomed d WHERE h.assignment_id = d.id');
  const assignments = await run('DELETE FROM assignments a USING seed_doomed d WHERE a.id = d.id');
  const teams = await run('DELETE FROM teams WHERE synthetic');
  const people = await run('DELETE FROM people WHERE synthetic');
  await run('DROP TABLE seed_doomed');
  return { accounts, assignments, teams, people };
}

export interface PersonaInsert {
  displayName: string;
  email: string;
  personId: number | null;
  grant?: { role: GrantedRole; organisationId: number | null };
}

export async function insertPersona(client: pg.PoolClient, p: PersonaInsert): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO accounts (person_id, email, display_name, password_hash, is_demo)
     VALUES ($1, $2, $3, NULL, true) RETURNING id`,
    [p.personId, p.email, p.displayName],
  );
  const id = rows[0].id;
  if (p.grant) {
    await client.query('INSERT INTO role_grants (account_id, role, organisation_id) VALUES ($1, $2, $3)', [
      id,
      p.grant.role,
      p.grant.organisationId,
    ]);
  }
  return id;
}
