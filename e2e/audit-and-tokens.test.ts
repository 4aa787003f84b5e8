import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../test/factories.ts';
import { expectAccessible, liveApp, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

const live = await liveApp();
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

describe('audit log, outbox and API tokens in a real browser', () => {
  it('are accessible, with and without errors, and a token can be created by hand', async () => {
    const { trust } = await makeHierarchy(db);
    const person = await makePerson(db, { orgId: trust.id });
    const admin = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
    await db
      .insertInto('audit_log')
      .values({
        action: 'probe.view',
        actor_account_id: admin.id,
        actor_label: 'Browser Admin',
        subject_type: 'person',
        subject_id: String(person.id),
        person_id: person.id,
        organisation_id: trust.id,
        ip: '192.0.2.1',
        details: JSON.stringify({ section: 'record' }),
      })
      .execute();
    await live.deps.mail.send({ to: 'x@example.nhs.uk', subject: 'Reset', text: 'Open https://example.test/r/1' });

    const page = await signedInPage(admin.id);
    for (const path of [
      '/admin/audit',
      '/admin/audit?from-day=31&from-month=2&from-year=2026&actor=ab',
      '/admin/outbox',
      '/admin/outbox/1',
      '/account/tokens',
      '/api/v1/docs',
    ]) {
      const res = await page.goto(live.baseUrl + path);
      expect(res?.status()).toBeLessThan(500);
      await expectAccessible(page);
    }

    await page.goto(`${live.baseUrl}/account/tokens/new`);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create token' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter a name for the token');
    await expectAccessible(page);
    await page.getByLabel('Name').fill('Browser token');
    await page.getByLabel('National admin').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByLabel('Token').inputValue();
    expect(token).toMatch(/^lw_/);
    await expectAccessible(page);

    await page.goto(`${live.baseUrl}/account/tokens`);
    await page.getByRole('button', { name: 'Revoke the token Browser token' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('is revoked');
    await page.context().close();
  });
});
