import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { Client, testApp } from '../../../test/helpers.ts';
import { SESSION_COOKIE } from '../../plugins/session.ts';
import { hashPassword } from './passwords.ts';

const ctx = await testApp({ env: { RATE_LIMIT_SIGNIN_PER_MINUTE: '1000' } });
const db = ctx.deps.db;
const PASSWORD = 'my account password 123';

async function signedInClient(email: string, password = PASSWORD) {
  const client = new Client(ctx.app);
  const res = await client.post('/sign-in', { email, password });
  expect(res.statusCode).toBe(302);
  return client;
}

describe('your account page', () => {
  it('shows name, email, staff record, posts, roles with organisations, sessions and the links', async () => {
    const { trust } = await makeHierarchy(db);
    const person = await makePerson(db, { orgId: trust.id, given: 'Alex', family: 'Account', isManager: true });
    const account = await makeAccount(db, {
      personId: person.id,
      email: 'alex.account@example.nhs.uk',
      name: 'Alex Account',
      passwordHash: await hashPassword(PASSWORD),
      grants: [{ role: 'org_admin', orgId: trust.id }],
    });
    const client = await signedInClient(account.email);
    const page = await client.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Your account</h1>');
    expect(page.body).toContain('alex.account@example.nhs.uk');
    expect(page.body).toContain('Alex Account (staff number');
    expect(page.body).toContain(`Service Manager, band 6, ${trust.name} (${trust.code})`);
    expect(page.body).toContain('Staff member, Organisation admin');
    expect(page.body).toContain(`Organisation admin for ${trust.name} (${trust.code})`);
    expect(page.body).toContain('signed in on 1 device or browser');
    expect(page.body).toContain('action="/account/sign-out-everywhere"');
    expect(page.body).toContain('href="/account/tokens"');
    expect(page.body).toContain('action="/account/password"');
  });

  it('sends a signed-out visitor to sign in and back', async () => {
    const res = await ctx.app.inject('/account');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?next=%2Faccount');
  });
});

describe('changing your password', () => {
  it('validates the form and the current password', async () => {
    const account = await makeAccount(db, {
      email: 'change1@example.nhs.uk',
      passwordHash: await hashPassword(PASSWORD),
    });
    const client = await signedInClient(account.email);
    const empty = await client.post(
      '/account/password',
      { current: '', password: '', confirm: '' },
      { csrfFrom: '/account' },
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your current password');
    expect(empty.body).toContain('nhsuk-error-summary');
    const wrong = await client.post(
      '/account/password',
      { current: 'not my password', password: 'a perfectly fine new one', confirm: 'a perfectly fine new one' },
      { csrfFrom: '/account' },
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Your current password is not correct');
    const weak = await client.post(
      '/account/password',
      { current: PASSWORD, password: 'short', confirm: 'short' },
      { csrfFrom: '/account' },
    );
    expect(weak.body).toContain('Password must be 12 characters or more');
  });

  it('changes the password, keeps this session and ends the others', async () => {
    const account = await makeAccount(db, {
      email: 'change2@example.nhs.uk',
      passwordHash: await hashPassword(PASSWORD),
    });
    const here = await signedInClient(account.email);
    const elsewhere = await signedInClient(account.email);
    const NEW = 'the replacement password';
    const res = await here.post(
      '/account/password',
      { current: PASSWORD, password: NEW, confirm: NEW },
      { csrfFrom: '/account' },
    );
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/account?done=password-changed');
    const page = await here.get('/account?done=password-changed');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your password has been changed');
    expect((await elsewhere.get('/account')).statusCode).toBe(302);
    expect((await new Client(ctx.app).post('/sign-in', { email: account.email, password: NEW })).statusCode).toBe(302);
    const audit = await db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'account.password-changed')
      .executeTakeFirst();
    expect(audit?.subject_id).toBe(String(account.id));
  });
});

describe('demo personas', async () => {
  const demo = await testApp({ demoMode: true });
  const { trust } = await makeHierarchy(demo.deps.db);
  const person = await makePerson(demo.deps.db, { orgId: trust.id, given: 'Dee', family: 'Mo' });
  const persona = await makeAccount(demo.deps.db, {
    personId: person.id,
    name: 'Dee Mo',
    grants: [{ role: 'org_admin', orgId: trust.id }],
  });
  await demo.deps.db.updateTable('accounts').set({ is_demo: true }).where('id', '=', persona.id).execute();
  const real = await makeAccount(demo.deps.db, { name: 'Real Person' });

  it('lists demo accounts on the sign-in page, marked Demo, with their roles and organisations', async () => {
    const page = await demo.app.inject('/sign-in');
    expect(page.body).toMatch(/nhsuk-tag--yellow">\s*Demo\s*<\/strong>\s*Personas/);
    expect(page.body).toContain('nhsuk-tag--yellow');
    expect(page.body).toContain('Sign in as Dee Mo');
    expect(page.body).toContain(`Staff member, ${trust.name}`);
    expect(page.body).toContain(`Organisation admin, ${trust.name}`);
    expect(page.body).not.toContain('Real Person');
  });

  it('signs in as a demo persona with one button', async () => {
    const client = new Client(demo.app);
    const res = await client.post('/sign-in/demo', { accountId: String(persona.id) }, { csrfFrom: '/sign-in' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(client.cookies.has(SESSION_COOKIE)).toBe(true);
    expect((await client.get('/')).body).toContain('Welcome, Dee Mo');
  });

  it('refuses an account that is not a demo persona', async () => {
    const client = new Client(demo.app);
    const res = await client.post('/sign-in/demo', { accountId: String(real.id) }, { csrfFrom: '/sign-in' });
    expect(res.statusCode).toBe(403);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('does not exist outside demo mode', async () => {
    await makeAccount(db, { name: 'Not Shown' }).then((a) =>
      db.updateTable('accounts').set({ is_demo: true }).where('id', '=', a.id).execute(),
    );
    const client = new Client(ctx.app);
    const res = await client.post('/sign-in/demo', { accountId: String(persona.id) }, { csrfFrom: '/sign-in' });
    expect(res.statusCode).toBe(404);
    expect((await ctx.app.inject('/sign-in')).body).not.toContain('Not Shown');
  });
});
