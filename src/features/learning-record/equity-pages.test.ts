import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makeOrg, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { commands } from './commands.ts';
import { jobs } from './jobs.ts';
import { copyLearningRecords, type LearningRecordRow } from './queries.ts';
import { apiToken, grantIdOf } from './testing.ts';

const ctx = await testApp({ clock: { now: () => new Date('2025-06-15T12:00:00Z') } });
const db = ctx.deps.db;
const { region, icb, trust } = await makeHierarchy(db, '86');
const sibling = await makeOrg(db, { code: 'R86S', parentId: icb.id, icbId: icb.id, regionId: region.id });

// Trust: 40 White staff (20 took non-mandatory development in 2024/25), 12 BME (3 did); 3 of them disabled.
const rows: LearningRecordRow[] = [];
const learning = (personId: number, mandatory: boolean) =>
  rows.push({
    personId,
    programmeId: null,
    title: mandatory ? 'Fire safety' : 'Coaching for managers',
    providerName: 'Local',
    completedOn: '2024-10-01',
    outcome: 'completed',
    hours: 6,
    mandatory,
    source: 'import',
    sourceRef: null,
  });
for (let i = 0; i < 52; i++) {
  const white = i < 40;
  const p = await makePerson(db, {
    orgId: trust.id,
    ethnicity: white ? 'A - White - British' : 'H - Asian or Asian British - Indian',
    disability: i % 17 === 1 ? 'Yes' : 'No',
  });
  if ((white && i < 20) || (!white && i < 43)) learning(p.id, false);
  // Mandatory training is not development: it must not count.
  learning(p.id, true);
}
for (let i = 0; i < 10; i++) await makePerson(db, { orgId: sibling.id });
// A second, smaller post at the sibling trust: the person still counts once, at their main post.
await db
  .insertInto('assignments')
  .values({
    person_id: rows[0].personId,
    organisation_id: sibling.id,
    assignment_number: 'TWO-POSTS-1',
    position_title: 'Bank nurse',
    band: '5',
    wte: '0.50',
    start_date: '2020-01-01',
  })
  .execute();

const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
const regional = await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: region.id }] });
const icbLead = await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] });
const siblingAdmin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: sibling.id }] });

