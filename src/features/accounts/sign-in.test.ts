import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../test/factories.ts';
import { Client, testApp } from '../../../test/helpers.ts';
import { hashToken, SESSION_COOKIE } from '../../plugins/session.ts';
import { hashPassword } from './passwords.ts';
import { ManualClock, MINUTE } from './testing.ts';

const clock = new ManualClock();
const ctx = await testApp({
  clock,
  env: {
    RATE_LIMIT_SIGNIN_PER_MINUTE: '1000',
    SIGNIN_MAX_FAILURES: '3',
    SIGNIN_LOCK_MINUTES: '15',
    SESSION_IDLE_MINUTES: '30',
    SESSION_ABSOLUTE_HOURS: '2',
  },
});
const db = ctx.deps.db;
const PASSWORD = 'correct horse battery staple';
const passwordHash = await hashPassword(PASSWORD);

async function account(name = 'Sam Signin') {
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}.${Math.random().toString(36).slice(2, 8)}@example.nhs.uk`;
  return makeAccount(db, { email, name, passwordHash });
}

async function signIn(client: Client, email: string, password: string, next?: string) {
  return client.post('/sign-in', { email, password, ...(next ? { next } : {}) });
}

async function lastAudit(action: string) {
  return db
    .selectFrom('audit_log')
    .select(['action', 'subject_id', 'actor_account_id', 'details', 'ip'])
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

describe('sign-in with a password', () => {
  it('shows an NHS form with a CSRF token and nothing about demo personas or single sign-on', async () => {
    const res = await ctx.app.inject('/sign-in');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Sign in to Leadwell</h1>');
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(res.body).toContain('autocomplete="current-password"');
    expect(res.body).not.toContain('/sign-in/demo');
    expect(res.body).not.toContain('/sign-in/oidc');
  });

  it('signs in with the right password: a new session, counters reset, last sign-in and an audit entry', async () => {
    const a = await account('Good Password');
    await db.updateTable('accounts').set({ failed_attempts: 2 }).where('id', '=', a.id).execute();
    const client = new Client(ctx.app);
    const res = await signIn(client, a.email.toUpperCase(), PASSWORD);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const token = client.cookies.get(SESSION_COOKIE)!;
    const session = await db
      .selectFrom('sessions')
      .select(['account_id', 'created_at', 'expires_at'])
      .where('id', '=', hashToken(token))
      .executeTakeFirstOrThrow();
    expect(session.account_id).toBe(a.id);
    expect(session.created_at.getTime()).toBe(clock.now().getTime());
    expect(session.expires_at.getTime()).toBe(clock.now().getTime() + 2 * 60 * MINUTE);
    const row = await db
      .selectFrom('accounts')
      .select(['failed_attempts', 'last_sign_in_at'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_attempts: 0, last_sign_in_at: clock.now() });
    expect((await client.get('/')).body).toContain('Welcome, Good Password');
    const entry = await lastAudit('auth.sign-in');
    expect(entry).toMatchObject({ subject_id: String(a.id), actor_account_id: a.id, details: { method: 'password' } });
  });

  it('refuses a wrong password with the error summary, records the failure and the email of the account', async () => {
    const a = await account('Wrong Password');
    const client = new Client(ctx.app);
    const res = await signIn(client, a.email, 'not the password at all');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).toContain('Enter a correct email address and password');
    expect(res.body).toContain(`value="${a.email}"`);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    const entry = await lastAudit('auth.sign-in-failed');
    expect(entry).toMatchObject({ subject_id: String(a.id), details: { reason: 'wrong', email: a.email } });
    const row = await db
      .selectFrom('accounts')
      .select('failed_attempts')
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(1);
  });

  it('answers an unknown email exactly like a wrong password, and keeps the unknown email out of the audit log', async () => {
    const client = new Client(ctx.app);
    const res = await signIn(client, 'nobody.here@example.nhs.uk', PASSWORD);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter a correct email address and password');
    const entry = await lastAudit('auth.sign-in-failed');
    expect(entry?.subject_id).toBeNull();
    expect(JSON.stringify(entry?.details)).not.toContain('nobody.here');
  });

  it('explains missing fields next to each field', async () => {
    const res = await new Client(ctx.app).post('/sign-in', { email: '', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter your email address');
    expect(res.body).toContain('Enter your password');
    expect(res.body).toContain('href="#email"');
    const bad = await new Client(ctx.app).post('/sign-in', { email: 'not-an-email', password: 'x' });
    expect(bad.body).toContain('Enter an email address in the correct format');
  });

  it('honours next only for a path on this site', async () => {
    const a = await account('Next Param');
    const cases: [string, string][] = [
      ['/people?q=smith', '/people?q=smith'],
      ['//evil.example/x', '/'],
      ['https://evil.example/', '/'],
      ['/\\evil.example', '/'],
      ['javascript:alert(1)', '/'],
    ];
    for (const [next, expected] of cases) {
      const res = await signIn(new Client(ctx.app), a.email, PASSWORD, next);
      expect(res.headers.location, next).toBe(expected);
    }
    const page = await ctx.app.inject('/sign-in?next=%2F%2Fevil.example');
    expect(page.body).toContain('name="next" value="/"');
  });

  it('gives a new session id at sign-in, so a planted or earlier session id is worthless', async () => {
    const a = await account('Fixation');
    const client = new Client(ctx.app);
    await signIn(client, a.email, PASSWORD);
    const first = client.cookies.get(SESSION_COOKIE)!;
    await signIn(client, a.email, PASSWORD);
    const second = client.cookies.get(SESSION_COOKIE)!;
    expect(second).not.toBe(first);
    const old = await db.selectFrom('sessions').select('id').where('id', '=', hashToken(first)).executeTakeFirst();
    expect(old).toBeUndefined();

    const planted = new Client(ctx.app);
    planted.cookies.set(SESSION_COOKIE, 'planted-by-an-attacker');
    await signIn(planted, a.email, PASSWORD);
    expect(planted.cookies.get(SESSION_COOKIE)).not.toBe('planted-by-an-attacker');
  });

  it('refuses a disabled account even with the right password', async () => {
    const a = await account('Disabled Person');
    await db.updateTable('accounts').set({ status: 'disabled' }).where('id', '=', a.id).execute();
    const client = new Client(ctx.app);
    const res = await signIn(client, a.email, PASSWORD);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This account has been disabled');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

describe('lockout', () => {
  it('locks an account after the configured failures, refuses even the right password, then unlocks after the lock time', async () => {
    const a = await account('Locked Out');
    const client = new Client(ctx.app);
    expect((await signIn(client, a.email, 'wrong one')).body).toContain('Enter a correct email address and password');
    expect((await signIn(client, a.email, 'wrong two')).body).toContain('Enter a correct email address and password');
    const third = await signIn(client, a.email, 'wrong three');
    expect(third.statusCode).toBe(400);
    expect(third.body).toContain('temporarily locked');
    expect(third.body).toContain('Try again in 15 minutes');

    clock.advance(5 * MINUTE);
    const during = await signIn(client, a.email, PASSWORD);
    expect(during.statusCode).toBe(400);
    expect(during.body).toContain('Try again in 10 minutes');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);

    clock.advance(10 * MINUTE + 1000);
    const after = await signIn(client, a.email, PASSWORD);
    expect(after.statusCode).toBe(302);
    const row = await db
      .selectFrom('accounts')
      .select(['failed_attempts', 'locked_until'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_attempts: 0, locked_until: null });
  });

  it('starts counting again after a lock has run out', async () => {
    const a = await account('Recount');
    const client = new Client(ctx.app);
    for (const p of ['w1', 'w2', 'w3']) await signIn(client, a.email, p);
    clock.advance(16 * MINUTE);
    const res = await signIn(client, a.email, 'w4');
    expect(res.body).toContain('Enter a correct email address and password');
    const row = await db
      .selectFrom('accounts')
      .select('failed_attempts')
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(1);
  });

  it('locks an unknown email in the same way, so the lock message does not reveal which addresses exist', async () => {
    const client = new Client(ctx.app);
    const email = 'ghost.person@example.nhs.uk';
    await signIn(client, email, 'guess 1');
    await signIn(client, email, 'guess 2');
    const third = await signIn(client, email, 'guess 3');
    expect(third.body).toContain('temporarily locked');
    expect(third.body).toContain('Try again in 15 minutes');
    const stored = await db.selectFrom('sign_in_throttle').select('email_hash').execute();
    expect(JSON.stringify(stored)).not.toContain('ghost');
  });
});

describe('sessions and time-outs', () => {
  it('ends a session left idle for longer than the idle time-out', async () => {
    const a = await account('Idle Person');
    const client = new Client(ctx.app);
    await signIn(client, a.email, PASSWORD);
    clock.advance(29 * MINUTE);
    expect((await client.get('/account')).statusCode).toBe(200);
    clock.advance(31 * MINUTE);
    const res = await client.get('/account');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?next=%2Faccount');
    const left = await db.selectFrom('sessions').select('id').where('account_id', '=', a.id).execute();
    expect(left).toEqual([]);
  });

  it('does not read the session for static files: they cost no queries and do not keep a session alive', async () => {
    const a = await account('Static Person');
    const client = new Client(ctx.app);
    await signIn(client, a.email, PASSWORD);
    clock.advance(29 * MINUTE);
    expect((await client.get('/static/leadwell.css')).statusCode).toBe(200);
    expect((await client.get('/assets/nhsuk-frontend.min.css')).statusCode).toBe(200);
    clock.advance(2 * MINUTE);
    // 31 minutes since the last page: idle, whatever files were fetched in between.
    expect((await client.get('/account')).statusCode).toBe(302);
  });

  it('ends even a busy session at the absolute time-out', async () => {
    const a = await account('Busy Person');
    const client = new Client(ctx.app);
    await signIn(client, a.email, PASSWORD);
    // Active every 20 minutes: never idle, but the 2-hour absolute limit still applies.
    for (let i = 0; i < 5; i++) {
      clock.advance(20 * MINUTE);
      expect((await client.get('/account')).statusCode, `after ${(i + 1) * 20} minutes`).toBe(200);
    }
    clock.advance(21 * MINUTE);
    expect((await client.get('/account')).statusCode).toBe(302);
  });

  it('signs out: the session row is deleted and the cookie cleared', async () => {
    const a = await account('Sign Out');
    const client = new Client(ctx.app);
    await signIn(client, a.email, PASSWORD);
    const token = client.cookies.get(SESSION_COOKIE)!;
    const res = await client.post('/sign-out', {}, { csrfFrom: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?done=signed-out');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    const row = await db.selectFrom('sessions').select('id').where('id', '=', hashToken(token)).executeTakeFirst();
    expect(row).toBeUndefined();
    expect((await lastAudit('auth.sign-out'))?.subject_id).toBe(String(a.id));
    expect((await client.get('/sign-in?done=signed-out')).body).toContain('You have signed out.');
  });

  it('signs out everywhere: every session of the account ends, other accounts keep theirs', async () => {
    const a = await account('Everywhere');
    const other = await account('Bystander');
    const laptop = new Client(ctx.app);
    const phone = new Client(ctx.app);
    const bystander = new Client(ctx.app);
    await signIn(laptop, a.email, PASSWORD);
    await signIn(phone, a.email, PASSWORD);
    await signIn(bystander, other.email, PASSWORD);
    expect((await laptop.get('/account')).body).toContain('signed in on 2 devices');
    const res = await laptop.post('/account/sign-out-everywhere', {}, { csrfFrom: '/account' });
    expect(res.headers.location).toBe('/sign-in?done=signed-out-everywhere');
    expect((await phone.get('/account')).statusCode).toBe(302);
    expect((await laptop.get('/account')).statusCode).toBe(302);
    expect((await bystander.get('/account')).statusCode).toBe(200);
    expect((await lastAudit('auth.sign-out-everywhere'))?.subject_id).toBe(String(a.id));
  });
});

describe('CSRF', () => {
  it('refuses every form of the feature without its token', async () => {
    const a = await account('Csrf Person');
    const client = new Client(ctx.app);
    await signIn(client, a.email, PASSWORD);
    const forms = [
      '/sign-in',
      '/sign-out',
      '/sign-in/demo',
      '/password-reset',
      '/password-reset/some-token-that-does-not-matter-here-000',
      '/account/password',
      '/account/sign-out-everywhere',
    ];
    for (const url of forms) {
      const res = await client.post(
        url,
        { email: a.email, password: PASSWORD, accountId: String(a.id) },
        { csrf: false },
      );
      expect(res.statusCode, url).toBe(403);
      expect(res.body, url).toContain('This form has expired');
    }
    // Still signed in: none of those posts did anything.
    expect((await client.get('/account')).statusCode).toBe(200);
  });
});
