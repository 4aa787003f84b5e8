import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadStarters } from '../src/features/frameworks/import.ts';
import { seed } from '../src/features/seed/seed.ts';
import { withOrganisations } from '../src/features/seed/testing.ts';
import { expectAccessible, liveApp, sharedBrowser, signedInPage } from './browser.ts';

// The standard appraisal in a real browser: the demo organisation admin opens a cycle; the demo staff member
// prepares; their line manager (the demo line manager) records the meeting and the appraisal; both sign and it
// locks; an addendum is added and signed by both; every page, and the dashboard, passes axe.

const live = await liveApp({ demoMode: true });
const db = live.deps.db;
await withOrganisations(db);
await loadStarters(db);
await seed(live.deps, { scale: 'demo', seed: 5, extensions: [] });
const persona = (role: string) =>
  db
    .selectFrom('accounts')
    .select(['id', 'person_id'])
    .where('is_demo', '=', true)
    .where('display_name', 'like', `%(${role})`)
    .executeTakeFirstOrThrow();
const staff = await persona('staff member');
const manager = await persona('line manager');
const admin = await persona('organisation admin');
const trust = await db
  .selectFrom('role_grants as g')
  .innerJoin('organisations as o', 'o.id', 'g.organisation_id')
  .select(['o.code', 'o.name'])
  .where('g.account_id', '=', admin.id)
  .executeTakeFirstOrThrow();
const browser = sharedBrowser();

async function checked(page: Page) {
  expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);
  await expectAccessible(page);
}

const flash = (page: Page) => page.locator('[role=status]').textContent();

describe('the standard appraisal in a real browser', () => {
  it('open a cycle, prepare, record, sign by both, lock, add and sign an addendum', async () => {
    const adminPage = await signedInPage(browser(), live, admin.id);
    await adminPage.goto(`${live.baseUrl}/appraisals`);
    await checked(adminPage);
    await adminPage.getByRole('link', { name: 'cycles of' }).first().click();
    await checked(adminPage);
    // A form with errors is accessible too.
    await adminPage.getByRole('button', { name: 'Open the cycle' }).click();
    expect(await adminPage.locator('.nhsuk-error-summary').textContent()).toContain('Enter a name for the cycle');
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Name of the cycle').fill('Appraisals 2026 to 2027');
    for (const [field, [d, m, y]] of Object.entries({
      starts_on: ['1', '4', '2026'],
      mid_year_on: ['1', '10', '2026'],
      due_on: ['31', '12', '2026'],
      ends_on: ['31', '3', '2027'],
    })) {
      await adminPage.locator(`#${field}-day`).fill(d!);
      await adminPage.locator(`#${field}-month`).fill(m!);
      await adminPage.locator(`#${field}-year`).fill(y!);
    }
    await adminPage.getByRole('button', { name: 'Open the cycle' }).click();
    expect(await flash(adminPage)).toContain('Cycle “Appraisals 2026 to 2027” opened');
    await checked(adminPage);

    const appraisal = await db
      .selectFrom('appraisals')
      .select(['id', 'appraiser_person_id'])
      .where('person_id', '=', staff.person_id!)
      .executeTakeFirstOrThrow();
    expect(appraisal.appraiser_person_id).toBe(manager.person_id);

    // The appraisee prepares: objectives (one on equality, diversity and inclusion), conversations, a plan.
    const me = await signedInPage(browser(), live, staff.id);
    await me.goto(`${live.baseUrl}/appraisals`);
    await checked(me);
    await me.getByRole('link', { name: 'Appraisals 2026 to 2027' }).click();
    await checked(me);
    await me.getByRole('link', { name: 'Prepare for your appraisal' }).click();
    await checked(me);
    const objective = async (n: number, title: string, edi: boolean) => {
      await me.locator(`#objective_${n}_title`).fill(title);
      for (const f of ['specific', 'measurable', 'achievable', 'relevant', 'timeBound']) {
        await me.locator(`#objective_${n}_${f}`).fill(`${title}: ${f}`);
      }
      if (edi) await me.locator(`#objective_${n}_edi`).check();
    };
    await objective(1, 'Reduce agency shifts', false);
    await objective(2, 'Inclusive recruitment panels', true);
    await me.getByLabel('Wellbeing conversation').fill('Flexible working on Fridays.');
    await me.getByLabel('Career conversation').fill('Interested in a band 7 role.');
    await me.getByLabel('Development plan').fill('Mary Seacole programme');
    await me.getByRole('button', { name: 'Save your preparation' }).click();
    expect(await flash(me)).toContain('Your preparation is saved');
    await checked(me);

    // The line manager records the meeting and the appraisal, then signs.
    const lm = await signedInPage(browser(), live, manager.id);
    await lm.goto(`${live.baseUrl}/appraisals/${appraisal.id}`);
    await checked(lm);
    await lm.getByRole('link', { name: 'Record the meeting date' }).click();
    await checked(lm);
    await lm.locator('#meeting_on-day').fill('20');
    await lm.locator('#meeting_on-month').fill('11');
    await lm.locator('#meeting_on-year').fill('2026');
    await lm.getByRole('button', { name: 'Save the meeting date' }).click();
    await checked(lm);
    await lm.getByRole('link', { name: 'Record the appraisal' }).click();
    await checked(lm);
    for (const code of ['CSL', 'DATA', 'QI', 'TECH', 'PEOPLE', 'FIN', 'GOV']) {
      await lm.locator(`#behaviour_${code}-3`).check();
      await lm.locator(`#behaviour_${code}_comment`).fill(`Evidence for ${code} discussed.`);
    }
    await lm.locator('#overall_rating-2').check();
    await lm.getByRole('button', { name: 'Save the record' }).click();
    expect(await flash(lm)).toContain('The appraisal is recorded');
    await checked(lm);
    await lm.getByRole('button', { name: 'Sign the appraisal' }).click();
    expect(await flash(lm)).toContain('You have signed the appraisal');
    await checked(lm);

    // The appraisee signs second: it locks.
    await me.goto(`${live.baseUrl}/appraisals/${appraisal.id}`);
    await me.getByRole('button', { name: 'Sign the appraisal' }).click();
    expect(await flash(me)).toContain('the appraisal is locked');
    await checked(me);
    expect(await me.getByRole('link', { name: 'Change your preparation' }).count()).toBe(0);

    // A correction after locking is an addendum, signed by both.
    await me.getByLabel('Add an addendum').fill('The meeting was on 21 November.');
    await me.getByRole('button', { name: 'Add the addendum' }).click();
    await checked(me);
    await me.getByRole('button', { name: 'Sign addendum 1' }).click();
    expect(await flash(me)).toContain('You have signed the addendum');
    await lm.goto(`${live.baseUrl}/appraisals/${appraisal.id}`);
    await lm.getByRole('button', { name: 'Sign addendum 1' }).click();
    expect(await flash(lm)).toContain('it is locked');
    await checked(lm);

    // The dashboard, refreshed when the appraisal locked.
    await adminPage.goto(`${live.baseUrl}/appraisals/organisations/${trust.code}`);
    await checked(adminPage);
    expect(await adminPage.locator('h1').textContent()).toContain(trust.name);
    await adminPage.goto(`${live.baseUrl}/appraisals/organisations/${trust.code}/overdue`);
    await checked(adminPage);
    await lm.goto(`${live.baseUrl}/appraisals/people/${staff.person_id}/check-ins`);
    await checked(lm);
    for (const p of [adminPage, me, lm]) await p.context().close();
  }, 300_000);
});
