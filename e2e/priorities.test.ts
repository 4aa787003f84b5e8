import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy } from '../test/factories.ts';
import { expectAccessible, liveApp, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

const live = await liveApp();
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

describe('competing priorities and reorganisations in a real browser', () => {
  it('an org admin places a priority on two teams, marks an overlap, records a repeat restructure; an ICB lead sees aggregates', async () => {
    const { icb, trust } = await makeHierarchy(db, '81');
    const teams = [];
    for (const name of ['Ash Ward', 'Beech Ward', 'Cedar Ward']) {
      teams.push(
        (
          await db
            .insertInto('teams')
            .values({
              organisation_id: trust.id,
              name,
              code: name.slice(0, 3).toUpperCase(),
              parent_team_id: null,
              closed_on: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    }
    const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
    const lead = await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] });
    const today = new Date();
    const twoYearsAgo = `${today.getUTCFullYear() - 2}-${String(today.getUTCMonth() + 1).padStart(2, '0')}-01`;
    await db
      .insertInto('reorganisations')
      .values({
        organisation_id: trust.id,
        team_id: teams[0]!,
        unit_name: 'Ash Ward',
        effective_on: twoYearsAgo,
        staff_affected: 20,
        rationale: 'Earlier merger',
        expected_benefits: 'One rota',
        recorded_by: admin.id,
      })
      .execute();

    const page = await signedInPage(admin.id);
    const add = async (title: string, teamLabels: string[]) => {
      await page.goto(`${live.baseUrl}/priorities/new?place=organisation:${trust.code}`);
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('The organisation’s board').check();
      await page.locator('#set_on-day').fill('1');
      await page.locator('#set_on-month').fill('4');
      await page.locator('#set_on-year').fill('2026');
      await page.getByLabel('How success is judged').fill('Audited quarterly');
      await page.locator('#funded-2').check();
      await page.getByLabel('Owner').fill('Deputy Chief Nurse');
      for (const t of teamLabels) await page.getByLabel(t).check();
      await page.getByRole('button', { name: 'Add priority' }).click();
      expect(await page.locator('h1').textContent()).toBe(title);
    };
    await page.goto(`${live.baseUrl}/priorities/new?place=organisation:${trust.code}`);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Add priority' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter the title of the priority');
    await expectAccessible(page);
    await add('Ward accreditation', ['Ash Ward', 'Beech Ward']);
    await expectAccessible(page);
    await add('Falls collaborative', ['Ash Ward']);

    await page.goto(`${live.baseUrl}/priorities/organisations/${trust.code}/links/new`);
    await expectAccessible(page);
    await page.getByLabel('First priority').selectOption({ label: 'Ward accreditation' });
    await page.getByLabel('Second priority').selectOption({ label: 'Falls collaborative' });
    await page.getByLabel('They overlap (ask for much the same thing)').check();
    await page.getByLabel('Note (optional)').fill('Both audit the same wards');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Marked as overlapping');
    const teamsTable = await page.locator('#table-teams').textContent();
    expect(teamsTable).toContain('Ash Ward');
    expect(await page.locator('#table-links').textContent()).toContain('Both audit the same wards');
    await expectAccessible(page);

    await page.goto(`${live.baseUrl}/reorganisations/organisations/${trust.code}/new`);
    await expectAccessible(page);
    await page.getByLabel('What was restructured?').selectOption({ label: 'Ash Ward' });
    await page.locator('#effective_on-day').fill(String(today.getUTCDate()));
    await page.locator('#effective_on-month').fill(String(today.getUTCMonth() + 1));
    await page.locator('#effective_on-year').fill(String(today.getUTCFullYear()));
    await page.getByLabel('Staff affected').fill('25');
    await page.getByLabel('Rationale').fill('Split again');
    await page.getByLabel('Expected benefits').fill('Smaller teams');
    await page.getByRole('button', { name: 'Record reorganisation' }).click();
    expect(await page.locator('#table-log').textContent()).toContain('Yes: within 3 years of the previous one');
    await expectAccessible(page);
    await page.context().close();

    const icbPage = await signedInPage(lead.id);
    for (const path of [
      `/priorities/areas/${icb.code}`,
      `/reorganisations/areas/${icb.code}`,
      '/priorities/areas/england',
      '/priorities',
    ]) {
      const res = await icbPage.goto(live.baseUrl + path);
      expect(res?.status()).toBe(200);
      await expectAccessible(icbPage);
    }
    await icbPage.goto(`${live.baseUrl}/priorities/areas/${icb.code}`);
    expect(await icbPage.locator('#table-areas').textContent()).toContain(trust.name);
    expect(await icbPage.content()).not.toContain('Both audit the same wards');
    await icbPage.context().close();
  }, 240_000);
});
