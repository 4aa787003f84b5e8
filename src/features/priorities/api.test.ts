import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makeOrg } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { hashToken, newToken } from '../../plugins/session.ts';

const ctx = await testApp();
const db = ctx.deps.db;
const { icb, trust } = await makeHierarchy(db, '73');
const team = (
  await db
    .insertInto('teams')
    .values({ organisation_id: trust.id, name: 'Elm Ward', code: 'ELM', parent_team_id: null, closed_on: null })
    .returning('id')
    .executeTakeFirstOrThrow()
).id;
const icbLead = await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] });
const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });

async function apiPost(accountId: number, url: string, payload: unknown) {
  const client = await signedIn(ctx, accountId);
  const token = await client.csrf('/priorities');
  return ctx.app.inject({
    method: 'POST',
    url,
    payload: payload as Record<string, unknown>,
    headers: { cookie: client.cookieHeader(), 'x-csrf-token': token },
  });
}

const body = {
  title: 'System winter plan',
  source: 'icb',
  set_on: '2026-10-01',
  measure: 'Escalation days avoided',
  funded: false,
  owner: 'Director of Urgent Care',
};

describe('the priorities API', () => {
  it('places priorities with precise 4xx reasons, lists them and serves the thicket', async () => {
    const created = await apiPost(icbLead.id, '/api/v1/priorities', { ...body, scope: 'icb', area_code: icb.code });
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({
      scope: 'icb',
      area_code: icb.code,
      targets: [],
      status: 'active',
    });

    const forbidden = await apiPost(admin.id, '/api/v1/priorities', { ...body, scope: 'icb', area_code: icb.code });
    expect(forbidden.statusCode).toBe(403);
    expect(JSON.parse(forbidden.body).message).toBe('place: You may not place priorities there');
    const badSource = await apiPost(admin.id, '/api/v1/priorities', {
      ...body,
      source: 'nobody',
      scope: 'organisation',
    });
    expect(badSource.statusCode).toBe(400);
    expect(JSON.parse(badSource.body).message).toMatch(/^source must be one of/);
    const badTeam = await apiPost(admin.id, '/api/v1/priorities', {
      ...body,
      scope: 'organisation',
      area_code: trust.code,
      team_ids: [999999],
    });
    expect(badTeam.statusCode).toBe(400);
    const onTeam = await apiPost(admin.id, '/api/v1/priorities', {
      ...body,
      title: 'Ward audit',
      source: 'board',
      scope: 'organisation',
      area_code: trust.code,
      team_ids: [team],
    });
    expect(JSON.parse(onTeam.body).targets).toEqual([
      { organisation_code: trust.code, team_id: team, team_name: 'Elm Ward' },
    ]);

    const list = JSON.parse((await (await signedIn(ctx, admin.id)).get('/api/v1/priorities?limit=1')).body);
    expect(list.items).toHaveLength(1);
    expect(list.items[0].title).toBe('Ward audit');
    expect(list.next_cursor).not.toBeNull();
    const leadList = JSON.parse((await (await signedIn(ctx, icbLead.id)).get('/api/v1/priorities')).body);
    expect(leadList.items.map((p: { title: string }) => p.title)).toEqual(['System winter plan']);

    const thicket = JSON.parse(
      (await (await signedIn(ctx, icbLead.id)).get(`/api/v1/priorities/thicket?area=${icb.code}`)).body,
    );
    expect(thicket.figures).toMatchObject({ teams: 1, mean_per_team: 2, active_priorities: 2, unfunded_share: 100 });
    expect(thicket.areas).toEqual([expect.objectContaining({ code: trust.code })]);
    const open = await (await signedIn(ctx, admin.id)).get(`/api/v1/priorities/thicket?area=${trust.code}`);
    expect(JSON.parse(open.body).teams).toEqual([expect.objectContaining({ name: 'Elm Ward', concurrent: 2 })]);
    const openapi = JSON.parse((await ctx.app.inject({ url: '/api/v1/openapi.json' })).body);
    for (const path of [
      '/api/v1/priorities',
      '/api/v1/priorities/thicket',
      '/api/v1/reorganisations',
      '/api/v1/reorganisations/summary',
    ]) {
      expect(Object.keys(openapi.paths)).toContain(path);
    }
  });
});

