import { describe, expect, it } from 'vitest';
import { loadStarters } from '../src/features/frameworks/import.ts';
import { makeAccount } from '../test/factories.ts';
import { expectAccessible, liveApp, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

const live = await liveApp();
const db = live.deps.db;
await loadStarters(db);
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

describe('competency frameworks in a real browser', () => {
  it('are accessible to read: the list and a version', async () => {
    const page = await signedInPage((await makeAccount(db)).id);
    for (const path of [
      '/frameworks',
      '/frameworks/leadwell-management-standards',
      '/frameworks/healthcare-leadership-model',
    ]) {
      const res = await page.goto(live.baseUrl + path);
      expect(res?.status()).toBe(200);
      await expectAccessible(page);
    }
    await page.context().close();
  }, 90_000);

  it('are accessible to author, with and without errors, and a draft can be built and published by hand', async () => {
    const admin = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
    const page = await signedInPage(admin.id);

    await page.goto(`${live.baseUrl}/frameworks/new`);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create framework' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter the framework’s title');
    await expectAccessible(page);
    await page.getByLabel('Title').fill('Browser framework');
    await page.getByLabel('Key').fill('browser-framework');
    await page.getByRole('button', { name: 'Create framework' }).click();
    expect(page.url()).toBe(`${live.baseUrl}/frameworks/browser-framework/draft`);
    await expectAccessible(page);

    // Publishing an empty draft: the completeness report as an error summary.
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Add at least one domain');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Add a domain' }).click();
    await page.getByLabel('Title').fill('Leading people');
    await page.getByRole('button', { name: 'Save domain' }).click();
    await page.getByRole('link', { name: 'Add a competency to domain D1' }).click();
    await expectAccessible(page);
    await page.getByLabel('Title').fill('Coaching');
    await page.getByLabel('Indicator statements (optional)').fill('Asks open questions\nAgrees next steps');
    await page.getByRole('button', { name: 'Add competency' }).click();
    await page.getByRole('button', { name: 'Add statement' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter the indicator statement');
    await expectAccessible(page);

    await page.goto(`${live.baseUrl}/frameworks/browser-framework/draft/scale`);
    for (const [label, value] of [
      ['Low', '1'],
      ['High', '2'],
    ]) {
      await page.getByLabel('Label').fill(label);
      await page.getByLabel('Value (optional)').fill(value);
      await page.getByRole('button', { name: 'Add level' }).click();
    }
    await page.getByLabel('Proficiency threshold').selectOption('2');
    await page.getByRole('button', { name: 'Save threshold and bands' }).click();
    await expectAccessible(page);
    await page.getByLabel('Label').fill('Low');
    await page.getByRole('button', { name: 'Add level' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('already has a level called Low');
    await expectAccessible(page);

    await page.goto(`${live.baseUrl}/frameworks/browser-framework/draft/required`);
    await page.getByLabel('Required level for middle managers, domain D1').selectOption('2');
    await page.getByRole('button', { name: 'Save required levels' }).click();
    await expectAccessible(page);

    await page.goto(`${live.baseUrl}/frameworks/browser-framework/draft`);
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Version 1 is published');
    await expectAccessible(page);

    await page.goto(`${live.baseUrl}/frameworks/import`);
    await expectAccessible(page);
    await page.locator('input[type=file][name=file]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('framework,domain_code,domain_title,competency_code,competency_title\nx-y,D1,,D1.1,A\n'),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('line 2, domain_title');
    await expectAccessible(page);
    await page.context().close();
  }, 180_000);
});
