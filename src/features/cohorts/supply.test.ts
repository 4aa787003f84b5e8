import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { apply } from './booking.ts';
import { jobs } from './jobs.ts';
import { registerInterest } from './person-queries.ts';
import { everyone, makeCohort, makeProgramme } from './testing.ts';

const clock = { now: () => new Date('2026-11-20T10:00:00Z') };
const ctx = await testApp({ clock });
const { db } = ctx.deps;
const deps = { ...ctx.deps, clock };
const { region, icb, trust } = await makeHierarchy(db, '74');
const { programmeId } = await makeProgramme(db, { level: 'middle' });

// 20 managers in the trust (10 nursing, 10 admin); 12 applicants for 10 places (8 days before the start), and
// 3 people registering interest.
const managers: Awaited<ReturnType<typeof makePerson>>[] = [];
for (let i = 0; i < 20; i++) {
  managers.push(await makePerson(db, { orgId: trust.id, isManager: true, staffGroup: i < 10 ? '03' : '08' }));
}
const cohortId = await makeCohort(db, { programmeId, capacity: 10, sessionAt: '2026-11-28T09:30:00Z' });
for (const m of managers.slice(0, 12)) await apply(deps, { cohortId, personId: m.id, eligible: everyone });
for (const m of managers.slice(12, 15)) {
  await registerInterest(db, {
    programme_id: programmeId,
    person_id: m.id,
    organisation_id: trust.id,
    staff_group: '08',
  });
}

describe('supply and demand', () => {
  it('is computed by the refresh job into summaries for the organisation, ICB, region and nation', async () => {
    const job = jobs.find((j) => j.name === 'cohorts.refresh-supply')!;
    expect(job.schedule).toBe('20 * * * *');
    expect(await job.run(deps, {})).toMatch(/^supply and demand: \d+ summary rows in \d+ ms$/);
    const rows = await db
      .selectFrom('cohort_supply_summary')
      .select([
        'area_kind',
        'area_id',
        'managers',
        'places',
        'applications',
        'waitlisted',
        'interest',
        'wait_n',
        'wait_median',
        'wait_p90',
        'programmes',
      ])
      .where('staff_group', '=', '')
      .where('domain', '=', '')
      .where('level', '=', '')
      .where('area_kind', '!=', 'nation')
      .orderBy('area_kind')
      .execute();
    const expected = {
      managers: 20,
      places: 10,
      applications: 12,
      waitlisted: 2,
      interest: 3,
      wait_n: 10,
      programmes: 1,
    };
    expect(rows.map((r) => r.area_kind)).toEqual(['icb', 'organisation', 'region']);
    for (const r of rows) expect(r).toMatchObject({ ...expected, wait_median: '8.0', wait_p90: '8.0' });
    expect(rows.map((r) => r.area_id)).toEqual([icb.id, trust.id, region.id]);
    const byGroup = await db
      .selectFrom('cohort_supply_summary')
      .select(['staff_group', 'managers', 'places', 'interest'])
      .where('area_kind', '=', 'organisation')
      .where('area_id', '=', trust.id)
      .where('staff_group', '!=', '')
      .orderBy('staff_group')
      .execute();
    expect(byGroup).toEqual([
      { staff_group: '03', managers: 10, places: 10, interest: 0 },
      { staff_group: '08', managers: 10, places: 0, interest: 3 },
    ]);
    const level = await db
      .selectFrom('cohort_supply_summary')
      .select(['places', 'offered'])
      .where('area_kind', '=', 'nation')
      .where('level', '=', 'middle')
      .where('domain', '=', '')
      .executeTakeFirstOrThrow();
    expect(level).toEqual({ places: 10, offered: 10 });
    // By domain (this programme develops no linked competency) and by domain and level, in each area: the same people.
    const byDomain = await db
      .selectFrom('cohort_supply_summary')
      .select(['area_kind', 'domain', 'level', 'programmes', 'places', 'applications', 'interest', 'wait_median'])
      .where('domain', '!=', '')
      .where('area_id', 'in', [trust.id, icb.id, region.id])
      .orderBy('area_kind')
      .orderBy('level')
      .execute();
    const figures = { domain: 'Not linked to a competency', programmes: 1, places: 10, applications: 12, interest: 3 };
    expect(byDomain).toEqual(
      ['icb', 'organisation', 'region'].flatMap((area_kind) => [
        { area_kind, ...figures, level: '', wait_median: '8.0' },
        { area_kind, ...figures, level: 'middle', wait_median: '8.0' },
      ]),
    );
  });

  it('shows the region page with figures under disclosure control, a chart with its table, and CSV downloads', async () => {
    const lead = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: region.id }] })).id,
    );
    const page = await lead.get(`/cohorts/supply/${region.code}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Supply and demand for development in Test Region 74');
    // 10 places for 20 managers: 50 per 100. Interest of 3 people is below the minimum of 8: "*".
    expect(page.body).toMatch(/Places per 100 managers<\/dt><dd class="nhsuk-summary-list__value">50</);
    expect(page.body).toMatch(/Registered interest<\/dt><dd class="nhsuk-summary-list__value">\*</);
    expect(page.body).toContain('<svg');
    // One breakdown a page: the region's ICBs first, each name opening that ICB's page; the others are links away.
    expect(page.body).toContain(`<a href="/cohorts/supply/${icb.code}">`);
    expect(page.body).toContain('<th scope="col" class="nhsuk-table__header">Places per 100 managers</th>');
    expect(page.body).toMatch(/<a href="\?by=areas#breakdown" aria-current="page">/);
    expect(page.body).not.toContain('By competency domain and programme level');
    const domains = await lead.get(`/cohorts/supply/${region.code}?by=domain-levels`);
    expect(domains.statusCode).toBe(200);
    expect(domains.body).toContain('By competency domain and programme level in Test Region 74');
    expect(domains.body).not.toContain('app-figure');
    const groups = await lead.get(`/cohorts/supply/${region.code}?by=staff-groups`);
    // 10 places for nursing managers, none for admin: a partition with a 0, shown under disclosure control.
    expect(groups.body).toMatch(
      /<th scope="row" class="nhsuk-table__header">[^<]+<\/th><td class="nhsuk-table__cell">10<\/td>/,
    );
    expect((await lead.get(`/cohorts/supply/${region.code}?by=nothing`)).statusCode).toBe(404);
    expect((await lead.get(`/cohorts/supply/${icb.code}`)).statusCode).toBe(200);
    const csv = await lead.get(`/cohorts/supply/${region.code}/staff-groups.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toContain('Staff group,Managers,Programmes taken up,Places taken');
    expect(lines).toHaveLength(3);
    expect((await lead.get(`/cohorts/supply/${region.code}/nothing.csv`)).statusCode).toBe(404);
    const elsewhere = await makeHierarchy(db, '75');
    expect((await lead.get(`/cohorts/supply/${elsewhere.region.code}`)).statusCode).toBe(403);
    expect((await lead.get('/cohorts/supply/england')).statusCode).toBe(403);
    const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] })).id);
    expect((await admin.get('/cohorts/supply')).headers.location).toBe(`/cohorts/supply/${trust.code}`);
    expect((await admin.get(`/cohorts/supply/${trust.code}`)).statusCode).toBe(200);
    const person = await signedIn(ctx, (await makeAccount(db, { personId: managers[0]!.id })).id);
    expect((await person.get(`/cohorts/supply/${trust.code}`)).statusCode).toBe(403);
  });
});
