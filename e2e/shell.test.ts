import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../test/factories.ts';
import { expectAccessible, liveApp, newPage, sharedBrowser, signedInPage } from './browser.ts';

const live = await liveApp();
const browser = sharedBrowser();

describe('web shell in a real browser', () => {
  it('renders the landing, about, accessibility and 404 pages without accessibility violations', async () => {
    const page = await newPage(browser());
    // CSP violations and script errors show as console errors; failed loads are checked by origin below
    // (the NHS fonts come from assets.nhs.uk, which this test machine cannot reach).
    const cspErrors: string[] = [];
    const failed: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) cspErrors.push(m.text());
    });
    page.on('requestfailed', (r) => {
      if (r.url().startsWith(live.baseUrl)) failed.push(r.url());
    });
    for (const path of ['/', '/about', '/accessibility', '/no-such-page']) {
      await page.goto(live.baseUrl + path);
      expect((await page.locator('h1').first().textContent())?.trim().length).toBeGreaterThan(0);
      await expectAccessible(page);
    }
    // The NHS design system script runs under our CSP (it marks the body as supported).
    await page.goto(`${live.baseUrl}/`);
    expect(await page.evaluate(() => document.body.className)).toContain('nhsuk-frontend-supported');
    expect(cspErrors).toEqual([]);
    expect(failed).toEqual([]);
    await page.context().close();
  });

  it('keeps the account, password reset, team and error pages accessible, with and without errors', async () => {
    const db = live.deps.db;
    const { trust } = await makeHierarchy(db, '95');
    const person = await makePerson(db, { orgId: trust.id });
    const page = await newPage(browser());
    for (const path of ['/sign-in', '/password-reset', '/password-reset/not-a-real-token']) {
      await page.goto(live.baseUrl + path);
      await expectAccessible(page);
    }
    // The password reset form with an error.
    await page.goto(`${live.baseUrl}/password-reset`);
    await page.getByRole('button', { name: 'Send the link' }).first().click();
    await expectAccessible(page);
    await page.context().close();

    const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
    const adminPage = await signedInPage(browser(), live, admin.id);
    for (const path of [
      '/',
      '/account',
      `/organisations/${trust.code}`,
      `/organisations/${trust.code}/teams/new`,
      `/people/${person.id}`,
    ]) {
      const res = await adminPage.goto(live.baseUrl + path);
      expect(res?.status(), path).toBe(200);
      await expectAccessible(adminPage);
    }
    // The team form with an error (no name).
    await adminPage.goto(`${live.baseUrl}/organisations/${trust.code}/teams/new`);
    await adminPage.getByRole('button', { name: 'Add team' }).click();
    expect(await adminPage.locator('.nhsuk-error-summary').count()).toBe(1);
    await expectAccessible(adminPage);
    await adminPage.context().close();

    // The 403 page, as a staff member trying an admin page.
    const staff = await makeAccount(db, { personId: person.id });
    const staffPage = await signedInPage(browser(), live, staff.id);
    const refused = await staffPage.goto(`${live.baseUrl}/organisations/${trust.code}/teams/new`);
    expect(refused?.status()).toBe(403);
    await expectAccessible(staffPage);
    await staffPage.context().close();
  });
});
