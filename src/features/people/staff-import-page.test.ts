import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { type Client, signedIn, testApp } from '../../../test/helpers.ts';

const ctx = await testApp();
const db = ctx.deps.db;

const csv = [
  'Assignment Number,Employee Number,First Name,Last Name,Position Title,Department,Pay Band,Assignment Start Date,Supervisor Assignment Number',
  '8001-1,9001,Nye,Bevan,Chief Executive,Executive,VSM,01/04/2019,',
  '8002-1,9002,Mary,Seacole,Head of Nursing,Nursing,8c,01/04/2020,8001-1',
].join('\r\n');

/** A multipart form as a browser sends it: the CSRF token and options first, then the file. */
async function upload(
  client: Client,
  url: string,
  opts: { file?: string | Buffer; filename?: string; fields?: Record<string, string>; csrf?: string | null } = {},
) {
  const form = new FormData();
  const token = opts.csrf === undefined ? await client.csrf(url) : opts.csrf;
  if (token !== null) form.append('_csrf', token);
  for (const [k, v] of Object.entries(opts.fields ?? {})) form.append(k, v);
  const file = opts.file ?? csv;
  const bytes = typeof file === 'string' ? file : new Uint8Array(file);
  form.append('file', new Blob([bytes], { type: 'text/csv' }), opts.filename ?? 'staff.csv');
  const encoded = new Response(form);
  return ctx.app.inject({
    method: 'POST',
    url,
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { cookie: client.cookieHeader(), 'content-type': encoded.headers.get('content-type')! },
  });
}

