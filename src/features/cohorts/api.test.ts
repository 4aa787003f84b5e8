import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { testApp } from '../../../test/helpers.ts';
import { hashToken, newToken } from '../../plugins/session.ts';
import { makeCohort, makeProgramme } from './testing.ts';

const clock = { now: () => new Date('2026-11-20T10:00:00Z') };
const ctx = await testApp({ clock });
const { db } = ctx.deps;
const { trust } = await makeHierarchy(db, '76');
const { programmeId } = await makeProgramme(db, { providerOrgId: trust.id });
const cohortId = await makeCohort(db, { programmeId, capacity: 1, sessionAt: '2026-12-01T09:30:00Z' });

/** A bearer token of an account (personal role, or its one grant). */
async function tokenOf(account: { id: number }) {
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
  return async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await ctx.app.inject({
      method,
      url,
      payload: payload as never,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.statusCode, body: res.json() };
  };
}

const first = await makePerson(db, { orgId: trust.id });
const second = await makePerson(db, { orgId: trust.id });
const asFirst = await tokenOf(await makeAccount(db, { personId: first.id }));
const asSecond = await tokenOf(await makeAccount(db, { personId: second.id }));
const asProvider = await tokenOf(await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: trust.id }] }));

describe('the cohorts API', () => {
  it('lists a programme’s cohorts with sessions and free places', async () => {
    const res = await asFirst('GET', `/api/v1/programmes/${programmeId}/cohorts`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      id: cohortId,
      capacity: 1,
      places_free: 1,
      booking_open: true,
      starts_on: '2026-12-01',
    });
    expect(res.body.items[0].sessions[0].starts_at).toBe('2026-12-01T09:30:00.000Z');
    expect((await asFirst('GET', '/api/v1/programmes/999999/cohorts')).status).toBe(404);
  });

  it('applies, wait-lists, lists my bookings, and records completions for provider admins only', async () => {
    expect(await asFirst('POST', `/api/v1/cohorts/${cohortId}/applications`)).toMatchObject({
      status: 201,
      body: { status: 'confirmed' },
    });
    expect(await asSecond('POST', `/api/v1/cohorts/${cohortId}/applications`)).toMatchObject({
      status: 201,
      body: { status: 'waitlisted' },
    });
    expect(await asSecond('POST', `/api/v1/cohorts/${cohortId}/applications`)).toMatchObject({
      status: 409,
      body: { message: 'You have already applied for this cohort' },
    });
    const mine = await asSecond('GET', '/api/v1/me/bookings');
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ status: 'waitlisted', waiting_position: 1, certificate_code: null });
    const appId = (await asFirst('GET', '/api/v1/me/bookings')).body.items[0].id;
    const body = { completions: [{ application_id: appId, outcome: 'passed', completed_on: '2026-11-20' }] };
    expect((await asFirst('POST', `/api/v1/cohorts/${cohortId}/completions`, body)).status).toBe(403);
    expect(
      await asProvider('POST', `/api/v1/cohorts/${cohortId}/completions`, {
        completions: [{ ...body.completions[0], outcome: 'great' }],
      }),
    ).toMatchObject({
      status: 400,
    });
    const done = await asProvider('POST', `/api/v1/cohorts/${cohortId}/completions`, body);
    expect(done.status).toBe(200);
    expect(done.body.recorded).toBe(1);
    expect(done.body.certificates[0].code).toMatch(/^[23456789A-HJKMNP-Z]{10}$/);
    expect((await asFirst('GET', '/api/v1/me/bookings')).body.items[0].certificate_code).toBe(
      done.body.certificates[0].code,
    );
    const openapi = (await ctx.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/programmes/{id}/cohorts',
        '/api/v1/cohorts/{id}/applications',
        '/api/v1/me/bookings',
        '/api/v1/cohorts/{id}/completions',
      ]),
    );
  });
});
