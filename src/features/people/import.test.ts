import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { makeHierarchy } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import type { CommandIO } from '../../command.ts';
import { commands } from './commands.ts';
import { importStaff } from './import.ts';

const deps = await testDeps();
const db = deps.db;
const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwell-staff-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const importCommand = commands.find((c) => c.name === 'import staff')!;

const header =
  'Assignment Number,Employee Number,First Name,Last Name,Email Address,Position Title,Organisation,Staff Group,Pay Band,Contracted WTE,Supervisor Assignment Number,Assignment Start Date,Assignment End Date,Ethnic Origin,Gender';

async function file(name: string, lines: string[]): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, `${lines.join('\n')}\n`);
  return p;
}

/** Run `leadwell import staff` as the CLI would, capturing what it prints. */
async function run(args: string[], values: Record<string, unknown>) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const io: CommandIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: (label, done, total) => progress.push(`${label.trim()} ${done}/${total}`),
  };
  const code = await importCommand.run(deps, { positionals: args, values }, io);
  return { code, out: out.join('\n'), err: err.join('\n'), progress };
}

async function snapshot(orgId: number) {
  const people = await db.selectFrom('people').select(['id', 'updated_at']).orderBy('id').execute();
  const assignments = await db
    .selectFrom('assignments')
    .select(['id', 'assignment_number', 'band', 'line_manager_assignment_id', 'end_date', 'updated_at', 'is_manager'])
    .where('organisation_id', '=', orgId)
    .orderBy('assignment_number')
    .execute();
  const history = await db.selectFrom('assignment_history').select('id').execute();
  return { people, assignments, history: history.length };
}

const good = [
  header,
  '1001-1,5001,Ada,Lovelace,ada.lovelace@nhs.net,Director of Nursing,Nursing,03,Band 9,1.0,,01/04/2020,,A - White - British,Female',
  '1002-1,5002,Mary,Seacole,mary.seacole@nhs.net,Matron,Nursing,Nursing and Midwifery Registered,AfC Band 8a,1,1001-1,2021-06-01,,M - Black or Black British - Caribbean,Female',
  '1003-1,5003,Florence,Nightingale,,Ward Sister,Ward 7,3,7,0.8,1002-1,15/09/2022,,,Female',
  '1004-1,5004,Edward,Jenner,edward.jenner@nhs.net,Data Analyst,Performance,Administrative and Clerical,Band 6,1.00,1001-1,01/01/2023,,,Male',
];

