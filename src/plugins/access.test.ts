import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../test/factories.ts';
import { testDeps } from '../../test/helpers.ts';
import { authorise, canSeeEqualityFields, loadViewer, personScope, rolesOf, type Viewer } from './access.ts';

const deps = await testDeps();
const db = deps.db;

async function visibleIds(v: Viewer): Promise<number[]> {
  const rows = await db.selectFrom('people as p').select('p.id').where(personScope(v)).orderBy('p.id').execute();
  return rows.map((r) => r.id);
}

describe('access model', async () => {
  const a = await makeHierarchy(db, '1');
  const b = await makeHierarchy(db, '2');
  const boss = await makePerson(db, { orgId: a.trust.id, isManager: true });
  const report = await makePerson(db, { orgId: a.trust.id, managerAssignmentId: boss.assignmentId });
  const peer = await makePerson(db, { orgId: a.trust.id });
  const elsewhere = await makePerson(db, { orgId: b.trust.id });
  const leaver = await makePerson(db, {
    orgId: a.trust.id,
    managerAssignmentId: boss.assignmentId,
    endDate: '2024-01-01',
  });

  const load = async (acc: { id: number }) => (await loadViewer(db, acc.id, 'session'))!;

  it('staff see only themselves', async () => {
    const v = await load(await makeAccount(db, { personId: peer.id }));
    expect(rolesOf(v)).toEqual(['staff']);
    expect(await visibleIds(v)).toEqual([peer.id]);
    expect(authorise(v, { action: 'people:search' })).toBe(false);
  });

  it('a line manager sees their current direct reports and no one else', async () => {
    const v = await load(await makeAccount(db, { personId: boss.id }));
    expect(rolesOf(v)).toEqual(['staff', 'line_manager']);
    expect(await visibleIds(v)).toEqual([boss.id, report.id]);
    expect(await visibleIds(v)).not.toContain(leaver.id);
    expect(canSeeEqualityFields(v, { id: report.id, organisationIds: [a.trust.id] })).toBe(false);
  });

  it('an organisation admin sees only their organisation, leavers included, with equality fields', async () => {
    const v = await load(await makeAccount(db, { grants: [{ role: 'org_admin', orgId: a.trust.id }] }));
    expect(await visibleIds(v)).toEqual([boss.id, report.id, peer.id, leaver.id]);
    expect(canSeeEqualityFields(v, { id: report.id, organisationIds: [a.trust.id] })).toBe(true);
    expect(canSeeEqualityFields(v, { id: elsewhere.id, organisationIds: [b.trust.id] })).toBe(false);
    expect(authorise(v, { action: 'org:admin', org: { id: a.trust.id, icbId: a.icb.id, regionId: a.region.id } })).toBe(
      true,
    );
    expect(authorise(v, { action: 'org:admin', org: { id: b.trust.id, icbId: b.icb.id, regionId: b.region.id } })).toBe(
      false,
    );
  });

  it('ICB and regional leads see current staff of their area but never equality fields', async () => {
    const icb = await load(await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: a.icb.id }] }));
    expect(await visibleIds(icb)).toEqual([boss.id, report.id, peer.id]);
    expect(canSeeEqualityFields(icb, { id: report.id, organisationIds: [a.trust.id] })).toBe(false);
    const region = await load(await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: b.region.id }] }));
    expect(await visibleIds(region)).toEqual([elsewhere.id]);
    expect(canSeeEqualityFields(region, { id: elsewhere.id, organisationIds: [b.trust.id] })).toBe(false);
  });

  it('national admins see everyone but no individual equality fields', async () => {
    const v = await load(await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] }));
    expect((await visibleIds(v)).length).toBe(5);
    expect(canSeeEqualityFields(v, { id: report.id, organisationIds: [a.trust.id] })).toBe(false);
  });

  it('an account with no person and no grant sees no one', async () => {
    const v = await load(await makeAccount(db, {}));
    expect(await visibleIds(v)).toEqual([]);
    expect(authorise(null, { action: 'signed-in' })).toBe(false);
  });
});
