import { beforeAll, describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy } from '../../../test/factories.ts';
import { type TestContext, testApp } from '../../../test/helpers.ts';
import { hashToken, newToken } from '../../plugins/session.ts';
import type { CompetencyOption } from './competencies.ts';
import { grantProvider, makeProgramme, makeProvider, withCompetencies } from './testing.ts';

let ctx: TestContext;
let comps: CompetencyOption[];
let h: Awaited<ReturnType<typeof makeHierarchy>>;

/** A token acting with the account's provider-admin grant. */
async function providerToken(providerId: number) {
  const { db } = ctx.deps;
  const account = await makeAccount(db);
  await grantProvider(db, account.id, providerId);
  const grant = await db
    .selectFrom('role_grants')
    .select('id')
    .where('account_id', '=', account.id)
    .executeTakeFirstOrThrow();
  const token = newToken();
  await db
    .insertInto('api_tokens')
    .values({
      account_id: account.id,
      name: 't',
      token_hash: hashToken(token),
      prefix: token.slice(0, 6),
      role_grant_id: grant.id,
    })
    .execute();
  return { authorization: `Bearer ${token}` };
}

beforeAll(async () => {
  ctx = await testApp();
  comps = await withCompetencies(ctx.deps.db);
  h = await makeHierarchy(ctx.deps.db, '81');
});

describe('catalogue API', () => {
  it('searches without a token, ranked, with filters and precise errors', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db, { name: 'API University' });
    const a = await makeProgramme(db, provider.id, {
      title: 'Systems leadership across a place',
      summary: 'Working with partners in an integrated care system.',
    });
    await makeProgramme(db, provider.id, {
      title: 'Partners and budgets',
      summary: 'Budgets for systems leadership teams.',
      cost_pounds: 500,
    });
    await makeProgramme(db, provider.id, { title: 'Hidden systems draft', status: 'draft' });
    const res = await ctx.app.inject({ url: '/api/v1/catalogue?q=systems%20leadership' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(2);
    expect(body.items[0].id).toBe(a.id);
    expect(body.items[0].rank).toBeGreaterThan(body.items[1].rank);
    const free = (await ctx.app.inject({ url: '/api/v1/catalogue?q=systems&cost=free' })).json();
    expect(free.items.map((i: { id: number }) => i.id)).toEqual([a.id]);

    const badLevel = await ctx.app.inject({ url: '/api/v1/catalogue?level=boss' });
    expect(badLevel.statusCode).toBe(400);
    expect(badLevel.json().message).toContain('level must be one of');
    const badRegion = await ctx.app.inject({ url: '/api/v1/catalogue?region=ZZZ' });
    expect(badRegion.statusCode).toBe(400);
    expect(badRegion.json().message).toBe('region ZZZ is not the ODS code of a region, like Y56');
  });

  it('creates, changes and publishes programmes for the caller’s own provider only', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    const auth = await providerToken(provider.id);
    const body = {
      provider_id: provider.id,
      title: 'Leading through change',
      summary: 'A programme about leading teams through reorganisation.',
      outcomes: ['Plan a change', 'Support a team through it'],
      level: 'senior',
      competency_ids: [comps[0].competencyId],
      format: 'online',
      hours: 12,
      duration_weeks: 4,
      cost_pounds: 250,
      funding: 'none',
      eligibility: { bands: ['8c', '8d'], region_codes: [h.region.code] },
      scope: 'national',
    };
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/catalogue', headers: auth, payload: body });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({
      status: 'draft',
      level: 'senior',
      outcomes: ['Plan a change', 'Support a team through it'],
    });
    expect(p.eligibility.region_codes).toEqual([h.region.code]);
    expect(p.competencies[0].id).toBe(comps[0].competencyId);

    // Not visible to the public until published.
    expect((await ctx.app.inject({ url: `/api/v1/catalogue/${p.id}` })).statusCode).toBe(404);
    const published = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/catalogue/${p.id}`,
      headers: auth,
      payload: { status: 'published', cost_pounds: 0 },
    });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', cost_pounds: 0, title: 'Leading through change' });
    expect((await ctx.app.inject({ url: `/api/v1/catalogue/${p.id}` })).json().title).toBe('Leading through change');
    const twice = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/catalogue/${p.id}`,
      headers: auth,
      payload: { status: 'published' },
    });
    expect(twice.statusCode).toBe(409);

    const otherAuth = await providerToken((await makeProvider(db)).id);
    expect(
      (
        await ctx.app.inject({
          method: 'PATCH',
          url: `/api/v1/catalogue/${p.id}`,
          headers: otherAuth,
          payload: { title: 'Mine now' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/api/v1/catalogue', headers: otherAuth, payload: body }))
        .statusCode,
    ).toBe(403);
    // Without a token the request is a browser's, and fails the CSRF check.
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/catalogue', payload: body })).statusCode).toBe(403);

    const badCompetency = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/catalogue',
      headers: auth,
      payload: { ...body, competency_ids: [999999] },
    });
    expect(badCompetency.statusCode).toBe(400);
    expect(badCompetency.json().message).toBe('competency_ids: Select competencies from the list');
  });

  it('pages through the public register with a cursor', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    for (const t of ['Alpha accredited', 'Beta accredited', 'Gamma accredited']) {
      await makeProgramme(db, provider.id, {
        title: t,
        accreditation_status: 'accredited',
        accredited_until: '2031-05-01',
      });
    }
    const first = (await ctx.app.inject({ url: '/api/v1/accreditation/register?limit=2' })).json();
    expect(first.items.map((i: { title: string }) => i.title)).toEqual(['Alpha accredited', 'Beta accredited']);
    const second = (
      await ctx.app.inject({ url: `/api/v1/accreditation/register?limit=2&cursor=${first.next_cursor}` })
    ).json();
    expect(second.items.map((i: { title: string }) => i.title)).toEqual(['Gamma accredited']);
    expect(second.next_cursor).toBeNull();
    expect((await ctx.app.inject({ url: '/api/v1/accreditation/register?cursor=nonsense' })).statusCode).toBe(400);
  });

  it('describes the endpoints in the OpenAPI document', async () => {
    const doc = (await ctx.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/catalogue', '/api/v1/catalogue/{id}', '/api/v1/accreditation/register']),
    );
    expect(doc.paths['/api/v1/catalogue'].get.security).toEqual([]);
  });
});
