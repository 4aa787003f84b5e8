import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { makeReturn } from './testing.ts';

const ctx = await testApp();
const { db } = ctx.deps;
const a = await makeHierarchy(db, '81');
const b = await makeHierarchy(db, '82');
const secondTrustInA = await db
  .insertInto('organisations')
  .values({
    code: 'R81U',
    name: 'Second Trust 81',
    kind: 'trust',
    parent_id: a.icb.id,
    icb_id: a.icb.id,
    region_id: a.region.id,
  })
  .returning(['id', 'code'])
  .executeTakeFirstOrThrow();
const staffPerson = await makePerson(db, { orgId: a.trust.id });
const as = async (
  grants: { role: 'national_admin' | 'regional_lead' | 'icb_lead' | 'org_admin'; orgId: number | null }[],
) => signedIn(ctx, (await makeAccount(db, { grants })).id);
const national = await as([{ role: 'national_admin', orgId: null }]);
const regional = await as([{ role: 'regional_lead', orgId: a.region.id }]);
const icbLead = await as([{ role: 'icb_lead', orgId: a.icb.id }]);
const orgAdmin = await as([{ role: 'org_admin', orgId: a.trust.id }]);
const staff = await signedIn(ctx, (await makeAccount(db, { personId: staffPerson.id })).id);

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/** A complete, valid form; tests change what they need. */
const form = (over: Record<string, string> = {}): Record<string, string> => ({
  name: 'Monthly workforce statistics',
  requesting_body: 'nhse_national',
  legal_basis: 'Health and Social Care Act 2012, section 259',
  mandatory: 'yes',
  approval_ref: 'DAPB2041',
  frequency: 'monthly',
  ad_hoc_cycles: '',
  deadline_rule: '15th working day after month end',
  submission_route: 'Strategic Data Collection Service',
  'start_date-day': '1',
  'start_date-month': '4',
  'start_date-year': '2025',
  'sunset_date-day': '',
  'sunset_date-month': '',
  'sunset_date-year': '',
  scope: 'national',
  scope_org_code: '',
  owner_org_code: '',
  data_items: 'Staff in post (WTE)\nVacancies (WTE)\n\nstaff in post (wte)',
  ...over,
});

const createdId = (location: string | undefined) => Number(/\/burden\/returns\/(\d+)$/.exec(location ?? '')?.[1]);

