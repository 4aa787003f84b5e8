import { describe, expect, it } from 'vitest';
import { grantProvider, makeProvider, withCompetencies } from '../src/features/catalogue/testing.ts';
import { makeAccount, makeHierarchy, makePerson } from '../test/factories.ts';
import { expectAccessible, liveApp, newPage, signedInPage as openSignedIn, sharedBrowser } from './browser.ts';

const live = await liveApp();
const db = live.deps.db;
const browser = sharedBrowser();
const signedInPage = (accountId: number) => openSignedIn(browser(), live, accountId);

describe('the training catalogue in a real browser', () => {
  it('a provider publishes and submits a programme, a reviewer accredits it, and the public finds it', async () => {
    const comps = await withCompetencies(db);
    const { region, trust } = await makeHierarchy(db, '61');
    const provider = await makeProvider(db, { name: 'Browser University' });
    const providerAdmin = await makeAccount(db, { name: 'Paula Provider' });
    await grantProvider(db, providerAdmin.id, provider.id);
    const reviewer = await makeAccount(db, {
      name: 'Rhys Reviewer',
      grants: [{ role: 'regional_lead', orgId: region.id }],
    });

    // The provider admin adds a programme, fixing the errors the form reports.
    const page = await signedInPage(providerAdmin.id);
    await page.goto(`${live.baseUrl}/catalogue/manage`);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Add a programme for Browser University' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save programme' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter a title');
    await expectAccessible(page);
    await page.getByLabel('Title', { exact: true }).fill('Compassionate leadership in practice');
    await page.getByLabel('Summary').fill('A blended programme for middle managers on leading with compassion.');
    await page
      .getByLabel('Learning outcomes')
      .fill('Hold a supportive one-to-one\nNotice and address burnout in a team');
    await page.locator('input[name=level][value=middle]').check();
    await page.locator(`input[name=competencies][value="${comps[0].competencyId}"]`).check();
    await page.locator('input[name=format][value=blended]').check();
    await page.getByLabel('Hours of learning').fill('24');
    await page.getByLabel('Duration in weeks').fill('8');
    await page.getByLabel('Cost per participant in pounds').fill('0');
    await page.locator('input[name=funding][value=fully_funded]').check();
    await page.locator('input[name=scope][value=regional]').check();
    await page.getByLabel('Owning area').fill(region.code);
    await page.getByRole('button', { name: 'Save programme' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Programme added as a draft');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Publish programme' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Programme published');
    await page.getByRole('link', { name: 'Submit for accreditation' }).click();
    await expectAccessible(page);
    await page
      .getByLabel('How it develops each competency it claims')
      .fill('Modules one to three build compassionate leadership through practice.');
    await page.getByLabel('How participants are assessed').fill('A reflective portfolio reviewed by a tutor.');
    await page.getByLabel('Evidence').fill('Evaluations from two pilot cohorts.');
    await page.getByRole('button', { name: 'Submit for accreditation' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('Submitted for accreditation');
    await page.context().close();

    // The regional reviewer accredits it against every criterion.
    const review = await signedInPage(reviewer.id);
    await review.goto(`${live.baseUrl}/catalogue/reviews`);
    await expectAccessible(review);
    await review.getByRole('link', { name: 'Compassionate leadership in practice' }).click();
    await expectAccessible(review);
    for (const box of await review.locator('input[name=criteria]').all()) await box.check();
    await review.locator('input[name=decision][value=accredited]').check();
    await review.getByRole('button', { name: 'Record decision' }).click();
    expect(await review.locator('[role=status]').textContent()).toContain('Decision recorded');
    await review.goto(`${live.baseUrl}/catalogue/coverage`);
    await expectAccessible(review);
    await review.context().close();

    // Anyone, signed out, finds it in the register and the search.
    const visitor = await newPage(browser());
    await visitor.goto(`${live.baseUrl}/catalogue/accredited`);
    await expectAccessible(visitor);
    expect(await visitor.locator('table').textContent()).toContain('Compassionate leadership in practice');
    await visitor.goto(`${live.baseUrl}/catalogue`);
    await expectAccessible(visitor);
    await visitor.getByLabel('Search words').fill('compassion');
    await visitor.locator('input[name=accredited]').check();
    await visitor.getByRole('button', { name: 'Search' }).click();
    await expectAccessible(visitor);
    await visitor.getByRole('link', { name: 'Compassionate leadership in practice' }).click();
    expect(await visitor.locator('h1').textContent()).toBe('Compassionate leadership in practice');
    expect(await visitor.locator('main').textContent()).toContain('Accredited until');
    await expectAccessible(visitor);
    await visitor.context().close();

    // A middle manager in the region sees it among their recommendations.
    const person = await makePerson(db, { orgId: trust.id, band: '8a', isManager: true });
    const manager = await signedInPage((await makeAccount(db, { personId: person.id })).id);
    await manager.goto(`${live.baseUrl}/me/recommendations`);
    expect(await manager.locator('main').textContent()).toContain('Compassionate leadership in practice');
    await expectAccessible(manager);
    await manager.context().close();
  }, 240_000);
});
