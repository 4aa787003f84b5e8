import { describe, expect, it } from 'vitest';
import { makeAccount, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { loadBundledOds } from './ods.ts';
import { findOrganisation } from './queries.ts';

const ctx = await testApp();
const { db } = ctx.deps;
await loadBundledOds(db);
const ral = (await findOrganisation(db, 'RAL'))!;
const rkeId = (await findOrganisation(db, 'RKE'))!.id;
const staffPerson = await makePerson(db, { orgId: ral.id });
await makePerson(db, { orgId: ral.id });
await makePerson(db, { orgId: ral.id, endDate: '2024-01-31' });
const staff = await signedIn(ctx, (await makeAccount(db, { personId: staffPerson.id })).id);
const ralAdmin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: ral.id }] })).id);
const national = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id);

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('organisation pages', () => {
  it('sends signed-out visitors to sign in', async () => {
    const res = await ctx.app.inject('/organisations');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?next=%2Forganisations');
  });

  it('lists the 7 regions with their ICBs and open trusts', async () => {
    const res = await staff.get('/organisations');
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    expect(body).toContain('London Y56 5 31');
    expect(body).toContain('Midlands Y60 11 39');
    expect(body).toContain('North East and Yorkshire Y63 4 31');
    expect(res.body.match(/href="\/organisations\/Y\d\d"/g)).toHaveLength(7);
  });

  it('finds organisations by a fragment of the name and by ODS code', async () => {
    const fragment = text((await staff.get('/organisations?q=royal+free')).body);
    expect(fragment).toContain('1 organisation matches “royal free”');
    expect(fragment).toContain('Royal Free London NHS Foundation Trust RAL NHS trust NHS North Central London');
    // An exact code comes first, before names that merely contain the text (e.g. "Central London").
    const byCode = await staff.get('/organisations?q=ral');
    expect(byCode.body.match(/<th scope="row"[^>]*><a href="\/organisations\/(\w+)"/)?.[1]).toBe('RAL');
    const byName = await staff.get('/organisations?q=london');
    expect(byName.body.match(/<th scope="row"[^>]*><a href="\/organisations\/(\w+)"/)?.[1]).toBe('Y56');
    const prefix = text((await staff.get('/organisations?q=R0')).body);
    expect(prefix).toContain('Manchester University NHS Foundation Trust');
    expect(prefix).toContain('South Tyneside and Sunderland NHS Foundation Trust');
  });

  it('leaves closed organisations out of a search unless asked, and marks them closed', async () => {
    expect(text((await staff.get('/organisations?q=solent')).body)).toContain('No organisations match “solent”');
    const withClosed = text((await staff.get('/organisations?q=solent&closed=yes')).body);
    expect(withClosed).toContain('Solent NHS Trust R1C NHS trust');
    expect(withClosed).toContain('Closed 30 Sep 2024');
  });

  it('pages search results 50 at a time', async () => {
    const first = await staff.get('/organisations?q=nhs&closed=yes');
    expect(text(first.body)).toMatch(/Results 1 to 50 of [\d,]+, page 1 of \d+/);
    expect(first.body).toContain('href="/organisations?q=nhs&amp;closed=yes&amp;page=2#results"');
    const second = await staff.get('/organisations?q=nhs&closed=yes&page=2');
    expect(text(second.body)).toMatch(/Results 51 to 100 of/);
    const junk = await staff.get('/organisations?q=nhs&page=abc');
    expect(junk.statusCode).toBe(200);
  });

  it('shows a closed trust as closed, with its date', async () => {
    const res = await staff.get('/organisations/R1C');
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    expect(body).toContain('Status Closed Closed on 30 September 2024');
    expect(res.body).toContain('nhsuk-tag--grey');
  });

  it('shows an ICB with its region as breadcrumbs and its children, open first and closed apart', async () => {
    const res = await staff.get('/organisations/qmj');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/nhsuk-breadcrumb__link" href="\/organisations\/Y56">\s*London/);
    const body = text(res.body);
    expect(body).toContain('Part of London');
    expect(body).toContain('ONS code E54000028');
    const open = body.indexOf('Royal Free London NHS Foundation Trust (RAL)');
    const closedHeading = body.indexOf('Closed NHS trusts');
    const closed = body.indexOf('North Middlesex University Hospital NHS Trust (RAP), closed on 31 December 2024');
    expect(open).toBeGreaterThan(0);
    expect(closedHeading).toBeGreaterThan(open);
    expect(closed).toBeGreaterThan(closedHeading);
    expect(body).toContain('Sub-ICB locations');
  });

  it('shows a trust’s place, parent history and address', async () => {
    const body = text((await staff.get('/organisations/RAL')).body);
    expect(body).toContain('Part of NHS North Central London Integrated Care Board , part of London');
    expect(body).toContain('Address Royal Free Hospital, Pond Street, London Postcode NW3 2QG');
    expect(body).toMatch(/NHS North Central London Integrated Care Board \(QMJ\) \d+ \w+ \d{4}, \d\d:\d\d UTC Now/);
  });

  it('shows the count of current staff only to those who may see the organisation in detail', async () => {
    expect(text((await staff.get('/organisations/RAL')).body)).not.toContain('Current staff');
    expect(text((await ralAdmin.get('/organisations/RAL')).body)).toContain(
      'Current staff 2 people with a current assignment',
    );
    expect(text((await ralAdmin.get('/organisations/RKE')).body)).not.toContain('Current staff');
  });

  it('answers an unknown code with the 404 page', async () => {
    const res = await staff.get('/organisations/NOPE1');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Organisation not found');
  });
});

