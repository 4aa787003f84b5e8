import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { durationHours } from './learning-record.ts';
import { recordsOf } from './queries.ts';
import { apiToken, grantIdOf } from './testing.ts';

const ctx = await testApp();
const db = ctx.deps.db;
const { trust } = await makeHierarchy(db, '84');
const { trust: other } = await makeHierarchy(db, '85');
const learner = await makePerson(db, { orgId: trust.id, email: 'learner@trust.nhs.uk' });
const second = await makePerson(db, { orgId: trust.id, email: 'second@trust.nhs.uk' });
const stranger = await makePerson(db, { orgId: other.id, email: 'stranger@other.nhs.uk' });
const orgAdmin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
const provider = await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: other.id }] });
const asOrgAdmin = await apiToken(db, orgAdmin.id, await grantIdOf(db, orgAdmin.id));
const asProvider = await apiToken(db, provider.id, await grantIdOf(db, provider.id));
const personal = await makeAccount(db, { personId: learner.id });
const asPersonal = await apiToken(db, personal.id, null);

const version = { 'x-experience-api-version': '1.0.3' };
const post = (headers: Record<string, string>, payload: unknown) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/xapi/statements',
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

const statement = (over: Record<string, unknown> = {}) => ({
  id: '6f1d2c3b-1111-4a5b-8c9d-0123456789ab',
  actor: { objectType: 'Agent', mbox: 'mailto:Learner@trust.nhs.uk' },
  verb: { id: 'https://adlnet.gov/expapi/verbs/completed', display: { 'en-GB': 'completed' } },
  object: {
    id: 'https://elearning.example/courses/qi-101',
    definition: { name: { 'en-US': 'QI (US)', 'en-GB': 'Quality improvement 101' } },
  },
  result: { duration: 'PT1H30M', completion: true },
  timestamp: '2025-03-04T10:00:00Z',
  context: { platform: 'Example eLearning' },
  ...over,
});

describe('ISO 8601 durations', () => {
  it('become hours; years and months are refused', () => {
    expect(durationHours('PT1H30M')).toBe(1.5);
    expect(durationHours('P1DT2H')).toBe(26);
    expect(durationHours('PT90S')).toBe(0.03);
    expect(durationHours('P1W')).toBe(168);
    for (const bad of ['P', 'PT', 'P1M', '1H', 'PT1.5', 'P1Y']) expect(durationHours(bad)).toBeUndefined();
  });
});

