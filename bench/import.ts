// Staff import throughput against PostgreSQL COPY of the same file into an unindexed table (goal: within 2×).
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Deps } from '../src/deps.ts';
import { importStaff } from '../src/features/people/import.ts';
import { onConnection, raiseTempBuffers } from '../src/features/people/import-queries.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 150_000);
const header = [
  'Assignment Number',
  'Employee Number',
  'First Name',
  'Last Name',
  'Email Address',
  'Position Title',
  'Organisation',
  'Staff Group',
  'Pay Band',
  'Contracted WTE',
  'Supervisor Assignment Number',
  'Assignment Start Date',
  'Ethnic Origin',
  'Disability',
  'Gender',
  'Age Band',
];
const given = ['Amelia', 'Mohammed', 'Olivia', 'Oliver', 'Priya', 'Kwame', 'Siobhan', 'Tomasz', 'Grace', 'Arjun'];
const family = ['Smith', 'Khan', 'Jones', 'Patel', 'Williams', 'Okafor', 'Brown', 'Nowak', 'Taylor', 'Begum'];
const groups = ['03', '07', '08', '01', '04', '05', '09'];
const bands = ['2', '3', '4', '5', '6', '7', '8a'];

async function writeFile(file: string, rows: number) {
  const out = createWriteStream(file);
  out.write(`${header.join(',')}\n`);
  for (let i = 0; i < rows; i++) {
    const n = String(i + 1).padStart(8, '0');
    // A reporting tree ten wide: row i reports to row (i - 1) / 10.
    const supervisor = i === 0 ? '' : `${String(Math.floor((i - 1) / 10) + 1).padStart(8, '0')}-1`;
    const line = [
      `${n}-1`,
      `BEN${n}`,
      given[i % 10],
      family[(i * 7) % 10],
      `bench.${n}@bench.nhs.example`,
      i % 10 === 0 ? 'Team Manager' : 'Staff Nurse',
      `Department ${i % 50}`,
      groups[i % groups.length],
      bands[i % bands.length],
      i % 5 === 0 ? '0.60' : '1.00',
      supervisor,
      `${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/20${10 + (i % 15)}`,
      i % 4 === 0 ? 'H - Asian or Asian British - Indian' : 'A - White - British',
      i % 25 === 0 ? 'Yes' : 'No',
      i % 3 === 0 ? 'Male' : 'Female',
      '36-40',
    ].join(',');
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error) => (err ? reject(err) : resolve())));
}

