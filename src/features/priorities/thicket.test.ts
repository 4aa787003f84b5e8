import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { refreshThicket } from './refresh.ts';
import { areaFigures, trendOf } from './summary-queries.ts';

// The real clock: sessions expire by it.
const ctx = await testApp();
const today = new Date().toISOString().slice(0, 10);
const db = ctx.deps.db;
const { region, icb, trust } = await makeHierarchy(db, '71');
const team = (name: string) =>
  db
    .insertInto('teams')
    .values({
      organisation_id: trust.id,
      name,
      code: name.slice(0, 3).toUpperCase(),
      parent_team_id: null,
      closed_on: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((r) => r.id);
const wards = [await team('Ash Ward'), await team('Beech Ward'), await team('Cedar Ward')];
const manager = await makePerson(db, { orgId: trust.id, isManager: true });
await db.updateTable('assignments').set({ team_id: wards[0] }).where('id', '=', manager.assignmentId).execute();
const report = await makePerson(db, { orgId: trust.id, managerAssignmentId: manager.assignmentId });
await db.updateTable('assignments').set({ team_id: wards[1] }).where('id', '=', report.assignmentId).execute();
const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
const icbLead = await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] });
const national = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
const managerAccount = await makeAccount(db, { personId: manager.id });

const form = (title: string, extra: Record<string, string | string[]> = {}) => ({
  title,
  source: 'board',
  'set_on-day': '1',
  'set_on-month': '4',
  'set_on-year': '2026',
  measure: 'Measured monthly',
  funded: 'no',
  owner: 'Chief Operating Officer',
  ...extra,
});

describe('the competing priorities register and thicket', () => {
  it('places priorities by role, counts them per team and manager, and keeps detail to the organisation', async () => {
    // An empty register refreshes to no figures without failing.
    await refreshThicket(db, today);
    expect(await areaFigures(db, 'organisation', trust.id)).toMatchObject({ teamPriorities: 0, active: 0 });
    const nat = await signedIn(ctx, national.id);
    const res = await nat.post(
      '/priorities',
      form('Cut elective waits', {
        place: 'national',
        source: 'nhse_national',
        funded: 'yes',
        funding_amount: '£1,000',
      }),
      { csrfFrom: '/priorities/new?place=national' },
    );
    expect(res.statusCode).toBe(303);

    const org = await signedIn(ctx, admin.id);
    const bad = await org.post('/priorities', form('', { place: `organisation:${trust.code}`, funded: '' }), {
      csrfFrom: '/priorities/new',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the title of the priority');
    expect(bad.body).toContain('Select whether the priority is funded');
    const notMine = await org.post('/priorities', form('Elsewhere', { place: 'national' }), {
      csrfFrom: '/priorities/new',
    });
    expect(notMine.statusCode).toBe(400);
    expect(notMine.body).toContain('You may not place priorities there');

    const two = await org.post(
      '/priorities',
      form('Ward accreditation', { place: `organisation:${trust.code}`, teams: [String(wards[0]), String(wards[1])] }),
      { csrfFrom: '/priorities/new' },
    );
    expect(two.statusCode).toBe(303);
    const wardId = Number(two.headers.location!.split('/').pop());
    await org.post('/priorities', form('Whole trust plan', { place: `organisation:${trust.code}`, funded: 'yes' }), {
      csrfFrom: '/priorities/new',
    });

    const link = await org.post(
      `/priorities/organisations/${trust.code}/links`,
      {
        priority_a: String(wardId),
        priority_b: String(wardId - 1 > 0 ? 1 : 1),
        kind: 'overlap',
        note: 'Both want ward audits',
      },
      { csrfFrom: `/priorities/organisations/${trust.code}/links/new` },
    );
    expect(link.statusCode).toBe(303);

    const f = await areaFigures(db, 'organisation', trust.id);
    // Ash and Beech carry 3 (national + whole trust + ward), Cedar 2: 8 team-priorities over 3 teams.
    expect(f).toMatchObject({ teams: 3, teamPriorities: 8, unfunded: 2, overlaps: 1, conflicts: 0, active: 3, max: 3 });
    const team = await db
      .selectFrom('priority_team_summary')
      .select(['team_id', 'concurrent', 'overlapping as overlaps'])
      .where('organisation_id', '=', trust.id)
      .orderBy('team_id')
      .execute();
    expect(team).toEqual([
      { team_id: wards[0], concurrent: 3, overlaps: 1 },
      { team_id: wards[1], concurrent: 3, overlaps: 1 },
      { team_id: wards[2], concurrent: 2, overlaps: 0 },
    ]);
    const mgr = await db
      .selectFrom('priority_manager_summary')
      .select(['person_id', 'teams', 'concurrent', 'overlapping as overlaps'])
      .execute();
    expect(mgr).toEqual([{ person_id: manager.id, teams: 2, concurrent: 3, overlaps: 1 }]);
    const trend = await trendOf(db, 'organisation', trust.id);
    expect(trend.at(-1)).toEqual({ day: today, teams: 3, mean: 2.67 });

    const page = await org.get(`/priorities/organisations/${trust.code}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ward accreditation');
    expect(page.body).toContain('Both want ward audits');
    const csv = await org.get(`/priorities/organisations/${trust.code}/tables/teams.csv`);
    expect(csv.body.split('\r\n')[0]).toBe('team,concurrent,unfunded,unfunded_share,overlaps,conflicts');

    const lead = await signedIn(ctx, icbLead.id);
    expect((await lead.get(`/priorities/organisations/${trust.code}`)).statusCode).toBe(403);
    await refreshThicket(db, today);
    const area = await lead.get(`/priorities/areas/${icb.code}`);
    expect(area.statusCode).toBe(200);
    expect(area.body).not.toContain('Both want ward audits');
    expect(area.body).not.toContain('Chief Operating Officer');
    const api = await lead.get(`/api/v1/priorities/thicket?area=${region.code}`);
    expect(api.statusCode).toBe(200);
    expect(JSON.parse(api.body).figures).toMatchObject({ teams: 3, mean_per_team: 2.67, unfunded_share: 25 });
    expect((await lead.get(`/api/v1/priorities/thicket?area=${trust.code}`)).statusCode).toBe(403);

    const mine = await signedIn(ctx, managerAccount.id);
    const view = await mine.get('/priorities/mine');
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Ward accreditation');
  });

  it('shows a priority to those who may read it, and a status change takes it out of the figures', async () => {
    const org = await signedIn(ctx, admin.id);
    const { id } = await db
      .selectFrom('priorities')
      .select('id')
      .where('title', '=', 'Ward accreditation')
      .executeTakeFirstOrThrow();
    const page = await org.get(`/priorities/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Both want ward audits');
    expect((await (await signedIn(ctx, icbLead.id)).get(`/priorities/${id}`)).statusCode).toBe(404);
    const changed = await org.post(`/priorities/${id}/status`, { status: 'met' }, { csrfFrom: `/priorities/${id}` });
    expect(changed.statusCode).toBe(303);
    const f = await areaFigures(db, 'organisation', trust.id);
    expect(f).toMatchObject({ teamPriorities: 6, overlaps: 0, active: 2 });
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'priorities.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'priorities.create',
      'priorities.create',
      'priorities.create',
      'priorities.link',
      'priorities.status',
    ]);
    const json = JSON.parse((await org.get('/priorities/tables/register.json')).body);
    expect(json.rows.map((r: { title: string }) => r.title)).toEqual([
      'Whole trust plan',
      'Ward accreditation',
      'Cut elective waits',
    ]);
  });
});