describe('the equity refresh and pages', () => {
  it('computes uptake and likelihoods into the summaries, suppressing small groups', async () => {
    const pg = await ctx.deps.pool.connect();
    try {
      await copyLearningRecords(pg, rows);
    } finally {
      pg.release();
    }
    const summary = await jobs[0].run(ctx.deps, {});
    expect(summary).toMatch(/equity cells over 12 periods/);
    const cells = await db
      .selectFrom('learning_equity_cells')
      .select(['dimension', 'grp', 'staff', 'accessed', 'suppressed'])
      .where('area_kind', '=', 'organisation')
      .where('area_id', '=', trust.id)
      .where('period', '=', '2024/25')
      .execute();
    const of = (d: string, g: string) => cells.find((c) => c.dimension === d && c.grp === g);
    expect(of('all', 'All staff')).toMatchObject({ staff: 52, accessed: 23, suppressed: false });
    expect(of('ethnic_group', 'White')).toMatchObject({ staff: 40, accessed: 20, suppressed: false });
    expect(of('ethnic_group', 'BME')).toMatchObject({ staff: 12, accessed: 3, suppressed: false });
    expect(of('disability', 'Disabled')).toMatchObject({ staff: 3, suppressed: true });
    // Shown beside the total of 52, "not disabled" would give the 3 away: hidden with it.
    expect(of('disability', 'Not disabled')).toMatchObject({ staff: 49, suppressed: true });
    expect(of('band', '6')).toMatchObject({ staff: 52, accessed: 23 });
    const siblingAll = await db
      .selectFrom('learning_equity_cells')
      .select(['staff'])
      .where('area_kind', '=', 'organisation')
      .where('area_id', '=', sibling.id)
      .where('period', '=', '2024/25')
      .where('dimension', '=', 'all')
      .executeTakeFirstOrThrow();
    expect(siblingAll.staff).toBe(10);
    const icbAll = await db
      .selectFrom('learning_equity_cells')
      .select(['staff'])
      .where('area_kind', '=', 'icb')
      .where('area_id', '=', icb.id)
      .where('period', '=', '2024/25')
      .where('dimension', '=', 'all')
      .executeTakeFirstOrThrow();
    expect(icbAll.staff).toBe(62);
  });

  it('gives the same summaries when run again, from the job or the command', async () => {
    const count = async () =>
      (
        await db
          .selectFrom('learning_equity_cells')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: () => {}, progress: () => {} };
    const refresh = commands.find((c) => c.name === 'learning refresh')!;
    expect(await refresh.run(ctx.deps, { values: {}, positionals: [] }, io)).toBe(0);
    expect(out[0]).toMatch(/^Refreshed \d+ equity cells over 12 periods/);
    await Promise.all([jobs[0].run(ctx.deps, {}), jobs[0].run(ctx.deps, {})]);
    expect(await count()).toBe(before);
  });

  it('shows an organisation admin the figures, with * for hidden ones, and downloads each table as CSV', async () => {
    const c = await signedIn(ctx, admin.id);
    const landing = await c.get('/learning/equity');
    expect(landing.statusCode).toBe(303);
    expect(landing.headers.location).toBe(`/learning/equity/${trust.code}`);
    const page = await c.get(`/learning/equity/${trust.code}?period=2024%2F25`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Equity of access to development in Test Trust 86');
    // (20/40) ÷ (3/12) = 2.00
    expect(page.body).toMatch(
      /<th scope="row" class="nhsuk-table__header">2024\/25<\/th><td[^>]*>2\.00<\/td><td[^>]*>\*<\/td>/,
    );
    expect(page.body).toContain('<svg');
    const csv = await c.get(`/learning/equity/${trust.code}/disability.csv?period=2024%2F25`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toContain('Disabled,*,*,*,*');
    expect(csv.body).toContain('Not disabled,*,*,*,*');
    const race = await c.get(`/learning/equity/${trust.code}/ethnic_group.csv?period=2024%2F25`);
    expect(race.body).toContain('White,40,20,50.0,120.0');
    expect((await c.get(`/learning/equity/${trust.code}?period=1999`)).statusCode).toBe(400);
  });

  it('lets regional and ICB leads see their areas, and nobody else', async () => {
    const r = await signedIn(ctx, regional.id);
    for (const code of [region.code, icb.code, trust.code])
      expect((await r.get(`/learning/equity/${code}`)).statusCode).toBe(200);
    expect((await r.get('/learning/equity/england')).statusCode).toBe(403);
    const i = await signedIn(ctx, icbLead.id);
    expect((await i.get(`/learning/equity/${icb.code}`)).statusCode).toBe(200);
    expect((await i.get(`/learning/equity/${region.code}`)).statusCode).toBe(403);
    expect((await (await signedIn(ctx, siblingAdmin.id)).get(`/learning/equity/${trust.code}`)).statusCode).toBe(403);
    const regionPage = await r.get(`/learning/equity/${region.code}`);
    expect(regionPage.body).toContain(`href="/learning/equity/${icb.code}?period=2025%2F26"`);
  });

  it('serves the aggregates through the API, hidden figures as null', async () => {
    const headers = await apiToken(db, regional.id, await grantIdOf(db, regional.id));
    const res = await ctx.app.inject({ url: `/api/v1/equity/learning?area=${trust.code}&period=2024%2F25`, headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.disclosure_minimum).toBe(8);
    expect(body.likelihood.find((l: { period: string }) => l.period === '2024/25')).toMatchObject({
      white_vs_bme: 2,
      non_disabled_vs_disabled: null,
    });
    expect(body.groups.find((g: { group: string }) => g.group === 'Disabled')).toEqual({
      dimension: 'disability',
      group: 'Disabled',
      suppressed: true,
      staff: null,
      accessed: null,
      uptake: null,
      hours: null,
    });
    const refused = await ctx.app.inject({ url: '/api/v1/equity/learning?area=england', headers });
    expect(refused.statusCode).toBe(403);
  });
});
