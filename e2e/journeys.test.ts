import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/db/database.ts';
import { hashPassword } from '../src/features/accounts/passwords.ts';
import { loadBundledOds } from '../src/features/organisations/ods.ts';
import { makeAccount, makePerson } from '../test/factories.ts';
import { startTestProvider } from '../test/oidc-provider.ts';
import { expectAccessible, liveApp, newPage, sharedBrowser } from './browser.ts';

// The app on a known port, so that the OpenID provider can send people back to it.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const provider = await startTestProvider(`${base}/sign-in/oidc/callback`, {
  'nhs-uid-4242': { email: 'sso.manager@example.nhs.uk', email_verified: true },
});
const live = await liveApp({
  port,
  env: {
    BASE_URL: base,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
  },
});
const db = live.deps.db;
await loadBundledOds(db);
const trust = await db
  .selectFrom('organisations')
  .select(['id', 'code', 'name'])
  .where('code', '=', 'RJ1')
  .executeTakeFirstOrThrow();
const manager = await makePerson(db, { orgId: trust.id, given: 'Grace', family: 'Okafor', isManager: true });
const report = await makePerson(db, {
  orgId: trust.id,
  given: 'Tom',
  family: 'Lindqvist',
  managerAssignmentId: manager.assignmentId,
});
const password = 'a long and memorable passphrase';
await makeAccount(db, {
  email: 'org.admin@example.nhs.uk',
  name: 'Olu Admin',
  passwordHash: await hashPassword(password),
  grants: [{ role: 'org_admin', orgId: trust.id }],
});
await makeAccount(db, { email: 'sso.manager@example.nhs.uk', name: 'Grace Okafor', personId: manager.id });

const browser = sharedBrowser();

async function visit(page: Page, path: string) {
  const res = await page.goto(base + path);
  expect(res?.status(), path).toBeLessThan(400);
  await expectAccessible(page);
}

describe('user journeys in a real browser', () => {
  it('an organisation admin signs in with a password, browses organisations, finds people and signs out', async () => {
    const page = await newPage(browser());
    await visit(page, '/sign-in');
    // A wrong password first: the NHS error summary, still accessible.
    await page.getByLabel('Email address').fill('org.admin@example.nhs.uk');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.locator('.nhsuk-error-summary')).toBeTruthy();
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(1);
    await expectAccessible(page);

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator('h1').textContent()).toContain('Welcome, Olu Admin');
    await expectAccessible(page);

    // Browse region → ICB → trust, then search by name and by code.
    await page.getByRole('link', { name: 'Organisations', exact: true }).first().click();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'London' }).first().click();
    await expectAccessible(page);
    await visit(page, `/organisations/${trust.code}`);
    expect(await page.locator('h1').textContent()).toContain(trust.name);
    await visit(page, '/organisations?q=guy');
    expect(await page.locator('main').textContent()).toContain(trust.name);
    await visit(page, `/organisations?q=${trust.code}`);
    expect(await page.locator('main').textContent()).toContain(trust.name);

    // People: search and open a record.
    await visit(page, '/people?q=lindqvist');
    await page
      .getByRole('link', { name: /Lindqvist/ })
      .first()
      .click();
    expect(await page.locator('h1').textContent()).toContain('Tom Lindqvist');
    await expectAccessible(page);

    await visit(page, '/account');
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL(/\/sign-in|\/$/);
    const home = await page.goto(`${base}/people`);
    expect(home?.url()).toContain('/sign-in');
    await page.context().close();
  });

  it('a line manager signs in with single sign-on and sees their team', async () => {
    const page = await newPage(browser());
    await visit(page, '/sign-in');
    await page.getByRole('link', { name: 'Sign in with your NHS account' }).click();
    // The test provider's development login and consent pages.
    await page.locator('input[name="login"]').fill('nhs-uid-4242');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator('h1').textContent()).toContain('Welcome, Grace Okafor');
    expect(await page.locator('main').textContent()).toContain('You line-manage 1 person');
    await expectAccessible(page);

    await visit(page, '/people');
    const text = await page.locator('main').textContent();
    expect(text).toContain('Lindqvist');
    await visit(page, `/people/${report.id}`);
    await page.context().close();
  });
});
