import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { testApp } from '../../../test/helpers.ts';
import { hashToken, newToken } from '../../plugins/session.ts';
import { refreshOrganisationStats } from '../dashboard/queries.ts';
import { saveEffortVersion } from './effort-queries.ts';
import { loadPayScales } from './pay-scales.ts';
import { refreshBurden } from './refresh.ts';
import { makeReturn } from './testing.ts';

const ctx = await testApp({ clock: { now: () => new Date('2026-06-15T09:00:00Z') } });
const { db } = ctx.deps;
const a = await makeHierarchy(db, '51');
await makePerson(db, { orgId: a.trust.id, isManager: true });
await makePerson(db, { orgId: a.trust.id, isManager: true });
await refreshOrganisationStats(db, '2026-06-15');
await loadPayScales(db);

const ids: number[] = [];
for (let i = 1; i <= 5; i++) {
  ids.push(
    await makeReturn(
      ctx.deps,
      {
        name: `National return ${i}`,
        approval_ref: i % 2 ? `DAPB100${i}` : '',
        mandatory: i <= 3 ? 'yes' : 'no',
        sunset_date: i === 5 ? '2025-03-31' : '',
      },
      ['Beds open', `Item ${i}`],
    ),
  );
}
const localId = await makeReturn(
  ctx.deps,
  { name: 'Local beds check', scope: 'local', scope_org_code: a.trust.code, requesting_body: 'other' },
  ['beds open'],
);
await saveEffortVersion(db, {
  orgId: a.trust.id,
  returnId: ids[0],
  effectiveFrom: '2025-04-01',
  lines: [{ role: 'Analyst', band: '8a', hoursPerCycle: 2 }],
  accountId: null,
});
await refreshBurden(db, '2026-06-15');

/** A personal API token for an account, acting with one of its grants (or its personal role). */
async function tokenFor(grants: { role: 'national_admin' | 'org_admin' | 'icb_lead'; orgId: number | null }[]) {
  const account = await makeAccount(db, { grants });
  const grant = await db.selectFrom('role_grants').select('id').where('account_id', '=', account.id).executeTakeFirst();
  const token = newToken();
  await db
    .insertInto('api_tokens')
    .values({
      account_id: account.id,
      name: 't',
      token_hash: hashToken(token),
      prefix: token.slice(0, 6),
      role_grant_id: grant?.id ?? null,
    })
    .execute();
  return async (url: string) => {
    const res = await ctx.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, body: res.json() };
  };
}
const asAdmin = await tokenFor([{ role: 'org_admin', orgId: a.trust.id }]);
const asNational = await tokenFor([{ role: 'national_admin', orgId: null }]);
const asPersonal = await tokenFor([]);

describe('GET /api/v1/burden/returns', () => {
  it('answers 401 without credentials, before checking parameters', async () => {
    const res = await ctx.app.inject('/api/v1/burden/returns?limit=0');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'Unauthorized' });
  });

  it('pages through the register with cursors, without repeats', async () => {
    const seen: number[] = [];
    let url = '/api/v1/burden/returns?limit=4';
    const sizes: number[] = [];
    for (;;) {
      const { status, body } = await asPersonal(url);
      expect(status).toBe(200);
      sizes.push(body.items.length);
      seen.push(...body.items.map((i: { id: number }) => i.id));
      if (!body.next_cursor) break;
      url = `/api/v1/burden/returns?limit=4&cursor=${body.next_cursor}`;
    }
    expect(sizes).toEqual([4, 2]);
    expect(seen).toEqual([...ids, localId]);
  });

  it('filters, and describes each return with its flags', async () => {
    const { body } = await asPersonal('/api/v1/burden/returns?scope=national&has_approval_ref=false&mandatory=true');
    expect(body.items.map((i: { name: string }) => i.name)).toEqual(['National return 2']);
    const past = await asPersonal('/api/v1/burden/returns?past_sunset=true');
    expect(past.body.items).toEqual([
      expect.objectContaining({
        name: 'National return 5',
        frequency: 'monthly',
        cycles_per_year: 12,
        sunset_date: '2025-03-31',
        flags: { past_sunset: true, no_approval_ref: false, duplicates_national: [] },
      }),
    ]);
    const local = await asPersonal('/api/v1/burden/returns?scope=local');
    // Return 5 is past its sunset, so it no longer counts; the others all ask for "Beds open".
    expect(local.body.items[0]).toMatchObject({
      scope: 'local',
      scope_org_code: a.trust.code,
      owner_org_code: a.trust.code,
      flags: { duplicates_national: ids.slice(0, 4) },
    });
  });

  it('explains bad parameters precisely', async () => {
    expect(await asPersonal('/api/v1/burden/returns?scope=galactic')).toEqual({
      status: 400,
      body: { error: 'Bad Request', message: 'scope must be one of: national, regional, icb, local' },
    });
    expect((await asPersonal('/api/v1/burden/returns?limit=500')).body.message).toBe('limit must be <= 200');
    expect((await asPersonal('/api/v1/burden/returns?cursor=nonsense')).body.message).toContain('cursor is not valid');
  });
});