export async function benchImport(deps: Deps, outDir: string, log: (m: string) => void) {
  const file = path.join(outDir, `staff-${ROWS}.csv`);
  await writeFile(file, ROWS);
  log(`Staff import: ${ROWS.toLocaleString('en-GB')} rows in ${file}`);

  // Baseline: COPY the same file into a table with the same columns and no index.
  const client = await deps.pool.connect();
  let copySeconds: number;
  try {
    await client.query('DROP TABLE IF EXISTS bench_copy_baseline');
    await client.query(`CREATE TABLE bench_copy_baseline (${header.map((_, i) => `c${i} text`).join(', ')})`);
    const t0 = performance.now();
    await pipeline(
      createReadStream(file),
      client.query(copyFrom('COPY bench_copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    copySeconds = (performance.now() - t0) / 1000;
    await client.query('DROP TABLE bench_copy_baseline');
  } finally {
    client.release();
  }

  const org = await deps.db
    .insertInto('organisations')
    .values({ code: 'ZZBENCH', name: 'Benchmark Trust', kind: 'trust', source: 'bench' })
    .onConflict((oc) => oc.column('code').doUpdateSet({ name: 'Benchmark Trust' }))
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow();
  await removeBenchRows(deps, org.id);

  const run = async () => {
    const t0 = performance.now();
    const report = await importStaff(deps, {
      organisation: org,
      source: createReadStream(file),
      filename: path.basename(file),
      mapping: [],
      actor: { label: 'npm run bench' },
      expectedRows: ROWS,
    });
    return { seconds: (performance.now() - t0) / 1000, report };
  };
  const first = await run();
  if (first.report.status !== 'applied')
    throw new Error(`bench import rejected: ${JSON.stringify(first.report.errors.slice(0, 5))}`);
  const again = await run();
  const reimportFloor = await compareFloor(deps, org.id, file);
  const split = await splitFloor(file);
  const floor = await copyFloor(deps, org.id);
  await removeBenchRows(deps, org.id);

  const result = {
    rows: ROWS,
    copySeconds: round(copySeconds),
    importSeconds: round(first.seconds),
    reimportSeconds: round(again.seconds),
    ratio: round(first.seconds / copySeconds),
    rowsPerSecond: Math.round(ROWS / first.seconds),
    reimportRatio: round(again.seconds / copySeconds),
    created: first.report.created,
    unchangedOnReimport: again.report.unchanged,
    reimportFloorSeconds: round(reimportFloor),
    reimportFloorRatio: round(reimportFloor / copySeconds),
    reimportToFloor: round(again.seconds / reimportFloor),
    floorSeconds: round(floor.people + floor.assignments),
    floorPeopleSeconds: round(floor.people),
    floorAssignmentsSeconds: round(floor.assignments),
    importToFloor: round(first.seconds / (floor.people + floor.assignments)),
    splitSeconds: round(split),
    splitRatio: round(split / copySeconds),
    bareTablesSeconds: round(floor.bare),
    bareTablesRatio: round(floor.bare / copySeconds),
    keyedTablesSeconds: round(floor.keyed),
    keyedTablesRatio: round(floor.keyed / copySeconds),
  };
  log(
    `COPY baseline ${result.copySeconds} s; import ${result.importSeconds} s (${result.ratio}× COPY, ${result.rowsPerSecond.toLocaleString('en-GB')} rows/s); re-import of the same file ${result.reimportSeconds} s (${result.reimportRatio}× COPY, ${result.unchangedOnReimport} unchanged)`,
  );
  log(
    `Floor for a re-import: the file COPYed into a temporary table and compared with what is stored, no checks = ${result.reimportFloorSeconds} s (${result.reimportFloorRatio}× COPY); the re-import takes ${result.reimportToFloor}× that`,
  );
  log(
    `Floor for a first import: the same rows COPYed into people (${result.floorPeopleSeconds} s) and assignments (${result.floorAssignmentsSeconds} s) with their indexes, keys and triggers = ${result.floorSeconds} s; the import takes ${result.importToFloor}× that`,
  );
  log(
    `Reading the file in Node and splitting it at every newline and comma, nothing else = ${result.splitSeconds} s (${result.splitRatio}× COPY)`,
  );
  log(
    `The same rows COPYed into bare copies of the two tables (no index, key, foreign key or trigger) = ${result.bareTablesSeconds} s (${result.bareTablesRatio}× COPY); with only the keys an import matches on = ${result.keyedTablesSeconds} s (${result.keyedTablesRatio}× COPY)`,
  );
  return result;
}

/**
 * The floor under a re-import of an unchanged file: the file COPYed into a temporary table (the baseline's
 * own work), then one set-based comparison of every value a re-import must compare (the assignment, its
 * person, team and line manager, and whether it manages anyone) with what is stored, rendered as the
 * benchmark file writes them. It checks no cell, parses no date and resolves nothing, so it is cheaper than any
 * correct import; it must find every row unchanged, or it did not compare the same things.
 */
async function compareFloor(deps: Deps, orgId: number, file: string): Promise<number> {
  const client = await deps.pool.connect();
  const cols = header.map((_, i) => `c${i}`);
  const c = Object.fromEntries(header.map((h, i) => [h, `r.c${i}`]));
  try {
    await client.query('BEGIN');
    // The import's own settings for its transaction (import-queries.ts beginImport); a connection whose
    // temp_buffers grew is closed afterwards, as the import closes its own.
    await client.query("SET LOCAL work_mem = '64MB'");
    await raiseTempBuffers(onConnection(client));
    const t0 = performance.now();
    await client.query(`CREATE TEMP TABLE bench_file (${cols.map((x) => `${x} text`).join(', ')}) ON COMMIT DROP`);
    await pipeline(
      createReadStream(file),
      client.query(copyFrom('COPY bench_file FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    const { rows } = await client.query<{ missing: number; changed: number }>(
      `SELECT count(*) FILTER (WHERE a.assignment_number IS NULL)::int AS missing,
              count(*) FILTER (WHERE a.assignment_number IS NOT NULL AND
                (a.staff_number, a.given_name, a.family_name, a.email, a.position_title, a.team, a.staff_group,
                 a.band, a.wte, a.manager, a.start_date, a.ethnicity, a.disability, a.sex, a.age_band, a.is_manager)
                IS DISTINCT FROM
                (${c['Employee Number']}, ${c['First Name']}, ${c['Last Name']}, ${c['Email Address']},
                 ${c['Position Title']}, ${c.Organisation}, ${c['Staff Group']}, ${c['Pay Band']},
                 ${c['Contracted WTE']}, nullif(${c['Supervisor Assignment Number']}, ''),
                 ${c['Assignment Start Date']}, ${c['Ethnic Origin']}, ${c.Disability}, ${c.Gender},
                 ${c['Age Band']}, rep.manager IS NOT NULL))::int AS changed
         FROM bench_file r
         LEFT JOIN (
           SELECT a.assignment_number, p.staff_number, p.given_name, p.family_name, p.email, a.position_title,
                  t.name AS team, a.staff_group, a.band, to_char(a.wte, 'FM0.00') AS wte,
                  m.assignment_number AS manager, to_char(a.start_date, 'DD/MM/YYYY') AS start_date,
                  p.ethnicity, p.disability, p.sex, p.age_band, a.is_manager
             FROM assignments a
             JOIN people p ON p.id = a.person_id
             LEFT JOIN teams t ON t.id = a.team_id
             LEFT JOIN assignments m ON m.id = a.line_manager_assignment_id
            WHERE a.organisation_id = $1
         ) a ON a.assignment_number = ${c['Assignment Number']}
         LEFT JOIN (SELECT DISTINCT ${c['Supervisor Assignment Number']} AS manager FROM bench_file r) rep
                ON rep.manager = ${c['Assignment Number']}`,
      [orgId],
    );
    const seconds = (performance.now() - t0) / 1000;
    await client.query('ROLLBACK');
    if (rows[0].missing !== 0 || rows[0].changed !== 0) {
      throw new Error(`the re-import floor found ${rows[0].missing} missing and ${rows[0].changed} changed rows`);
    }
    return seconds;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release(true);
  }
}

/**
 * The least any reading of the file in Node can cost: decoded and split at every newline and comma, with no
 * quoting, no check and nothing kept but a count (wrong for quoted cells, so only a lower bound).
 */
async function splitFloor(file: string): Promise<number> {
  const t0 = performance.now();
  let cells = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) cells += line.split(',').length;
  }
  if (rest) cells += rest.split(',').length;
  const seconds = (performance.now() - t0) / 1000;
  if (cells !== (ROWS + 1) * header.length) throw new Error(`the split floor found ${cells} cells`);
  return seconds;
}

// The columns a first import writes (everything else keeps its default), in the order COPY takes them.
const floorColumns = {
  people: 'id, staff_number, given_name, family_name, email, ethnicity, disability, sex, age_band',
  assignments:
    'id, person_id, organisation_id, assignment_number, team_id, position_title, band, staff_group, wte, line_manager_assignment_id, is_manager, start_date, managed_by_import',
};

/**
 * The floor under a first import: the rows it created, already resolved (ids, teams, line managers), taken
 * out and COPYed straight back into people and assignments with all their indexes, foreign keys and
 * triggers, in one transaction. No import can write them faster; what it takes beyond this is its own.
 */
async function copyFloor(deps: Deps, orgId: number) {
  const client = await deps.pool.connect();
  try {
    const people = await copyOut(
      client,
      `SELECT ${floorColumns.people} FROM people WHERE id IN (SELECT person_id FROM assignments WHERE organisation_id = ${orgId}) ORDER BY id`,
    );
    // Line managers come before their reports (lower ids) in the benchmark file, so the self-reference holds row by row.
    const assignments = await copyOut(
      client,
      `SELECT ${floorColumns.assignments} FROM assignments WHERE organisation_id = ${orgId} ORDER BY id`,
    );
    const bare = await bareFloor(client, people, assignments, false);
    const keyed = await bareFloor(client, people, assignments, true);
    await removeBenchRows(deps, orgId, { keepTeams: true });
    await client.query('BEGIN');
    const t0 = performance.now();
    await pipeline(Readable.from(people), client.query(copyFrom(`COPY people (${floorColumns.people}) FROM STDIN`)));
    const t1 = performance.now();
    await pipeline(
      Readable.from(assignments),
      client.query(copyFrom(`COPY assignments (${floorColumns.assignments}) FROM STDIN`)),
    );
    await client.query('COMMIT');
    const t2 = performance.now();
    return { people: (t1 - t0) / 1000, assignments: (t2 - t1) / 1000, bare, keyed };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The same rows COPYed into copies of people and assignments with their columns, defaults and checks but no
 * index, foreign key or trigger (`keys` false), or with only the keys an import matches rows on: the ids,
 * the employee number, and the organisation's assignment number (`keys` true). Shows what storing a file's
 * rows in two tables costs before any of the indexes the features read them through.
 */
async function bareFloor(client: PoolClient, people: Buffer[], assignments: Buffer[], keys: boolean) {
  const tables = { people: 'bench_bare_people', assignments: 'bench_bare_assignments' };
  await client.query(`DROP TABLE IF EXISTS ${tables.people}, ${tables.assignments}`);
  await client.query(`CREATE TABLE ${tables.people} (LIKE people INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  await client.query(`CREATE TABLE ${tables.assignments} (LIKE assignments INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  if (keys) {
    await client.query(`ALTER TABLE ${tables.people} ADD PRIMARY KEY (id), ADD UNIQUE (staff_number)`);
    await client.query(
      `ALTER TABLE ${tables.assignments} ADD PRIMARY KEY (id), ADD UNIQUE (organisation_id, assignment_number)`,
    );
  }
  try {
    const t0 = performance.now();
    await client.query('BEGIN');
    await pipeline(
      Readable.from(people),
      client.query(copyFrom(`COPY ${tables.people} (${floorColumns.people}) FROM STDIN`)),
    );
    await pipeline(
      Readable.from(assignments),
      client.query(copyFrom(`COPY ${tables.assignments} (${floorColumns.assignments}) FROM STDIN`)),
    );
    await client.query('COMMIT');
    return (performance.now() - t0) / 1000;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${tables.people}, ${tables.assignments}`);
  }
}

async function copyOut(client: PoolClient, query: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await pipeline(client.query(copyTo(`COPY (${query}) TO STDOUT`)), collect);
  return chunks;
}

async function removeBenchRows(deps: Deps, orgId: number, opts: { keepTeams?: boolean } = {}) {
  // Deleting a person checks each table that refers to people, planned on those tables' statistics. On a
  // throwaway database whose bench rows were deleted and vacuumed before the last import, they record no
  // rows: every index then costs the same, and a check could be planned onto one that holds person_id
  // second (a scan of the whole index per person deleted). Counting the rows there are now prevents that.
  await sql`ANALYZE people (id)`.execute(deps.db);
  await sql`ANALYZE assignments (person_id)`.execute(deps.db);
  // Every person the benchmark file creates has an employee number starting BEN.
  await deps.db.transaction().execute(async (trx) => {
    const assignments = trx.selectFrom('assignments').select('id').where('organisation_id', '=', orgId);
    // Clearing line managers fires the history trigger, so the history goes after it.
    await trx
      .updateTable('assignments')
      .set({ line_manager_assignment_id: null })
      .where('organisation_id', '=', orgId)
      .execute();
    await trx.deleteFrom('assignment_history').where('assignment_id', 'in', assignments).execute();
    await trx.deleteFrom('assignments').where('organisation_id', '=', orgId).execute();
    await trx.deleteFrom('people').where('staff_number', 'like', 'BEN%').execute();
    if (!opts.keepTeams) await trx.deleteFrom('teams').where('organisation_id', '=', orgId).execute();
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
