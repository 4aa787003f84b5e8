import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { hashToken, newToken } from '../../plugins/session.ts';
import { loadBundledOds } from './ods.ts';
import { findOrganisation } from './queries.ts';

const ctx = await testApp();
const { db } = ctx.deps;
await loadBundledOds(db);
const account = await makeAccount(db);
const client = await signedIn(ctx, account.id);
const token = newToken();
await db
  .insertInto('api_tokens')
  .values({ account_id: account.id, name: 'test', token_hash: hashToken(token), prefix: token.slice(0, 6) })
  .execute();
const bearer = { authorization: `Bearer ${token}` };

const getJson = async (url: string) => {
  const res = await ctx.app.inject({ method: 'GET', url, headers: bearer });
  return { status: res.statusCode, body: res.json() };
};

describe('GET /api/v1/organisations', () => {
  it('answers 401 in JSON without a token or session, even with bad parameters', async () => {
    const res = await ctx.app.inject('/api/v1/organisations?limit=0');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'Unauthorized' });
    expect(res.headers['www-authenticate']).toBe('Bearer');
    const wrong = await ctx.app.inject({ url: '/api/v1/organisations', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('pages through every ICB with cursors, in code order, without repeats', async () => {
    const codes: string[] = [];
    let url = '/api/v1/organisations?kind=icb&limit=20';
    const pages: number[] = [];
    for (;;) {
      const { status, body } = await getJson(url);
      expect(status).toBe(200);
      pages.push(body.items.length);
      codes.push(...body.items.map((i: { code: string }) => i.code));
      if (!body.next_cursor) break;
      url = `/api/v1/organisations?kind=icb&limit=20&cursor=${body.next_cursor}`;
    }
    expect(pages).toEqual([20, 20, 2]);
    expect(new Set(codes).size).toBe(42);
    expect(codes).toEqual([...codes].sort());
  });

  it('describes each organisation with its parent, ICB and region codes', async () => {
    const { body } = await getJson('/api/v1/organisations?q=royal%20free');
    expect(body.items).toEqual([
      {
        code: 'RAL',
        name: 'Royal Free London NHS Foundation Trust',
        kind: 'trust',
        parent_code: 'QMJ',
        icb_code: 'QMJ',
        region_code: 'Y56',
        opened_on: '1991-04-01',
        closed_on: null,
        postcode: 'NW3 2QG',
      },
    ]);
    expect(body.next_cursor).toBeNull();
  });

  it('filters by parent, and includes closed organisations only when asked', async () => {
    const open = await getJson('/api/v1/organisations?parent=QMJ&kind=trust&limit=200');
    expect(open.body.items.map((i: { code: string }) => i.code)).toEqual([
      'G6V2S',
      'RAL',
      'RKE',
      'RNK',
      'RP4',
      'RP6',
      'RRV',
      'RV3',
    ]);
    const all = await getJson('/api/v1/organisations?parent=qmj&kind=trust&include_closed=true&limit=200');
    expect(all.body.items).toHaveLength(11);
    expect(all.body.items.find((i: { code: string }) => i.code === 'RAP').closed_on).toBe('2024-12-31');
  });

  it.each([
    ['limit=0', 'limit must be >= 1'],
    ['limit=201', 'limit must be <= 200'],
    ['limit=ten', 'limit must be integer'],
    ['kind=hospital', 'kind must be one of: nation, region, icb, sub_icb, trust, provider, other'],
    ['include_closed=perhaps', 'include_closed must be boolean'],
    ['parent=ZZZ9', 'parent: no organisation has the ODS code ZZZ9'],
    ['cursor=not-a-cursor', 'cursor is not valid: use the next_cursor value from the previous page'],
  ])('rejects %s with 400 and a precise reason', async (query, message) => {
    const { status, body } = await getJson(`/api/v1/organisations?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'Bad Request', message });
  });

  it('works with a session as well as a token', async () => {
    const res = await client.get('/api/v1/organisations?kind=region');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(7);
  });
});

describe('GET /api/v1/organisations/:code', () => {
  it('gives an organisation with its parent history and children', async () => {
    const { status, body } = await getJson('/api/v1/organisations/QMJ');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: 'QMJ',
      kind: 'icb',
      parent_code: 'Y56',
      icb_code: 'QMJ',
      region_code: 'Y56',
      ons_code: 'E54000028',
      parent_history: [{ parent_code: 'Y56', valid_to: null }],
    });
    expect(body.children).toContain('RAL');
    expect(body.children).toContain('RAP');
    expect(body.children).toContain('93C');
    expect(Date.parse(body.parent_history[0].valid_from)).not.toBeNaN();
  });

  it('answers an unknown code with 404 JSON', async () => {
    const { status, body } = await getJson('/api/v1/organisations/NOPE1');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'Not Found', message: 'Organisation NOPE1 not found' });
  });
});

describe('GET /api/v1/organisations/:code/teams', () => {
  it('gives the teams in tree order with their depth', async () => {
    const ral = (await findOrganisation(db, 'RAL'))!;
    const insert = (name: string, parent: number | null, kind: 'directorate' | 'team') =>
      db
        .insertInto('teams')
        .values({ organisation_id: ral.id, name, kind, parent_team_id: parent, code: null, closed_on: null })
        .returning('id')
        .executeTakeFirstOrThrow();
    const medicine = await insert('Medicine', null, 'directorate');
    const surgery = await insert('Surgery', null, 'directorate');
    await insert('Theatres', surgery.id, 'team');
    await insert('Cardiology', medicine.id, 'team');
    const { status, body } = await getJson('/api/v1/organisations/RAL/teams');
    expect(status).toBe(200);
    expect(body.items.map((t: { name: string; depth: number }) => `${t.depth}:${t.name}`)).toEqual([
      '0:Medicine',
      '1:Cardiology',
      '0:Surgery',
      '1:Theatres',
    ]);
    expect(body.items[1]).toMatchObject({ parent_team_id: medicine.id, kind: 'team', code: null, closed_on: null });
  });
});

describe('OpenAPI', () => {
  it('describes the organisation endpoints and their parameters', async () => {
    const doc = (await ctx.app.inject('/api/v1/openapi.json')).json();
    const list = doc.paths['/api/v1/organisations'].get;
    const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 200, default: 50 });
    expect(limit.description ?? limit.schema.description).toContain('Items per page');
    expect(doc.paths['/api/v1/organisations/{code}']).toBeDefined();
    expect(doc.paths['/api/v1/organisations/{code}/teams']).toBeDefined();
  });
});
