import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makeOrg, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { refreshOrganisationStats } from '../dashboard/queries.ts';
import { hourlyRate } from './burden.ts';
import { saveEffortVersion } from './effort-queries.ts';
import { loadPayScales } from './pay-scales.ts';
import { refreshBurden, refreshItemPairs, refreshRegisterAnalysis } from './refresh.ts';
import { makeReturn } from './testing.ts';

// The burden over time, the national view for approval bodies, the report and the downloads.

const today = '2026-06-15';
const ctx = await testApp({ clock: { now: () => new Date(`${today}T09:00:00Z`) } });
const { db } = ctx.deps;
const { region, icb, trust } = await makeHierarchy(db, '73');
const other = await makeOrg(db, {
  code: 'R73B',
  name: 'Other Trust 73',
  parentId: icb.id,
  icbId: icb.id,
  regionId: region.id,
});
for (let i = 0; i < 3; i++) await makePerson(db, { orgId: trust.id, isManager: true });
await refreshOrganisationStats(db, today);
expect((await loadPayScales(db)).ok).toBe(true);
const monthly = await makeReturn(ctx.deps, { name: 'Workforce monthly' }, ['Staff in post', 'Vacancies']);
const quarterly = await makeReturn(ctx.deps, { name: 'Elective quarterly', frequency: 'quarterly', approval_ref: '' }, [
  'Staff in post (headcount)',
  'Staff in post',
]);
const save = (orgId: number, returnId: number, effectiveFrom: string, hours: number) =>
  saveEffortVersion(db, {
    orgId,
    returnId,
    effectiveFrom,
    accountId: null,
    lines: [{ role: 'Analyst', band: '7', hoursPerCycle: hours }],
  });
await save(trust.id, monthly, '2025-06-01', 3);
await save(trust.id, monthly, '2026-03-01', 5);
await save(trust.id, quarterly, '2025-12-01', 10);
await refreshBurden(db, today);
await refreshItemPairs(db);
await refreshRegisterAnalysis(db, today);
const national = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
const orgAdmin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
const staff = await makeAccount(db);

describe('the burden over time', () => {
  it('gives hours a year as they stood at each month end, from the versions in effect then', async () => {
    const rows = await db
      .selectFrom('burden_trend')
      .select(['month_end', 'hours_year', 'organisations'])
      .where('level', '=', 'organisation')
      .where('area_id', '=', trust.id)
      .orderBy('month_end')
      .execute();
    expect(rows[0]).toEqual({ month_end: '2025-06-30', hours_year: '36.00', organisations: 1 });
    expect(rows.find((r) => r.month_end === '2025-12-31')?.hours_year).toBe('76.00');
    expect(rows.find((r) => r.month_end === '2026-03-31')?.hours_year).toBe('100.00');
    expect(rows[rows.length - 1]!.month_end).toBe(today);
    expect(rows).toHaveLength(13);
    // The last point equals the current summary, cost included.
    const now = await db
      .selectFrom('burden_area_summary')
      .select(['hours_year', 'cost_year'])
      .where('level', '=', 'nation')
      .where('dimension', '=', 'total')
      .executeTakeFirstOrThrow();
    const nation = await db
      .selectFrom('burden_trend')
      .select(['hours_year', 'cost_year'])
      .where('level', '=', 'nation')
      .where('month_end', '=', today)
      .executeTakeFirstOrThrow();
    expect(nation).toEqual({ hours_year: now.hours_year, cost_year: now.cost_year });
    expect(Number(nation.cost_year)).toBeCloseTo(
      100 * hourlyRate({ annualMin: 47810, annualMax: 54710, onCostPercent: 37.32 }),
      1,
    );
  });

  it('is refreshed incrementally when an organisation records effort', async () => {
    await save(other.id, monthly, '2026-05-01', 2);
    await refreshBurden(db, today, [other.id]);
    const icbNow = await db
      .selectFrom('burden_trend')
      .select(['hours_year', 'organisations'])
      .where('level', '=', 'icb')
      .where('area_id', '=', icb.id)
      .where('month_end', '=', today)
      .executeTakeFirstOrThrow();
    expect(icbNow).toEqual({ hours_year: '124.00', organisations: 2 });
    const trustRows = await db
      .selectFrom('burden_trend')
      .select('month_end')
      .where('level', '=', 'organisation')
      .where('area_id', '=', trust.id)
      .execute();
    expect(trustRows).toHaveLength(13);
  });

  it('is shown on the analysis pages as an SPC chart with its table, and in the API', async () => {
    const c = await signedIn(ctx, orgAdmin.id);
    for (const path of ['/burden/analysis', `/burden/analysis/${icb.code}`, `/burden/organisations/${trust.code}`]) {
      const res = await c.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body).toContain('Burden over time');
      expect(res.body).toContain('class="app-chart"');
      expect(res.body).toContain('Hours a year per manager in post now');
    }
    const org = await c.get(`/burden/organisations/${trust.code}`);
    // 100 hours a year now, 3 managers: 33.3 hours each.
    expect(org.body).toContain('33.3');
    const api = await c.get(`/api/v1/burden/trend?area=${icb.code}`);
    expect(api.statusCode).toBe(200);
    const json = api.json();
    expect(json.area).toEqual({ level: 'icb', code: icb.code, name: icb.name });
    expect(json.points.at(-1)).toMatchObject({ month_end: today, hours_year: 124, organisations: 2 });
    expect(json.spc.mean).toBeGreaterThan(0);
    expect(json.points[0].variation).toMatch(/common-cause|improvement|concern/);
    const s = await signedIn(ctx, staff.id);
    expect((await s.get(`/api/v1/burden/trend?area=${trust.code}`)).statusCode).toBe(403);
    expect((await s.get('/api/v1/burden/trend?area=NOPE')).statusCode).toBe(404);
  });
});

