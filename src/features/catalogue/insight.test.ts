import { beforeAll, describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, type TestContext, testApp } from '../../../test/helpers.ts';
import { currentGaps } from '../assessments/queries.ts';
import { standards, takeAssessment } from '../assessments/testing.ts';
import { addDays } from './catalogue.ts';
import type { CompetencyOption } from './competencies.ts';
import { longDate } from './present.ts';
import { setNextCohortStart } from './queries.ts';
import { grantProvider, makeProgramme, makeProvider, withCompetencies } from './testing.ts';

let ctx: TestContext;
let comps: CompetencyOption[];
let h: Awaited<ReturnType<typeof makeHierarchy>>;
let other: Awaited<ReturnType<typeof makeHierarchy>>;

beforeAll(async () => {
  ctx = await testApp();
  comps = await withCompetencies(ctx.deps.db);
  h = await makeHierarchy(ctx.deps.db, '91');
  other = await makeHierarchy(ctx.deps.db, '92');
});

describe('/me/recommendations', () => {
  it('suggests programmes the person may join, near them or online, and says why', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    const near = await makeProgramme(db, provider.id, {
      title: 'Middle managers in our region',
      format: 'face_to_face',
      scope: 'regional',
      scope_org_id: h.region.id,
      area_region_id: h.region.id,
      level: 'middle',
    });
    const start = addDays(new Date().toISOString().slice(0, 10), 30);
    await setNextCohortStart(db, near.id, start);
    await makeProgramme(db, provider.id, {
      title: 'Middle managers far away',
      format: 'face_to_face',
      scope: 'regional',
      scope_org_id: other.region.id,
      area_region_id: other.region.id,
      level: 'middle',
    });
    await makeProgramme(db, provider.id, {
      title: 'Middle managers, admin staff only',
      level: 'middle',
      elig_staff_groups: ['08'],
    });
    await makeProgramme(db, provider.id, { title: 'Board development', level: 'board' });
    const person = await makePerson(db, { orgId: h.trust.id, band: '8a', isManager: true, staffGroup: '03' });
    const account = await makeAccount(db, { personId: person.id });
    const res = await (await signedIn(ctx, account.id)).get('/me/recommendations');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Middle managers in our region');
    expect(res.body).toContain('Run in your region (Test Region 91)');
    expect(res.body).toContain(`Next cohort starts ${longDate(start)}`);
    expect(res.body).toContain('Designed for managers at your level');
    expect(res.body).not.toContain('far away');
    expect(res.body).not.toContain('admin staff only');
    expect(res.body).not.toContain('Board development');
  });

  it('recommends programmes that close the gaps of the latest self-assessment', async () => {
    const { db } = ctx.deps;
    const { versionId, model } = await standards(db);
    const lowest = Math.min(...model.content.levels.map((l) => l.value).filter((v): v is number => v !== null));
    const person = await makePerson(db, { orgId: h.trust.id, band: '8a', isManager: true });
    const account = await makeAccount(db, { personId: person.id });
    const client = await signedIn(ctx, account.id);
    await takeAssessment(client, db, { versionId, level: 'middle', pick: () => lowest });
    const gaps = await currentGaps(db, person.id);
    expect(gaps.length).toBeGreaterThan(0);
    const target = gaps[0];
    const provider = await makeProvider(db);
    await makeProgramme(db, provider.id, {
      title: 'Closes the first gap',
      level: 'senior',
      competencies: [{ versionId: target.frameworkVersionId, competencyId: target.competencyId } as CompetencyOption],
    });
    const res = await client.get('/me/recommendations');
    expect(res.body).toContain('Closes the first gap');
    expect(res.body).toContain(`Develops ${target.competencyName} (${target.domainName}), where you are ${target.gap}`);
    // Programmes for the person's level that close no gap are not suggested once there are gaps.
    expect(res.body).not.toContain('Middle managers in our region');
  });

  it('needs a person linked to the account', async () => {
    const account = await makeAccount(ctx.deps.db, { grants: [{ role: 'national_admin', orgId: null }] });
    expect((await (await signedIn(ctx, account.id)).get('/me/recommendations')).statusCode).toBe(403);
  });
});

