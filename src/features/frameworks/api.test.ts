import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../test/factories.ts';
import { testApp } from '../../../test/helpers.ts';
import { hashToken, newToken } from '../../plugins/session.ts';
import { contentOf } from './document.ts';
import { importFile, loadStarters, readStarters } from './import.ts';
import { startNewVersion } from './lifecycle.ts';
import { findFramework } from './queries.ts';

const ctx = await testApp();
const { db } = ctx.deps;
await loadStarters(db);

async function tokenFor(grants: NonNullable<Parameters<typeof makeAccount>[1]>['grants'], grantIndex?: number) {
  const account = await makeAccount(db, { grants });
  const grant =
    grantIndex === undefined
      ? null
      : (await db.selectFrom('role_grants').select('id').where('account_id', '=', account.id).executeTakeFirstOrThrow())
          .id;
  const token = newToken();
  await db
    .insertInto('api_tokens')
    .values({
      account_id: account.id,
      name: 't',
      token_hash: hashToken(token),
      prefix: token.slice(0, 6),
      role_grant_id: grant,
    })
    .execute();
  return { authorization: `Bearer ${token}` };
}
const staff = await tokenFor([]);
const national = await tokenFor([{ role: 'national_admin', orgId: null }], 0);
const get = async (url: string, headers = staff) => {
  const res = await ctx.app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
};

// A draft that only national admins may see: version 2 of the HLM, and a framework that is only a draft.
await startNewVersion(db, (await findFramework(db, 'healthcare-leadership-model'))!, { label: 'test' });
await importFile(
  db,
  {
    filename: 'd.csv',
    text: 'framework,domain_code,domain_title,competency_code,competency_title\ndraft-only,D1,One,D1.1,First\n',
  },
  { label: 'test' },
);

describe('GET /api/v1/frameworks', () => {
  it('answers 401 without credentials', async () => {
    const res = await ctx.app.inject('/api/v1/frameworks');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'Unauthorized' });
  });

  it('lists frameworks by key, a page at a time, without drafts for readers', async () => {
    const first = await get('/api/v1/frameworks?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { key: string }) => i.key)).toEqual([
      'board-leadership-competency-framework',
      'healthcare-leadership-model',
    ]);
    expect(first.body.items[1]).toEqual({
      key: 'healthcare-leadership-model',
      title: 'Healthcare Leadership Model',
      description: expect.stringContaining('nine dimensions'),
      owner: 'National admins (starter framework shipped with Leadwell)',
      published_version: 1,
      latest_version: { number: 1, status: 'published' },
    });
    const second = await get(`/api/v1/frameworks?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ key: 'leadwell-management-standards' })],
      next_cursor: null,
    });
  });

  it('shows drafts to national admins', async () => {
    const { body } = await get('/api/v1/frameworks', national);
    const keys = body.items.map((i: { key: string }) => i.key);
    expect(keys).toContain('draft-only');
    expect(body.items.find((i: { key: string }) => i.key === 'healthcare-leadership-model').latest_version).toEqual({
      number: 2,
      status: 'draft',
    });
  });

  it('rejects bad parameters with a precise reason', async () => {
    expect((await get('/api/v1/frameworks?limit=0')).body.message).toBe('limit must be >= 1');
    expect((await get('/api/v1/frameworks?cursor=nonsense')).body.message).toMatch(/^cursor is not valid/);
  });
});

describe('GET /api/v1/frameworks/:key', () => {
  it('returns the latest published version in the export format, with the versions the caller may see', async () => {
    const { status, body } = await get('/api/v1/frameworks/healthcare-leadership-model');
    expect(status).toBe(200);
    expect(body.version).toMatchObject({ number: 1, status: 'published', starter: true });
    expect(body.domains).toHaveLength(9);
    expect(body.versions).toEqual([
      { number: 1, status: 'published', published_at: expect.any(String), retired_at: null },
    ]);
    const file = (await readStarters()).find((d) => d.framework.key === 'healthcare-leadership-model')!;
    const { versions: _v, ...doc } = body;
    expect(contentOf(doc)).toEqual(contentOf(file));
  });

  it('returns a version by number; a draft only to national admins', async () => {
    expect((await get('/api/v1/frameworks/healthcare-leadership-model?version=2')).status).toBe(404);
    const draft = await get('/api/v1/frameworks/healthcare-leadership-model?version=2', national);
    expect(draft.body.version).toMatchObject({ number: 2, status: 'draft', based_on: 1 });
    expect(draft.body.versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    expect((await get('/api/v1/frameworks/draft-only')).status).toBe(404);
    expect((await get('/api/v1/frameworks/nope')).body).toEqual({
      error: 'Not Found',
      message: 'Framework nope not found',
    });
    expect((await get('/api/v1/frameworks/healthcare-leadership-model?version=abc')).status).toBe(400);
  });
});

describe('GET /api/v1/frameworks/:key/versions/:n/export.json', () => {
  it('is the version as a file that imports back to the same content', async () => {
    const res = await get('/api/v1/frameworks/board-leadership-competency-framework/versions/1/export.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="board-leadership-competency-framework-v1.json"',
    );
    expect(res.body.versions).toBeUndefined();
    const copy = { ...res.body, framework: { ...res.body.framework, key: 'board-api-copy' } };
    const imported = await importFile(db, { filename: 'x.json', text: JSON.stringify(copy) }, { label: 'test' });
    expect(imported.ok).toBe(true);
    const again = await get('/api/v1/frameworks/board-api-copy/versions/1/export.json', national);
    expect(contentOf(again.body)).toEqual(contentOf(copy));
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await get('/api/v1/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/frameworks',
        '/api/v1/frameworks/{key}',
        '/api/v1/frameworks/{key}/versions/{n}/export.json',
      ]),
    );
    const schema =
      spec.paths['/api/v1/frameworks/{key}/versions/{n}/export.json'].get.responses['200'].content['application/json']
        .schema;
    expect(Object.keys(schema.properties)).toEqual([
      'format',
      'format_version',
      'framework',
      'version',
      'scale',
      'rating_bands',
      'domains',
    ]);
  });
});