describe('adding teams', () => {
  it('refuses the form to a staff member, and to an admin of another organisation', async () => {
    expect((await staff.get('/organisations/RAL/teams/new')).statusCode).toBe(403);
    const post = await staff.post(
      '/organisations/RAL/teams',
      { name: 'X', kind: 'team' },
      { csrfFrom: '/organisations' },
    );
    expect(post.statusCode).toBe(403);
    expect((await ralAdmin.get('/organisations/RKE/teams/new')).statusCode).toBe(403);
    expect((await db.selectFrom('teams').select('id').execute()).length).toBe(0);
  });

  it('shows what is wrong with a bad form, with status 400, and keeps what was typed', async () => {
    const res = await ralAdmin.post(
      '/organisations/RAL/teams',
      { name: ' ', code: 'bad code!' },
      {
        csrfFrom: '/organisations/RAL/teams/new',
      },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toMatch(/href="#name">\s*Enter the team’s name/);
    expect(res.body).toMatch(/href="#kind">\s*Select what kind of unit this is/);
    expect(res.body).toContain('Team code must use only letters, numbers, dots, dashes and underscores');
    expect(res.body).toContain('value="bad code!"');
    expect(res.body).toMatch(/<title>Error: /);
  });

  it('creates a directorate and a team inside it, audited, and shows them as a tree', async () => {
    const form = '/organisations/RAL/teams/new';
    const dir = await ralAdmin.post(
      '/organisations/RAL/teams',
      { name: 'Surgery', kind: 'directorate', code: 'SURG', parent_team_id: '' },
      { csrfFrom: form },
    );
    expect(dir.statusCode).toBe(303);
    expect(dir.headers.location).toMatch(/^\/organisations\/RAL#team-\d+$/);
    const dirId = Number(String(dir.headers.location).split('-')[1]);
    const page = await ralAdmin.get('/organisations/RAL');
    expect(text(page.body)).toContain('Directorate “Surgery” added.');
    // The message is shown once.
    expect(text((await ralAdmin.get('/organisations/RAL')).body)).not.toContain('added.');

    const newForm = await ralAdmin.get(form);
    expect(newForm.body).toContain(`<option value="${dirId}">Surgery (SURG)</option>`);
    const team = await national.post(
      '/organisations/RAL/teams',
      { name: 'Theatres', kind: 'team', parent_team_id: String(dirId) },
      { csrfFrom: form },
    );
    expect(team.statusCode).toBe(303);
    const tree = (await ralAdmin.get('/organisations/RAL')).body;
    expect(tree).toMatch(/id="team-\d+">\s*Surgery[\s\S]*<ul class="lw-tree">\s*<li id="team-\d+">\s*Theatres/);
    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'organisation_id', 'actor_account_id'])
      .where('action', '=', 'team.create')
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0].organisation_id).toBe(ral.id);
  });

  it('rejects a repeated code and a parent team of another organisation', async () => {
    const form = '/organisations/RAL/teams/new';
    const dup = await ralAdmin.post(
      '/organisations/RAL/teams',
      { name: 'Again', kind: 'team', code: 'surg' },
      { csrfFrom: form },
    );
    expect(dup.statusCode).toBe(400);
    expect(text(dup.body)).toContain(
      'Another team in Royal Free London NHS Foundation Trust already has the code surg',
    );
    const other = await db
      .insertInto('teams')
      .values({ organisation_id: rkeId, name: 'Elsewhere', code: null, parent_team_id: null, closed_on: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const wrongParent = await ralAdmin.post(
      '/organisations/RAL/teams',
      { name: 'Sneaky', kind: 'team', parent_team_id: String(other.id) },
      { csrfFrom: form },
    );
    expect(wrongParent.statusCode).toBe(400);
    expect(wrongParent.body).toMatch(/href="#parent_team_id">\s*Select a parent team from the list/);
  });
});
