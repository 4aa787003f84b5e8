import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import type { Band, OverallRating } from '../../db/schema.ts';
import { loadStarters } from '../frameworks/import.ts';
import { insertCycle, templateFrameworkVersion } from './cycle-queries.ts';
import { disclosedBreakdown, equalityLens, HIDDEN } from './dashboard.ts';
import type { StatusRow } from './summary-queries.ts';
import { refreshAppraisalSummaries } from './summary-queries.ts';

const row = (key: string, people: number, done: number, overdue = 0): StatusRow => ({
  dimension: 'band',
  key,
  label: key,
  parent_key: null,
  people,
  not_started: people - done,
  in_progress: 0,
  completed: done,
  overdue,
  cycle_id: 1,
  refreshed_at: new Date(),
});

describe('disclosure control of the completion tables', () => {
  it('withholds a group of fewer than 8 and the next smallest, so the total cannot reveal it', () => {
    const out = disclosedBreakdown([row('5', 40, 30), row('6', 12, 6), row('7', 3, 1), row('8a', 25, 20)], 8);
    const byKey = Object.fromEntries(out.map((r) => [r.key, r]));
    expect(byKey['7']).toMatchObject({ people: HIDDEN, completed: HIDDEN, completedRate: HIDDEN, hidden: true });
    expect(byKey['6']).toMatchObject({ people: HIDDEN, hidden: true });
    expect(byKey['5']).toMatchObject({ people: '40', completed: '30', notStarted: '10', completedRate: '75.0%' });
    expect(byKey['8a']?.people).toBe('25');
  });

  it('withholds small cells inside shown groups, with a complement in the same row and column', () => {
    const out = disclosedBreakdown([row('5', 40, 38), row('6', 30, 10), row('8a', 25, 20)], 8);
    const band5 = out.find((r) => r.key === '5')!;
    expect(band5.notStarted).toBe(HIDDEN); // 2 people not started
    expect(band5.completed).toBe(HIDDEN); // the complement in its row
    expect(band5.completedRate).toBe(HIDDEN);
    // A second cell of the "not started" column is withheld too.
    expect(out.filter((r) => r.notStarted === HIDDEN).length).toBeGreaterThanOrEqual(2);
  });

  it('hides everything when the whole area is smaller than the minimum', () => {
    const out = disclosedBreakdown([row('5', 4, 2), row('6', 3, 3)], 8);
    expect(out.every((r) => r.hidden)).toBe(true);
  });

  it('gives the relative likelihood of the top rating only when both groups are big enough', () => {
    const ratings = (key: string, top: number, others: number) => [
      { dimension: 'ethnicity' as const, key, rating: 'exceptional', people: top },
      { dimension: 'ethnicity' as const, key, rating: 'strong', people: others },
    ];
    const lens = equalityLens([...ratings('white', 10, 30), ...ratings('bme', 5, 35)], 'ethnicity', 8);
    expect(lens.likelihood).toBe('2.00');
    expect(lens.meaning).toContain('White staff were 2.00 times as likely');
    expect(lens.groups.find((g) => g.key === 'white')).toMatchObject({ rated: '40', topRate: '25.0%' });
    const small = equalityLens([...ratings('white', 10, 30), ...ratings('bme', 1, 4)], 'ethnicity', 8);
    expect(small.likelihood).toBeNull();
    expect(small.groups.find((g) => g.key === 'bme')?.rated).toBe(HIDDEN);
  });
});

const clock = { now: () => new Date('2026-11-26T10:00:00Z') };
const ctx = await testApp({ clock });
const { db } = ctx.deps;

