import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../test/factories.ts';
import { Client, testApp } from '../../../test/helpers.ts';
import { SESSION_COOKIE } from '../../plugins/session.ts';
import { hashPassword } from './passwords.ts';
import { ManualClock, MINUTE } from './testing.ts';

const clock = new ManualClock();
const ctx = await testApp({
  clock,
  env: { RATE_LIMIT_SIGNIN_PER_MINUTE: '1000', BASE_URL: 'https://leadwell.example' },
});
const db = ctx.deps.db;
const OLD = 'the old password, long enough';
const NEW = 'a brand new password, also long';

let n = 0;
async function account() {
  n += 1;
  return makeAccount(db, {
    email: `reset${n}@example.nhs.uk`,
    name: `Reset Person ${n}`,
    passwordHash: await hashPassword(OLD),
  });
}

/** Ask for a reset link and read it from the outbox, as the person would from their email. */
async function requestLink(email: string): Promise<string> {
  const res = await new Client(ctx.app).post('/password-reset', { email });
  expect(res.statusCode).toBe(302);
  const mail = await db
    .selectFrom('mail_outbox')
    .select(['to_address', 'subject', 'body_text'])
    .where('to_address', '=', email)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  expect(mail.subject).toBe('Reset your Leadwell password');
  const link = mail.body_text.match(/https:\/\/leadwell\.example(\/password-reset\/[A-Za-z0-9_-]+)/);
  expect(link).not.toBeNull();
  return link![1];
}

async function resetTo(path: string, password: string, confirm = password) {
  // The CSRF token comes from the request page: a used or expired link has no form to take it from.
  return new Client(ctx.app).post(path, { password, confirm }, { csrfFrom: '/password-reset' });
}

async function canSignIn(email: string, password: string) {
  const res = await new Client(ctx.app).post('/sign-in', { email, password });
  return res.statusCode === 302;
}

describe('password reset', () => {
  it('gives the same answer for known and unknown addresses, and emails a link only to a real account', async () => {
    const a = await account();
    const known = await new Client(ctx.app).post('/password-reset', { email: a.email });
    const unknown = await new Client(ctx.app).post('/password-reset', { email: 'no.account@example.nhs.uk' });
    expect(known.statusCode).toBe(302);
    expect(unknown.statusCode).toBe(302);
    expect(known.headers.location).toBe(unknown.headers.location);
    const page = await ctx.app.inject(String(known.headers.location));
    expect(page.body).toContain('If there is a Leadwell account for that email address');
    const mails = await db.selectFrom('mail_outbox').select('to_address').execute();
    expect(mails.map((m) => m.to_address)).toContain(a.email);
    expect(mails.map((m) => m.to_address)).not.toContain('no.account@example.nhs.uk');
    const stored = await db
      .selectFrom('password_resets')
      .select(['token_hash', 'expires_at'])
      .where('account_id', '=', a.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].expires_at.getTime()).toBe(clock.now().getTime() + 60 * MINUTE);
  });

  it('sends no link to a disabled account', async () => {
    const a = await account();
    await db.updateTable('accounts').set({ status: 'disabled' }).where('id', '=', a.id).execute();
    await new Client(ctx.app).post('/password-reset', { email: a.email });
    const mail = await db.selectFrom('mail_outbox').select('id').where('to_address', '=', a.email).executeTakeFirst();
    expect(mail).toBeUndefined();
  });

  it('stores only a hash of the token', async () => {
    const a = await account();
    const path = await requestLink(a.email);
    const token = path.split('/').pop()!;
    const rows = await db.selectFrom('password_resets').select('token_hash').where('account_id', '=', a.id).execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
  });

  it('checks the new password: length, not the email, and the confirmation', async () => {
    const a = await account();
    const path = await requestLink(a.email);
    const form = await ctx.app.inject(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Choose a new password');

    const short = await resetTo(path, 'too short');
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Password must be 12 characters or more');
    const email = await resetTo(path, a.email.toUpperCase());
    expect(email.body).toContain('Password must not be your email address');
    const mismatch = await resetTo(path, NEW, `${NEW}!`);
    expect(mismatch.body).toContain('The passwords do not match');
    expect(mismatch.body).toContain('href="#confirm"');
    // None of those used the link up.
    expect((await ctx.app.inject(path)).statusCode).toBe(200);
  });

  it('changes the password once: the link is single-use, other links die, every session ends and the lock lifts', async () => {
    const a = await account();
    const signedIn = new Client(ctx.app);
    await signedIn.post('/sign-in', { email: a.email, password: OLD });
    expect((await signedIn.get('/account')).statusCode).toBe(200);
    await db
      .updateTable('accounts')
      .set({ failed_attempts: 5, locked_until: new Date(clock.now().getTime() + 10 * MINUTE) })
      .where('id', '=', a.id)
      .execute();

    const first = await requestLink(a.email);
    const second = await requestLink(a.email);
    const res = await resetTo(second, NEW);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?done=password-reset');
    expect((await ctx.app.inject('/sign-in?done=password-reset')).body).toContain('Your password has been changed');

    expect((await signedIn.get('/account')).statusCode).toBe(302);
    expect(await canSignIn(a.email, OLD)).toBe(false);
    expect(await canSignIn(a.email, NEW)).toBe(true);

    const again = await resetTo(second, 'yet another password here');
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already been used');
    const other = await ctx.app.inject(first);
    expect(other.statusCode).toBe(410);
    expect(await canSignIn(a.email, NEW)).toBe(true);

    const entry = await db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'auth.password-reset')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(entry?.subject_id).toBe(String(a.id));
  });

  it('refuses a link after an hour with a clear page', async () => {
    const a = await account();
    const path = await requestLink(a.email);
    clock.advance(61 * MINUTE);
    const page = await ctx.app.inject(path);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('This link has expired');
    expect(page.body).toContain('href="/password-reset"');
    const post = await resetTo(path, NEW);
    expect(post.statusCode).toBe(410);
    expect(await canSignIn(a.email, OLD)).toBe(true);
  });

  it('answers a made-up token with a clear page, not an error', async () => {
    const res = await ctx.app.inject('/password-reset/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('This link cannot be used');
    const odd = await ctx.app.inject('/password-reset/%3Cscript%3E');
    expect(odd.statusCode).toBe(404);
    expect(odd.body).not.toContain('<script>');
  });

  it('clears the session cookie of the browser that completed the reset', async () => {
    const a = await account();
    const client = new Client(ctx.app);
    await client.post('/sign-in', { email: a.email, password: OLD });
    expect(client.cookies.has(SESSION_COOKIE)).toBe(true);
    const path = await requestLink(a.email);
    await client.post(path, { password: NEW, confirm: NEW });
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});