describe('POST /api/v1/xapi/statements', () => {
  it('needs a token with a provider or organisation admin role', async () => {
    expect((await post(version, statement())).statusCode).toBe(401);
    expect((await post({ ...version, authorization: 'Bearer not-a-token' }, statement())).statusCode).toBe(401);
    const res = await post({ ...version, ...asPersonal }, statement());
    expect(res.statusCode).toBe(403);
  });

  it('takes no session cookie: a signed-in browser cannot post statements', async () => {
    const browser = await signedIn(ctx, orgAdmin.id);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/xapi/statements',
      headers: { ...version, cookie: browser.cookieHeader(), 'content-type': 'application/json' },
      payload: JSON.stringify(statement()),
    });
    expect(res.statusCode).toBe(401);
    expect(await recordsOf(db, learner.id)).toHaveLength(0);
  });

  it('is described in the OpenAPI document with the other learning record endpoints', async () => {
    const doc = (await ctx.app.inject('/api/v1/openapi.json')).json();
    for (const path of [
      '/api/v1/xapi/statements',
      '/api/v1/me/learning',
      '/api/v1/people/{id}/learning',
      '/api/v1/equity/learning',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
  });

  it('needs the X-Experience-API-Version header', async () => {
    const res = await post(asOrgAdmin, statement());
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('X-Experience-API-Version');
  });

  it('records a completed statement once, however often it is sent', async () => {
    const first = await post({ ...version, ...asOrgAdmin }, statement());
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-experience-api-version']).toBe('1.0.3');
    expect(first.json()).toEqual(['6f1d2c3b-1111-4a5b-8c9d-0123456789ab']);
    const again = await post({ ...version, ...asOrgAdmin }, [statement()]);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(['6f1d2c3b-1111-4a5b-8c9d-0123456789ab']);
    const records = await recordsOf(db, learner.id);
    expect(records.map((r) => [r.title, r.providerName, r.completedOn, r.outcome, r.hours, r.source])).toEqual([
      ['Quality improvement 101', 'Example eLearning', '2025-03-04', 'completed', 1.5, 'xapi'],
    ]);
    const audits = await db.selectFrom('audit_log').select('action').where('person_id', '=', learner.id).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['learning.xapi-record', 'learning.xapi-repeat']);
  });

  it('records passed and failed as outcomes, a batch at a time, and gives ids to statements without one', async () => {
    const res = await post({ ...version, ...asOrgAdmin }, [
      statement({
        id: 'aaaaaaaa-0000-4000-8000-000000000001',
        verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
        actor: { mbox: 'mailto:second@trust.nhs.uk' },
      }),
      statement({
        id: 'aaaaaaaa-0000-4000-8000-000000000002',
        verb: { id: 'https://adlnet.gov/expapi/verbs/failed' },
        actor: { mbox: 'mailto:second@trust.nhs.uk' },
        result: undefined,
      }),
      statement({ id: undefined, actor: { mbox: 'mailto:second@trust.nhs.uk' }, object: { id: 'urn:course:no-name' } }),
    ]);
    expect(res.statusCode).toBe(200);
    const ids = res.json() as string[];
    expect(ids).toHaveLength(3);
    expect(ids[2]).toMatch(/^[0-9a-f-]{36}$/);
    const records = await recordsOf(db, second.id);
    expect(records.map((r) => [r.title, r.outcome, r.hours]).sort()).toEqual([
      ['Quality improvement 101', 'failed', null],
      ['Quality improvement 101', 'passed', 1.5],
      ['urn:course:no-name', 'completed', 1.5],
    ]);
  });

  it('answers 400 with a precise reason for each bad statement, and stores nothing of a bad batch', async () => {
    const cases: [unknown, string][] = [
      [statement({ actor: { mbox: 'mailto:nobody@trust.nhs.uk' } }), 'actor mailto:nobody@trust.nhs.uk is not known'],
      [
        statement({ actor: { mbox: 'mailto:stranger@other.nhs.uk' } }),
        'actor mailto:stranger@other.nhs.uk is not known',
      ],
      [
        statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } }),
        'verb http://adlnet.gov/expapi/verbs/experienced is not accepted',
      ],
      [statement({ actor: { account: { name: 'x', homePage: 'https://lms' } } }), 'actor.mbox is required'],
      [statement({ actor: { mbox: 'learner@trust.nhs.uk' } }), 'actor.mbox must be a mailto: IRI'],
      [statement({ object: { id: 'not an iri' } }), 'object.id must be an IRI'],
      [statement({ id: 'abc' }), 'id must be a UUID'],
      [statement({ result: { duration: '90 minutes' } }), 'result.duration must be an ISO 8601 duration'],
      [statement({ timestamp: 'yesterday' }), 'timestamp must be an ISO 8601 date and time'],
      ['just text', 'a statement must be a JSON object'],
      [[], 'The request holds no statements'],
      [
        [
          statement({ id: 'bbbbbbbb-0000-4000-8000-000000000001' }),
          statement({ id: 'bbbbbbbb-0000-4000-8000-000000000002', verb: {} }),
        ],
        'statement 1 (counting from 0): verb.id is required',
      ],
    ];
    for (const [payload, reason] of cases) {
      const res = await post({ ...version, ...asOrgAdmin }, payload);
      expect(res.statusCode, reason).toBe(400);
      expect(res.json().message).toContain(reason);
    }
    const malformed = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/xapi/statements',
      headers: { ...version, ...asOrgAdmin, 'content-type': 'application/json' },
      payload: '{"actor": ',
    });
    expect(malformed.statusCode).toBe(400);
    const stored = await db
      .selectFrom('learning_records')
      .select('id')
      .where('source_ref', '=', 'bbbbbbbb-0000-4000-8000-000000000001')
      .execute();
    expect(stored).toHaveLength(0);
  });

  it('lets a training provider record learners anywhere, but not reuse a statement id for someone else', async () => {
    const res = await post(
      { ...version, ...asProvider },
      statement({
        id: 'cccccccc-0000-4000-8000-000000000001',
        actor: { mbox: 'mailto:stranger@other.nhs.uk' },
        context: undefined,
      }),
    );
    expect(res.statusCode).toBe(200);
    expect((await recordsOf(db, stranger.id)).map((r) => r.providerName)).toEqual([`Test Trust 85`]);
    const clash = await post(
      { ...version, ...asProvider },
      statement({ actor: { mbox: 'mailto:stranger@other.nhs.uk' } }),
    );
    expect(clash.statusCode).toBe(409);
    expect(clash.json().message).toContain('already stored for a different actor');
  });
});
