import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';

const ctx = await testApp();
const db = ctx.deps.db;

/** Names listed on a people page, in order. */
const namesOn = (html: string) => [...html.matchAll(/<a href="\/people\/\d+">([^<]+)<\/a><\/th>/g)].map((m) => m[1]);

describe('people pages and API', async () => {
  const a = await makeHierarchy(db, '91');
  const b = await makeHierarchy(db, '92');
  const boss = await makePerson(db, { orgId: a.trust.id, given: 'Bella', family: 'Boss', isManager: true, band: '8b' });
  const report = await makePerson(db, {
    orgId: a.trust.id,
    given: 'Rita',
    family: 'Report',
    managerAssignmentId: boss.assignmentId,
    ethnicity: 'H - Asian or Asian British - Indian',
  });
  const peer = await makePerson(db, { orgId: a.trust.id, given: 'Pete', family: 'Peer', staffGroup: '08', band: '4' });
  await makePerson(db, { orgId: a.trust.id, given: 'Len', family: 'Leaver', endDate: '2024-01-01' });
  const faraway = await makePerson(db, { orgId: b.trust.id, given: 'Fay', family: 'Faraway' });

  const bossClient = await signedIn(ctx, (await makeAccount(db, { personId: boss.id })).id);
  const adminClient = await signedIn(
    ctx,
    (await makeAccount(db, { name: 'Ada Admin', grants: [{ role: 'org_admin', orgId: a.trust.id }] })).id,
  );
  const regionClient = await signedIn(
    ctx,
    (await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: a.region.id }] })).id,
  );
  const nationalClient = await signedIn(
    ctx,
    (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id,
  );
  const staffAccount = await makeAccount(db, { personId: peer.id });
  const staffClient = await signedIn(ctx, staffAccount.id);

  it('shows a line manager only themselves and their reports', async () => {
    const res = await bossClient.get('/people');
    expect(res.statusCode).toBe(200);
    expect(namesOn(res.body)).toEqual(['Boss, Bella', 'Report, Rita']);
  });

  it('shows an organisation admin their organisation only, leavers on request', async () => {
    const res = await adminClient.get('/people');
    expect(namesOn(res.body)).toEqual(['Boss, Bella', 'Peer, Pete', 'Report, Rita']);
    const withLeavers = await adminClient.get('/people?leavers=yes');
    expect(namesOn(withLeavers.body)).toEqual(['Boss, Bella', 'Leaver, Len', 'Peer, Pete', 'Report, Rita']);
    expect(withLeavers.body).toContain('Left 1 Jan 2024');
    const elsewhere = await adminClient.get(`/people?org=${b.trust.code}`);
    expect(namesOn(elsewhere.body)).toEqual([]);
    expect(elsewhere.body).toContain('No people found');
  });

  it('searches by name, staff number and email, and filters by staff group, band and managers', async () => {
    const byName = await nationalClient.get('/people?q=rep');
    expect(namesOn(byName.body)).toEqual(['Report, Rita']);
    expect(namesOn((await nationalClient.get('/people?q=Rita%20Rep')).body)).toEqual(['Report, Rita']);
    expect(namesOn((await nationalClient.get('/people?q=Bella%20Rep')).body)).toEqual([]);
    // The start of a family name, not any part of it.
    expect(namesOn((await nationalClient.get('/people?q=port')).body)).toEqual([]);
    const staffNumber = (
      await db.selectFrom('people').select('staff_number').where('id', '=', faraway.id).executeTakeFirstOrThrow()
    ).staff_number!;
    expect(namesOn((await nationalClient.get(`/people?q=${staffNumber}`)).body)).toEqual(['Faraway, Fay']);
    expect(
      namesOn((await nationalClient.get(`/people?q=${encodeURIComponent(peer.email!.toUpperCase())}`)).body),
    ).toEqual(['Peer, Pete']);
    expect(namesOn((await nationalClient.get(`/people?org=${a.trust.code}&staff_group=08`)).body)).toEqual([
      'Peer, Pete',
    ]);
    expect(namesOn((await nationalClient.get(`/people?org=${a.trust.code}&band=8b`)).body)).toEqual(['Boss, Bella']);
    expect(namesOn((await nationalClient.get(`/people?org=${a.trust.code}&managers=yes`)).body)).toEqual([
      'Boss, Bella',
    ]);
  });

  it('matches a family-name prefix literally, for national and organisation admins alike', async () => {
    const { trust } = await makeHierarchy(db, '94');
    await makePerson(db, { orgId: trust.id, given: 'Ola', family: "O'Brien" });
    await makePerson(db, { orgId: trust.id, given: 'Pat', family: 'Per_cent' });
    await makePerson(db, { orgId: trust.id, given: 'Percy', family: 'Perxcent' });
    const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] })).id);
    for (const [client, org] of [
      [nationalClient, `&org=${trust.code}`],
      [nationalClient, ''],
      [admin, ''],
    ] as const) {
      const names = async (q: string) => namesOn((await client.get(`/people?q=${encodeURIComponent(q)}${org}`)).body);
      expect(await names("o'b")).toEqual(['O&#39;Brien, Ola']);
      // % and _ are characters of the name, not patterns.
      expect(await names('per_')).toEqual(['Per_cent, Pat']);
      expect(await names('per%')).toEqual([]);
      expect(await names('PERX')).toEqual(['Perxcent, Percy']);
    }
  });

  it('rejects wrong filters with the error summary', async () => {
    const res = await nationalClient.get('/people?band=10&org=NOPE1');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Select a band from the list');
    const unknown = await nationalClient.get('/people?org=ZZ999');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No organisation has the ODS code ZZ999');
  });

  it('pages through results with a next-page link, 25 at a time', async () => {
    const { trust } = await makeHierarchy(db, '93');
    for (let i = 0; i < 27; i++)
      await makePerson(db, { orgId: trust.id, given: `G${i}`, family: `Pager${String(i).padStart(2, '0')}` });
    const first = await nationalClient.get(`/people?org=${trust.code}`);
    expect(namesOn(first.body)).toHaveLength(25);
    const next = first.body.match(/href="(\/people\?[^"]*after=[^"#]+)[^"]*"/)![1].replaceAll('&amp;', '&');
    const second = await nationalClient.get(next);
    expect(namesOn(second.body)).toEqual(['Pager25, G25', 'Pager26, G26']);
    expect(second.body).toContain('First page');
  });

  it('refuses the people list to staff members', async () => {
    expect((await staffClient.get('/people')).statusCode).toBe(403);
  });

  it('shows a person page with assignments, manager link, reports and history', async () => {
    await db.updateTable('assignments').set({ band: '7' }).where('id', '=', report.assignmentId).execute();
    const res = await adminClient.get(`/people/${report.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Rita Report</h1>');
    expect(res.body).toContain(`<a href="/people/${boss.id}">Bella Boss</a>`);
    expect(res.body).toContain('Band: Band 6 → Band 7');
    expect(res.body).toContain('Equality information');
    expect(res.body).toContain('H - Asian or Asian British - Indian');
    const bossPage = await adminClient.get(`/people/${boss.id}`);
    expect(bossPage.body).toContain(`<a href="/people/${report.id}">Rita Report</a>`);
  });

  it('hides equality fields from line managers and regional leads, on the page and in the API', async () => {
    const managerView = await bossClient.get(`/people/${report.id}`);
    expect(managerView.statusCode).toBe(200);
    expect(managerView.body).not.toContain('Equality information');
    expect(managerView.body).not.toContain('Asian British');
    const regionView = await regionClient.get(`/people/${report.id}`);
    expect(regionView.statusCode).toBe(200);
    expect(regionView.body).not.toContain('Equality information');
    const api = await regionClient.get(`/api/v1/people/${report.id}`);
    expect(api.statusCode).toBe(200);
    expect(api.json()).not.toHaveProperty('equality');
    const adminApi = await adminClient.get(`/api/v1/people/${report.id}`);
    expect(adminApi.json().equality).toEqual({
      ethnicity: 'H - Asian or Asian British - Indian',
      disability: 'No',
      sex: 'Female',
      age_band: '41-45',
    });
  });

  it('answers the same 404 for no such person and for a person outside scope, so ids cannot be probed', async () => {
    const missing = await adminClient.get('/people/999999999');
    expect(missing.statusCode).toBe(404);
    const outside = await adminClient.get(`/people/${faraway.id}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.body).not.toContain('Faraway');
    expect(outside.body.replace(/nonce="[^"]+"|value="[^"]+"/g, '')).toBe(
      missing.body.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
    );
    expect((await staffClient.get(`/people/${report.id}`)).statusCode).toBe(404);
    const apiMissing = await adminClient.get('/api/v1/people/999999999');
    const apiOutside = await adminClient.get(`/api/v1/people/${faraway.id}`);
    expect(apiOutside.statusCode).toBe(404);
    expect(apiOutside.json()).toEqual(apiMissing.json());
    // An id beyond what the database holds is a clear 400, not a database error.
    const huge = await adminClient.get('/api/v1/people/99999999999999999999');
    expect(huge.statusCode).toBe(400);
    expect(huge.json().message).toMatch(/^id must be <=/);
  });

  it('audits every view of another person’s record, but not of one’s own', async () => {
    const self = await staffClient.get(`/people/${peer.id}`);
    expect(self.statusCode).toBe(200);
    expect(self.body).toContain('Equality information');
    const views = await db
      .selectFrom('audit_log')
      .select(['actor_account_id', 'person_id', 'details'])
      .where('action', '=', 'person.view')
      .execute();
    expect(views.some((v) => v.person_id === peer.id && v.actor_account_id === staffAccount.id)).toBe(false);
    const adminViews = views.filter((v) => v.person_id === report.id);
    expect(adminViews.length).toBeGreaterThanOrEqual(4);
    expect(adminViews.some((v) => (v.details as { via: string }).via === 'api')).toBe(true);
  });

  describe('API', () => {
    it('lists people in scope with cursor pagination and no equality fields', async () => {
      const res = await adminClient.get('/api/v1/people?limit=2');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.map((p: { family_name: string }) => p.family_name)).toEqual(['Boss', 'Peer']);
      expect(body.items[0]).toEqual({
        id: boss.id,
        given_name: 'Bella',
        family_name: 'Boss',
        position_title: 'Service Manager',
        organisation: { code: a.trust.code, name: a.trust.name },
        band: '8b',
        staff_group: '03',
        current: true,
      });
      expect(JSON.stringify(body)).not.toContain('ethnicity');
      const next = await adminClient.get(`/api/v1/people?limit=2&cursor=${body.next_cursor}`);
      expect(next.json().items.map((p: { family_name: string }) => p.family_name)).toEqual(['Report']);
      expect(next.json().next_cursor).toBeNull();
    });

    it('answers 400 with a precise reason, 401 without credentials and 403 without the right role', async () => {
      const limit = await adminClient.get('/api/v1/people?limit=0');
      expect(limit.statusCode).toBe(400);
      expect(limit.json()).toEqual({ error: 'Bad Request', message: 'limit must be >= 1' });
      expect((await adminClient.get('/api/v1/people?band=10')).json().message).toMatch(/^band must be one of: 1, 2/);
      expect((await adminClient.get('/api/v1/people?org=ZZ999')).json().message).toBe(
        'org: no organisation has the ODS code ZZ999',
      );
      expect((await adminClient.get('/api/v1/people?cursor=abc')).json().message).toMatch(/^cursor is not valid/);
      const anonymous = await ctx.app.inject('/api/v1/people');
      expect(anonymous.statusCode).toBe(401);
      expect((await staffClient.get('/api/v1/people')).statusCode).toBe(403);
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await ctx.app.inject('/api/v1/openapi.json')).json();
      expect(doc.paths['/api/v1/people'].get.parameters.map((p: { name: string }) => p.name)).toContain(
        'include_leavers',
      );
      expect(doc.paths['/api/v1/people/{id}']).toBeDefined();
    });
  });
});