/** A trust of 35: bands 5 (20), 6 (12) and 7 (3), every appraisal signed with a rating. */
async function trustWithFigures() {
  await loadStarters(db);
  const { icb, region, trust } = await makeHierarchy(db, '73');
  const bme = 'H - Asian or Asian British - Indian';
  const people: { id: number; band: Band; rating: OverallRating; disability?: string }[] = [];
  const add = async (band: Band, n: number, ethnicity: string, ratings: OverallRating[], disabled = 0) => {
    for (let i = 0; i < n; i++) {
      const p = await makePerson(db, { orgId: trust.id, band, ethnicity, disability: i < disabled ? 'Yes' : 'No' });
      people.push({ id: p.id, band, rating: ratings[i % ratings.length]! });
    }
  };
  await add('5', 10, 'A - White - British', ['exceptional', 'strong', 'strong', 'strong', 'strong'], 2);
  await add('5', 10, bme, ['exceptional', 'strong', 'strong', 'strong', 'developing']);
  await add('6', 12, 'C - White - Any other White background', [
    'exceptional',
    'strong',
    'strong',
    'strong',
    'strong',
    'strong',
  ]);
  await add('7', 3, bme, ['strong'], 1);
  const version = (await templateFrameworkVersion(db))!;
  await db.transaction().execute((trx) =>
    insertCycle(trx, {
      organisationId: trust.id,
      name: 'Appraisals 2026',
      starts_on: '2026-04-01',
      mid_year_on: '2026-10-01',
      due_on: '2026-10-31',
      ends_on: '2027-03-31',
      frameworkVersionId: version,
      createdBy: null,
    }),
  );
  for (const p of people.slice(0, 33)) {
    await sql`UPDATE appraisals SET status = 'locked', locked_at = now(), overall_rating = ${p.rating}
               WHERE person_id = ${p.id}`.execute(db);
  }
  await refreshAppraisalSummaries(db, '2026-11-26', [trust.id]);
  return { icb, region, trust };
}

const { icb, region, trust } = await trustWithFigures();

