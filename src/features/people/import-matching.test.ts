import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeHierarchy, makePerson } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import { importStaff } from './import.ts';

// The import skips steps it can prove have nothing to do (reporting lines outside the file, holders, email
// look-ups). These cases make sure each still runs when it does have something to do.

const deps = await testDeps();
const db = deps.db;
const header =
  'Assignment Number,Employee Number,First Name,Last Name,Email Address,Position Title,Supervisor Assignment Number,Start Date';

function importLines(org: { id: number; code: string }, lines: string[], complete = false) {
  return importStaff(deps, {
    organisation: org,
    source: Readable.from([`${[header, ...lines].join('\n')}\n`]),
    filename: 'staff.csv',
    mapping: [],
    complete,
    actor: { label: 'test' },
  });
}

describe('staff import: steps skipped only when they have nothing to do', async () => {
  const { trust } = await makeHierarchy(db, '74');

  it('follows the reporting lines of assignments a partial file leaves out, and not with --complete', async () => {
    const first = await importLines(trust, [
      'M-1,9101,Mina,Lead,,Lead,,01/01/2020',
      'R-1,9102,Ravi,Report,,Officer,M-1,01/01/2020',
    ]);
    expect(first.status).toBe('applied');
    // R-1 (left out, reporting to M-1) closes a loop when M-1 now reports to R-1.
    const loop = await importLines(trust, ['M-1,9101,Mina,Lead,,Lead,R-1,01/01/2020']);
    expect(loop.status).toBe('rejected');
    expect(loop.errors).toEqual([
      { line: 2, column: 'Supervisor Assignment Number', message: 'line-management cycle: M-1 → R-1 → M-1' },
    ]);
    // A complete file ends R-1 instead, so there is no loop to report.
    const complete = await importLines(trust, ['M-1,9101,Mina,Lead,,Lead,R-1,01/01/2020'], true);
    expect(complete).toMatchObject({ status: 'applied', ended: 1, updated: 1 });
  });

  it('gives a row without an employee number to the person who holds its assignment, checking the new email', async () => {
    const holder = await makePerson(db, { orgId: trust.id, email: null });
    await db.updateTable('people').set({ staff_number: null }).where('id', '=', holder.id).execute();
    const { assignment_number } = await db
      .selectFrom('assignments')
      .select('assignment_number')
      .where('id', '=', holder.assignmentId)
      .executeTakeFirstOrThrow();
    const taken = await makePerson(db, { orgId: trust.id });
    const row = (email: string) => `${assignment_number},,Hana,Holder,${email},Nurse,,01/01/2020`;

    const clash = await importLines(trust, [row(taken.email!)]);
    expect(clash.status).toBe('rejected');
    expect(clash.errors.map((e) => e.message)).toEqual([
      `email address ${taken.email} is already recorded for another person`,
    ]);

    const fine = await importLines(trust, [row('hana.holder@nhs.example')]);
    expect(fine).toMatchObject({ status: 'applied', created: 0, updated: 1, unchanged: 0 });
    const person = await db
      .selectFrom('people')
      .select(['id', 'given_name', 'email', 'staff_number'])
      .where('id', '=', holder.id)
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ id: holder.id, given_name: 'Hana', email: 'hana.holder@nhs.example', staff_number: null });

    const again = await importLines(trust, [row('hana.holder@nhs.example')]);
    expect(again).toMatchObject({ status: 'applied', created: 0, updated: 0, unchanged: 1 });
  });
});
