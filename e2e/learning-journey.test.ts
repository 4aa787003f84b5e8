import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { grantProvider, makeProgramme, makeProvider } from '../src/features/catalogue/testing.ts';
import { apply } from '../src/features/cohorts/booking.ts';
import { makeAccount, makeHierarchy, makePerson } from '../test/factories.ts';
import { expectAccessible, liveApp, newPage, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

// The training journey of the "done when": a provider publishes a programme and submits it, a reviewer
// accredits it, a manager finds it through a recommendation and applies, their line manager approves, the cohort
// fills and wait-lists, a cancellation promotes the next person, attendance and completion produce a certificate
// that the public page confirms; axe finds nothing on any of these pages.

const live = await liveApp();
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);
const today = new Date();
const inDays = (n: number) => new Date(today.getTime() + n * 86_400_000);
const parts = (d: Date) => ({
  day: String(d.getUTCDate()),
  month: String(d.getUTCMonth() + 1),
  year: String(d.getUTCFullYear()),
});

async function fillDate(page: Page, prefix: string, d: Date) {
  const p = parts(d);
  await page.locator(`#${prefix}-day`).fill(p.day);
  await page.locator(`#${prefix}-month`).fill(p.month);
  await page.locator(`#${prefix}-year`).fill(p.year);
}

async function visit(page: Page, path: string) {
  const res = await page.goto(live.baseUrl + path);
  expect(res?.status(), path).toBe(200);
  await expectAccessible(page);
}

