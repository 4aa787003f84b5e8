import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy } from '../../../test/factories.ts';
import { type Client, signedIn, testApp } from '../../../test/helpers.ts';
import { loadStarters } from './import.ts';
import { findFramework, versionsOf } from './queries.ts';

const ctx = await testApp();
const { db } = ctx.deps;
await loadStarters(db);
const { trust } = await makeHierarchy(db);
const staff = await signedIn(ctx, (await makeAccount(db)).id);
const orgAdmin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] })).id);
const national = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id);

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const summaryOf = (html: string) =>
  text(html.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/)?.[0] ?? '').trim();
const auditActions = async () =>
  (
    await db.selectFrom('audit_log').select('action').where('action', 'like', 'framework.%').orderBy('id').execute()
  ).map((r) => r.action);

async function upload(client: Client, file: string, filename: string) {
  const form = new FormData();
  form.append('_csrf', await client.csrf('/frameworks/import'));
  form.append('file', new Blob([file]), filename);
  const encoded = new Response(form);
  return ctx.app.inject({
    method: 'POST',
    url: '/frameworks/import',
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { cookie: client.cookieHeader(), 'content-type': encoded.headers.get('content-type')! },
  });
}

describe('reading frameworks', () => {
  it('sends signed-out visitors to sign in', async () => {
    const res = await ctx.app.inject('/frameworks');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?next=%2Fframeworks');
  });

  it('lists the starter frameworks with their published versions, and offers authoring only to national admins', async () => {
    const res = await staff.get('/frameworks');
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    expect(body).toContain('Board members: Leadership Competency Framework');
    expect(body).toContain('Healthcare Leadership Model');
    expect(body).toContain('Leadwell management standards');
    expect(body.match(/Version 1: Published/g)).toHaveLength(3);
    expect(res.body).not.toContain('href="/frameworks/new"');
    expect(res.body).toContain('href="/frameworks"');
    expect((await national.get('/frameworks')).body).toContain('href="/frameworks/new"');
  });

  it('shows a published version: scale, domains, competencies, indicators and required levels', async () => {
    const res = await staff.get('/frameworks/leadwell-management-standards');
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    expect(body).toContain('Version 1 Published');
    expect(body).toMatch(/Proficient Proficient 3 Does this well/);
    expect(body).toContain('Green: at or above the required level. Amber: one step below the required level.');
    expect(body).toContain('Domain CSL Collaborative and system leadership');
    expect(body).toContain('CSL.1 Building partnerships across the system');
    expect(body).toContain('Shares information and plans early with partners whose work will be affected.');
    // PEOPLE.3 overrides its domain for board members.
    expect(body).toContain('PEOPLE.3 Inclusive leadership Proficient Proficient Proficient Expert Expert');
    expect(body).toContain('PEOPLE.2 Developing people Proficient Proficient Proficient Expert Proficient');
    expect(res.body).toContain('href="/frameworks/leadwell-management-standards/versions/1/export.json"');
    expect(res.body).not.toContain('Start a new version');
  });

  it('shows level descriptors and a scale level that is not a score', async () => {
    const hlm = text((await staff.get('/frameworks/healthcare-leadership-model')).body);
    expect(hlm).toContain('What each level looks like for HLM1.1');
    expect(hlm).toContain('Exemplary Builds a shared purpose across teams and organisations that others take up.');
    const lcf = text((await staff.get('/frameworks/board-leadership-competency-framework')).body);
    expect(lcf).toContain('No chance to demonstrate Not a score');
    expect(lcf).toContain('not confirmed');
  });

  it('answers an unknown framework or version with 404', async () => {
    expect((await staff.get('/frameworks/nope')).statusCode).toBe(404);
    expect((await staff.get('/frameworks/healthcare-leadership-model?version=9')).statusCode).toBe(404);
  });

  it('downloads a version as JSON and CSV', async () => {
    const json = await staff.get('/frameworks/healthcare-leadership-model/versions/1/export.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toBe('attachment; filename="healthcare-leadership-model-v1.json"');
    expect(json.json()).toMatchObject({ format: 'leadwell-framework', version: { number: 1, status: 'published' } });
    const csv = await staff.get('/frameworks/healthcare-leadership-model/versions/1/export.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n')).toHaveLength(9 + 2);
  });
});

describe('who may author', () => {
  it('refuses every authoring page and action to staff and organisation admins', async () => {
    for (const client of [staff, orgAdmin]) {
      expect((await client.get('/frameworks/new')).statusCode).toBe(403);
      expect((await client.get('/frameworks/import')).statusCode).toBe(403);
      expect(
        (await client.post('/frameworks', { title: 'X', key: 'x-x' }, { csrfFrom: '/frameworks' })).statusCode,
      ).toBe(403);
      const start = await client.post(
        '/frameworks/healthcare-leadership-model/versions',
        {},
        { csrfFrom: '/frameworks' },
      );
      expect(start.statusCode).toBe(403);
      const retire = await client.post(
        '/frameworks/healthcare-leadership-model/versions/1/retire',
        {},
        { csrfFrom: '/frameworks' },
      );
      expect(retire.statusCode).toBe(403);
    }
    expect((await orgAdmin.get('/frameworks/healthcare-leadership-model/draft')).statusCode).toBe(403);
    const versions = await versionsOf(db, (await findFramework(db, 'healthcare-leadership-model'))!.id);
    expect(versions.map((v) => v.status)).toEqual(['published']);
  });
});

