import { describe, expect, it } from 'vitest';
import { saveResponse } from '../src/features/pulse/queries.ts';
import { makeAccount, makeHierarchy, makePerson, makeTeam } from '../test/factories.ts';
import { expectAccessible, liveApp, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

// Management workload by team in a real browser: a priority placed on a directorate and edited, and the pulse
// results of a directorate under disclosure control (minimum 3 here).
const live = await liveApp({ env: { DISCLOSURE_MIN: '3' } });
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

const { trust } = await makeHierarchy(db, '83');
const team = (name: string, parent: number | null) => makeTeam(db, trust.id, name, parent);
const medicine = await team('Medicine', null);
const cardiology = await team('Cardiology', medicine);
const respiratory = await team('Respiratory', medicine);
const estates = await team('Estates', null);
const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });

describe('workload by team in a real browser', () => {
  it('an org admin places a priority on a directorate, edits it, and every team under it carries it', async () => {
    const page = await signedInPage(admin.id);
    await page.goto(`${live.baseUrl}/priorities/new?place=organisation:${trust.code}`);
    await page.getByLabel('Title').fill('Same-day emergency care');
    await page.getByLabel('The organisation’s board').check();
    await page.locator('#set_on-day').fill('1');
    await page.locator('#set_on-month').fill('4');
    await page.locator('#set_on-year').fill('2026');
    await page.getByLabel('How success is judged').fill('Share of admissions avoided');
    await page.locator('#funded-2').check();
    await page.getByLabel('Owner').fill('Clinical Director');
    await page.getByLabel('Medicine').check();
    await page.getByRole('button', { name: 'Add priority' }).click();
    expect(await page.locator('h1').textContent()).toBe('Same-day emergency care');
    expect(await page.locator('main').textContent()).toContain('Medicine and every team under it');

    await page.getByRole('link', { name: /Edit the priority/ }).click();
    await expectAccessible(page);
    await page.getByLabel('Title').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter the title of the priority');
    await expectAccessible(page);
    await page.getByLabel('Title').fill('Same-day emergency care for medicine');
    await page.getByLabel('Owner').fill('Divisional Director');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Changes saved');
    expect(await page.locator('h1').textContent()).toBe('Same-day emergency care for medicine');

    await page.goto(`${live.baseUrl}/priorities/organisations/${trust.code}`);
    await expectAccessible(page);
    const rows = await page.locator('#table-teams tbody tr').allInnerTexts();
    const concurrent = (name: string) => rows.find((r) => r.includes(name))!.replace(/\s+/g, ' ');
    for (const name of ['Medicine', 'Cardiology', 'Respiratory']) expect(concurrent(name)).toContain(`${name} 1 1`);
    expect(concurrent('Estates')).toContain('Estates 0 0');
  });

  it('an org admin reads a directorate’s pulse results, with its small parts hidden', async () => {
    // Last month's round, closed: Cardiology 4, Respiratory 1, Estates 3, one manager in no team.
    const now = new Date();
    const opens = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
    const closes = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
    const round = await db
      .insertInto('pulse_rounds')
      .values({ organisation_id: trust.id, cadence: 'monthly', opens_on: opens, closes_on: closes })
      .returning('id')
      .executeTakeFirstOrThrow();
    const answer = async (teamId: number | null) => {
      const p = await makePerson(db, { orgId: trust.id, isManager: true });
      await db
        .transaction()
        .execute((trx) =>
          saveResponse(
            trx,
            { id: round.id, organisationId: trust.id, cadence: 'monthly', opensOn: opens, closesOn: closes },
            p.id,
            { upward: 4, meetings: 10, people_mgmt: 6, improvement: 2, operational: 12, other: 3 },
            teamId,
          ),
        );
    };
    for (const [teamId, n] of [
      [cardiology, 4],
      [respiratory, 1],
      [estates, 3],
      [null, 1],
    ] as const) {
      for (let i = 0; i < n; i++) await answer(teamId);
    }
    const page = await signedInPage(admin.id);
    await page.goto(`${live.baseUrl}/pulse/teams`);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Medicine' }).click();
    expect(await page.locator('h1').textContent()).toBe('Time-use pulse: Medicine');
    await expectAccessible(page);
    // The rendered text, with the gaps between table cells that textContent leaves out.
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is the layout-aware text wanted here
    const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(main).toContain('Managers who answered 5');
    expect(main).toContain('Upward reporting 4.0');
    // Respiratory (1) is hidden, and Cardiology (4) with it: otherwise Medicine − Cardiology gives Respiratory.
    expect(main).toMatch(/Cardiology Fewer than 3 or hidden \* \* \*/);
    await page.getByRole('link', { name: 'Respiratory' }).click();
    expect(await page.locator('main').textContent()).toContain('No figures are shown for Respiratory');
    await expectAccessible(page);
  });
});
