import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../test/factories.ts';
import { expectAccessible, liveApp, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

const live = await liveApp();
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

const header =
  'Assignment Number,Employee Number,First Name,Last Name,Position Title,Department,Pay Band,Assignment Start Date';

describe('people pages and staff upload in a real browser', () => {
  it('are accessible, and the upload form rejects a bad file, then applies a good one', async () => {
    const { trust } = await makeHierarchy(db);
    const boss = await makePerson(db, { orgId: trust.id, given: 'Bella', family: 'Boss', isManager: true });
    await makePerson(db, { orgId: trust.id, given: 'Rita', family: 'Report', managerAssignmentId: boss.assignmentId });
    const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
    const page = await signedInPage(admin.id);

    for (const path of ['/people', `/people?q=rit`, '/people?band=99', `/people/${boss.id}`]) {
      const res = await page.goto(live.baseUrl + path);
      expect(res?.status()).toBeLessThan(500);
      await expectAccessible(page);
    }

    await page.goto(`${live.baseUrl}/organisations/${trust.code}/staff-import`);
    await expectAccessible(page);
    await page.locator('input[type=file][name=file]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n7001-1,1,Ann,Other,Porter,Estates,Band 12,01/01/2020\n`),
    });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Line 2, Pay Band');
    await expectAccessible(page);

    await page.locator('input[type=file][name=file]').setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n7001-1,1,Ann,Other,Porter,Estates,Band 2,01/01/2020\n`),
    });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    expect(await page.locator('h1').textContent()).toContain('Staff import of');
    expect(await page.locator('.nhsuk-panel').textContent()).toContain('Staff imported');
    await expectAccessible(page);
    await page.context().close();
  });
});