/** An API token acting with the account's one grant, and a caller sending JSON with it. */
async function tokenOf(accountId: number) {
  const grant = await db.selectFrom('role_grants').select('id').where('account_id', '=', accountId).executeTakeFirst();
  const token = newToken();
  await db
    .insertInto('api_tokens')
    .values({
      account_id: accountId,
      name: 't',
      token_hash: hashToken(token),
      prefix: token.slice(0, 6),
      role_grant_id: grant?.id ?? null,
    })
    .execute();
  return async (method: 'GET' | 'PATCH' | 'POST', url: string, payload?: unknown) => {
    const res = await ctx.app.inject({
      method,
      url,
      payload: payload as Record<string, unknown> | undefined,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.statusCode, body: res.json() };
  };
}

const auditOf = (id: number) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor_account_id', 'details'])
    .where('subject_type', '=', 'priority')
    .where('subject_id', '=', String(id))
    .where('action', '!=', 'priorities.create')
    .orderBy('id')
    .execute();

describe('editing priorities through the API', () => {
  it('changes the fields the edit page allows, re-checks the whole priority and audits each field', async () => {
    const asAdmin = await tokenOf(admin.id);
    const created = await asAdmin('POST', '/api/v1/priorities', {
      ...body,
      title: 'Theatre utilisation',
      source: 'board',
      funded: true,
      funding_amount: 50000,
      scope: 'organisation',
      area_code: trust.code,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const url = `/api/v1/priorities/${id}`;

    const edited = await asAdmin('PATCH', url, { title: 'Theatre utilisation to 85%', target_date: '2027-03-31' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id,
      title: 'Theatre utilisation to 85%',
      target_date: '2027-03-31',
      measure: body.measure,
      funded: true,
      funding_amount: 50000,
      status: 'active',
    });
    expect((await asAdmin('GET', url)).body).toEqual(edited.body);
    expect(await auditOf(id)).toEqual([
      {
        action: 'priorities.update',
        actor_account_id: admin.id,
        details: {
          changes: {
            title: { from: 'Theatre utilisation', to: 'Theatre utilisation to 85%' },
            target_date: { from: null, to: '2027-03-31' },
          },
        },
      },
    ]);

    // The same checks as the page, with the field named.
    const bad = async (payload: unknown) => {
      const r = await asAdmin('PATCH', url, payload);
      expect(r.status).toBe(400);
      return r.body.message as string;
    };
    expect(await bad({ funded: false })).toBe(
      'funding_amount: Leave the funding amount blank for an unfunded priority',
    );
    expect(await bad({ target_date: '2026-01-01' })).toBe('target_date: Target date must be on or after the date set');
    expect(await bad({ title: '   ' })).toBe('title: Enter the title of the priority');
    expect(await bad({ source: 'nobody' })).toMatch(/^source must be one of: nhse_national, /);
    expect(await bad({ status: 'finished' })).toMatch(/^status must be one of: active, met, dropped/);
    expect(await bad({ funding_amount: -5 })).toMatch(/^funding_amount /);
    expect(await bad({ set_on: '2026-02-30' })).toMatch(/^set_on/);
    expect(await bad({ scope: 'national' })).toBe(
      'scope: where a priority is placed cannot be changed; mark it dropped and place a new one',
    );
    expect(await bad({ colour: 'red' })).toMatch(/^colour: not a field of a priority \(give title, source, /);
    expect(await bad({})).toMatch(/^request: give at least one field to change/);
    expect(await auditOf(id)).toHaveLength(1);

    // Unfunded, and its figures refreshed at once (one organisation): the thicket counts it unfunded.
    const unfunded = await asAdmin('PATCH', url, { funded: false, funding_amount: null, target_date: null });
    expect(unfunded.body).toMatchObject({ funded: false, funding_amount: null, target_date: null });
    const thicket = await asAdmin('GET', `/api/v1/priorities/thicket?area=${trust.code}`);
    expect(thicket.body.teams).toEqual([expect.objectContaining({ name: 'Elm Ward', unfunded: 3 })]);

    // Nothing to change: 200, nothing audited.
    expect((await asAdmin('PATCH', url, { owner: body.owner })).status).toBe(200);
    expect(await auditOf(id)).toHaveLength(2);

    // Status: met records today as its end, active clears it; audited as the status buttons are.
    const today = ctx.deps.clock.now().toISOString().slice(0, 10);
    const met = await asAdmin('PATCH', url, { status: 'met' });
    expect(met.body).toMatchObject({ status: 'met', ended_on: today });
    const back = await asAdmin('PATCH', url, { status: 'active', measure: 'Utilisation of booked sessions' });
    expect(back.body).toMatchObject({ status: 'active', ended_on: null, measure: 'Utilisation of booked sessions' });
    expect((await auditOf(id)).slice(2).map((a) => [a.action, a.details])).toEqual([
      ['priorities.status', { from: 'active', to: 'met' }],
      ['priorities.update', { changes: { measure: { from: body.measure, to: 'Utilisation of booked sessions' } } }],
      ['priorities.status', { from: 'met', to: 'active' }],
    ]);
  });

  it('lets only those who may place a priority there edit it, and queues the refresh of a wide one', async () => {
    const second = await makeOrg(db, { code: 'R73B', name: 'Second Trust', icbId: icb.id, regionId: icb.region_id });
    expect(second.id).toBeGreaterThan(0);
    const asLead = await tokenOf(icbLead.id);
    const asAdmin = await tokenOf(admin.id);
    const created = await asLead('POST', '/api/v1/priorities', {
      ...body,
      title: 'Discharge before noon',
      scope: 'icb',
      area_code: icb.code,
    });
    const url = `/api/v1/priorities/${created.body.id}`;
    // The trust's admin reads the ICB's priority but may not change it; nobody learns of priorities they cannot read.
    expect((await asAdmin('GET', url)).status).toBe(200);
    expect(await asAdmin('PATCH', url, { title: 'Mine now' })).toEqual({
      status: 403,
      body: expect.objectContaining({ message: 'You may not change this priority' }),
    });
    expect((await asAdmin('PATCH', '/api/v1/priorities/999999', { title: 'x' })).status).toBe(404);
    expect((await asAdmin('PATCH', '/api/v1/priorities/abc', { title: 'x' })).status).toBe(404);
    const otherIcb = await makeHierarchy(db, '74');
    const stranger = await tokenOf(
      (await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: otherIcb.icb.id }] })).id,
    );
    expect((await stranger('PATCH', url, { title: 'x' })).status).toBe(404);

    // A change of the date set reaches every organisation of the ICB: left to the job, as on the page.
    const pendingBefore = await db.selectFrom('priority_refresh_requests').select('id').execute();
    const moved = await asLead('PATCH', url, { set_on: '2026-09-01' });
    expect(moved.status).toBe(200);
    expect(moved.body.set_on).toBe('2026-09-01');
    const pending = await db
      .selectFrom('priority_refresh_requests')
      .select(['reason', 'done_at'])
      .where('id', 'not in', pendingBefore.length ? pendingBefore.map((r) => r.id) : [-1])
      .execute();
    expect(pending).toEqual([{ reason: `priority ${created.body.id} edited`, done_at: null }]);

    // Without a token (nor a session and its CSRF token) a PATCH is refused and changes nothing.
    expect((await ctx.app.inject({ method: 'PATCH', url, payload: { title: 'x' } })).statusCode).toBe(403);
    expect((await asLead('GET', url)).body.title).toBe('Discharge before noon');
    const openapi = JSON.parse((await ctx.app.inject({ url: '/api/v1/openapi.json' })).body);
    expect(Object.keys(openapi.paths['/api/v1/priorities/{id}'])).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(
      Object.keys(
        openapi.paths['/api/v1/priorities/{id}'].patch.requestBody.content['application/json'].schema.properties,
      ),
    ).toEqual(['title', 'source', 'set_on', 'measure', 'target_date', 'funded', 'funding_amount', 'owner', 'status']);
  });
});
