import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson, makeTeam } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { makeManager, week } from './testing.ts';

// The team view with a disclosure minimum of 3. Time moves (the round closes), so the clock is ours.
let now = new Date('2026-10-05T09:00:00Z');
const ctx = await testApp({ clock: { now: () => now }, env: { DISCLOSURE_MIN: '3' } });
const db = ctx.deps.db;
const { trust } = await makeHierarchy(db, '76');
const team = (name: string, parent: number | null) => makeTeam(db, trust.id, name, parent);
// Surgery > (Theatres, Wards); Pharmacy.
const surgery = await team('Surgery', null);
const theatres = await team('Theatres', surgery);
const wards = await team('Wards', surgery);
const pharmacy = await team('Pharmacy', null);
const placeIn = (assignmentId: number, teamId: number | null) =>
  db.updateTable('assignments').set({ team_id: teamId }).where('id', '=', assignmentId).execute();

async function answer(teamId: number | null, upward = 3) {
  const m = await makeManager(db, trust.id);
  await placeIn(m.person.assignmentId, teamId);
  const c = await signedIn(ctx, m.account.id);
  expect((await c.post('/pulse', week(upward))).statusCode).toBe(303);
  return { ...m, client: c };
}
const teamSums = async () =>
  Object.fromEntries(
    (await db.selectFrom('pulse_team_summary').select(['team_id', 'responses', 'upward']).execute()).map((r) => [
      r.team_id,
      [r.responses, Number(r.upward)],
    ]),
  );

describe('pulse results by team', () => {
  it('keeps the per-team sums in step with answers, also when a manager changes team mid-round', async () => {
    for (let i = 0; i < 4; i++) await answer(theatres);
    await answer(wards);
    for (let i = 0; i < 3; i++) await answer(pharmacy);
    await answer(null);
    const mover = await answer(pharmacy, 5);
    expect(await teamSums()).toEqual({ [theatres]: [4, 12], [wards]: [1, 3], [pharmacy]: [4, 14] });
    // The manager moves to Wards and answers again: their answer leaves Pharmacy's sums and joins Wards'.
    await placeIn(mover.person.assignmentId, wards);
    expect((await mover.client.post('/pulse', week(1))).statusCode).toBe(303);
    expect(await teamSums()).toEqual({ [theatres]: [4, 12], [wards]: [2, 4], [pharmacy]: [3, 9] });
  });

  it('shows a team only under disclosure control, consistent with the organisation’s figures', async () => {
    now = new Date('2026-11-10T09:00:00Z'); // October has closed
    const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] })).id);
    // The organisation: 10 answers. Its parts: Surgery 6 (Theatres 4, Wards 2), Pharmacy 3, no team 1. The one in
    // no team is hidden, so the next smallest part, Pharmacy, is hidden with it (1 + 3 ≥ 3): 10 − 6 is not one person.
    const org = await admin.get(`/pulse/results?area=${trust.code}`);
    expect(org.body).toContain('Managers who answered');
    const list = await admin.get('/pulse/teams');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/pulse/teams/${surgery}`);

    const s = await admin.get(`/pulse/teams/${surgery}`);
    expect(s.statusCode).toBe(200);
    expect(s.body).toMatch(/Managers who answered\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*6\s*</);
    // Wards (2) is hidden, and Theatres (4) with it: otherwise Surgery − Theatres would give Wards' two answers.
    expect(s.body).toContain(
      `<a href="/pulse/teams/${theatres}">Theatres</a></th>\n      <td class="nhsuk-table__cell">Fewer than 3 or hidden`,
    );
    expect(s.body).toContain(
      `<a href="/pulse/teams/${wards}">Wards</a></th>\n      <td class="nhsuk-table__cell">Fewer than 3 or hidden`,
    );

    for (const hidden of [theatres, wards, pharmacy]) {
      const page = await admin.get(`/pulse/teams/${hidden}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('No figures are shown for');
      expect(page.body).not.toContain('Average hours in the week');
    }
  });

  it('lets line managers see the teams they manage and those under them, and no one else', async () => {
    // A manager whose own post is in Surgery, with a report in Surgery.
    const head = await makePerson(db, { orgId: trust.id });
    await placeIn(head.assignmentId, surgery);
    const report = await makePerson(db, { orgId: trust.id, managerAssignmentId: head.assignmentId });
    await placeIn(report.assignmentId, surgery);
    const c = await signedIn(ctx, (await makeAccount(db, { personId: head.id })).id);
    expect((await c.get(`/pulse/teams/${surgery}`)).statusCode).toBe(200);
    expect((await c.get(`/pulse/teams/${theatres}`)).statusCode).toBe(200);
    expect((await c.get(`/pulse/teams/${pharmacy}`)).statusCode).toBe(403);
    expect((await c.get('/pulse/teams')).body).toContain(`/pulse/teams/${surgery}`);

    const staff = await makePerson(db, { orgId: trust.id });
    const other = await signedIn(ctx, (await makeAccount(db, { personId: staff.id })).id);
    expect((await other.get(`/pulse/teams/${surgery}`)).statusCode).toBe(403);
    const icbLead = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id,
    );
    expect((await icbLead.get(`/pulse/teams/${surgery}`)).statusCode).toBe(403);
    expect((await other.get('/pulse/teams/999999')).statusCode).toBe(404);
  });
});