describe('leadwell import staff', async () => {
  const h = await makeHierarchy(db, '71');
  const org = h.trust;
  const other = await makeHierarchy(db, '72');

  it('rejects a file with bad rows, reports each by line, and changes nothing', async () => {
    const before = await snapshot(org.id);
    const bad = await file('bad.csv', [
      header,
      '2001-1,6001,Alan,Turing,alan@nhs.net,Analyst,Data,08,Band 10,1,,01/01/2020,,,',
      '2002-1,6002,,Hopper,grace@nhs.net,Engineer,Data,08,5,2.5,,2020-02-30,,,',
      '2001-1,6003,Dup,Licate,dup@nhs.net,Analyst,Data,08,5,1,,01/01/2020,,,',
      '2004-1,6004,Katherine,Johnson,kj@nhs.net,Mathematician,Data,99,5,1,9999-1,01/01/2020,31/12/2019,,',
      '2005-1,6005,Loop,One,l1@nhs.net,Lead,Data,08,5,1,2006-1,01/01/2020,,,',
      '2006-1,6006,Loop,Two,l2@nhs.net,Lead,Data,08,5,1,2005-1,01/01/2020,,,',
    ]);
    const res = await run([bad], { org: org.code });
    expect(res.code).toBe(1);
    expect(res.out).toBe('');
    expect(res.err).toContain('Nothing was changed');
    expect(res.err).toContain('line 2, Pay Band: "Band 10" is not an Agenda for Change band');
    expect(res.err).toContain('line 3, First Name: First name is missing');
    expect(res.err).toContain('line 3, Contracted WTE: "2.5" is not a whole-time equivalent');
    expect(res.err).toContain('line 3, Assignment Start Date: "2020-02-30" is not a date');
    expect(res.err).toContain('line 4, Assignment Number: assignment number 2001-1 is already on line 2');
    expect(res.err).toContain('line 5, Staff Group: "99" is not a staff group code');
    expect(res.err).toContain(
      'line 5, Assignment End Date: the assignment ends (2019-12-31) before it starts (2020-01-01)',
    );
    expect(res.err).toContain(
      'line 5, Supervisor Assignment Number: supervisor assignment 9999-1 is neither in the file nor an assignment of the organisation',
    );
    expect(res.err).toContain('line 6, Supervisor Assignment Number: line-management cycle: 2005-1 → 2006-1 → 2005-1');
    expect(res.err).toContain('line 7, Supervisor Assignment Number: line-management cycle');
    expect(await snapshot(org.id)).toEqual(before);
    const record = await db
      .selectFrom('staff_imports')
      .select(['status', 'error_count', 'errors', 'rows_total'])
      .where('organisation_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ status: 'rejected', error_count: 10, rows_total: 6 });
    expect((record.errors as { line: number }[])[0].line).toBe(2);
  });

  it('rejects a header without the required columns at line 1', async () => {
    const p = await file('header.csv', ['Employee Number,First Name', '1,Ann']);
    const res = await run([p], { org: org.code });
    expect(res.code).toBe(1);
    expect(res.err).toContain('line 1: no column for Assignment number (required)');
    expect(res.err).toContain('line 1: no column for Last name (required)');
  });

  it('applies a good file in one go: people, assignments, teams, line managers and manager flags', async () => {
    const p = await file('good.csv', good);
    const res = await run([p], { org: org.code });
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toContain('Imported: 4 rows.');
    expect(res.out).toMatch(/created: +4/);
    expect(res.progress.at(-1)).toBe('Applying 6/6');
    const rows = await db
      .selectFrom('assignments as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .leftJoin('teams as t', 't.id', 'a.team_id')
      .leftJoin('assignments as m', 'm.id', 'a.line_manager_assignment_id')
      .select([
        'a.assignment_number',
        'p.staff_number',
        'p.email',
        'p.ethnicity',
        'a.band',
        'a.staff_group',
        'a.wte',
        'a.start_date',
        'a.is_manager',
        'a.managed_by_import',
        't.name as team',
        'm.assignment_number as manager',
      ])
      .where('a.organisation_id', '=', org.id)
      .orderBy('a.assignment_number')
      .execute();
    expect(rows).toEqual([
      expect.objectContaining({
        assignment_number: '1001-1',
        staff_number: '5001',
        band: '9',
        staff_group: '03',
        is_manager: true,
        manager: null,
        team: 'Nursing',
        managed_by_import: true,
        ethnicity: 'A - White - British',
      }),
      expect.objectContaining({ assignment_number: '1002-1', band: '8a', is_manager: true, manager: '1001-1' }),
      expect.objectContaining({
        assignment_number: '1003-1',
        band: '7',
        staff_group: '03',
        wte: '0.80',
        start_date: '2022-09-15',
        is_manager: false,
        manager: '1002-1',
        email: null,
        team: 'Ward 7',
      }),
      expect.objectContaining({ assignment_number: '1004-1', staff_group: '08', band: '6', manager: '1001-1' }),
    ]);
    const teams = await db.selectFrom('teams').select('name').where('organisation_id', '=', org.id).execute();
    expect(teams.map((t) => t.name).sort()).toEqual(['Nursing', 'Performance', 'Ward 7']);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'organisation_id', 'actor_label', 'details'])
      .where('action', '=', 'staff.import')
      .where('organisation_id', '=', org.id)
      .execute();
    expect(audit.some((a) => (a.details as { status: string }).status === 'applied')).toBe(true);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await snapshot(org.id);
    const res = await run([await file('good.csv', good)], { org: org.code });
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/created: +0/);
    expect(res.out).toMatch(/updated: +0/);
    expect(res.out).toMatch(/unchanged: +4/);
    expect(await snapshot(org.id)).toEqual(before);
    const teams = await db.selectFrom('teams').select('id').where('organisation_id', '=', org.id).execute();
    expect(teams).toHaveLength(3);
  });

  it('records a change of band and of line manager in the assignment history', async () => {
    const changed = good.map((l) => (l.startsWith('1003-1') ? l.replace(',7,0.8,1002-1,', ',Band 8b,0.8,1004-1,') : l));
    const res = await run([await file('changed.csv', changed)], { org: org.code });
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/updated: +3/); // 1003-1 itself, 1002-1 and 1004-1 (who manages now changed)
    const a = await db
      .selectFrom('assignments')
      .select(['id', 'band', 'line_manager_assignment_id'])
      .where('organisation_id', '=', org.id)
      .where('assignment_number', '=', '1003-1')
      .executeTakeFirstOrThrow();
    const history = await db
      .selectFrom('assignment_history')
      .select('previous')
      .where('assignment_id', '=', a.id)
      .execute();
    expect(history).toHaveLength(1);
    const manager = await db
      .selectFrom('assignments')
      .select(['id', 'is_manager'])
      .where('organisation_id', '=', org.id)
      .where('assignment_number', 'in', ['1002-1', '1004-1'])
      .orderBy('assignment_number')
      .execute();
    expect(history[0].previous).toMatchObject({ band: '7', line_manager_assignment_id: manager[0].id });
    expect(a).toMatchObject({ band: '8b', line_manager_assignment_id: manager[1].id });
    expect(manager.map((m) => m.is_manager)).toEqual([false, true]);
  });

  it('with --complete ends the open assignments the file leaves out', async () => {
    const partial = good.filter((l) => !l.startsWith('1004-1'));
    const dry = await run([await file('partial.csv', partial)], { org: org.code, complete: true, 'dry-run': true });
    expect(dry.out).toContain('Checked (dry run, nothing changed)');
    expect(dry.out).toMatch(/ended: +1/);
    const still = await db
      .selectFrom('assignments')
      .select('end_date')
      .where('assignment_number', '=', '1004-1')
      .executeTakeFirstOrThrow();
    expect(still.end_date).toBeNull();

    const res = await run([await file('partial.csv', partial)], { org: org.code, complete: true });
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/ended: +1/);
    const ended = await db
      .selectFrom('assignments')
      .select('end_date')
      .where('assignment_number', '=', '1004-1')
      .executeTakeFirstOrThrow();
    expect(ended.end_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reads other column names through --map', async () => {
    const p = await file('mapped.csv', [
      'Asg,Emp No,Forename,Family,Job,Dept,Grade,Starts',
      '3001-1,7001,Rosalind,Franklin,Researcher,Lab,Band 8c,01/10/2020',
    ]);
    const res = await run([p], {
      org: other.trust.code,
      map: 'Asg=assignment_number, Emp No=staff_number,Family=family_name,Job=position_title,Starts=start_date',
    });
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const row = await db
      .selectFrom('assignments as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['p.given_name', 'p.family_name', 'p.staff_number', 'a.position_title', 'a.band', 'a.start_date'])
      .where('a.assignment_number', '=', '3001-1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      given_name: 'Rosalind',
      family_name: 'Franklin',
      staff_number: '7001',
      position_title: 'Researcher',
      band: '8c',
      start_date: '2020-10-01',
    });
  });

  it('records a rejected file even with a pool of one connection', async () => {
    const small = await testDeps({ DATABASE_POOL_SIZE: '1' });
    const { trust } = await makeHierarchy(small.db, '73');
    const p = await file('one.csv', [header, '4001-1,8001,A,B,,Job,Team,08,Band 99,1,,01/01/2020,,,']);
    const io: CommandIO = { out: () => {}, err: () => {}, progress: () => {} };
    expect(await importCommand.run(small, { positionals: [p], values: { org: trust.code } }, io)).toBe(1);
    const record = await small.db
      .selectFrom('staff_imports')
      .select(['status', 'error_count'])
      .executeTakeFirstOrThrow();
    expect(record).toEqual({ status: 'rejected', error_count: 1 });
  });

  it('counts a large batch of new people before writing their assignments', async () => {
    // Each assignment's foreign-key check looks its person up by id, planned on people's statistics; a table
    // recorded as far smaller than it now is can be planned onto an index that holds id third (see
    // writePeople). ANALYZE updates the row count in place, so even a dry run leaves it behind.
    const reltuples = async () =>
      (await sql<{ n: number }>`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'people'::regclass`.execute(db))
        .rows[0].n;
    const peopleBefore = await db
      .selectFrom('people')
      .select(db.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(await reltuples()).toBeLessThan(1200);
    const rows = Array.from(
      { length: 1200 },
      (_, i) => `${9000 + i}-1,${90000 + i},Bulk,Person${i},,Porter,Estates,09,Band 2,1,,01/04/2024,,,`,
    );
    const res = await run([await file('bulk.csv', [header, ...rows])], { org: org.code, 'dry-run': true });
    expect(res.out).toContain('Checked (dry run, nothing changed)');
    expect(await reltuples()).toBeGreaterThanOrEqual(1200);
    expect(await db.selectFrom('people').select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).toEqual(
      peopleBefore,
    );
  });

  it('reads names whole: characters split between chunks, and files saved as Windows-1252', async () => {
    const row = (n: number, given: string, family: string) =>
      `${7000 + n}-1,${70000 + n},${given},${family},,Nurse,Ward 9,03,5,1,,01/04/2024,,,`;
    const utf8 = Buffer.from(
      `${[header, row(1, 'Zoë', 'Ó Súilleabháin'), row(2, 'Siân', 'Łukasiewicz')].join('\n')}\n`,
    );
    // An upload arrives in chunks of any size: three bytes cut most of these characters in two.
    const chunks = Array.from({ length: Math.ceil(utf8.length / 3) }, (_, i) => utf8.subarray(i * 3, i * 3 + 3));
    const report = await importStaff(deps, {
      organisation: org,
      source: Readable.from(chunks),
      filename: 'names.csv',
      mapping: [],
      actor: { label: 'test' },
    });
    expect(report.status).toBe('applied');
    expect(report.encoding).toBe('utf-8');
    // "Seán Müller" as Excel's "CSV" saves it on Windows (á = 0xE1, ü = 0xFC).
    const latin = path.join(dir, 'latin.csv');
    await writeFile(latin, Buffer.from(`${[header, row(3, 'Se\u00e1n', 'M\u00fcller')].join('\n')}\n`, 'latin1'));
    const latinRun = await run([latin], { org: org.code });
    expect(latinRun.code).toBe(0);
    expect(latinRun.out).toContain('Read as Windows-1252 (the plain "CSV" that Excel saves on Windows).');
    // The import's record keeps how each file was read, for its report page.
    const recorded = await db
      .selectFrom('staff_imports')
      .select(['filename', 'encoding'])
      .where('filename', 'in', ['names.csv', 'latin.csv'])
      .orderBy('id')
      .execute();
    expect(recorded).toEqual([
      { filename: 'names.csv', encoding: 'utf-8' },
      { filename: 'latin.csv', encoding: 'windows-1252' },
    ]);
    const stored = await db
      .selectFrom('people')
      .select(['given_name', 'family_name'])
      .where('staff_number', 'in', ['70001', '70002', '70003'])
      .orderBy('staff_number')
      .execute();
    expect(stored).toEqual([
      { given_name: 'Zoë', family_name: 'Ó Súilleabháin' },
      { given_name: 'Siân', family_name: 'Łukasiewicz' },
      { given_name: 'Seán', family_name: 'Müller' },
    ]);
    // UTF-8 that turns into something else part way cannot be read both ways: the row is reported, not guessed.
    const mixed = path.join(dir, 'mixed.csv');
    await writeFile(
      mixed,
      Buffer.concat([
        Buffer.from(`${[header, row(4, 'Zoë', 'Smith')].join('\n')}\n`),
        Buffer.from(`${row(5, 'Se\u00e1n', 'Byrne')}\n`, 'latin1'),
      ]),
    );
    const res = await run([mixed], { org: org.code });
    expect(res.code).toBe(1);
    expect(res.err).toContain('line 3, First Name: First name holds characters that could not be read');
    expect(res.err).toContain('Read as UTF-8.');
  });

  it('says where the column names are when a title line comes before them', async () => {
    const titled = path.join(dir, 'titled.csv');
    await writeFile(titled, `Staff in post at 27/11/2026\n\n${header}\n`);
    const res = await run([titled], { org: org.code });
    expect(res.code).toBe(1);
    expect(res.err).toContain(
      "line 1: the column names must be on the first line, and they are on line 3: delete the 2 lines above them (a report's title, for example) and try again",
    );
    expect(res.err).not.toContain('no column for');
  });

  it('reads a semicolon-separated file with decimal commas and Oracle dates, as other settings save them', async () => {
    const semi = await file('semicolons.csv', [
      header.replaceAll(',', ';'),
      '6001-1;60001;Ines;Garcia;;Ward Sister;Ward 6;03;6;0,80;;01-APR-2024;;;',
    ]);
    expect((await run([semi], { org: org.code })).code).toBe(0);
    const stored = await db
      .selectFrom('assignments')
      .select(['wte', 'start_date', 'position_title'])
      .where('organisation_id', '=', org.id)
      .where('assignment_number', '=', '6001-1')
      .executeTakeFirstOrThrow();
    expect({ ...stored, start_date: String(stored.start_date) }).toEqual({
      wte: '0.80',
      start_date: '2024-04-01',
      position_title: 'Ward Sister',
    });
  });

  it('explains wrong usage', async () => {
    await expect(run([], { org: org.code })).rejects.toThrow('Give exactly one FILE');
    await expect(run([path.join(dir, 'good.csv')], {})).rejects.toThrow('--org CODE is required');
    await expect(run([path.join(dir, 'good.csv')], { org: 'ZZZ9' })).rejects.toThrow(
      'No organisation with the ODS code ZZZ9',
    );
    await expect(run([path.join(dir, 'good.csv')], { org: org.code, map: 'X=nonsense' })).rejects.toThrow(
      '"nonsense" is not a field we import',
    );
    await expect(run([path.join(dir, 'missing.csv')], { org: org.code })).rejects.toThrow('No such file:');
    await expect(run([dir], { org: org.code })).rejects.toThrow(`${dir} is a folder, not a file`);
  });
});
