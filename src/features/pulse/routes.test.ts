import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makeOrg, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { makeManager, week } from './testing.ts';

// Time moves in these tests (rounds close), so the clock is ours to set.
let now = new Date('2026-11-10T09:00:00Z');
const ctx = await testApp({ clock: { now: () => now } });
const db = ctx.deps.db;
const { region, icb, trust } = await makeHierarchy(db, '71');
const second = await makeOrg(db, {
  code: 'R71B',
  name: 'Second Trust 71',
  parentId: icb.id,
  icbId: icb.id,
  regionId: region.id,
});
const third = await makeOrg(db, {
  code: 'R71C',
  name: 'Third Trust 71',
  parentId: icb.id,
  icbId: icb.id,
  regionId: region.id,
});

async function answerAs(orgId: number, upward: number) {
  const m = await makeManager(db, orgId);
  const c = await signedIn(ctx, m.account.id);
  const res = await c.post('/pulse', week(upward));
  expect(res.statusCode).toBe(303);
  return { ...m, client: c };
}

describe('answering the pulse', () => {
  it('shows managers the form, saves one answer per round, and lets them change it until the round closes', async () => {
    const m = await makeManager(db, trust.id, { viaReport: true });
    const c = await signedIn(ctx, m.account.id);
    const page = await c.get('/pulse');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('How did you spend last week?');
    expect(page.body).toContain('November 2026 round');

    const bad = await c.post('/pulse', { ...week(4), meetings: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nhsuk-error-summary');
    expect(bad.body).toContain('Enter the hours you spent on meetings last week, or 0');
    expect(bad.body).toContain('href="#meetings"');

    expect((await c.post('/pulse', week(4))).statusCode).toBe(303);
    const after = await c.get('/pulse');
    expect(after.body).toContain('Thank you: your answers for November 2026 are saved');
    expect(after.body).toMatch(/id="upward"[^>]*value="4"/);
    expect((await c.post('/pulse', week(9))).statusCode).toBe(303);

    const rows = await db
      .selectFrom('pulse_responses')
      .select(['upward', 'meetings'])
      .where('person_id', '=', m.person.id)
      .execute();
    expect(rows).toEqual([{ upward: '9.0', meetings: '6.0' }]);
    const sum = await db
      .selectFrom('pulse_round_summary')
      .select(['responses', 'upward', 'meetings'])
      .where('organisation_id', '=', trust.id)
      .executeTakeFirstOrThrow();
    expect(sum).toEqual({ responses: 1, upward: '9.0', meetings: '6.0' });
    const audited = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('person_id', '=', m.person.id)
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['pulse.response.create', 'pulse.response.update']);
    expect(JSON.stringify(audited)).not.toContain('"upward"');
  });

  it('tells staff who manage no one that there is nothing to answer, and refuses their answers', async () => {
    const staff = await makePerson(db, { orgId: trust.id });
    const account = await makeAccount(db, { personId: staff.id });
    const c = await signedIn(ctx, account.id);
    expect((await c.get('/pulse')).body).toContain('there is nothing for you to answer');
    expect((await c.post('/pulse', week(3))).statusCode).toBe(403);
  });
});

describe('pulse results under disclosure control', () => {
  it('show nothing for an organisation with 5 answers, and hide the next smallest organisation of the ICB too', async () => {
    now = new Date('2026-10-05T09:00:00Z');
    for (let i = 0; i < 5; i++) await answerAs(trust.id, 3);
    for (let i = 0; i < 9; i++) await answerAs(second.id, 5);
    for (let i = 0; i < 12; i++) await answerAs(third.id, 10);
    const viewer = await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] });
    const c = await signedIn(ctx, viewer.id);

    // While the round is open nothing is shown, however many have answered.
    expect((await c.get(`/pulse/results?area=${third.code}`)).body).toContain('No round has closed');

    now = new Date('2026-11-10T09:00:00Z');
    const small = await c.get(`/pulse/results?area=${trust.code}`);
    expect(small.statusCode).toBe(200);
    expect(small.body).toContain('Fewer than 8 managers in Test Trust 71 answered this round');
    expect(small.body).not.toMatch(/Upward reporting<\/th>\s*<td[^>]*>3\.0/);

    const area = await c.get(`/pulse/results?area=${icb.code}`);
    expect(area.statusCode).toBe(200);
    // The ICB's own figure (26 answers) is shown: (5×3 + 9×5 + 12×10) ÷ 26 = 6.9.
    expect(area.body).toMatch(/Upward reporting<\/th>\s*<td[^>]*>6\.9</);
    const row = (name: string) =>
      area.body.slice(area.body.indexOf(`${name}</a>`), area.body.indexOf('</tr>', area.body.indexOf(`${name}</a>`)));
    expect(row('Test Trust 71')).toContain('*');
    // Second Trust (9 answers) is hidden as well, or its figure would give Test Trust's away by subtraction.
    expect(row('Second Trust 71')).toContain('*');
    expect(row('Second Trust 71')).not.toContain('5.0');
    expect(row('Third Trust 71')).toContain('10.0');
    expect(area.body).toContain('showing it would let a hidden figure be worked out');

    const api = await c.get(`/api/v1/pulse/results?area=${icb.code}`);
    expect(api.statusCode).toBe(200);
    const json = api.json();
    expect(json.total).toMatchObject({ responses: 26, suppressed: false });
    const byCode = Object.fromEntries(json.areas.map((a: { code: string }) => [a.code, a]));
    expect(byCode[trust.code]).toMatchObject({ suppressed: true, responses: null, mean_hours: null });
    expect(byCode[second.code]).toMatchObject({ suppressed: true, responses: null });
    expect(byCode[third.code]).toMatchObject({ suppressed: false, responses: 12, mean_hours: { upward: 10 } });
    const org = (await c.get(`/api/v1/pulse/results?area=${trust.code}`)).json();
    expect(org.total).toMatchObject({ suppressed: true, responses: null, mean_hours: null });
    // Second Trust's own page and API hide its 9 answers too: the ICB page hides it, and showing it on its own
    // page would give Test Trust's 5 away by subtraction from the ICB's 26.
    const own = (await c.get(`/api/v1/pulse/results?area=${second.code}`)).json();
    expect(own.total).toMatchObject({ suppressed: true, responses: null, mean_hours: null });
    expect(own.trend.every((t: { suppressed: boolean }) => t.suppressed)).toBe(true);
    const ownPage = await c.get(`/pulse/results?area=${second.code}`);
    expect(ownPage.body).toContain('or its figures are hidden so that a small group’s figures on another page');
    expect(ownPage.body).not.toMatch(/Upward reporting<\/th>\s*<td[^>]*>5\.0/);
    // Third Trust (12), shown on the ICB page, is shown on its own page as well.
    expect((await c.get(`/api/v1/pulse/results?area=${third.code}`)).json().total).toMatchObject({ responses: 12 });
  });

  it('let an organisation admin choose quarterly rounds from the next round', async () => {
    const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: second.id }] });
    const c = await signedIn(ctx, admin.id);
    expect((await c.get(`/pulse/settings/${second.code}`)).statusCode).toBe(200);
    expect((await c.post(`/pulse/settings/${second.code}`, {})).statusCode).toBe(400);
    expect((await c.post(`/pulse/settings/${second.code}`, { cadence: 'quarterly' })).statusCode).toBe(303);
    expect((await c.get(`/pulse/settings/${trust.code}`)).statusCode).toBe(403);
    // Sessions expire by the app's clock, so the clock stays before the real date; the next round of a new
    // organisation shows the quarter.
    const fourth = await makeOrg(db, {
      code: 'R71D',
      name: 'Fourth Trust 71',
      parentId: icb.id,
      icbId: icb.id,
      regionId: region.id,
    });
    const fourthAdmin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: fourth.id }] });
    expect(
      (await (await signedIn(ctx, fourthAdmin.id)).post(`/pulse/settings/${fourth.code}`, { cadence: 'quarterly' }))
        .statusCode,
    ).toBe(303);
    const m = await makeManager(db, fourth.id);
    const mc = await signedIn(ctx, m.account.id);
    expect((await mc.get('/pulse')).body).toContain('October to December 2026 round');
  });
});

