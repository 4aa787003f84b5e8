import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson, makeTeam } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { jobs } from './jobs.ts';

// Editing priorities, the team cascade and the refresh a wide priority leaves to the job.
const ctx = await testApp();
const db = ctx.deps.db;
const { trust } = await makeHierarchy(db, '74');
const team = (name: string, parent: number | null) => makeTeam(db, trust.id, name, parent);
// Surgery (directorate) > Theatres (department) > Recovery (team); Pharmacy stands alone.
const surgery = await team('Surgery', null);
const theatres = await team('Theatres', surgery);
const recovery = await team('Recovery', theatres);
const pharmacy = await team('Pharmacy', null);
const manager = await makePerson(db, { orgId: trust.id, isManager: true });
await db.updateTable('assignments').set({ team_id: recovery }).where('id', '=', manager.assignmentId).execute();
const report = await makePerson(db, { orgId: trust.id, managerAssignmentId: manager.assignmentId });
await db.updateTable('assignments').set({ team_id: recovery }).where('id', '=', report.assignmentId).execute();
const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
const national = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
const managerAccount = await makeAccount(db, { personId: manager.id });
const pending = jobs.find((j) => j.name === 'priorities.refresh-pending')!;

const form = (title: string, extra: Record<string, string | string[]> = {}) => ({
  title,
  source: 'board',
  'set_on-day': '1',
  'set_on-month': '4',
  'set_on-year': '2026',
  measure: 'Measured monthly',
  funded: 'no',
  owner: 'Director of Surgery',
  ...extra,
});
const concurrent = async () =>
  Object.fromEntries(
    (
      await db
        .selectFrom('priority_team_summary')
        .select(['team_id', 'concurrent', 'unfunded'])
        .where('organisation_id', '=', trust.id)
        .execute()
    ).map((r) => [r.team_id, [r.concurrent, r.unfunded]]),
  );

