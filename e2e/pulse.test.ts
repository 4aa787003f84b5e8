import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadPayScales } from '../src/features/burden/pay-scales.ts';
import { makeReturn } from '../src/features/burden/testing.ts';
import { refreshOrganisationStats } from '../src/features/dashboard/queries.ts';
import { makeManager } from '../src/features/pulse/testing.ts';
import { makeAccount, makeHierarchy } from '../test/factories.ts';
import { expectAccessible, liveApp, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

// The done-when journey: a national admin adds a return, an organisation admin records effort, managers
// answer the pulse, and the organisation, ICB and national views show hours, cost, overlaps, flags and (once
// enough have answered) pulse results. A disclosure minimum of 3 keeps the journey short; the rule is the same.
const live = await liveApp({ env: { DISCLOSURE_MIN: '3' } });
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

async function visit(page: Page, path: string, expected: string[]) {
  const res = await page.goto(live.baseUrl + path);
  expect(res?.status(), path).toBe(200);
  const text = (await page.locator('main').textContent()) ?? '';
  for (const e of expected) expect(text, path).toContain(e);
  await expectAccessible(page);
}

describe('the reporting burden and time-use pulse journey', () => {
  it('goes from a new return to measured burden and pulse results at organisation, ICB and national level', async () => {
    const { icb, trust } = await makeHierarchy(db, '81');
    await loadPayScales(db);
    const deps = { db, clock: live.deps.clock };
    await makeReturn(deps, { name: 'Existing workforce census', frequency: 'annual' }, ['Staff in post', 'Leavers']);
    const national = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
    const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
    const icbLead = await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] });

    // A national admin adds a return with its data items (no approval reference: it will be flagged).
    const curator = await signedInPage(national.id);
    await curator.goto(`${live.baseUrl}/burden/returns/new`);
    await curator.getByLabel('Name of the return').fill('Journey monthly workforce return');
    await curator.locator('#requesting_body').selectOption('nhse_national');
    await curator.getByLabel('Legal basis').fill('Health and Social Care Act 2012, s.259');
    await curator.locator('#mandatory').check();
    await curator.locator('#frequency-2').check();
    await curator.getByLabel('Deadline').fill('15th working day');
    await curator.getByLabel('Submission route').fill('SDCS');
    await curator.locator('#start_date-day').fill('1');
    await curator.locator('#start_date-month').fill('4');
    await curator.locator('#start_date-year').fill('2024');
    await curator.getByLabel('Data items').fill('Staff in post\nVacancies\nSickness absence rate');
    await curator.getByRole('button', { name: 'Add return' }).click();
    expect(await curator.locator('[role=status]').textContent()).toContain('added to the register');
    expect(await curator.locator('h1').textContent()).toBe('Journey monthly workforce return');
    await expectAccessible(curator);
    const returnId = Number(/\/burden\/returns\/(\d+)/.exec(curator.url())![1]);

    // The organisation admin records effort on it.
    const orgPage = await signedInPage(admin.id);
    await orgPage.goto(`${live.baseUrl}/burden/organisations/${trust.code}/effort/${returnId}`);
    await orgPage.locator('#effective_from-day').fill('1');
    await orgPage.locator('#effective_from-month').fill('4');
    await orgPage.locator('#effective_from-year').fill('2025');
    await orgPage.locator('#role_1').fill('Workforce analyst');
    await orgPage.locator('#band_1').selectOption('7');
    await orgPage.locator('#hours_1').fill('6');
    await orgPage.getByRole('button', { name: 'Save effort' }).click();
    expect(await orgPage.locator('[role=status]').textContent()).toContain('recorded');

    // Managers answer the pulse; the first shows the form and its errors.
    const managers = [];
    for (let i = 0; i < 3; i++) managers.push(await makeManager(db, trust.id, { viaReport: i === 0 }));
    await refreshOrganisationStats(db, new Date().toISOString().slice(0, 10));
    const first = await signedInPage(managers[0]!.account.id);
    await first.goto(`${live.baseUrl}/pulse`);
    await expectAccessible(first);
    await first.getByRole('button', { name: 'Send answers' }).click();
    expect(await first.locator('.nhsuk-error-summary').textContent()).toContain(
      'Enter the hours you spent on upward reporting',
    );
    await expectAccessible(first);
    for (const [i, m] of managers.entries()) {
      const page = i === 0 ? first : await signedInPage(m.account.id);
      if (i > 0) await page.goto(`${live.baseUrl}/pulse`);
      for (const [field, hours] of Object.entries({
        upward: 4 + i,
        meetings: 10,
        people_mgmt: 8,
        improvement: 2,
        operational: 12,
        other: 1,
      })) {
        await page.locator(`#${field}`).fill(String(hours));
      }
      await page.getByRole('button', { name: /answers/ }).click();
      expect(await page.locator('[role=status]').textContent()).toContain('are saved');
      await page.context().close();
    }

    // Results are published for closed rounds only: close this one (as the month turning would).
    await visit(orgPage, `/pulse/results?area=${trust.code}`, ['No round has closed']);
    await sql`UPDATE pulse_rounds SET opens_on = (opens_on - interval '1 month')::date,
                                      closes_on = (opens_on - interval '1 day')::date`.execute(db);
    await sql`UPDATE pulse_round_summary s SET opens_on = r.opens_on FROM pulse_rounds r WHERE r.id = s.round_id`.execute(
      db,
    );

    await visit(orgPage, `/burden/organisations/${trust.code}`, [
      'Journey monthly workforce return',
      '72',
      'Burden over time',
    ]);
    await visit(orgPage, `/pulse/results?area=${trust.code}`, [
      'Managers who answered',
      '3',
      'Upward reporting',
      '5.0',
    ]);
    await visit(orgPage, `/burden/report?org=${trust.code}`, [
      'Headline figures',
      'without an approval reference',
      'What managers say',
      '5.0',
    ]);
    await orgPage.context().close();

    const lead = await signedInPage(icbLead.id);
    await visit(lead, `/burden/analysis/${icb.code}`, ['Journey monthly workforce return', 'Burden over time']);
    await visit(lead, `/pulse/results?area=${icb.code}`, ['Managers who answered', trust.name]);
    await visit(lead, `/burden/report?icb=${icb.code}`, ['Headline figures']);
    await lead.context().close();

    await visit(curator, '/burden/analysis', [
      'Reporting burden in England',
      'have no approval reference',
      'Burden over time',
    ]);
    await visit(curator, '/burden/analysis/returns', [
      'Journey monthly workforce return',
      'No approval reference',
      'None recorded',
    ]);
    await visit(curator, '/burden/overlaps', [
      'Staff in post',
      'Existing workforce census',
      'Journey monthly workforce return',
    ]);
    await visit(curator, '/burden?approval=no', ['Journey monthly workforce return']);
    await visit(curator, '/pulse/results', ['How managers in England spend their week']);
    await visit(curator, '/', ['Time-use pulse']);
    await curator.context().close();
  }, 240_000);
});