describe('staff upload page', async () => {
  const { trust } = await makeHierarchy(db, '81');
  const elsewhere = await makeHierarchy(db, '82');
  const url = `/organisations/${trust.code}/staff-import`;
  const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] })).id);

  it('shows the form and the column guide to an organisation admin', async () => {
    const res = await admin.get(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Import staff</h1>');
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toContain('Supervisor Assignment Number');
    expect(res.body).toContain(`No staff have been imported for ${trust.name} yet.`);
  });

  it('checks a file without applying it when asked to', async () => {
    const res = await upload(admin, url, { fields: { dry_run: 'yes' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('File checked: nothing changed');
    const count = await db.selectFrom('assignments').select('id').where('organisation_id', '=', trust.id).execute();
    expect(count).toHaveLength(0);
  });

  it('imports a good file and shows the counts after a redirect', async () => {
    const res = await upload(admin, url);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(new RegExp(`^${url}/\\d+$`));
    const report = await admin.get(location);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Staff imported');
    expect(report.body).toMatch(/New assignments\s*<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*2\s*</);
    const list = await admin.get(url);
    expect(list.body).toContain('staff.csv');
    expect(list.body).toContain('Applied');
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_account_id', 'organisation_id'])
      .where('action', '=', 'staff.import')
      .executeTakeFirstOrThrow();
    expect(audit.organisation_id).toBe(trust.id);
    expect(audit.actor_account_id).not.toBeNull();
  });

  it('says how the file was read, and asks for a look at accented names when Excel saved it as Windows-1252', async () => {
    const header = csv.split('\r\n')[0];
    const windows = Buffer.from(
      `${header}\r\n8004-1,9004,Se\u00e1n,M\u00fcller,Porter,Estates,3,01/04/2021,8001-1`,
      'latin1',
    );
    const res = await upload(admin, url, { file: windows, filename: 'windows.csv' });
    expect(res.statusCode).toBe(303);
    const report = await admin.get(String(res.headers.location));
    expect(report.body).toContain(
      'The file was read as Windows-1252 (the plain &quot;CSV&quot; that Excel saves on Windows).',
    );
    expect(report.body).toContain('Check that names with accents, such as Zoë or José, look right');
    const person = await db
      .selectFrom('people')
      .select(['given_name', 'family_name'])
      .where('staff_number', '=', '9004')
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ given_name: 'Seán', family_name: 'Müller' });
    // A UTF-8 file is named as such, without the advice.
    const utf8 = await upload(admin, url, { fields: { dry_run: 'yes' } });
    expect(utf8.body).toContain('The file was read as UTF-8.');
    expect(utf8.body).not.toContain('Check that names with accents');
  });

  it('lists every problem of a bad file with its line, column and reason, and changes nothing', async () => {
    const bad = `${csv}\r\n8003-1,9003,Ann,Other,Porter,Estates,Band 12,32/01/2020,7777-1`;
    const before = await db
      .selectFrom('assignments')
      .select('updated_at')
      .where('organisation_id', '=', trust.id)
      .execute();
    const res = await upload(admin, url, { file: bad, filename: 'bad.csv' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('3 problems in bad.csv');
    expect(res.body).toMatch(/<th scope="row"[^>]*>4<\/th>\s*<td class="nhsuk-table__cell">Pay Band<\/td>/);
    expect(res.body).toContain('&quot;Band 12&quot; is not an Agenda for Change band');
    expect(res.body).toContain('&quot;32/01/2020&quot; is not a date');
    expect(res.body).toContain('supervisor assignment 7777-1 is neither in the file');
    expect(
      await db.selectFrom('assignments').select('updated_at').where('organisation_id', '=', trust.id).execute(),
    ).toEqual(before);
  });

  it('will not take over a person who works at another organisation, except for a national admin', async () => {
    const other = await makePerson(db, { orgId: elsewhere.trust.id, given: 'Otto', family: 'Elsewhere' });
    const { staff_number } = await db
      .selectFrom('people')
      .select('staff_number')
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow();
    const takeover = [
      'Assignment Number,Employee Number,First Name,Last Name,Position Title,Department,Pay Band,Assignment Start Date',
      `8500-1,${staff_number},Mallory,Takeover,Porter,Estates,3,01/04/2024`,
    ].join('\r\n');
    const res = await upload(admin, url, { file: takeover, filename: 'takeover.csv' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(
      `employee number ${staff_number} belongs to a person who currently works at another organisation`,
    );
    const person = await db
      .selectFrom('people')
      .select(['given_name'])
      .where('id', '=', other.id)
      .executeTakeFirstOrThrow();
    expect(person.given_name).toBe('Otto');
    expect(await db.selectFrom('assignments').select('id').where('person_id', '=', other.id).execute()).toHaveLength(1);

    const national = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id,
    );
    const moved = await upload(national, url, { file: takeover, filename: 'transfer.csv' });
    expect(moved.statusCode).toBe(303);
    expect(await db.selectFrom('assignments').select('id').where('person_id', '=', other.id).execute()).toHaveLength(2);
  });

  it('takes a column mapping from the textarea, and rejects a mapping it cannot use', async () => {
    const mapped = 'Asg,Surname,First,Job,Start\r\n8101-1,Franklin,Rosalind,Scientist,2020-01-01';
    const wrong = await upload(admin, url, { file: mapped, fields: { mapping: 'Asg=assignment_no' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Column mapping: &quot;assignment_no&quot; is not a field we import');
    const res = await upload(admin, url, {
      file: mapped,
      fields: { mapping: 'Asg=assignment_number\nFirst=given_name\nJob=position_title\nStart=start_date' },
    });
    expect(res.statusCode).toBe(303);
  });

  it('reports a NUL character in the file as a problem on its line, not a server error', async () => {
    const res = await upload(admin, url, { file: `${csv}\r\n8004-1,9004,Ada\u0000,Byron,Analyst,Data,7,01/04/2021,` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Line 4, First Name: First name contains a NUL character');
  });

  it('answers a broken or truncated upload with 400, not a server error', async () => {
    const token = await admin.csrf(url);
    for (const [contentType, payload] of [
      ['multipart/form-data; boundary=XyZ', 'not a multipart body'],
      ['multipart/form-data', 'no boundary at all'],
      ['multipart/form-data; boundary=XyZ', `--XyZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}`],
    ]) {
      const res = await ctx.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { cookie: admin.cookieHeader(), 'content-type': contentType },
      });
      expect(res.statusCode, payload).toBe(400);
      expect(res.body).toContain('The upload was incomplete');
    }
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await upload(admin, url, { csrf: null });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
  });

  it('refuses staff members and admins of another organisation', async () => {
    const person = await makePerson(db, { orgId: trust.id });
    const staff = await signedIn(ctx, (await makeAccount(db, { personId: person.id })).id);
    expect((await staff.get(url)).statusCode).toBe(403);
    const otherAdmin = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: elsewhere.trust.id }] })).id,
    );
    expect((await otherAdmin.get(url)).statusCode).toBe(403);
    const token = await otherAdmin.csrf(`/organisations/${elsewhere.trust.code}/staff-import`);
    const res = await upload(otherAdmin, url, { csrf: token });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('You do not have permission');
  });
});
