import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { loadViewer } from '../../plugins/access.ts';
import { dashboardFor } from './dashboard.ts';
import { refreshOrganisationStats } from './queries.ts';

const ctx = await testApp();
const db = ctx.deps.db;

describe('home dashboard', async () => {
  const a = await makeHierarchy(db, '7');
  const b = await makeHierarchy(db, '8');
  const boss = await makePerson(db, { orgId: a.trust.id, isManager: true });
  await makePerson(db, { orgId: a.trust.id, managerAssignmentId: boss.assignmentId });
  await makePerson(db, { orgId: a.trust.id, managerAssignmentId: boss.assignmentId });
  await makePerson(db, { orgId: a.trust.id, managerAssignmentId: boss.assignmentId, endDate: '2026-10-01' });
  await makePerson(db, { orgId: b.trust.id });
  await refreshOrganisationStats(db, '2026-11-26');

  it('counts current staff, managers and leavers per organisation from the summary table', async () => {
    const stats = await db.selectFrom('organisation_stats').selectAll().orderBy('organisation_id').execute();
    const ofA = stats.find((s) => s.organisation_id === a.trust.id)!;
    expect(ofA).toMatchObject({ staff: 3, managers: 1, leavers_12m: 1 });
    expect(stats.find((s) => s.organisation_id === b.trust.id)).toMatchObject({ staff: 1, managers: 0 });
  });

  it('gives a line manager their report count and their own role', async () => {
    const acc = await makeAccount(db, { personId: boss.id });
    const d = await dashboardFor(db, (await loadViewer(db, acc.id, 'session'))!);
    expect(d.reports).toBe(2);
    expect(d.assignments).toHaveLength(1);
    expect(d.assignments[0].org_code).toBe(a.trust.code);
    expect(d.areas).toEqual([]);
  });

  it('gives regional and national roles totals by area, and an organisation admin their organisation', async () => {
    const regional = await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: a.region.id }] });
    const r = await dashboardFor(db, (await loadViewer(db, regional.id, 'session'))!);
    expect(r.areas[0].rows.map((x) => [x.code, x.staff])).toEqual([[a.icb.code, 3]]);

    const national = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
    const n = await dashboardFor(db, (await loadViewer(db, national.id, 'session'))!);
    expect(n.areas[0].totals.staff).toBe(4);

    const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: b.trust.id }] });
    const client = await signedIn(ctx, admin.id);
    const page = await client.get('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(b.trust.name);
    expect(page.body).not.toContain(a.trust.name);
  });
});
