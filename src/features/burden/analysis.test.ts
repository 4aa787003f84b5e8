import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makeOrg, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { refreshOrganisationStats } from '../dashboard/queries.ts';
import { hourlyRate } from './burden.ts';
import { commands } from './commands.ts';
import { upsertPayScales } from './effort-queries.ts';
import { loadPayScales } from './pay-scales.ts';
import { refreshBurden } from './refresh.ts';
import { captureIO, makeReturn } from './testing.ts';

let now = new Date('2026-06-15T09:00:00Z');
const ctx = await testApp({ clock: { now: () => now } });
const { db } = ctx.deps;

const a = await makeHierarchy(db, '71');
const b = await makeHierarchy(db, '72');
const t2 = await makeOrg(db, {
  code: 'R71V',
  name: 'Second Trust 71',
  parentId: a.icb.id,
  icbId: a.icb.id,
  regionId: a.region.id,
});
for (let i = 0; i < 4; i++) await makePerson(db, { orgId: a.trust.id, isManager: true });
for (let i = 0; i < 2; i++) await makePerson(db, { orgId: t2.id, isManager: true });
await makePerson(db, { orgId: t2.id });
await refreshOrganisationStats(db, '2026-06-15');
expect((await loadPayScales(db)).ok).toBe(true);
// A made-up earlier band 7 scale, to price effort either side of 1 April 2025.
const earlier = {
  scale: 'AfC 2024/25 (test)',
  band: '7',
  validFrom: '2024-04-01',
  validTo: '2025-03-31',
  annualMin: 46148,
  annualMax: 52809,
  onCostPercent: 35,
  source: 'test',
};
await upsertPayScales(db, [earlier]);
const band7 = { annualMin: 47810, annualMax: 54710, onCostPercent: 37.32 };

const n1 = await makeReturn(ctx.deps, { name: 'Workforce monthly' }, [
  'Staff in post',
  'Vacancies',
  'Patients waiting over 52 weeks',
  'Agency spend',
  'Cancer 62 day performance',
]);
const n2 = await makeReturn(ctx.deps, { name: 'Elective quarterly', frequency: 'quarterly', approval_ref: '' }, [
  'Staff in post',
  'Patients waiting more than 52 weeks',
  'Bank spend',
  'Cancer 31 day performance',
]);
const local = await makeReturn(
  ctx.deps,
  { name: 'Trust vacancy check', scope: 'local', scope_org_code: a.trust.code, requesting_body: 'other' },
  ['vacancies', 'STAFF IN POST'],
);
const regional = await makeReturn(ctx.deps, {
  name: 'Regional winter sitrep',
  scope: 'regional',
  scope_org_code: b.region.code,
  frequency: 'weekly',
});

const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: a.trust.id }] })).id);
const t2Admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: t2.id }] })).id);
const icbLead = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: a.icb.id }] })).id);
const staffPerson = await makePerson(db, { orgId: a.trust.id });
const staff = await signedIn(ctx, (await makeAccount(db, { personId: staffPerson.id })).id);

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const effortUrl = (code: string, id: number) => `/burden/organisations/${code}/effort/${id}`;
const effortForm = (date: [number, number, number], lines: [string, string, string][]) => {
  const f: Record<string, string> = {
    'effective_from-day': String(date[0]),
    'effective_from-month': String(date[1]),
    'effective_from-year': String(date[2]),
  };
  lines.forEach(([role, band, hours], i) => {
    f[`role_${i + 1}`] = role;
    f[`band_${i + 1}`] = band;
    f[`hours_${i + 1}`] = hours;
  });
  return f;
};
const summaryRow = (level: string, areaId: number, dimension = 'total', key = '') =>
  db
    .selectFrom('burden_area_summary')
    .select(['hours_year', 'cost_year', 'uncosted_hours_year', 'organisations', 'managers'])
    .where('level', '=', level as 'nation')
    .where('area_id', '=', areaId)
    .where('dimension', '=', dimension as 'total')
    .where('key', '=', key)
    .executeTakeFirst();

