import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { commands } from './commands.ts';
import { parseImport } from './import.ts';
import { recordsOf } from './queries.ts';
import { uploadCsv } from './testing.ts';

const ctx = await testApp();
const db = ctx.deps.db;
const { trust } = await makeHierarchy(db, '82');
const { trust: elsewhere } = await makeHierarchy(db, '83');
const me = await makePerson(db, { orgId: trust.id, given: 'Imogen', family: 'Importer' });
const colleague = await makePerson(db, { orgId: trust.id, email: 'colleague@trust.nhs.uk' });
const outsider = await makePerson(db, { orgId: elsewhere.id });
const myAccount = await makeAccount(db, { personId: me.id });
const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
const staffNumber = async (id: number) =>
  (await db.selectFrom('people').select('staff_number').where('id', '=', id).executeTakeFirstOrThrow()).staff_number!;

describe('parseImport', () => {
  it('checks every row and reports each problem with its line number', () => {
    const { rows, errors } = parseImport(
      [
        'title,provider,completed_on,outcome,hours,mandatory',
        'Coaching skills,Local college,2023-05-02,passed,12,no',
        ',Nobody,2023-05-02,,,',
        'QI basics,,31/02/2024,,,',
        'Future course,,2099-01-01,,,',
        'Odd outcome,,2023-01-01,maybe,-1,perhaps',
      ].join('\n'),
      'self',
      '2025-01-01',
    );
    expect(rows.map((r) => r.title)).toEqual(['Coaching skills']);
    expect(errors).toEqual([
      { line: 3, message: 'Enter a title' },
      { line: 4, message: 'The completion date "31/02/2024" is not a real date: write it as 2024-03-31 or 31/03/2024' },
      { line: 5, message: 'The completion date 2099-01-01 is in the future' },
      { line: 6, message: 'The outcome "maybe" must be completed, passed, failed or attended' },
      { line: 6, message: 'The hours "-1" must be a number from 0 to 10,000' },
      { line: 6, message: 'Mandatory "perhaps" must be yes or no' },
    ]);
  });

  it('needs the title and date columns, and a person column for an organisation', () => {
    expect(parseImport('name,when\nA,2020-01-01', 'organisation', '2025-01-01').errors.map((e) => e.message)).toEqual([
      'Unknown column "name": see the import format on this page',
      'The file has no title column',
      'The file has no completed_on column',
      'The file needs a staff_number or an email column to say whose learning each row is',
    ]);
  });
});

describe('importing your own prior learning', () => {
  it('applies nothing when a row is bad, then everything once fixed, and a repeat updates rather than duplicates', async () => {
    const client = await signedIn(ctx, myAccount.id);
    const bad =
      'title,provider,completed_on,hours\nCoaching skills,Local college,2023-05-02,12\nQI basics,,2023-13-01,3\n';
    const rejected = await uploadCsv(ctx, client, '/me/learning/import', 'prior.csv', bad);
    expect(rejected.statusCode).toBe(400);
    expect(rejected.body).toContain('Line 3: The completion date');
    expect(rejected.body).toContain('Nothing was imported');
    expect(await recordsOf(db, me.id)).toHaveLength(0);

    const good = bad.replace('2023-13-01', '2023-12-01');
    const applied = await uploadCsv(ctx, client, '/me/learning/import', 'prior.csv', good);
    expect(applied.statusCode).toBe(303);
    expect(applied.headers.location).toBe('/me/learning');
    const page = await client.get('/me/learning');
    expect(page.body).toContain('2 records imported (2 new, 0 updated)');
    expect(page.body).toContain('QI basics');

    const again = await uploadCsv(ctx, client, '/me/learning/import', 'prior.csv', good.replace(',12', ',14'));
    expect(again.statusCode).toBe(303);
    const records = await recordsOf(db, me.id);
    expect(records.map((r) => [r.title, r.hours, r.source])).toEqual([
      ['QI basics', 3, 'import'],
      ['Coaching skills', 14, 'import'],
    ]);
    const audits = await db.selectFrom('audit_log').select('action').where('person_id', '=', me.id).execute();
    expect(audits.filter((a) => a.action === 'learning.import')).toHaveLength(2);
  });

  it('asks for a file', async () => {
    const client = await signedIn(ctx, myAccount.id);
    const res = await uploadCsv(ctx, client, '/me/learning/import', 'empty.csv', '');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select a CSV file to import');
  });
});

describe('importing learning for the staff of an organisation', () => {
  it('matches staff by staff number or email, only current staff of that organisation', async () => {
    const client = await signedIn(ctx, admin.id);
    const url = `/organisations/${trust.code}/learning-import`;
    expect((await client.get(url)).statusCode).toBe(200);
    const mine = await staffNumber(me.id);
    const theirs = await staffNumber(outsider.id);
    const csv = [
      'staff_number,email,title,completed_on,mandatory',
      `${mine},,Safeguarding level 3,2024-02-02,yes`,
      ',COLLEAGUE@trust.nhs.uk,Edward Jenner,2024-03-03,no',
      `${theirs},,Stolen record,2024-03-03,no`,
    ].join('\n');
    const rejected = await uploadCsv(ctx, client, url, 'staff.csv', csv);
    expect(rejected.statusCode).toBe(400);
    expect(rejected.body).toContain(`No current member of staff has the staff number ${theirs}`);
    expect(await recordsOf(db, colleague.id)).toHaveLength(0);

    const fixed = csv.split('\n').slice(0, 3).join('\n');
    const applied = await uploadCsv(ctx, client, url, 'staff.csv', fixed);
    expect(applied.statusCode).toBe(303);
    expect((await recordsOf(db, colleague.id)).map((r) => r.title)).toEqual(['Edward Jenner']);
    expect((await recordsOf(db, me.id)).find((r) => r.title === 'Safeguarding level 3')?.mandatory).toBe(true);
    expect((await (await signedIn(ctx, myAccount.id)).get(url)).statusCode).toBe(403);
  });

  it('runs from the command line', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const os = await import('node:os');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'learning-'));
    const file = path.join(dir, 'staff.csv');
    await writeFile(
      file,
      'email,title,completed_on\ncolleague@trust.nhs.uk,Rosalind Franklin,2024-09-09\nnobody@x.nhs.uk,X,2024-01-01\n',
    );
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), progress: () => {} };
    const command = commands.find((c) => c.name === 'learning import')!;
    expect(await command.run(ctx.deps, { values: { organisation: trust.code }, positionals: [file] }, io)).toBe(1);
    expect(err).toContain('staff.csv line 3: No current member of staff has the email address nobody@x.nhs.uk');
    await writeFile(file, 'email,title,completed_on\ncolleague@trust.nhs.uk,Rosalind Franklin,2024-09-09\n');
    expect(await command.run(ctx.deps, { values: { organisation: trust.code }, positionals: [file] }, io)).toBe(0);
    expect(out.at(-1)).toContain('Imported 1 record(s) for 1 people');
    expect((await recordsOf(db, colleague.id)).map((r) => r.title)).toContain('Rosalind Franklin');
  });
});
