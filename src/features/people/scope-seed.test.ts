import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import { loadViewer, personScope, personScopeSeed, type Viewer } from '../../plugins/access.ts';

const deps = await testDeps();
const db = deps.db;

/** Ids a list can start from, and the ids the scope allows: the first must contain the second. */
async function seedAndScope(v: Viewer) {
  const seed = personScopeSeed(v);
  const scoped = await db.selectFrom('people as p').select('p.id').where(personScope(v)).orderBy('p.id').execute();
  const seeded = seed
    ? await db.selectFrom('people as p').select('p.id').where(seed).orderBy('p.id').execute()
    : undefined;
  return { scoped: scoped.map((r) => r.id), seeded: seeded?.map((r) => r.id) };
}

describe('personScopeSeed (where people lists start)', async () => {
  const a = await makeHierarchy(db, '61');
  const b = await makeHierarchy(db, '62');
  const boss = await makePerson(db, { orgId: a.trust.id, isManager: true });
  await makePerson(db, { orgId: a.trust.id, managerAssignmentId: boss.assignmentId });
  await makePerson(db, { orgId: a.trust.id, managerAssignmentId: boss.assignmentId, endDate: '2023-01-01' });
  const boss2 = await makePerson(db, { orgId: b.trust.id, isManager: true });
  await makePerson(db, { orgId: b.trust.id, managerAssignmentId: boss2.assignmentId });
  const load = async (acc: { id: number }) => (await loadViewer(db, acc.id, 'session'))!;

  it('is exactly the scope of line managers, staff, organisation admins and ICB leads', async () => {
    const viewers = [
      await load(await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: a.icb.id }] })),
      await load(await makeAccount(db, { personId: boss.id })),
      await load(await makeAccount(db, { personId: boss2.id, grants: [{ role: 'org_admin', orgId: a.trust.id }] })),
      await load(await makeAccount(db, { grants: [{ role: 'org_admin', orgId: a.trust.id }] })),
      await load(await makeAccount(db, {})),
    ];
    for (const v of viewers) {
      const { scoped, seeded } = await seedAndScope(v);
      expect(seeded).toEqual(scoped);
    }
  });

  it('is not used for regional and national scopes, where the name index finds a page quickly', async () => {
    for (const role of ['regional_lead', 'national_admin'] as const) {
      const orgId = role === 'national_admin' ? null : a.region.id;
      const v = await load(await makeAccount(db, { grants: [{ role, orgId }] }));
      expect(personScopeSeed(v)).toBeUndefined();
    }
  });

  it('with a family-name prefix, holds the people of that name in scope, and follows renames', async () => {
    const c = await makeHierarchy(db, '63');
    const okafor = await makePerson(db, { orgId: c.trust.id, family: 'Okafor' });
    await makePerson(db, { orgId: c.trust.id, family: 'Okonkwo' });
    await makePerson(db, { orgId: a.trust.id, family: 'Okafor' });
    const admin = await load(await makeAccount(db, { grants: [{ role: 'org_admin', orgId: c.trust.id }] }));
    const icb = await load(await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: c.icb.id }] }));
    const named = async (v: Viewer, prefix: string) => {
      const rows = await db
        .selectFrom('people as p')
        .select('p.family_name')
        .where(personScopeSeed(v, { familyPrefix: prefix })!)
        .where(personScope(v))
        .orderBy('p.family_name')
        .execute();
      return rows.map((r) => r.family_name);
    };
    expect(await named(admin, 'oka')).toEqual(['Okafor']);
    expect(await named(icb, 'ok')).toEqual(['Okafor', 'Okonkwo']);
    await db.updateTable('people').set({ family_name: 'Adeyemi' }).where('id', '=', okafor.id).execute();
    expect(await named(admin, 'oka')).toEqual([]);
    expect(await named(admin, 'adey')).toEqual(['Adeyemi']);
    // The copied name is not a change of the assignment: no history entry for it.
    const history = await db
      .selectFrom('assignment_history')
      .select('id')
      .where('assignment_id', '=', okafor.assignmentId)
      .execute();
    expect(history).toEqual([]);
  });
});