describe('the learning journey in a real browser', () => {
  it('goes from a published, accredited programme to a verified certificate', async () => {
    const { trust } = await makeHierarchy(db, '77');
    const provider = await makeProvider(db, { name: 'Peninsula Leadership Collaborative' });
    const providerAdmin = await makeAccount(db);
    await grantProvider(db, providerAdmin.id, provider.id);
    const reviewer = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
    const programme = await makeProgramme(db, provider.id, {
      title: 'Leading services through change',
      level: 'middle',
      status: 'draft',
    });
    const boss = await makePerson(db, { orgId: trust.id, isManager: true, band: '8c', given: 'Priya', family: 'Shah' });
    const manager = await makePerson(db, {
      orgId: trust.id,
      isManager: true,
      band: '8a',
      managerAssignmentId: boss.assignmentId,
      given: 'Tom',
      family: 'Okafor',
    });
    const first = await makePerson(db, { orgId: trust.id, isManager: true, band: '8a', given: 'Asha', family: 'Reid' });
    const waiting = await makePerson(db, {
      orgId: trust.id,
      isManager: true,
      band: '8b',
      given: 'Ben',
      family: 'Lowe',
    });
    const bossAccount = await makeAccount(db, { personId: boss.id });
    const managerAccount = await makeAccount(db, { personId: manager.id });
    const firstAccount = await makeAccount(db, { personId: first.id });
    const waitingAccount = await makeAccount(db, { personId: waiting.id });

    // The provider publishes the programme and submits it for accreditation.
    const prov = await signedInPage(providerAdmin.id);
    await visit(prov, `/catalogue/manage/programmes/${programme.id}`);
    await prov.getByRole('button', { name: 'Publish programme' }).click();
    await expectAccessible(prov);
    await prov.getByRole('link', { name: 'Submit for accreditation' }).click();
    await expectAccessible(prov);
    await prov.locator('#competency_mapping').fill('Each module maps to the change and improvement competencies.');
    await prov.locator('#assessment_method').fill('A work-based change project assessed by two faculty members.');
    await prov.locator('#evidence').fill('Three years of evaluation reports and faculty CVs.');
    await prov.getByRole('button', { name: 'Submit for accreditation' }).click();
    await expectAccessible(prov);

    // A national reviewer accredits it.
    const rev = await signedInPage(reviewer.id);
    await visit(rev, '/catalogue/reviews');
    await rev.getByRole('link', { name: 'Leading services through change' }).click();
    await expectAccessible(rev);
    for (const box of await rev.locator('input[name="criteria"]').all()) await box.check();
    await rev.locator('input[name="decision"][value="accredited"]').check();
    await fillDate(rev, 'expires_on', inDays(3 * 365));
    await rev.getByRole('button', { name: 'Record decision' }).click();
    await expectAccessible(rev);
    await rev.context().close();

    // The provider adds a cohort of 2 places with one session, and opens it.
    await visit(prov, `/cohorts/manage/programmes/${programme.id}`);
    await prov.getByRole('button', { name: 'Add cohort' }).click();
    expect(await prov.locator('.nhsuk-error-summary').textContent()).toContain('Enter a name for the cohort');
    await expectAccessible(prov);
    await prov.getByLabel('Name of the cohort').fill('Winter cohort');
    await prov.getByLabel('Number of places').fill('2');
    await fillDate(prov, 'opens', inDays(-1));
    await fillDate(prov, 'closes', inDays(20));
    await prov.locator('#funder_approval-2').check();
    await prov.getByRole('button', { name: 'Add cohort' }).click();
    await expectAccessible(prov);
    const cohortId = Number(new URL(prov.url()).pathname.split('/').pop());
    await fillDate(prov, 'session', inDays(2));
    await prov.getByLabel('Starts at').fill('09:30');
    await prov.getByLabel('Ends at').fill('16:30');
    await prov.getByLabel('Venue').fill('Royal Devon Education Centre');
    await prov.getByRole('button', { name: 'Add session' }).click();
    await prov.getByLabel('Open for booking').check();
    await prov.getByRole('button', { name: 'Change status' }).click();
    expect(await prov.locator('[role=status]').textContent()).toContain('Cohort status changed to open');
    await expectAccessible(prov);

    // Someone without a line manager books first (confirmed at once).
    const early = await apply(live.deps, { cohortId, personId: first.id, eligible: () => true });
    expect(early).toMatchObject({ ok: true, status: 'confirmed' });

    // The manager finds the programme among their recommendations and applies.
    const mgr = await signedInPage(managerAccount.id);
    await visit(mgr, '/me/recommendations');
    await mgr.getByRole('link', { name: 'Leading services through change' }).click();
    await expectAccessible(mgr);
    // The catalogue's programme page does not link to its dates yet: go to them directly.
    await visit(mgr, `/catalogue/${programme.id}/cohorts`);
    await mgr.getByRole('button', { name: 'Apply for a place' }).click();
    expect(await mgr.locator('[role=status]').textContent()).toContain(
      'A place is held for you while your application is approved',
    );
    await expectAccessible(mgr);

    // Their line manager approves.
    const lm = await signedInPage(bossAccount.id);
    await visit(lm, '/cohorts/approvals');
    await lm.getByRole('button', { name: 'Approve Tom Okafor', exact: true }).click();
    expect(await lm.locator('[role=status]').textContent()).toContain('Application approved');
    await expectAccessible(lm);
    await lm.context().close();

    // The cohort is full: the next applicant joins the wait-list.
    const wait = await signedInPage(waitingAccount.id);
    await visit(wait, `/catalogue/${programme.id}/cohorts`);
    await wait.getByRole('button', { name: 'Join the wait-list' }).click();
    expect(await wait.locator('[role=status]').textContent()).toContain('you are on the wait-list');
    await expectAccessible(wait);

    // A cancellation promotes the person waiting.
    const quitter = await signedInPage(firstAccount.id);
    await visit(quitter, '/me/bookings');
    await quitter.getByRole('button', { name: /^Cancel Leading services through change/ }).click();
    expect(await quitter.locator('[role=status]').textContent()).toContain('Your place has been cancelled');
    await quitter.context().close();
    await visit(wait, '/me/bookings');
    expect(await wait.locator('table').textContent()).toContain('Confirmed');
    await wait.context().close();

    // The provider records attendance and completion; a certificate is issued.
    await visit(prov, `/cohorts/manage/${cohortId}`);
    await prov.getByLabel('Tom Okafor', { exact: true }).check();
    await prov.getByLabel('Ben Lowe', { exact: true }).check();
    await prov.getByRole('button', { name: 'Save attendance' }).click();
    expect(await prov.locator('[role=status]').textContent()).toContain('Attendance recorded for 2 people');
    await fillDate(prov, 'completed', today);
    await prov.getByLabel('Outcome for Tom Okafor').selectOption('passed');
    await prov.getByLabel('Outcome for Ben Lowe').selectOption('completed');
    await prov.getByRole('button', { name: 'Record completions' }).click();
    expect(await prov.locator('[role=status]').textContent()).toContain(
      '2 completions recorded; 2 certificates issued',
    );
    await expectAccessible(prov);

    // The provider renames the cohort and moves a session; too few places is refused on the form.
    await prov.getByRole('link', { name: 'Change the name, places or booking dates' }).click();
    await expectAccessible(prov);
    await prov.getByLabel('Number of places').fill('1');
    await prov.getByRole('button', { name: 'Save changes' }).click();
    expect(await prov.locator('.nhsuk-error-summary').textContent()).toContain('places are already taken');
    await expectAccessible(prov);
    await prov.getByLabel('Name of the cohort').fill('Spring cohort (renamed)');
    await prov.getByLabel('Number of places').fill('3');
    await prov.getByRole('button', { name: 'Save changes' }).click();
    expect(await prov.locator('[role=status]').textContent()).toContain('Cohort details saved');
    expect(await prov.locator('h1').textContent()).toBe('Spring cohort (renamed)');
    await prov
      .getByRole('link', { name: /^Change this session/ })
      .first()
      .click();
    await expectAccessible(prov);
    await prov.getByLabel('Starts at').fill('10:00');
    await prov.getByRole('button', { name: 'Save the session' }).click();
    expect(await prov.locator('[role=status]').textContent()).toContain('Session changed');
    await prov.getByRole('link', { name: 'Certificate of Tom Okafor' }).click();
    expect(await prov.locator('.cohorts-code').textContent()).toMatch(/^[23456789A-HJKMNP-Z]{10}$/);
    await prov.context().close();

    // The manager sees the certificate code and prints the certificate: the printout has no navigation.
    await visit(mgr, '/me/bookings');
    const code = (await mgr.locator('.cohorts-code').first().textContent())!.trim();
    expect(code).toMatch(/^[23456789A-HJKMNP-Z]{10}$/);
    await mgr
      .getByRole('link', { name: /^print the certificate/ })
      .first()
      .click();
    await expectAccessible(mgr);
    expect(await mgr.locator('.cohorts-certificate__sheet').textContent()).toContain(`/verify/${code}`);
    await mgr.emulateMedia({ media: 'print' });
    expect(await mgr.locator('header.nhsuk-header').isVisible()).toBe(false);
    expect(await mgr.locator('.cohorts-certificate__actions').isVisible()).toBe(false);
    expect(await mgr.locator('.cohorts-certificate__sheet').isVisible()).toBe(true);
    await mgr.context().close();
    const anyone = await newPage(browser());
    await visit(anyone, '/verify');
    await anyone.getByLabel('Verification code').fill(code.toLowerCase());
    await anyone.getByRole('button', { name: 'Check' }).click();
    expect(await anyone.locator('h1').textContent()).toBe('Certificate confirmed');
    const facts = await anyone.locator('.nhsuk-summary-list').textContent();
    expect(facts).toContain('Tom Okafor');
    expect(facts).toContain('Leading services through change');
    expect(facts).toContain('Peninsula Leadership Collaborative');
    expect(facts).toContain(parts(today).year);
    await expectAccessible(anyone);
    await anyone.context().close();
  }, 240_000);
});
