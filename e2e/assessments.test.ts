import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadStarters } from '../src/features/frameworks/import.ts';
import { seed } from '../src/features/seed/seed.ts';
import { withOrganisations } from '../src/features/seed/testing.ts';
import { expectAccessible, liveApp, sharedBrowser, signedInPage } from './browser.ts';

// A demo line manager takes a self-assessment with a note and a link as evidence, reads the profile (chart and
// table), adds two gaps to the plan, downloads the record and adds an item with a due date; every page passes axe.

const live = await liveApp({ demoMode: true });
const db = live.deps.db;
await withOrganisations(db);
await loadStarters(db);
await seed(live.deps, { scale: 'demo', seed: 3, extensions: [] });
const persona = await db
  .selectFrom('accounts')
  .select('id')
  .where('is_demo', '=', true)
  .where('display_name', 'like', '%(line manager)')
  .executeTakeFirstOrThrow();
const browser = sharedBrowser();

async function checked(page: Page) {
  expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);
  await expectAccessible(page);
}

describe('self-assessment in a real browser', () => {
  it('a demo line manager assesses themselves, sees the profile, plans two gaps and exports the record', async () => {
    const page = await signedInPage(browser(), live, persona.id);
    await page.goto(`${live.baseUrl}/`);
    await page.getByRole('link', { name: 'Development', exact: true }).first().click();
    await checked(page);
    await page.getByRole('link', { name: 'Self-assessment' }).click();
    await checked(page);
    await page.getByRole('link', { name: 'Start a self-assessment' }).click();
    await checked(page);
    await page.locator('input[name=level][value=middle]').check();
    await page.getByRole('button', { name: 'Start' }).click();

    // An incomplete page first: the error summary, still accessible.
    await page.getByRole('button', { name: 'Save and continue' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Select a rating for');
    await expectAccessible(page);

    let first = true;
    while (page.url().includes('/domains/')) {
      const groups = await page.locator('fieldset .nhsuk-radios').count();
      for (let i = 0; i < groups; i++) {
        // "Capable" (the second level) everywhere: below "Proficient" where that is required.
        await page.locator('fieldset .nhsuk-radios').nth(i).locator('input[type=radio]').nth(1).check();
      }
      if (first) await expectAccessible(page);
      first = false;
      await page.getByRole('button', { name: 'Save and continue' }).click();
    }
    await checked(page);
    await page.getByRole('link', { name: 'Add or change evidence' }).click();
    await checked(page);
    await page.getByLabel('Title of the note').fill('Chaired the discharge review');
    await page.getByLabel('Note', { exact: true }).fill('I chaired the weekly review and presented the SPC charts.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByLabel('Title of the link').fill('Improvement report');
    await page.getByLabel('Web address').fill('https://example.org/report');
    await page.getByRole('button', { name: 'Add link' }).click();
    expect(await page.locator('table').first().textContent()).toContain('Improvement report');
    await checked(page);
    await page.getByRole('link', { name: 'Back to your self-assessment' }).click();
    await page.getByRole('button', { name: 'Submit self-assessment' }).click();

    expect(await page.locator('h1').textContent()).toContain('Your self-assessment result');
    expect(await page.locator('svg.app-chart').count()).toBe(1);
    expect(await page.locator('caption', { hasText: 'Self-assessment profile by domain' }).count()).toBe(1);
    expect(await page.locator('.nhsuk-tag', { hasText: 'Amber' }).count()).toBeGreaterThan(0);
    await checked(page);
    const gaps = page.locator('input[name=gap]');
    await gaps.nth(0).check();
    await gaps.nth(1).check();
    await page.getByRole('button', { name: 'Add to development plan' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('2 items added to your plan');
    expect(await page.locator('table.plans-table tbody tr').count()).toBe(2);
    await checked(page);

    await page.goto(`${live.baseUrl}/me/development/record`);
    await checked(page);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download my record (JSON)' }).click();
    const file = await download;
    const record = JSON.parse(await (await file.createReadStream()).toArray().then((c) => Buffer.concat(c).toString()));
    expect(record.format).toBe('leadwell-development-record');
    expect(record.assessments[0].evidence.map((e: { kind: string }) => e.kind)).toEqual(['note', 'link']);
    expect(record.plan).toHaveLength(2);
    for (const path of [
      '/me/development/plan',
      '/me/development/evidence',
      '/me/development/team',
      '/me/development/record/import',
    ]) {
      const res = await page.goto(live.baseUrl + path);
      expect(res?.status(), path).toBe(200);
      await expectAccessible(page);
    }

    // An item added by hand with a due date typed into the date input's three fields keeps the date.
    await page.goto(`${live.baseUrl}/me/development/plan`);
    await page.getByLabel('What you will work on').fill('Shadow the finance director');
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('2027');
    await page.getByRole('button', { name: 'Add to plan' }).click();
    await checked(page);
    const row = page.locator('table.plans-table tbody tr', { hasText: 'Shadow the finance director' });
    expect(await row.textContent()).toContain('31 March 2027');
    await page.context().close();
  }, 240_000);
});
