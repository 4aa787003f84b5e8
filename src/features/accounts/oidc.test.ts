import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../test/factories.ts';
import { Client, testApp } from '../../../test/helpers.ts';
import { startTestProvider } from '../../../test/oidc-provider.ts';
import { freePort } from '../../db/database.ts';
import { SESSION_COOKIE } from '../../plugins/session.ts';

const APP = 'http://localhost:3000';
const identities: Record<string, { email?: string; email_verified?: boolean }> = {
  'nhs-uid-0001': { email: 'oidc.person@example.nhs.uk', email_verified: true },
  'nhs-uid-0002': { email: 'stranger@example.nhs.uk', email_verified: true },
  'nhs-uid-0003': { email: 'unverified@example.nhs.uk', email_verified: false },
};
const { issuer, clientId, clientSecret } = await startTestProvider(`${APP}/sign-in/oidc/callback`, identities);

const ctx = await testApp({
  env: {
    BASE_URL: APP,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: clientId,
    OIDC_CLIENT_SECRET: clientSecret,
    OIDC_LABEL: 'Sign in with your NHS account',
  },
});
const db = ctx.deps.db;

/**
 * Play the person's browser at the provider: follow redirects by hand, fill in the development login
 * form with `login` as the subject, approve the consent page, and stop at the redirect back to Leadwell.
 */
async function atProvider(authorisationUrl: string, login: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorisationUrl;
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      body,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.origin === APP) return next.pathname + next.search;
      url = next.href;
      body = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 300)}`);
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="([^"]+)"/)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page: ${html.slice(0, 300)}`);
    url = new URL(action, url).href;
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'not checked' } : { prompt }).toString();
  }
  throw new Error('too many steps at the provider');
}

/** Start at Leadwell, sign in at the provider as `subject`, and come back to Leadwell's callback. */
async function ssoAs(client: Client, subject: string, next?: string) {
  const start = await client.get(next ? `/sign-in/oidc?next=${encodeURIComponent(next)}` : '/sign-in/oidc');
  expect(start.statusCode).toBe(302);
  const location = String(start.headers.location);
  expect(location.startsWith(`${issuer}/`)).toBe(true);
  const callback = await atProvider(location, subject);
  return client.get(callback);
}

async function refusals() {
  return db
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('action', '=', 'auth.sign-in-refused')
    .orderBy('id')
    .execute();
}

describe('single sign-on with OpenID Connect', () => {
  it('offers the configured link on the sign-in page', async () => {
    const page = await ctx.app.inject('/sign-in?next=%2Faccount');
    expect(page.body).toContain('Sign in with your NHS account');
    expect(page.body).toContain('href="/sign-in/oidc?next=%2Faccount"');
  });

  it('sends the person to the provider with PKCE, state and nonce, remembered in a signed httpOnly cookie', async () => {
    const client = new Client(ctx.app);
    const res = await client.get('/sign-in/oidc');
    const url = new URL(String(res.headers.location));
    expect(url.searchParams.get('client_id')).toBe('leadwell-test');
    expect(url.searchParams.get('redirect_uri')).toBe(`${APP}/sign-in/oidc/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain('lw_oidc=');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Path=/sign-in/oidc');
  });

  it('signs in the account whose email matches, links the subject, and honours next', async () => {
    const account = await makeAccount(db, { email: 'OIDC.Person@example.nhs.uk', name: 'Oidc Person' });
    const client = new Client(ctx.app);
    const res = await ssoAs(client, 'nhs-uid-0001', '/account');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/account');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(true);
    expect(client.cookies.has('lw_oidc')).toBe(false);
    const page = await client.get('/account');
    expect(page.body).toContain('Oidc Person');
    expect(page.body).toContain('there is no Leadwell password to change');
    const row = await db
      .selectFrom('accounts')
      .select('oidc_subject')
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(row.oidc_subject).toBe('nhs-uid-0001');
    const entry = await db
      .selectFrom('audit_log')
      .select(['subject_id', 'details'])
      .where('action', '=', 'auth.sign-in')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ subject_id: String(account.id), details: { method: 'oidc', linked: true } });

    // Once linked, the subject is what counts, even after the email in Leadwell changes.
    await db.updateTable('accounts').set({ email: 'renamed@example.nhs.uk' }).where('id', '=', account.id).execute();
    const again = new Client(ctx.app);
    expect((await ssoAs(again, 'nhs-uid-0001')).headers.location).toBe('/');
    expect((await again.get('/account')).body).toContain('renamed@example.nhs.uk');
  });

  it('refuses an NHS identity with no Leadwell account, with a clear page and an audit entry', async () => {
    const client = new Client(ctx.app);
    const res = await ssoAs(client, 'nhs-uid-0002');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('There is no Leadwell account for this NHS identity');
    expect(res.body).toContain('Ask your Leadwell administrator');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    const last = (await refusals()).at(-1);
    expect(last?.details).toMatchObject({
      method: 'oidc',
      reason: 'no-account',
      subject: 'nhs-uid-0002',
      email: 'stranger@example.nhs.uk',
    });
  });

  it('does not match on an email address the provider has not verified', async () => {
    await makeAccount(db, { email: 'unverified@example.nhs.uk', name: 'Unverified' });
    const client = new Client(ctx.app);
    const res = await ssoAs(client, 'nhs-uid-0003');
    expect(res.statusCode).toBe(400);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await refusals()).at(-1)?.details).toMatchObject({ reason: 'unverified-email' });
  });

  it('refuses a callback whose state does not match, before talking to the provider', async () => {
    const client = new Client(ctx.app);
    await client.get('/sign-in/oidc');
    const res = await client.get('/sign-in/oidc/callback?code=stolen-code&state=not-the-state');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('We could not sign you in');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await refusals()).at(-1)?.details).toMatchObject({ reason: 'state' });
  });

  it('refuses a callback without the flow cookie (another browser, or too late)', async () => {
    const client = new Client(ctx.app);
    const res = await client.get('/sign-in/oidc/callback?code=x&state=y');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('started in another browser');
  });

  it('refuses a forged flow cookie', async () => {
    const client = new Client(ctx.app);
    client.cookies.set(
      'lw_oidc',
      encodeURIComponent(
        JSON.stringify({ state: 'y', nonce: 'n', verifier: 'v', next: '/', expires: Date.now() + 60_000 }),
      ),
    );
    const res = await client.get('/sign-in/oidc/callback?code=x&state=y');
    expect(res.statusCode).toBe(400);
    expect((await refusals()).at(-1)?.details).toMatchObject({ reason: 'expired' });
  });
});

describe('single sign-on when the provider is unreachable or not configured', async () => {
  const closedPort = await freePort();
  const down = await testApp({
    env: { OIDC_ISSUER: `http://127.0.0.1:${closedPort}`, OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' },
  });
  const plain = await testApp();

  it('shows a clear 503 page when discovery fails', async () => {
    const res = await down.app.inject('/sign-in/oidc');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('is not available at the moment');
    expect(res.body).toContain('sign in with it');
  });

  it('has no single sign-on routes or link without OIDC configuration', async () => {
    expect((await plain.app.inject('/sign-in/oidc')).statusCode).toBe(404);
    expect((await plain.app.inject('/sign-in/oidc/callback?code=x&state=y')).statusCode).toBe(404);
    expect((await plain.app.inject('/sign-in')).body).not.toContain('NHS account');
  });
});
