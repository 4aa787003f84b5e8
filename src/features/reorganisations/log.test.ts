import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { jobs } from './jobs.ts';
import { summaryOf } from './queries.ts';

const ctx = await testApp();
const db = ctx.deps.db;
const { region, icb, trust } = await makeHierarchy(db, '72');
const ward = (
  await db
    .insertInto('teams')
    .values({ organisation_id: trust.id, name: 'Oak Ward', code: 'OAK', parent_team_id: null, closed_on: null })
    .returning('id')
    .executeTakeFirstOrThrow()
).id;
const admin = await makeAccount(db, {
  email: 'recorder@example.nhs.uk',
  grants: [{ role: 'org_admin', orgId: trust.id }],
});
const icbLead = await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] });

const form = (unit: string, d: string, m: string, y: string, extra: Record<string, string> = {}) => ({
  unit,
  'effective_on-day': d,
  'effective_on-month': m,
  'effective_on-year': y,
  staff_affected: '30',
  rationale: 'Merge two wards',
  cost: '£12,000',
  expected_benefits: 'One rota',
  ...extra,
});

describe('the reorganisations log', () => {
  it('records, flags a unit restructured again within three years, and keeps detail to the organisation', async () => {
    const org = await signedIn(ctx, admin.id);
    const base = `/reorganisations/organisations/${trust.code}`;
    const bad = await org.post(base, form(String(ward), '31', '2', '2024', { staff_affected: 'many', rationale: '' }), {
      csrfFrom: `${base}/new`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The date it took effect must be a real date');
    expect(bad.body).toContain('Enter the number of staff affected');
    expect(bad.body).toContain('Enter why it was done');

    expect((await org.post(base, form(String(ward), '1', '4', '2022'), { csrfFrom: `${base}/new` })).statusCode).toBe(
      303,
    );
    expect((await org.post(base, form(String(ward), '1', '4', '2025'), { csrfFrom: `${base}/new` })).statusCode).toBe(
      303,
    );
    expect(
      (await org.post(base, form('organisation', '1', '9', '2024', { cost: '' }), { csrfFrom: `${base}/new` }))
        .statusCode,
    ).toBe(303);
    const page = await org.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/Yes: within 3 years of the previous one/g)?.length).toBe(1);

    const years = await summaryOf(db, 'icb', icb.id);
    expect(years.map((y) => [y.year, y.reorganisations, y.repeated, y.staff_affected, y.cost, y.cost_unknown])).toEqual(
      [
        [2022, 1, 0, 30, 12000, 0],
        [2024, 1, 0, 30, 0, 1],
        [2025, 1, 1, 30, 12000, 0],
      ],
    );

    const lead = await signedIn(ctx, icbLead.id);
    expect((await lead.get(base)).statusCode).toBe(403);
    const area = await lead.get(`/reorganisations/areas/${icb.code}`);
    expect(area.statusCode).toBe(200);
    expect(area.body).not.toContain('Merge two wards');
    const api = JSON.parse((await lead.get(`/api/v1/reorganisations/summary?area=${region.code}`)).body);
    expect(api.years.find((y: { year: number }) => y.year === 2025)).toMatchObject({
      repeated: 1,
      repeated_share: 100,
    });
    expect(api.areas[0]).toMatchObject({ code: icb.code, reorganisations: expect.any(Number) });
  });

  it('imports a CSV all or nothing, with each bad row’s line, and exports what it imports', async () => {
    const org = await signedIn(ctx, admin.id);
    const base = `/reorganisations/organisations/${trust.code}`;
    const upload = async (name: string, text: string) => {
      const token = await org.csrf(`${base}/import`);
      const boundary = 'x-boundary';
      const payload = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${boundary}--\r\n`;
      return ctx.app.inject({
        method: 'POST',
        url: `${base}/import`,
        payload,
        headers: { cookie: org.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    };
    const header = 'unit,effective_on,staff_affected,rationale,cost,expected_benefits,review_on,outcome,outcome_on';
    const before = (
      await db.selectFrom('reorganisations').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    ).n;
    const bad = await upload(
      'log.csv',
      `${header}\nOAK,2020-01-01,5,Why,,Benefit,,,\nNowhere,2020-02-01,5,Why,,Benefit,,,\nOAK,31/02/2020,x,Why,,Benefit,,,\n`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Line 3: unit:');
    expect(bad.body).toContain('Line 4: effective_on');
    const after = (
      await db.selectFrom('reorganisations').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    ).n;
    expect(after).toBe(before);
    // An unquoted comma in the rationale would move every later value into the next column: refused, not misread.
    const shifted = await upload('log.csv', `${header}\nOAK,2020-01-01,5,Why, and how,,Benefit,,,\n`);
    expect(shifted.statusCode).toBe(400);
    expect(shifted.body).toContain(
      'Line 2: the line has 10 values where the header row has 9 columns: remove the commas after its last value, and put any value with a comma in it in double quotes',
    );

    const good = await upload('log.csv', `${header}\nOAK,01/01/2020,5,Why,100,Benefit,2021-01-01,,\n`);
    expect(good.statusCode).toBe(303);
    const exported = (await org.get(`${base}/export.csv`)).body;
    expect(exported).toContain('OAK,2020-01-01,5,Why,100,Benefit,2021-01-01,,');
    const again = await upload('again.csv', exported);
    expect(again.statusCode).toBe(303);
    expect(
      (await db.selectFrom('reorganisations').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    ).toBe(after + 1);
  });

  it('emails the recorder once when a review date arrives without an outcome', async () => {
    const reminders = jobs.find((j) => j.name === 'reorganisations.review-reminders')!;
    await db.updateTable('reorganisations').set({ review_on: '2020-06-01' }).where('outcome', 'is', null).execute();
    await db.updateTable('reorganisations').set({ outcome: 'Done' }).where('effective_on', '=', '2022-04-01').execute();
    const first = await reminders.run(ctx.deps, {});
    const sent = await db
      .selectFrom('mail_outbox')
      .select(['to_address', 'subject'])
      .where('to_address', '=', 'recorder@example.nhs.uk')
      .execute();
    expect(first).toMatch(/^sent 3 review reminders/);
    expect(sent).toHaveLength(3);
    expect(sent[0]!.subject).toMatch(/^Review due: reorganisation of /);
    expect(await reminders.run(ctx.deps, {})).toBe('sent 0 review reminders');
  });
});
