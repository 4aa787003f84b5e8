import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { publishedVersion } from '../src/features/feedback/testing.ts';
import { loadStarters } from '../src/features/frameworks/import.ts';
import { seed } from '../src/features/seed/seed.ts';
import { expectAccessible, liveApp, newPage, sharedBrowser, signedInPage } from './browser.ts';

// A 360 in a real browser: the demo line manager starts one, nominates raters (their line manager and direct reports
// from the reporting line, two peers by email who have no account), raters respond (the external ones through the
// link read from the mail outbox, without signing in), the round closes and the report shows the direct reports but
// hides the group of 2 peers; the development record then carries the report's shown figures only. axe checks the
// nomination page, the rater form, the report and the record.

const live = await liveApp({ demoMode: true });
const db = live.deps.db;
await loadStarters(db);
await seed(live.deps, { scale: 'demo', seed: 1, extensions: [] });
const { content } = await publishedVersion(db);
const browser = sharedBrowser();

const persona = await db
  .selectFrom('accounts')
  .select(['id', 'person_id'])
  .where('is_demo', '=', true)
  .where('display_name', 'like', '%(line manager)%')
  .executeTakeFirstOrThrow();

const linksTo = async (to: string) => {
  const rows = await db
    .selectFrom('mail_outbox')
    .select('body_text')
    .where('to_address', '=', to)
    .orderBy('id')
    .execute();
  return rows.flatMap((r) =>
    [...r.body_text.matchAll(/http:\/\/\S+?(\/feedback\/(?:respond|requests)\/[\w-]+)/g)].map((m) => m[1]!),
  );
};

/** Answer every competency at the given scale position, add a comment and submit. */
async function answer(page: Page, position: number, comment: string) {
  for (const c of content.competencies) await page.locator(`input[name="c_${c.id}"]`).nth(position).check();
  await page.getByLabel(/do well/).fill(comment);
  await page.getByRole('button', { name: 'Submit feedback' }).click();
}

describe('360 feedback in a real browser', () => {
  it('runs a round from nomination to a report that hides a group of 2', async () => {
    const page = await signedInPage(browser(), live, persona.id);
    await page.goto(`${live.baseUrl}/me/feedback`);
    await page.getByRole('button', { name: 'Start a 360', exact: true }).click();
    await page.getByLabel(/Healthcare Leadership Model/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectAccessible(page);
    const closes = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Closing date').fill(closes);
    await page.getByRole('button', { name: 'Start the 360' }).click();
    expect(page.url()).toMatch(/\/feedback\/\d+\/nominate$/);
    await expectAccessible(page);
    const roundUrl = page.url().replace(/\/nominate$/, '');

    // From the reporting line: the line manager (when the persona has one) and three direct reports.
    const managerButton = page.getByRole('button', { name: /as line manager$/ });
    if (await managerButton.count()) await managerButton.first().click();
    for (let i = 0; i < 3; i++)
      await page
        .getByRole('button', { name: /as a direct report$/ })
        .first()
        .click();
    // Two peers by email, neither with an account: a group of 2, below the threshold.
    for (const [name, email] of [
      ['Petra Outside', 'petra.outside@example.org'],
      ['Paul Outside', 'paul.outside@example.org'],
    ]) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Email address', { exact: true }).fill(email);
      await page.getByLabel('Peers').check();
      await page.getByRole('button', { name: 'Nominate and invite' }).click();
      expect(await page.locator('[role=status]').textContent()).toContain('Rater nominated and invited by email');
    }
    // A mistake first: the error summary, still accessible.
    await page.getByRole('button', { name: 'Nominate and invite' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter the rater’s name');
    await expectAccessible(page);

    // The external peer answers through the link from the outbox, without signing in.
    const [petraLink] = await linksTo('petra.outside@example.org');
    const guest = await newPage(browser());
    await guest.goto(live.baseUrl + petraLink);
    await expectAccessible(guest);
    await guest.getByRole('button', { name: 'Submit feedback' }).click();
    expect(await guest.locator('.nhsuk-error-summary').textContent()).toContain('Choose a level for');
    await expectAccessible(guest);
    await answer(guest, 0, 'Petra private remark');
    expect(await guest.locator('h1').textContent()).toContain('Thank you for your feedback');
    expect((await guest.goto(live.baseUrl + petraLink))?.status()).toBe(404);
    await guest.context().close();

    // Everyone else who was nominated responds: by link, or signed in when they have an account.
    const raters = await db
      .selectFrom('feedback_raters')
      .select(['email', 'person_id', 'rater_group'])
      .where('round_id', '=', Number(roundUrl.split('/').pop()))
      .where('rater_group', '<>', 'self')
      .where('submitted_at', 'is', null)
      .execute();
    for (const r of raters) {
      const [link] = await linksTo(r.email!);
      let rater: Page;
      if (link!.startsWith('/feedback/requests/')) {
        const account = await db
          .selectFrom('accounts')
          .select('id')
          .where('person_id', '=', r.person_id!)
          .executeTakeFirstOrThrow();
        rater = await signedInPage(browser(), live, account.id);
      } else rater = await newPage(browser());
      await rater.goto(live.baseUrl + link);
      await answer(rater, r.rater_group === 'peer' ? 0 : 2, `${r.rater_group} comment`);
      await rater.context().close();
    }

    // The persona rates themselves, then closes the round: without a facilitator the report is released at once.
    await page.goto(roundUrl);
    await page.getByRole('link', { name: 'Rate yourself' }).click();
    await answer(page, 3, 'Self view');
    await page.goto(roundUrl);
    await page.getByRole('button', { name: 'Close the round now' }).click();
    await page.getByRole('button', { name: 'Read the report' }).click();
    await expectAccessible(page);
    const groups = page.locator('table', { has: page.locator('caption', { hasText: 'Responses per rater group' }) });
    await expect(groups.locator('tr', { hasText: 'Direct reports' }).textContent()).resolves.toContain(
      'Shown as a group average',
    );
    await expect(groups.locator('tr', { hasText: 'Peers' }).textContent()).resolves.toContain(
      'Not shown: fewer than 3 responses',
    );
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('Petra private remark');
    expect(text).not.toContain('peer comment');
    expect(text).toContain('direct_report comment');
    expect(await page.locator('svg.app-chart').count()).toBe(1);

    // The released report is now part of the persona's portable development record: shown groups only, no comments;
    // printed, the page is a plain document.
    await page.goto(`${live.baseUrl}/me/development/record`);
    await expectAccessible(page);
    const section = page.locator('section.plans-record__section', { hasText: '360 feedback received' });
    const summary = (await section.textContent()) ?? '';
    expect(summary).toContain('Healthcare Leadership Model');
    expect(summary).toContain('Direct reports 3');
    expect(summary).not.toContain('Peers');
    expect(summary).not.toContain('direct_report comment');
    expect(summary).not.toContain('Self view');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.nhsuk-header').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Download my record (JSON)' }).isVisible()).toBe(false);
    await page.context().close();
  }, 240_000);
});
