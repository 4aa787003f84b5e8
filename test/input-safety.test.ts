import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy } from './factories.ts';
import { signedIn, testApp } from './helpers.ts';

const ctx = await testApp();
const db = ctx.deps.db;

// Odd input is the sender's problem: a clear 400, never a database error shown as a 500.
describe('input the database cannot store', async () => {
  const { trust } = await makeHierarchy(db, '61');
  const national = await signedIn(
    ctx,
    (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id,
  );

  it('refuses a NUL in a path or query string, on pages and in the API', async () => {
    for (const url of [
      '/people?q=%00',
      '/organisations?q=a%00b',
      '/organisations/%00',
      '/frameworks/%00/draft',
      '/admin/audit?actor=ab%00c',
      '/api/v1/people?q=%00',
      '/api/v1/organisations/%00/teams',
      '/api/v1/frameworks/%00',
    ]) {
      const res = await national.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain('not allowed (NUL)');
    }
    expect((await national.get('/api/v1/people?q=%00')).json()).toEqual({
      error: 'Bad Request',
      message: 'The request contains a character that is not allowed (NUL): remove it and try again',
    });
  });

  it('refuses a NUL in a submitted form and changes nothing', async () => {
    const token = await national.post(
      '/account/tokens',
      { name: 'a\u0000b', role: 'personal', expiry: '30' },
      { csrfFrom: '/account/tokens/new' },
    );
    expect(token.statusCode).toBe(400);
    const team = await national.post(
      `/organisations/${trust.code}/teams`,
      { name: 'Ward\u0000', kind: 'team' },
      { csrfFrom: `/organisations/${trust.code}/teams/new` },
    );
    expect(team.statusCode).toBe(400);
    expect(team.body).toContain('not allowed (NUL)');
    expect(await db.selectFrom('teams').select('id').where('organisation_id', '=', trust.id).execute()).toEqual([]);
    expect(await db.selectFrom('api_tokens').select('id').execute()).toEqual([]);
  });

  it('still takes ordinary text with accents and emoji', async () => {
    const res = await national.post(
      `/organisations/${trust.code}/teams`,
      { name: 'Équipe 😀 Ward', kind: 'team' },
      { csrfFrom: `/organisations/${trust.code}/teams/new` },
    );
    expect(res.statusCode).toBe(303);
    expect((await national.get('/people?q=%C3%89quipe')).statusCode).toBe(200);
  });

  it('answers a truncated framework upload with 400', async () => {
    const csrf = await national.csrf('/frameworks/import');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/frameworks/import',
      payload: `--XyZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="f.json"\r\n\r\n{"a":`,
      headers: { cookie: national.cookieHeader(), 'content-type': 'multipart/form-data; boundary=XyZ' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The upload was incomplete');
  });
});
