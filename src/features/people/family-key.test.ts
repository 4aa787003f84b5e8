import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeHierarchy, makePerson } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import type { CommandIO } from '../../command.ts';
import { commands } from './commands.ts';

// assignments.family_key is a copy of the person's lower-cased family name, for name searches within an
// organisation. Whoever writes an assignment, it must hold the name the person has now.
const deps = await testDeps();
const db = deps.db;
const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwell-family-key-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const io: CommandIO = { out: () => {}, err: () => {}, progress: () => {} };

const keyOf = async (assignmentId: number) =>
  (await db.selectFrom('assignments').select('family_key').where('id', '=', assignmentId).executeTakeFirstOrThrow())
    .family_key;

describe('assignments.family_key', async () => {
  const h = await makeHierarchy(db, '57');

  it('is filled in for an assignment inserted without one, and follows a move to another person', async () => {
    const a = await makePerson(db, { orgId: h.trust.id, family: 'Okonkwo' });
    const b = await makePerson(db, { orgId: h.trust.id, family: 'Ávila' });
    expect(await keyOf(a.assignmentId)).toBe('okonkwo');
    await db.updateTable('assignments').set({ person_id: b.id }).where('id', '=', a.assignmentId).execute();
    expect(await keyOf(a.assignmentId)).toBe('ávila');
    // An update that names the same person leaves the key as it is.
    await db.updateTable('assignments').set({ person_id: b.id, band: '6' }).where('id', '=', a.assignmentId).execute();
    expect(await keyOf(a.assignmentId)).toBe('ávila');
    await db.updateTable('people').set({ family_name: 'Avila-Reyes' }).where('id', '=', b.id).execute();
    expect(await keyOf(a.assignmentId)).toBe('avila-reyes');
  });

  it('is written by a staff import: the name the person holds, from their primary row', async () => {
    const csv = path.join(dir, 'staff.csv');
    await writeFile(
      csv,
      [
        'Assignment Number,Employee Number,First Name,Last Name,Position Title,Assignment Start Date,Assignment End Date',
        // One person, two rows naming them differently: the open assignment's row speaks for the person.
        '7001-1,9001,Grace,Hopper-Old,Analyst,01/01/2019,31/12/2020',
        '7001-2,9001,Grace,Hopper,Lead Analyst,01/01/2021,',
        '7002-1,9002,Alan,TURING,Engineer,01/01/2022,',
      ].join('\n'),
    );
    const importStaff = commands.find((c) => c.name === 'import staff')!;
    expect(await importStaff.run(deps, { positionals: [csv], values: { org: h.trust.code } }, io)).toBe(0);
    const rows = await db
      .selectFrom('assignments as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['a.assignment_number', 'a.family_key', 'p.family_name'])
      .where('a.organisation_id', '=', h.trust.id)
      .where('a.assignment_number', 'like', '700%')
      .orderBy('a.assignment_number')
      .execute();
    expect(rows).toEqual([
      { assignment_number: '7001-1', family_key: 'hopper', family_name: 'Hopper' },
      { assignment_number: '7001-2', family_key: 'hopper', family_name: 'Hopper' },
      { assignment_number: '7002-1', family_key: 'turing', family_name: 'TURING' },
    ]);
  });
});