describe('creating a framework', () => {
  it('re-renders the form with 400 and an error summary', async () => {
    const res = await national.post('/frameworks', { title: '', key: 'Bad Key!' }, { csrfFrom: '/frameworks/new' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: Create a framework – Leadwell</title>');
    expect(summaryOf(res.body)).toContain('Enter the framework’s title');
    expect(summaryOf(res.body)).toContain('Key must be 2 to 60 lower-case letters');
    expect(res.body).toContain('href="#key"');
    const taken = await national.post(
      '/frameworks',
      { title: 'Again', key: 'healthcare-leadership-model' },
      { csrfFrom: '/frameworks/new' },
    );
    expect(taken.statusCode).toBe(400);
    expect(summaryOf(taken.body)).toContain('A framework with the key healthcare-leadership-model already exists');
    const reserved = await national.post('/frameworks', { title: 'New', key: 'new' }, { csrfFrom: '/frameworks/new' });
    expect(summaryOf(reserved.body)).toContain('“new” cannot be a framework key');
  });

  it('creates a draft that only national admins can see, and audits it', async () => {
    const res = await national.post(
      '/frameworks',
      { title: 'Ward leadership', key: 'Ward-Leadership', description: 'For ward managers' },
      { csrfFrom: '/frameworks/new' },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/frameworks/ward-leadership/draft');
    const draft = await national.get('/frameworks/ward-leadership/draft');
    expect(text(draft.body)).toContain('Framework “Ward leadership” created as a draft.');
    expect((await national.get('/frameworks/ward-leadership')).body).toContain('This is a draft');
    expect((await staff.get('/frameworks/ward-leadership')).statusCode).toBe(404);
    expect(text((await staff.get('/frameworks')).body)).not.toContain('Ward leadership');
    expect((await staff.get('/frameworks/ward-leadership/versions/1/export.json')).statusCode).toBe(404);
    expect(await auditActions()).toContain('framework.create');
  });
});

describe('versions', () => {
  it('starts a new version as a copy, only once, and retires the old one after confirmation', async () => {
    const start = await national.post(
      '/frameworks/healthcare-leadership-model/versions',
      {},
      { csrfFrom: '/frameworks' },
    );
    expect(start.statusCode).toBe(303);
    expect(start.headers.location).toBe('/frameworks/healthcare-leadership-model/draft');
    const draft = text((await national.get('/frameworks/healthcare-leadership-model/draft')).body);
    expect(draft).toContain('Draft version 2, based on version 1');
    expect(draft).toContain('Domain HLM9 Influencing for results');
    const again = await national.post(
      '/frameworks/healthcare-leadership-model/versions',
      {},
      { csrfFrom: '/frameworks' },
    );
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain('already has a draft (version 2)');

    const confirm = await national.get('/frameworks/healthcare-leadership-model/versions/1/retire');
    expect(text(confirm.body)).toContain('Retire version 1?');
    const retired = await national.post(
      '/frameworks/healthcare-leadership-model/versions/1/retire',
      {},
      {
        csrfFrom: '/frameworks/healthcare-leadership-model/versions/1/retire',
      },
    );
    expect(retired.headers.location).toBe('/frameworks/healthcare-leadership-model?version=1');
    const page = text((await staff.get('/frameworks/healthcare-leadership-model')).body);
    expect(page).toContain('Version 1 Retired');
    expect(page).toContain('was retired on');
    const twice = await national.post(
      '/frameworks/healthcare-leadership-model/versions/1/retire',
      {},
      { csrfFrom: '/frameworks' },
    );
    expect(twice.statusCode).toBe(409);
    expect(await auditActions()).toEqual(expect.arrayContaining(['framework.version.create', 'framework.retire']));
  });
});

describe('import page', () => {
  it('lists CSV problems by line with 400 and imports nothing', async () => {
    const csv =
      'framework,domain_code,domain_title,competency_code,competency_title\nimported,D1,One,D1.1,First\nimported,D1,One,D1.1,Again\n';
    const res = await upload(national, csv, 'bad.csv');
    expect(res.statusCode).toBe(400);
    expect(summaryOf(res.body)).toContain('line 3, competency_code: Competency code D1.1 is also on line 2');
    expect(text(res.body)).toContain('Nothing was imported');
    expect(await findFramework(db, 'imported')).toBeUndefined();
  });

  it('imports a good file as a draft and says so', async () => {
    const exported = (
      await staff.get('/frameworks/board-leadership-competency-framework/versions/1/export.json')
    ).json();
    exported.framework.key = 'board-copy';
    const res = await upload(national, JSON.stringify(exported), 'board.json');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/frameworks/board-copy/draft');
    expect(text((await national.get(res.headers.location!)).body)).toContain(
      'Imported board.json as draft version 1 of a new framework',
    );
  });

  it('asks for a file, and refuses an upload without the form’s token', async () => {
    const empty = await upload(national, '', 'empty.csv');
    expect(empty.statusCode).toBe(400);
    expect(summaryOf(empty.body)).toContain('Select a JSON or CSV file to import');
    const form = new FormData();
    form.append('file', new Blob(['{}']), 'x.json');
    const encoded = new Response(form);
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/frameworks/import',
      payload: Buffer.from(await encoded.arrayBuffer()),
      headers: { cookie: national.cookieHeader(), 'content-type': encoded.headers.get('content-type')! },
    });
    expect(forged.statusCode).toBe(403);
    expect((await upload(staff, '{}', 'x.json')).statusCode).toBe(403);
  });
});
