import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { type Client, signedIn, testApp } from '../../../test/helpers.ts';

const ctx = await testApp();
const db = ctx.deps.db;

const { trust } = await makeHierarchy(db, '71');
const other = await makeHierarchy(db, '72');
const boss = await makePerson(db, { orgId: trust.id, isManager: true });
await makePerson(db, { orgId: trust.id, managerAssignmentId: boss.assignmentId });
const admin = await makeAccount(db, {
  personId: boss.id,
  name: 'Alex Admin',
  grants: [{ role: 'org_admin', orgId: trust.id }],
});
const adminGrant = await db
  .selectFrom('role_grants')
  .select('id')
  .where('account_id', '=', admin.id)
  .executeTakeFirstOrThrow();

await db
  .insertInto('audit_log')
  .values([
    { action: 'probe.api', subject_type: 'probe', subject_id: 'MINE', organisation_id: trust.id },
    { action: 'probe.api', subject_type: 'probe', subject_id: 'THEIRS', organisation_id: other.trust.id },
    { action: 'probe.api', subject_type: 'probe', subject_id: 'MINE-2', organisation_id: trust.id },
    { action: 'probe.api', subject_type: 'probe', subject_id: 'MINE-3', organisation_id: trust.id },
  ])
  .execute();

/** Create a token through the real form; the page that answers the POST is the only place it appears. */
async function createToken(client: Client, form: { name: string; role: string; expiry?: string }) {
  const res = await client.post('/account/tokens', { expiry: '90', ...form }, { csrfFrom: '/account/tokens/new' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  const token = res.body.match(/value="(lw_[A-Za-z0-9_-]{40,})"/)?.[1];
  expect(token).toBeDefined();
  return token!;
}

const api = (url: string, token?: string, headers: Record<string, string> = {}) =>
  ctx.app.inject({ url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

describe('personal API tokens', () => {
  it('creates a token shown once, stored only as a hash, acting with exactly the chosen grant', async () => {
    const client = await signedIn(ctx, admin.id);
    const token = await createToken(client, { name: 'Audit export', role: String(adminGrant.id) });
    const list = await client.get('/account/tokens');
    expect(list.body).toContain('Audit export');
    expect(list.body).toContain(`${token.slice(0, 9)}…`);
    expect(list.body).not.toContain(token);
    const stored = await db
      .selectFrom('api_tokens')
      .select(['token_hash', 'prefix'])
      .where('name', '=', 'Audit export')
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.prefix).toBe(token.slice(0, 9));

    const me = await api('/api/v1/me', token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      account: { id: admin.id, display_name: 'Alex Admin' },
      via: 'token',
      token: { name: 'Audit export', prefix: token.slice(0, 9) },
      roles: [{ role: 'org_admin', organisation: { code: trust.code } }],
      organisations: [{ code: trust.code }],
    });
    expect(me.json().roles).toHaveLength(1);

    const audit = await api('/api/v1/audit?action=probe.api', token);
    expect(audit.statusCode).toBe(200);
    expect(audit.json().items.map((i: { subject: { id: string } }) => i.subject.id)).toEqual([
      'MINE-3',
      'MINE-2',
      'MINE',
    ]);
    const created = await db
      .selectFrom('audit_log')
      .select(['actor_account_id', 'organisation_id'])
      .where('action', '=', 'api_token.create')
      .executeTakeFirstOrThrow();
    expect(created).toEqual({ actor_account_id: admin.id, organisation_id: trust.id });
  });

  it('pages the audit API with limit and cursor, and explains bad parameters as JSON', async () => {
    const client = await signedIn(ctx, admin.id);
    const token = await createToken(client, { name: 'Pager', role: String(adminGrant.id) });
    const first = (await api('/api/v1/audit?action=probe.api&limit=2', token)).json();
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await api(`/api/v1/audit?action=probe.api&limit=2&cursor=${first.next_cursor}`, token)).json();
    expect(second.items.map((i: { subject: { id: string } }) => i.subject.id)).toEqual(['MINE']);
    expect(second.next_cursor).toBeNull();
    const bad = await api('/api/v1/audit?from=2026-02-30', token);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'Bad Request', message: expect.stringContaining('from') });
    const reversed = await api('/api/v1/audit?from=2026-02-02&to=2026-02-01', token);
    expect(reversed.json().message).toBe('to: To date must be the same as or after the from date');
    const cursor = await api('/api/v1/audit?cursor=WzEsMl0', token);
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().message).toMatch(/^cursor is not valid/);
  });

  it('a personal token of an organisation admin acts as staff and line manager only: no audit log', async () => {
    const client = await signedIn(ctx, admin.id);
    const token = await createToken(client, { name: 'Personal', role: 'personal' });
    const me = (await api('/api/v1/me', token)).json();
    expect(me.roles.map((r: { role: string }) => r.role)).toEqual(['staff', 'line_manager']);
    expect(me.organisations).toEqual([]);
    const audit = await api('/api/v1/audit', token);
    expect(audit.statusCode).toBe(403);
    expect(audit.json()).toMatchObject({ error: 'Forbidden', message: expect.stringContaining('audit log') });
  });

  it('refuses a role the viewer does not hold, a missing name and a duplicate name with 400', async () => {
    const client = await signedIn(ctx, admin.id);
    const stranger = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
    const strangerGrant = await db
      .selectFrom('role_grants')
      .select('id')
      .where('account_id', '=', stranger.id)
      .executeTakeFirstOrThrow();
    const stolen = await client.post(
      '/account/tokens',
      { name: 'Escalate', role: String(strangerGrant.id), expiry: '30' },
      { csrfFrom: '/account/tokens/new' },
    );
    expect(stolen.statusCode).toBe(400);
    expect(stolen.body).toContain('Select one of the roles listed');
    const empty = await client.post(
      '/account/tokens',
      { name: ' ', role: 'personal', expiry: '30' },
      { csrfFrom: '/account/tokens/new' },
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a name for the token');
    expect(empty.body).toContain('href="#name"');
    await createToken(client, { name: 'Nightly', role: 'personal' });
    const twice = await client.post(
      '/account/tokens',
      { name: 'nightly', role: 'personal', expiry: '30' },
      { csrfFrom: '/account/tokens/new' },
    );
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('You already have an active token called');
    const count = await db.selectFrom('api_tokens').select('id').where('account_id', '=', stranger.id).execute();
    expect(count).toEqual([]);
  });

  it('revoked, expired and unknown tokens get a 401 JSON answer with the reason', async () => {
    const client = await signedIn(ctx, admin.id);
    const revoked = await createToken(client, { name: 'To revoke', role: 'personal' });
    const row = await db
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', 'To revoke')
      .executeTakeFirstOrThrow();
    expect((await api('/api/v1/me', revoked)).statusCode).toBe(200);
    const res = await client.post(`/account/tokens/${row.id}/revoke`, {}, { csrfFrom: '/account/tokens' });
    expect(res.statusCode).toBe(303);
    const list = await client.get('/account/tokens');
    expect(list.body).toContain('The token ‘To revoke’');
    expect((await client.get('/account/tokens')).body).not.toContain('The token ‘To revoke’');
    const afterRevoke = await api('/api/v1/me', revoked);
    expect(afterRevoke.statusCode).toBe(401);
    expect(afterRevoke.headers['www-authenticate']).toBe('Bearer');
    expect(afterRevoke.json()).toEqual({ error: 'Unauthorized', message: 'The API token has been revoked' });
    expect(
      await db.selectFrom('audit_log').select('subject_id').where('action', '=', 'api_token.revoke').execute(),
    ).toEqual([{ subject_id: String(row.id) }]);

    const expired = await createToken(client, { name: 'Short-lived', role: 'personal', expiry: '30' });
    await db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('name', '=', 'Short-lived')
      .execute();
    expect((await api('/api/v1/me', expired)).json()).toEqual({
      error: 'Unauthorized',
      message: 'The API token has expired',
    });

    expect((await api('/api/v1/me', 'lw_nonsense')).json().message).toBe('The API token is not recognised');
    const none = await api('/api/v1/me');
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(/Authorization: Bearer/);
  });

  it('does not let another account revoke a token', async () => {
    const client = await signedIn(ctx, admin.id);
    await createToken(client, { name: 'Mine only', role: 'personal' });
    const row = await db
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', 'Mine only')
      .executeTakeFirstOrThrow();
    const intruder = await signedIn(ctx, (await makeAccount(db)).id);
    const res = await intruder.post(`/account/tokens/${row.id}/revoke`, {}, { csrfFrom: '/account/tokens' });
    expect(res.statusCode).toBe(404);
    const still = await db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(still.revoked_at).toBeNull();
  });

  it('never signs anyone in to web pages with a token', async () => {
    const client = await signedIn(ctx, admin.id);
    const token = await createToken(client, { name: 'Web attempt', role: String(adminGrant.id) });
    const home = await api('/', token);
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain('Welcome,');
    expect(home.body).toContain('href="/sign-in"');
    expect((await api('/admin/audit', token)).statusCode).toBe(302);
  });

  it('offers the API tokens card on the home page', async () => {
    const client = await signedIn(ctx, admin.id);
    expect((await client.get('/')).body).toContain('href="/account/tokens"');
  });
});

describe('API documentation', () => {
  it('is a public NHS page listing the endpoints from the OpenAPI document', async () => {
    const res = await ctx.app.inject('/api/v1/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Authorization: Bearer');
    expect(res.body).toContain('next_cursor');
    expect(res.body).toContain('<code>/api/v1/audit</code>');
    expect(res.body).toContain('<code>/api/v1/me</code>');
    expect(res.body).toContain('Search the audit log');
    const spec = (await ctx.app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/audit', '/api/v1/me']));
    expect(spec.paths['/api/v1/docs']).toBeUndefined();
    expect(spec.paths['/api/v1/audit'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['actor', 'person', 'action', 'organisation', 'from', 'to', 'limit', 'cursor']),
    );
  });
});