describe('the appraisal dashboard', () => {
  it('shows an organisation’s admins the figures with small groups withheld', async () => {
    const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] })).id);
    const res = await admin.get(`/appraisals/organisations/${trust.code}`);
    expect(res.statusCode).toBe(200);
    const bandTable = res.body.slice(res.body.indexOf('Completion by Agenda for Change band'));
    const cells = (label: string) => {
      const m = new RegExp(`>${label}</th>((?:\\s*<td[^>]*>[^<]*</td>)+)`).exec(bandTable);
      return [...(m?.[1] ?? '').matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((x) => x[1]);
    };
    // Band 7 has 3 people: withheld. Band 6 (12) is withheld with it, so the total of 35 cannot reveal band 7.
    expect(cells('Band 7')[0]).toBe('*');
    expect(cells('Band 6')[0]).toBe('*');
    expect(cells('Band 5')[0]).toBe('20');
    expect(res.body).toContain('Withheld: a figure about fewer than 8 people is not shown');
    // Disability: 3 disabled people, so both groups are withheld and no relative likelihood is given.
    expect(res.body).toContain('Relative likelihood, Non-disabled to Disabled: not shown');
    // Ethnicity: White 22 rated (4 exceptional), BME 11 rated (2 exceptional): 0.1818 / 0.1818 = 1.00.
    expect(res.body).toContain('Relative likelihood, White to Black and minority ethnic (BME): 1.00');
    expect(res.body).toContain(`/appraisals/organisations/${trust.code}/overdue`);
    const overdue = await admin.get(`/appraisals/organisations/${trust.code}/overdue`);
    expect(overdue.statusCode).toBe(200);
    expect((overdue.body.match(/<th scope="row"/g) ?? []).length).toBe(2);
  });

  it('gives ICB and regional leads the same figures for their area, never individuals', async () => {
    const lead = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] })).id);
    const area = await lead.get(`/appraisals/areas/${icb.code}`);
    expect(area.statusCode).toBe(200);
    expect(area.body).toContain('Completion by organisation');
    expect(area.body).toContain(trust.name);
    expect((await lead.get(`/appraisals/organisations/${trust.code}`)).statusCode).toBe(200);
    expect((await lead.get(`/appraisals/organisations/${trust.code}/overdue`)).statusCode).toBe(403);
    expect((await lead.get(`/appraisals/areas/${region.code}`)).statusCode).toBe(403);
    const regional = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: region.id }] })).id,
    );
    const r = await regional.get(`/appraisals/areas/${region.code}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/People with an appraisal\s*<\/dt>\s*<dd[^>]*>\s*35\s*</);
    const national = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id,
    );
    expect((await national.get('/appraisals/england')).statusCode).toBe(200);
    expect((await regional.get('/appraisals/england')).statusCode).toBe(403);
    const staff = await signedIn(ctx, (await makeAccount(db, {})).id);
    expect((await staff.get(`/appraisals/organisations/${trust.code}`)).statusCode).toBe(403);
  });

  it('the API gives the same figures, withheld ones as null', async () => {
    const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] })).id);
    const res = await admin.get(`/api/v1/organisations/${trust.code}/appraisal-status`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.disclosure_minimum).toBe(8);
    expect(body.total.people).toBe(35);
    const band = (k: string) => body.by_band.find((b: { key: string }) => b.key === k);
    expect(band('7').people).toBeNull();
    expect(band('6').people).toBeNull();
    expect(band('5').people).toBe(20);
    expect(body.equality[0].relative_likelihood).toBe(1);
    expect(body.equality[1].relative_likelihood).toBeNull();
    const staff = await signedIn(ctx, (await makeAccount(db, {})).id);
    expect((await staff.get(`/api/v1/organisations/${trust.code}/appraisal-status`)).statusCode).toBe(403);
    expect((await admin.get('/api/v1/organisations/NOPE1/appraisal-status')).statusCode).toBe(404);
  });

  // Runs last: it changes the figures.
  it('keeps an area’s page until the next refresh, which shows the new figures at once', async () => {
    const national = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id,
    );
    const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    const signed = (html: string) => /Signed and locked\s*<\/dt>\s*<dd[^>]*>\s*([^<]*?)\s*</.exec(html)?.[1];
    const first = await national.get('/appraisals/england');
    expect(first.statusCode).toBe(200);
    expect(signed(first.body)).toBe('33 (94.3%)');
    const again = await national.get('/appraisals/england');
    expect(main(again.body)).toBe(main(first.body));
    // The page around the kept content is still each viewer's own: a regional lead is refused England.
    const regional = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: region.id }] })).id,
    );
    expect((await regional.get('/appraisals/england')).statusCode).toBe(403);
    // The last two appraisals are signed; until the refresh the page keeps the refreshed figures, then moves on.
    await sql`UPDATE appraisals SET status = 'locked', locked_at = now(), overall_rating = 'strong'
               WHERE status <> 'locked' AND cycle_id IN (SELECT id FROM appraisal_cycles WHERE organisation_id = ${trust.id})`.execute(
      db,
    );
    expect(signed((await national.get('/appraisals/england')).body)).toBe('33 (94.3%)');
    await refreshAppraisalSummaries(db, '2026-11-26', [trust.id]);
    expect(signed((await national.get('/appraisals/england')).body)).toBe('35 (100.0%)');
    expect(signed((await regional.get(`/appraisals/areas/${region.code}`)).body)).toBe('35 (100.0%)');
    // A renamed area shows its new name without waiting for a refresh.
    expect((await national.get(`/appraisals/areas/${icb.code}`)).body).toContain(`<h1>Appraisals in ${icb.name}</h1>`);
    await db
      .updateTable('organisations')
      .set({ name: 'Renamed Integrated Care Board' })
      .where('id', '=', icb.id)
      .execute();
    expect((await national.get(`/appraisals/areas/${icb.code}`)).body).toContain(
      '<h1>Appraisals in Renamed Integrated Care Board</h1>',
    );
  });
});