describe('the register pages', () => {
  it('send signed-out visitors to sign in and let every signed-in person read', async () => {
    const res = await ctx.app.inject('/burden');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?next=%2Fburden');
    const page = await staff.get('/burden');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reporting requirements register');
    expect(page.body).not.toContain('href="/burden/returns/new"');
    expect((await staff.get('/burden/returns/new')).statusCode).toBe(403);
    // Home offers the register, and the navigation links to it.
    const home = await staff.get('/');
    expect(home.body).toContain('href="/burden"');
    expect(text(home.body)).toContain('Reporting requirements The register of upward reporting requirements');
    expect((await staff.post('/burden/returns', form(), { csrfFrom: '/burden' })).statusCode).toBe(403);
  });

  it('let a national admin add a national return with its data items, audited', async () => {
    const res = await national.post('/burden/returns', form(), { csrfFrom: '/burden/returns/new' });
    expect(res.statusCode).toBe(303);
    const id = createdId(res.headers.location);
    const page = await national.get(`/burden/returns/${id}`);
    const body = text(page.body);
    expect(body).toContain('Return “Monthly workforce statistics” added to the register.');
    expect(body).toContain('Frequency Monthly (12 times a year)');
    expect(body).toContain('Applies to Every NHS organisation in England');
    expect(body).toContain('Approval reference DAPB2041');
    // Two spellings of one item are one dictionary item.
    expect(page.body.match(/href="\/burden\/items\/\d+"/g)).toHaveLength(2);
    const entry = await db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'details'])
      .where('action', '=', 'burden.return.create')
      .executeTakeFirstOrThrow();
    expect(entry.subject_id).toBe(String(id));
    expect(entry.details).toMatchObject({ name: 'Monthly workforce statistics', scope: 'national', items: 2 });
  });

  it('show every problem of a bad form with status 400, in page order, linked to its field', async () => {
    const res = await national.post(
      '/burden/returns',
      form({
        name: '',
        frequency: 'ad_hoc',
        'start_date-day': '31',
        'start_date-month': '2',
        'sunset_date-day': '1',
        'sunset_date-year': '2026',
        scope: 'local',
      }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(res.statusCode).toBe(400);
    const summary = res.body.slice(
      res.body.indexOf('nhsuk-error-summary'),
      res.body.indexOf('</ul>', res.body.indexOf('nhsuk-error-summary')),
    );
    const links = [...summary.matchAll(/href="#([^"]+)">\s*([^<]+?)\s*</g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['name', 'Enter the name of the return'],
      ['ad_hoc_cycles', 'Enter how many times a year an ad hoc return is expected, from 1 to 366'],
      ['start_date-day', 'Start date must be a real date, like 1 4 2025'],
      ['sunset_date-day', 'Sunset date must include a day, month and year'],
      ['scope_org_code', 'Enter the ODS code of the organisation the return covers'],
    ]);
    expect(res.body).toContain('<title>Error: Add a return to the register');
    expect(res.body).toContain('id="name-error"');
    // What was typed stays in the form.
    expect(res.body).toContain('Staff in post (WTE)');
  });

  it('let a regional lead curate returns of their region only', async () => {
    const ok = await regional.post(
      '/burden/returns',
      form({
        name: 'Regional elective recovery tracker',
        requesting_body: 'nhse_regional',
        scope: 'regional',
        scope_org_code: a.region.code,
      }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(ok.statusCode).toBe(303);
    const other = await regional.post(
      '/burden/returns',
      form({ name: 'Other region tracker', scope: 'regional', scope_org_code: b.region.code }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(other.statusCode).toBe(400);
    expect(text(other.body)).toContain(`You may not add or change regional returns for ${b.region.name}`);
    const nationalTry = await regional.post('/burden/returns', form({ name: 'Sneaky national' }), {
      csrfFrom: '/burden/returns/new',
    });
    expect(nationalTry.statusCode).toBe(400);
    expect(text(nationalTry.body)).toContain('Only national admins may add or change national returns');
    const wrongKind = await regional.post(
      '/burden/returns',
      form({ name: 'Regional on a trust', scope: 'regional', scope_org_code: a.trust.code }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(text(wrongKind.body)).toContain('A regional return must cover a region');
  });

  it('let ICB leads add ICB and local requests in their ICB, and organisation admins local ones for their own', async () => {
    const icbReturn = await icbLead.post(
      '/burden/returns',
      form({
        name: 'ICB finance flash report',
        requesting_body: 'icb',
        scope: 'icb',
        scope_org_code: a.icb.code.toLowerCase(),
      }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(icbReturn.statusCode).toBe(303);
    const localByIcb = await icbLead.post(
      '/burden/returns',
      form({
        name: 'Trust board pack extract',
        requesting_body: 'icb',
        scope: 'local',
        scope_org_code: secondTrustInA.code,
      }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(localByIcb.statusCode).toBe(303);
    const outside = await icbLead.post(
      '/burden/returns',
      form({ name: 'Not my trust', scope: 'local', scope_org_code: b.trust.code }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(outside.statusCode).toBe(400);

    const local = await orgAdmin.post(
      '/burden/returns',
      form({ name: 'Ward staffing huddle', requesting_body: 'other', scope: 'local', scope_org_code: a.trust.code }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(local.statusCode).toBe(303);
    const icbByAdmin = await orgAdmin.post(
      '/burden/returns',
      form({ name: 'Admin ICB try', scope: 'icb', scope_org_code: a.icb.code }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(icbByAdmin.statusCode).toBe(400);
    expect(text(icbByAdmin.body)).toContain(`You may not add or change icb returns for ${a.icb.name}`);
    const sibling = await orgAdmin.post(
      '/burden/returns',
      form({ name: 'Sibling trust try', scope: 'local', scope_org_code: secondTrustInA.code }),
      { csrfFrom: '/burden/returns/new' },
    );
    expect(sibling.statusCode).toBe(400);
  });

  it('let only those who may curate a return change it; names stay unique within a scope', async () => {
    const id = await makeReturn(ctx.deps, { name: 'Cancer waiting times' }, ['Patients treated within 62 days']);
    expect((await orgAdmin.get(`/burden/returns/${id}/edit`)).statusCode).toBe(403);
    expect((await orgAdmin.post(`/burden/returns/${id}`, form(), { csrfFrom: '/burden' })).statusCode).toBe(403);
    expect((await staff.get(`/burden/returns/${id}`)).body).not.toContain(`/burden/returns/${id}/edit`);

    const edit = await national.get(`/burden/returns/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Cancer waiting times"');
    expect(edit.body).toContain('Patients treated within 62 days');

    const clash = await national.post(`/burden/returns/${id}`, form({ name: 'Monthly workforce statistics' }), {
      csrfFrom: `/burden/returns/${id}/edit`,
    });
    expect(clash.statusCode).toBe(400);
    expect(text(clash.body)).toContain(
      'The register already has a national return called “Monthly workforce statistics”',
    );

    const saved = await national.post(
      `/burden/returns/${id}`,
      form({
        name: 'Cancer waiting times',
        frequency: 'quarterly',
        approval_ref: '',
        'sunset_date-day': '31',
        'sunset_date-month': '3',
        'sunset_date-year': '2026',
        data_items: 'Patients treated within 62 days\nPatients treated within 31 days',
      }),
      { csrfFrom: `/burden/returns/${id}/edit` },
    );
    expect(saved.statusCode).toBe(303);
    const body = text((await national.get(`/burden/returns/${id}`)).body);
    expect(body).toContain('Frequency Quarterly (4 times a year)');
    expect(body).toContain('Sunset date 31 March 2026');
    expect(body).toContain('No approval reference');
    expect(body).toContain('Patients treated within 31 days');
    const entry = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'burden.return.update')
      .where('subject_id', '=', String(id))
      .executeTakeFirstOrThrow();
    expect((entry.details as { changed: string[] }).changed).toEqual([
      'legal_basis',
      'approval_ref',
      'frequency',
      'deadline_rule',
      'submission_route',
      'start_date',
      'sunset_date',
    ]);
  });

  it('filter the register by scope, body, mandatory, approval reference and sunset, with flags in words', async () => {
    await makeReturn(ctx.deps, {
      name: 'Retired bed census',
      approval_ref: '',
      mandatory: 'no',
      sunset_date: '2024-03-31',
      requesting_body: 'dhsc',
    });
    const names = async (query: string) => {
      const res = await staff.get(`/burden?${query}`);
      expect(res.statusCode).toBe(200);
      return [
        ...res.body.matchAll(/<th scope="row" class="nhsuk-table__header"><a href="\/burden\/returns\/\d+">([^<]+)</g),
      ].map((m) => m[1]);
    };
    expect(await names('body=dhsc')).toEqual(['Retired bed census']);
    expect(await names('sunset=past')).toEqual(['Cancer waiting times', 'Retired bed census']);
    expect(await names('mandatory=no')).toEqual(['Retired bed census']);
    expect(await names('scope=regional')).toEqual(['Regional elective recovery tracker']);
    expect(await names('approval=no')).toEqual(['Cancer waiting times', 'Retired bed census']);
    expect(await names('scope=local&q=ward')).toEqual(['Ward staffing huddle']);
    expect(await names('scope=bogus&body=nonsense')).toContain('Monthly workforce statistics');
    const page = text((await staff.get('/burden?body=dhsc')).body);
    expect(page).toContain('Past sunset No approval reference');
  });

  it('delete a return only while no organisation has recorded effort on it', async () => {
    const spare = await makeReturn(ctx.deps, { name: 'Spare return' });
    const busy = await makeReturn(ctx.deps, { name: 'Busy return' });
    await db
      .insertInto('burden_efforts')
      .values({ organisation_id: a.trust.id, return_id: busy, effective_from: '2025-04-01', recorded_by: null })
      .execute();
    expect((await orgAdmin.post(`/burden/returns/${spare}/delete`, {}, { csrfFrom: '/burden' })).statusCode).toBe(403);
    const gone = await national.post(
      `/burden/returns/${spare}/delete`,
      {},
      { csrfFrom: `/burden/returns/${spare}/delete` },
    );
    expect(gone.statusCode).toBe(303);
    expect((await national.get(`/burden/returns/${spare}`)).statusCode).toBe(404);
    const kept = await national.post(
      `/burden/returns/${busy}/delete`,
      {},
      { csrfFrom: `/burden/returns/${busy}/delete` },
    );
    expect(kept.statusCode).toBe(409);
    expect(text(kept.body)).toContain('give it a sunset date instead');
    expect((await national.get(`/burden/returns/${busy}`)).statusCode).toBe(200);
  });

  it('answer 404 for returns that do not exist', async () => {
    expect((await staff.get('/burden/returns/999999')).statusCode).toBe(404);
    expect((await staff.get('/burden/returns/abc')).statusCode).toBe(404);
  });
});

describe('the data item dictionary', () => {
  it('lists and finds items, with the returns asking for each', async () => {
    const list = text((await staff.get('/burden/items?q=STAFF%20IN')).body);
    expect(list).toContain('1 item');
    expect(list).toContain('Staff in post (WTE)');
    const id = Number(/href="\/burden\/items\/(\d+)"/.exec((await staff.get('/burden/items?q=vacancies')).body)?.[1]);
    const item = text((await staff.get(`/burden/items/${id}`)).body);
    expect(item).toContain('Monthly workforce statistics');
  });

  it('let only national admins define items, keeping names unique', async () => {
    const id = Number(/href="\/burden\/items\/(\d+)"/.exec((await staff.get('/burden/items?q=vacancies')).body)?.[1]);
    expect((await orgAdmin.get(`/burden/items/${id}/edit`)).statusCode).toBe(403);
    const clash = await national.post(
      `/burden/items/${id}`,
      { name: 'STAFF IN POST (wte)', definition: '', unit: '' },
      {
        csrfFrom: `/burden/items/${id}/edit`,
      },
    );
    expect(clash.statusCode).toBe(400);
    expect(text(clash.body)).toContain('The dictionary already has an item called');
    const ok = await national.post(
      `/burden/items/${id}`,
      { name: 'Vacancies (WTE)', definition: 'Funded posts not filled by substantive staff', unit: 'WTE' },
      { csrfFrom: `/burden/items/${id}/edit` },
    );
    expect(ok.statusCode).toBe(303);
    expect(text((await staff.get(`/burden/items/${id}`)).body)).toContain(
      'Funded posts not filled by substantive staff',
    );
    const created = await national.post(
      '/burden/items',
      { name: '|||', definition: '', unit: '' },
      { csrfFrom: '/burden/items/new' },
    );
    expect(created.statusCode).toBe(400);
  });
});
