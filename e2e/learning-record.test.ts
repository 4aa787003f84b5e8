import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { seedExtension as catalogueSeed } from '../src/features/catalogue/generate.ts';
import { seedExtension as cohortsSeed } from '../src/features/cohorts/generate.ts';
import { refreshSupply } from '../src/features/cohorts/supply.ts';
import { seedExtension } from '../src/features/learning-record/generate.ts';
import { seed } from '../src/features/seed/seed.ts';
import { withOrganisations } from '../src/features/seed/testing.ts';
import { expectAccessible, liveApp, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

const live = await liveApp({ demoMode: true });
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

await withOrganisations(db);
await seed(live.deps, { scale: 'demo', seed: 11, extensions: [catalogueSeed, seedExtension, cohortsSeed] });
await refreshSupply(db, new Date());
const persona = (label: string) =>
  db
    .selectFrom('accounts')
    .select(['id', 'person_id'])
    .where('is_demo', '=', true)
    .where('display_name', 'like', `%(${label})`)
    .executeTakeFirstOrThrow();

describe('the learning record in a real browser', () => {
  it('a staff member imports prior learning (a bad file first), sees it and exports it', async () => {
    const staff = await persona('staff member');
    const page = await signedInPage(staff.id);
    await page.goto(`${live.baseUrl}/me/learning`);
    expect(await page.locator('h1').textContent()).toBe('Your learning record');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Import prior learning from a CSV file' }).click();
    await expectAccessible(page);
    const bad =
      'title,provider,completed_on,hours\nCoaching conversations,Local college,2023-05-02,12\nQI basics,,2023-02-30,3\n';
    await page
      .locator('input[type=file][name=file]')
      .setInputFiles({ name: 'prior.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Import learning' }).click();
    const summary = await page.locator('.nhsuk-error-summary').textContent();
    expect(summary).toContain('Line 3: The completion date "2023-02-30" is not a real date');
    expect(await page.locator('#problems').textContent()).toContain('Problems in prior.csv');
    await expectAccessible(page);
    const applied = await db
      .selectFrom('learning_records')
      .select('id')
      .where('person_id', '=', staff.person_id!)
      .where('title', '=', 'Coaching conversations')
      .execute();
    expect(applied).toHaveLength(0);

    await page.locator('input[type=file][name=file]').setInputFiles({
      name: 'prior.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad.replace('2023-02-30', '2023-02-28')),
    });
    await page.getByRole('button', { name: 'Import learning' }).click();
    await page.waitForURL(`${live.baseUrl}/me/learning`);
    expect(await page.locator('[role=status]').textContent()).toContain('2 records imported (2 new, 0 updated)');
    const list = await page.locator('.learning-record__list').textContent();
    expect(list).toContain('Coaching conversations');
    expect(list).toContain('QI basics');
    await expectAccessible(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download your record (JSON)' }).click(),
    ]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported.records.map((r: { title: string }) => r.title)).toContain('Coaching conversations');
    expect(exported.totals.records).toBe(exported.records.length);
    await page.context().close();
  });

  it('an organisation admin opens the equity page', async () => {
    const admin = await persona('organisation admin');
    const page = await signedInPage(admin.id);
    await page.goto(`${live.baseUrl}/learning/equity`);
    expect(await page.locator('h1').textContent()).toContain('Equity of access to development in');
    expect(await page.locator('table').count()).toBeGreaterThan(5);
    await expectAccessible(page);
    await page.locator('#period').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Show period' }).click();
    expect(page.url()).toContain('period=');
    await expectAccessible(page);
    await page.context().close();
  });

  it('a regional lead reads supply and demand, drills down to an ICB and changes the breakdown', async () => {
    const lead = await persona('regional lead');
    const page = await signedInPage(lead.id);
    await page.goto(`${live.baseUrl}/cohorts/supply`);
    expect(await page.locator('h1').textContent()).toContain('Supply and demand for development in');
    await expectAccessible(page);
    // The areas table links each ICB to its own page.
    await page.locator('table a[href^="/cohorts/supply/"]').first().click();
    expect(await page.locator('.nhsuk-caption-l').first().textContent()).toContain('Integrated care board');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Staff group' }).click();
    expect(page.url()).toContain('by=');
    expect(await page.locator('a[aria-current="page"]').allTextContents()).toContain('Staff group');
    await expectAccessible(page);
    await page.context().close();
  });
});