describe('priorities: cascade to sub-teams, queued refresh and editing', () => {
  let surgeryPriority = 0;

  it('counts a priority placed on a directorate for every team under it, and for their managers', async () => {
    const org = await signedIn(ctx, admin.id);
    const res = await org.post(
      '/priorities',
      form('Theatre utilisation', { place: `organisation:${trust.code}`, teams: [String(surgery)] }),
      { csrfFrom: '/priorities/new' },
    );
    expect(res.statusCode).toBe(303);
    surgeryPriority = Number(res.headers.location!.split('/').pop());
    // One organisation: refreshed in the request.
    expect(await concurrent()).toEqual({
      [surgery]: [1, 1],
      [theatres]: [1, 1],
      [recovery]: [1, 1],
      [pharmacy]: [0, 0],
    });
    const mgr = await db
      .selectFrom('priority_manager_summary')
      .select('concurrent')
      .where('person_id', '=', manager.id)
      .executeTakeFirstOrThrow();
    expect(mgr.concurrent).toBe(1);
    // The manager of Recovery sees it among the priorities on their teams, and may mark links with it.
    const mine = await (await signedIn(ctx, managerAccount.id)).get('/priorities/mine');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Theatre utilisation');
    const page = await org.get(`/priorities/${surgeryPriority}`);
    expect(page.body).toContain('Surgery and every team under it');
  });

  it('leaves a national priority to the job: the page says figures update shortly, then the job counts it', async () => {
    const nat = await signedIn(ctx, national.id);
    const res = await nat.post('/priorities', form('Cut elective waits', { place: 'national', funded: 'yes' }), {
      csrfFrom: '/priorities/new?place=national',
    });
    expect(res.statusCode).toBe(303);
    const shown = await nat.get(res.headers.location!);
    expect(shown.body).toContain('update within a few minutes');
    // Not counted in the request.
    expect((await concurrent())[pharmacy]).toEqual([0, 0]);
    const area = await nat.get('/priorities/areas/england');
    expect(area.body).toContain('Figures update shortly');
    const api = await nat.get('/api/v1/priorities/thicket?area=england');
    expect(JSON.parse(api.body).pending_since).not.toBeNull();

    expect(await pending.run(ctx.deps, {})).toMatch(/^1 request\(s\).*every organisation/);
    expect(await concurrent()).toEqual({
      [surgery]: [2, 1],
      [theatres]: [2, 1],
      [recovery]: [2, 1],
      [pharmacy]: [1, 0],
    });
    // Done once: a second run (or a second worker) finds nothing, and the pages stop saying so.
    expect(await pending.run(ctx.deps, {})).toBe('nothing waiting');
    expect((await nat.get('/priorities/areas/england')).body).not.toContain('Figures update shortly');
    expect(JSON.parse((await nat.get('/api/v1/priorities/thicket?area=england')).body).pending_since).toBeNull();
  });

  it('edits what a priority says, audited field by field, by whoever may place it', async () => {
    const org = await signedIn(ctx, admin.id);
    const edit = await org.get(`/priorities/${surgeryPriority}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Theatre utilisation"');

    const bad = await org.post(
      `/priorities/${surgeryPriority}/edit`,
      form('', { 'target_date-day': '1', 'target_date-month': '1', 'target_date-year': '2026' }),
      { csrfFrom: `/priorities/${surgeryPriority}/edit` },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the title of the priority');
    expect(bad.body).toContain('Target date must be on or after the date set');

    const ok = await org.post(
      `/priorities/${surgeryPriority}/edit`,
      form('Theatre utilisation above 85%', {
        funded: 'yes',
        funding_amount: '25,000',
        owner: 'Chief Operating Officer',
      }),
      { csrfFrom: `/priorities/${surgeryPriority}/edit` },
    );
    expect(ok.statusCode).toBe(303);
    const p = await db
      .selectFrom('priorities')
      .select(['title', 'funded', 'funding_amount', 'owner'])
      .where('id', '=', surgeryPriority)
      .executeTakeFirstOrThrow();
    expect(p).toEqual({
      title: 'Theatre utilisation above 85%',
      funded: true,
      funding_amount: '25000.00',
      owner: 'Chief Operating Officer',
    });
    const entry = await db
      .selectFrom('audit_log')
      .select(['details', 'actor_account_id'])
      .where('action', '=', 'priorities.update')
      .where('subject_id', '=', String(surgeryPriority))
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({
      changes: {
        title: { from: 'Theatre utilisation', to: 'Theatre utilisation above 85%' },
        funded: { from: false, to: true },
        funding_amount: { from: null, to: 25000 },
        owner: { from: 'Director of Surgery', to: 'Chief Operating Officer' },
      },
    });
    expect(Object.keys((entry.details as { changes: object }).changes)).toHaveLength(4);
    // Funding moves the figures: refreshed at once for one organisation.
    expect((await concurrent())[recovery]).toEqual([2, 0]);

    // A line manager may read it but not place priorities on the organisation, so may not edit it.
    const mgr = await signedIn(ctx, managerAccount.id);
    expect((await mgr.get(`/priorities/${surgeryPriority}`)).statusCode).toBe(200);
    expect((await mgr.get(`/priorities/${surgeryPriority}/edit`)).statusCode).toBe(403);
    const refused = await mgr.post(`/priorities/${surgeryPriority}/edit`, form('Taken over'), {
      csrfFrom: `/priorities/${surgeryPriority}`,
    });
    expect(refused.statusCode).toBe(403);
    // Saving the same values changes nothing and writes no audit entry.
    const again = await org.post(
      `/priorities/${surgeryPriority}/edit`,
      form('Theatre utilisation above 85%', {
        funded: 'yes',
        funding_amount: '25000',
        owner: 'Chief Operating Officer',
      }),
      { csrfFrom: `/priorities/${surgeryPriority}/edit` },
    );
    expect(again.statusCode).toBe(303);
    const count = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'priorities.update')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});