describe('/catalogue/coverage', () => {
  it('lists competencies without an accredited programme in the lead’s region', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    await makeProgramme(db, provider.id, {
      title: 'Accredited regional',
      scope: 'regional',
      scope_org_id: h.region.id,
      area_region_id: h.region.id,
      competencies: [comps[0]],
      accreditation_status: 'accredited',
      accredited_until: '2030-01-01',
    });
    await makeProgramme(db, provider.id, { title: 'Not accredited', competencies: [comps[1]] });
    const lead = await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: h.region.id }] });
    const res = await (await signedIn(ctx, lead.id)).get('/catalogue/coverage');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`${comps.length - 1} competencies have no accredited programme in Test Region 91`);
    const missing = res.body.slice(
      res.body.indexOf('Competencies with no accredited'),
      res.body.indexOf('Competencies with accredited programmes'),
    );
    expect(missing).toContain(comps[1].title);
    expect(missing).not.toContain(`>${comps[0].title}<`);
    // Another region's lead sees their own region, where the regional programme does not count.
    const otherLead = await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: other.region.id }] });
    const theirs = await (await signedIn(ctx, otherLead.id)).get(`/catalogue/coverage?region=${h.region.id}`);
    expect(theirs.body).toContain(`${comps.length} competencies have no accredited programme in Test Region 92`);
    const staff = await makeAccount(db);
    expect((await (await signedIn(ctx, staff.id)).get('/catalogue/coverage')).statusCode).toBe(403);
  });
});

describe('providers', () => {
  it('lets national admins add a provider and name its admins, who then manage only it', async () => {
    const { db } = ctx.deps;
    const nat = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id);
    const bad = await nat.post(
      '/catalogue/providers',
      { name: '', kind: 'university' },
      { csrfFrom: '/catalogue/providers/new' },
    );
    expect(bad.statusCode).toBe(400);
    const nhs = await nat.post(
      '/catalogue/providers',
      { name: 'Trust L&D', kind: 'nhs_organisation' },
      { csrfFrom: '/catalogue/providers/new' },
    );
    expect(nhs.body).toContain('Enter the ODS code of the NHS organisation');
    const ok = await nat.post(
      '/catalogue/providers',
      { name: 'Northern University', kind: 'university', region_code: h.region.code },
      { csrfFrom: '/catalogue/providers/new' },
    );
    expect(ok.statusCode).toBe(303);
    const pid = Number((ok.headers.location as string).split('/').pop());
    const person = await makeAccount(db, { email: 'tutor@northern.example.ac.uk', name: 'Tess Tutor' });
    const url = `/catalogue/manage/providers/${pid}/admins`;
    const unknown = await nat.post(url, { email: 'nobody@example.org' }, { csrfFrom: url });
    expect(unknown.statusCode).toBe(400);
    expect((await nat.post(url, { email: 'Tutor@Northern.example.ac.uk' }, { csrfFrom: url })).statusCode).toBe(303);
    const tutor = await signedIn(ctx, person.id);
    const manage = await tutor.get('/catalogue/manage');
    expect(manage.body).toContain('Northern University');
    expect((await tutor.get(`/catalogue/manage/providers/${pid}/programmes/new`)).statusCode).toBe(200);
    const elsewhere = await makeProvider(db);
    expect((await tutor.get(`/catalogue/manage/providers/${elsewhere.id}/programmes/new`)).statusCode).toBe(403);
    // An organisation-level provider grant covers the provider that is that organisation.
    const trustProvider = await makeProvider(db, { orgId: h.trust.id, name: 'Trust provider' });
    const ld = await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: h.trust.id }] });
    expect((await (await signedIn(ctx, ld.id)).get(`/catalogue/manage/providers/${trustProvider.id}`)).statusCode).toBe(
      200,
    );
    await grantProvider(db, ld.id, elsewhere.id);
    expect((await (await signedIn(ctx, ld.id)).get('/catalogue/manage')).body).toContain(elsewhere.name);
  });
});
