import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';

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