describe('recording effort', () => {
  it('lists the returns that apply to the organisation: national, its region’s, its ICB’s and its own', async () => {
    const res = await admin.get(`/burden/organisations/${a.trust.code}/effort`);
    expect(res.statusCode).toBe(200);
    const names = [
      ...res.body.matchAll(/<th scope="row" class="nhsuk-table__header"><a href="\/burden\/returns\/\d+">([^<]+)</g),
    ].map((m) => m[1]);
    expect(names).toEqual(['Elective quarterly', 'Trust vacancy check', 'Workforce monthly']);
    expect((await admin.get(`/burden/organisations/${t2.code}/effort`)).statusCode).toBe(403);
    expect((await staff.get(`/burden/organisations/${a.trust.code}/effort`)).statusCode).toBe(403);
    // A return that does not apply to the organisation is not there to record.
    expect((await admin.get(effortUrl(a.trust.code, regional))).statusCode).toBe(404);
  });

  it('rejects a bad form with 400 and a message per field', async () => {
    const res = await admin.post(
      effortUrl(a.trust.code, n1),
      effortForm(
        [31, 2, 2026],
        [
          ['Analyst', '', '3'],
          ['', '7', 'lots'],
        ],
      ),
      { csrfFrom: effortUrl(a.trust.code, n1) },
    );
    expect(res.statusCode).toBe(400);
    const body = text(res.body);
    expect(body).toContain('Effective from date must be a real date');
    expect(body).toContain('Line 1: Select the Agenda for Change band');
    expect(body).toContain('Line 2: Enter who compiles it (a role, not a name)');
    expect(body).toContain('Line 2: Hours each time must be a number, like 3 or 2.5');
    expect(res.body).toContain('href="#effective_from-day"');
    const empty = await admin.post(effortUrl(a.trust.code, n1), effortForm([1, 4, 2025], []), {
      csrfFrom: effortUrl(a.trust.code, n1),
    });
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain('Enter at least one role with its band and hours each time');
  });

  it('records a version, audits it, and refreshes the organisation, ICB, region and national figures', async () => {
    const res = await admin.post(
      effortUrl(a.trust.code, n1),
      effortForm(
        [1, 4, 2025],
        [
          ['Workforce analyst', '7', '3'],
          ['Director of workforce', 'VSM', '1'],
        ],
      ),
      { csrfFrom: effortUrl(a.trust.code, n1) },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/burden/organisations/${a.trust.code}/effort`);
    const cost = 36 * hourlyRate(band7);
    const org = await summaryRow('organisation', a.trust.id);
    expect(org).toMatchObject({ hours_year: '48.00', uncosted_hours_year: '12.00', organisations: 1, managers: 4 });
    expect(Number(org?.cost_year)).toBeCloseTo(cost, 1);
    for (const [level, id] of [
      ['icb', a.icb.id],
      ['region', a.region.id],
      ['nation', 0],
    ] as const) {
      expect(await summaryRow(level, id)).toMatchObject({ hours_year: '48.00', organisations: 1, managers: 4 });
    }
    expect(await summaryRow('region', b.region.id)).toBeUndefined();
    const entry = await db
      .selectFrom('audit_log')
      .select(['organisation_id', 'details'])
      .where('action', '=', 'burden.effort.record')
      .executeTakeFirstOrThrow();
    expect(entry.organisation_id).toBe(a.trust.id);
    expect(entry.details).toMatchObject({ effectiveFrom: '2025-04-01', replaced: false });

    const page = text((await admin.get(`/burden/organisations/${a.trust.code}`)).body);
    expect(page).toContain('Hours a year 48');
    expect(page).toContain('Hours a year per manager 12');
    expect(page).toContain('not counting 12 hours of bands without a pay scale');
  });

  it('keeps earlier versions and uses the one in effect today; a later-dated version waits for its date', async () => {
    const url = effortUrl(a.trust.code, n1);
    expect(
      (await admin.post(url, effortForm([1, 10, 2025], [['Workforce analyst', '7', '5']]), { csrfFrom: url }))
        .statusCode,
    ).toBe(303);
    expect(
      (await admin.post(url, effortForm([1, 1, 2027], [['Workforce analyst', '7', '1']]), { csrfFrom: url }))
        .statusCode,
    ).toBe(303);
    expect((await summaryRow('organisation', a.trust.id))?.hours_year).toBe('60.00');
    const history = text((await admin.get(url)).body);
    expect(history).toMatch(/1 January 2027 .* 1 October 2025 .* 1 April 2025/);
    // The form starts from the latest version.
    expect((await admin.get(url)).body).toContain('value="1"');

    now = new Date('2027-01-05T09:00:00Z');
    const { io, out } = captureIO();
    const refresh = commands.find((c) => c.name === 'burden refresh')!;
    expect(await refresh.run(ctx.deps, { values: {}, positionals: [] }, io)).toBe(0);
    expect(out[0]).toContain('Burden as at 2027-01-05: 1 organisation(s) with effort on 1 return(s)');
    expect((await summaryRow('organisation', a.trust.id))?.hours_year).toBe('12.00');
    now = new Date('2026-06-15T09:00:00Z');
    await refreshBurden(db, '2026-06-15');
    expect((await summaryRow('organisation', a.trust.id))?.hours_year).toBe('60.00');
  });

  it('prices effort with the pay scale valid on its date, either side of a boundary', async () => {
    const before = effortUrl(t2.code, n2);
    expect(
      (await t2Admin.post(before, effortForm([31, 3, 2025], [['Analyst', '7', '10']]), { csrfFrom: before }))
        .statusCode,
    ).toBe(303);
    const row = () =>
      db
        .selectFrom('burden_org_returns')
        .select(['hours_year', 'cost_year', 'scales'])
        .where('organisation_id', '=', t2.id)
        .where('return_id', '=', n2)
        .executeTakeFirstOrThrow();
    const old = await row();
    expect(old.hours_year).toBe('40.00');
    expect(old.scales).toBe('AfC 2024/25 (test)');
    expect(Number(old.cost_year)).toBeCloseTo(40 * hourlyRate(earlier), 1);
    // The same hours from the next day are priced with the 2025/26 scale.
    expect(
      (await t2Admin.post(before, effortForm([1, 4, 2025], [['Analyst', '7', '10']]), { csrfFrom: before })).statusCode,
    ).toBe(303);
    const next = await row();
    expect(next.scales).toBe('AfC 2025/26');
    expect(Number(next.cost_year)).toBeCloseTo(40 * hourlyRate(band7), 1);
    expect(Number(next.cost_year)).toBeGreaterThan(Number(old.cost_year));
  });

  it('updates only the affected organisation incrementally; a full refresh gives the same figures', async () => {
    const icb = await summaryRow('icb', a.icb.id);
    expect(icb).toMatchObject({ hours_year: '100.00', organisations: 2, managers: 6 });
    const nation = await summaryRow('nation', 0, 'return', String(n2));
    expect(nation).toMatchObject({ hours_year: '40.00', organisations: 1 });
    const snapshot = await db
      .selectFrom('burden_area_summary')
      .select(['level', 'area_id', 'dimension', 'key', 'hours_year', 'cost_year', 'managers'])
      .orderBy(['level', 'area_id', 'dimension', 'key'])
      .execute();
    await refreshBurden(db, '2026-06-15');
    const again = await db
      .selectFrom('burden_area_summary')
      .select(['level', 'area_id', 'dimension', 'key', 'hours_year', 'cost_year', 'managers'])
      .orderBy(['level', 'area_id', 'dimension', 'key'])
      .execute();
    expect(again).toEqual(snapshot);
  });
});

describe('analysis pages', () => {
  it('show England’s top returns, bodies and regions to everyone', async () => {
    const res = await staff.get('/burden/analysis');
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    expect(body).toContain('Hours a year 100');
    expect(body).toMatch(
      /Workforce monthly NHS England national team 60 .* Elective quarterly NHS England national team 40/,
    );
    expect(body).toContain(`${a.region.name} 100`);
    expect(body).toContain(`${b.region.name} No effort recorded`);
    expect(body).toContain('0 of 4 returns are past their sunset date');
    expect(body).toContain('1 have no approval reference');
    expect(body).toContain('1 regional, ICB or local requests duplicate a national return');
  });

  it('show a region’s and an ICB’s aggregates, and no organisation detail to those without the right', async () => {
    const region = text((await staff.get(`/burden/analysis/${a.region.code}`)).body);
    expect(region).toContain(`Reporting burden in ${a.region.name}`);
    expect(region).toContain(`${a.icb.name} 100`);
    const icb = await staff.get(`/burden/analysis/${a.icb.code}`);
    expect(text(icb.body)).toContain('Organisations reporting effort 2');
    expect(icb.body).not.toContain(a.trust.name);
    expect((await staff.get(`/burden/analysis/${a.trust.code}`)).statusCode).toBe(404);
    expect((await staff.get(`/burden/organisations/${a.trust.code}`)).statusCode).toBe(403);
    expect((await icbLead.get(`/burden/organisations/${a.trust.code}`)).statusCode).toBe(200);
  });
});

describe('flags and overlaps', () => {
  it('flag a local request whose data items a national return already asks for', async () => {
    const list = text((await staff.get('/burden?scope=local')).body);
    expect(list).toContain('Trust vacancy check');
    expect(list).toContain('Duplicates a national return');
    const detail = text((await staff.get(`/burden/returns/${local}`)).body);
    expect(detail).toContain('Every data item of this local');
    expect(detail).toContain('Workforce monthly');
    expect(text((await admin.get(`/burden/organisations/${a.trust.code}`)).body)).toContain(
      'Trust vacancy check repeats Workforce monthly',
    );
  });

  it('find exact and near duplicate items across returns, and leave unrelated ones apart', async () => {
    const groups = await db
      .selectFrom('burden_overlap_groups')
      .select(['kind', 'item_ids', 'return_ids', 'min_similarity'])
      .execute();
    const items = new Map(
      (await db.selectFrom('burden_data_items').select(['id', 'name']).execute()).map((i) => [i.id, i.name]),
    );
    const described = groups
      .map((g) => ({
        kind: g.kind,
        items: g.item_ids.map((i) => items.get(i) ?? String(i)).sort(),
        returns: g.return_ids.length,
      }))
      .sort((x, y) => x.items[0].localeCompare(y.items[0]));
    expect(described).toEqual([
      { kind: 'near', items: ['Patients waiting more than 52 weeks', 'Patients waiting over 52 weeks'], returns: 2 },
      { kind: 'exact', items: ['Staff in post'], returns: 3 },
      { kind: 'exact', items: ['Vacancies'], returns: 2 },
    ]);
    const near = groups.find((g) => g.kind === 'near');
    expect(Number(near?.min_similarity)).toBeGreaterThanOrEqual(0.6);
  });

  it('show consolidation candidates with the hours consolidating would save', async () => {
    const res = await staff.get('/burden/overlaps');
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    // Staff in post: Workforce monthly 60 h over 5 items = 12; Elective quarterly 40 h over 4 items = 10;
    // Trust vacancy check has no effort. Saving 12 + 10 − 12 = 10.
    expect(body).toMatch(/Exact match Staff in post .* Estimated saving from consolidating: 10 hours a year/);
    expect(body).toMatch(/Near match Patients waiting over 52 weeks ?; Patients waiting more than 52 weeks/);
    expect(body).toContain('3 candidates, saving an estimated 20 hours a year in all');
    expect(body).not.toContain('Agency spend');
    expect(body).not.toContain('Cancer 31 day performance');
  });

  it('show an item’s similar names, marking those with other numbers', async () => {
    const cancer = await db
      .selectFrom('burden_data_items')
      .select('id')
      .where('name', '=', 'Cancer 62 day performance')
      .executeTakeFirstOrThrow();
    const body = text((await staff.get(`/burden/items/${cancer.id}`)).body);
    expect(body).toContain('Cancer 31 day performance');
    expect(body).toContain('Mentions other numbers: not counted as a near match');
  });
});