describe('the pulse API', () => {
  it('saves the caller’s own answer with 201, then 200, and refuses bad hours with a precise 400', async () => {
    now = new Date('2026-11-10T09:00:00Z');
    const m = await makeManager(db, third.id);
    const c = await signedIn(ctx, m.account.id);
    const token = await c.csrf('/pulse');
    const post = (payload: unknown) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/pulse/responses',
        payload: payload as object,
        headers: { cookie: c.cookieHeader(), 'x-csrf-token': token },
      });
    const body = { upward: 5, meetings: 10, people_mgmt: 8, improvement: 2, operational: 12, other: 1 };
    const first = await post(body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ created: true, round: { name: 'November 2026', closes_on: '2026-11-30' } });
    expect((await post({ ...body, upward: 6 })).statusCode).toBe(200);
    const bad = await post({ ...body, upward: 101 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/upward must be <= 100/);
    const anon = await ctx.app.inject({ method: 'GET', url: '/api/v1/pulse/results' });
    expect(anon.statusCode).toBe(401);
    const openapi = (await c.get('/api/v1/openapi.json')).json();
    for (const path of ['/api/v1/pulse/responses', '/api/v1/pulse/results', '/api/v1/burden/trend']) {
      expect(Object.keys(openapi.paths)).toContain(path);
    }
  });
});