describe('the national view for approval bodies', () => {
  it('lists the returns with the largest burden, their bodies, approval references and flags, for national admins', async () => {
    const c = await signedIn(ctx, national.id);
    const page = await c.get('/burden/analysis/returns');
    expect(page.statusCode).toBe(200);
    expect(page.body.indexOf('Workforce monthly')).toBeLessThan(page.body.indexOf('Elective quarterly'));
    expect(page.body).toContain('DAPB0001');
    expect(page.body).toContain('No approval reference');
    const csv = await c.get('/burden/download/top-returns.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'rank,return_id,name,requesting_body,scope,mandatory,approval_ref,hours_year,cost_year,uncosted_hours_year,organisations,past_sunset,no_approval_ref,duplicates_national',
    );
    expect(lines[1]).toMatch(/^1,\d+,Workforce monthly,nhse_national,national,true,DAPB0001,84,/);
    const s = await signedIn(ctx, staff.id);
    expect((await s.get('/burden/analysis/returns')).statusCode).toBe(403);
    expect((await s.get('/burden/download/top-returns.csv')).statusCode).toBe(403);
  });
});

describe('the printable report and the downloads', () => {
  it('gives a board one page with headline figures, top returns, overlaps, flags, pulse and trend', async () => {
    const c = await signedIn(ctx, orgAdmin.id);
    const res = await c.get(`/burden/report?org=${trust.code}`);
    expect(res.statusCode).toBe(200);
    for (const text of [
      'Headline figures',
      'Workforce monthly',
      'without an approval reference',
      'Overlaps and what consolidating',
      'time-use pulse',
      'Burden over time',
      'burden-report',
    ]) {
      expect(res.body).toContain(text);
    }
    // Both returns ask for "Staff in post": a saving is found in this organisation.
    expect(res.body).toMatch(/would save an estimated <strong>[\d.,]+ hours a year<\/strong>/);
    expect((await c.get(`/burden/report?icb=${icb.code}`)).statusCode).toBe(200);
    expect((await c.get(`/burden/report?icb=${trust.code}`)).statusCode).toBe(404);
    expect((await c.get('/burden/report')).statusCode).toBe(400);
    const s = await signedIn(ctx, staff.id);
    expect((await s.get(`/burden/report?org=${trust.code}`)).statusCode).toBe(403);
  });

  it('downloads every table of the burden pages as CSV and JSON', async () => {
    const c = await signedIn(ctx, orgAdmin.id);
    const tables = ['returns', 'bodies', 'areas', 'trend', 'overlaps', 'pay-scales'];
    for (const t of tables) {
      for (const f of ['csv', 'json']) {
        const res = await c.get(`/burden/download/${t}.${f}`);
        expect(res.statusCode, `${t}.${f}`).toBe(200);
        expect(res.headers['content-disposition']).toContain(`burden-${t}-england-${today}.${f}`);
      }
    }
    const orgReturns = await c.get(`/burden/download/organisation-returns.json?area=${trust.code}`);
    expect(orgReturns.json().rows[0]).toMatchObject({
      name: 'Workforce monthly',
      hours_year: 60,
      effort_from: '2026-03-01',
    });
    const trend = await c.get(`/burden/download/trend.csv?area=${icb.code}`);
    expect(trend.body.split('\r\n')[0]).toBe('month_end,hours_year,cost_year,uncosted_hours_year,organisations');
    expect((await c.get('/burden/download/organisation-returns.csv')).statusCode).toBe(400);
    expect((await c.get('/burden/download/nothing.csv')).statusCode).toBe(404);
    const s = await signedIn(ctx, staff.id);
    expect((await s.get(`/burden/download/organisation-returns.csv?area=${trust.code}`)).statusCode).toBe(403);
  });
});
