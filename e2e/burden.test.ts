import { describe, expect, it } from 'vitest';
import { loadPayScales } from '../src/features/burden/pay-scales.ts';
import { makeReturn } from '../src/features/burden/testing.ts';
import { makeAccount, makeHierarchy } from '../test/factories.ts';
import { expectAccessible, liveApp, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

const live = await liveApp();
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

describe('the reporting burden pages in a real browser', () => {
  it('are accessible: register, return, forms with errors, effort, analysis and overlaps', async () => {
    const { trust } = await makeHierarchy(db, '41');
    await loadPayScales(db);
    const deps = { db, clock: live.deps.clock };
    const monthly = await makeReturn(deps, { name: 'Workforce monthly', approval_ref: '' }, [
      'Staff in post',
      'Vacancies',
    ]);
    await makeReturn(deps, { name: 'Elective weekly', frequency: 'weekly' }, [
      'Staff in post',
      'Patients waiting over 52 weeks',
    ]);
    await makeReturn(deps, { name: 'Old census', sunset_date: '2024-03-31' }, ['Patients waiting more than 52 weeks']);
    const national = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
    const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });

    const page = await signedInPage(admin.id);
    await page.goto(`${live.baseUrl}/burden/organisations/${trust.code}/effort/${monthly}`);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save effort' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter at least one role');
    await expectAccessible(page);
    await page.locator('#role_1').fill('Workforce analyst');
    await page.locator('#band_1').selectOption('7');
    await page.locator('#hours_1').fill('3');
    await page.getByRole('button', { name: 'Save effort' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Effort on “Workforce monthly” recorded');
    await expectAccessible(page);
    for (const path of [
      `/burden/organisations/${trust.code}`,
      '/burden/analysis',
      '/burden/overlaps',
      '/burden/pay-scales',
    ]) {
      const res = await page.goto(live.baseUrl + path);
      expect(res?.status()).toBe(200);
      await expectAccessible(page);
    }
    await page.context().close();

    const curator = await signedInPage(national.id);
    for (const path of [
      '/burden',
      '/burden?sunset=past',
      `/burden/returns/${monthly}`,
      '/burden/items',
      '/burden/import',
    ]) {
      const res = await curator.goto(live.baseUrl + path);
      expect(res?.status()).toBe(200);
      await expectAccessible(curator);
    }
    await curator.goto(`${live.baseUrl}/burden/returns/new`);
    await expectAccessible(curator);
    await curator.getByLabel('Name of the return').fill('Browser return');
    await curator.locator('#frequency-5').check();
    await curator.getByRole('button', { name: 'Add return' }).click();
    const summary = await curator.locator('.nhsuk-error-summary').textContent();
    expect(summary).toContain('Select the body that requests the return');
    expect(summary).toContain('Enter how many times a year an ad hoc return is expected');
    await expectAccessible(curator);
    await curator.context().close();
  }, 180_000);
});