describe('GET /api/v1/burden/returns/:id', () => {
  it('gives a return with its items and its measured burden', async () => {
    const { status, body } = await asPersonal(`/api/v1/burden/returns/${ids[0]}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: ids[0],
      name: 'National return 1',
      applies_to: 'Every NHS organisation in England',
      data_items: [
        { name: 'Beds open', definition: null, unit: null },
        { name: 'Item 1', definition: null, unit: null },
      ],
      national: { hours_year: 24, organisations: 1, managers: 2, hours_per_manager: 12, uncosted_hours_year: 0 },
    });
    expect(body.national.cost_year).toBeGreaterThan(24 * 40);
    expect((await asPersonal(`/api/v1/burden/returns/${ids[1]}`)).body.national).toBeNull();
    expect((await asPersonal('/api/v1/burden/returns/99999')).status).toBe(404);
    expect((await asPersonal('/api/v1/burden/returns/abc')).status).toBe(400);
  });
});

describe('GET /api/v1/burden/summary', () => {
  it('gives England, a region and an ICB to anyone', async () => {
    const nation = await asPersonal('/api/v1/burden/summary?level=national');
    expect(nation.body).toMatchObject({
      level: 'national',
      code: null,
      name: 'England',
      total: { hours_year: 24, organisations: 1, managers: 2 },
      by_body: [{ body: 'nhse_national', hours_year: 24 }],
      by_return: [{ return_id: ids[0], name: 'National return 1', hours_year: 24 }],
    });
    expect(nation.body.refreshed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const icb = await asPersonal(`/api/v1/burden/summary?level=icb&code=${a.icb.code.toLowerCase()}`);
    expect(icb.body).toMatchObject({ level: 'icb', code: a.icb.code, total: { hours_year: 24 } });
    const region = await asPersonal(`/api/v1/burden/summary?level=region&code=${a.region.code}`);
    expect(region.body.total.hours_year).toBe(24);
  });

  it('gives an organisation only to those who may see its detail', async () => {
    const url = `/api/v1/burden/summary?level=organisation&code=${a.trust.code}`;
    expect((await asPersonal(url)).status).toBe(403);
    const mine = await asAdmin(url);
    expect(mine.status).toBe(200);
    expect(mine.body.total).toMatchObject({ hours_year: 24, managers: 2, hours_per_manager: 12 });
    expect((await asNational(url)).status).toBe(200);
  });

  it('rejects a missing code, a wrong kind or an unknown level', async () => {
    expect((await asPersonal('/api/v1/burden/summary?level=icb')).body.message).toBe(
      'code is required for level=icb: give the ODS code',
    );
    expect((await asPersonal(`/api/v1/burden/summary?level=icb&code=${a.trust.code}`)).status).toBe(404);
    expect((await asPersonal('/api/v1/burden/summary?level=galaxy')).body.message).toBe(
      'level must be one of: national, region, icb, organisation',
    );
  });

  it('appears in the OpenAPI document', async () => {
    const doc = (await ctx.app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/burden/returns', '/api/v1/burden/returns/{id}', '/api/v1/burden/summary']),
    );
  });
});
