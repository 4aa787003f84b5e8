import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { LearningRecordConflict, recordCompletion } from './queries.ts';
import { learningSection } from './section.ts';
import { apiToken, grantIdOf } from './testing.ts';

const ctx = await testApp();
const db = ctx.deps.db;
const { trust, region } = await makeHierarchy(db, '81');
const manager = await makePerson(db, { orgId: trust.id, given: 'Mina', family: 'Manager', isManager: true });
const person = await makePerson(db, {
  orgId: trust.id,
  given: 'Priya',
  family: 'Learner',
  managerAssignmentId: manager.assignmentId,
});
const other = await makePerson(db, { orgId: trust.id, given: 'Otto', family: 'Other' });
const personAccount = await makeAccount(db, { personId: person.id });
const managerAccount = await makeAccount(db, { personId: manager.id });
const otherAccount = await makeAccount(db, { personId: other.id });
const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
const regional = await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: region.id }] });

const base = {
  personId: person.id,
  programmeId: null,
  providerName: 'NHS Leadership Academy',
  outcome: 'completed' as const,
  source: 'cohort' as const,
};

describe('recordCompletion', () => {
  it('is idempotent on source and reference, updates the record, and refuses a reference of another person', async () => {
    const first = await recordCompletion(db, {
      ...base,
      title: 'Mary Seacole Programme',
      completedOn: '2024-06-30',
      hours: 120,
      sourceRef: 'completion-1',
    });
    expect(first.created).toBe(true);
    const again = await recordCompletion(db, {
      ...base,
      title: 'Mary Seacole Programme',
      completedOn: '2024-06-30',
      outcome: 'passed',
      hours: 121.5,
      sourceRef: 'completion-1',
    });
    expect(again).toEqual({ id: first.id, created: false });
    await expect(
      recordCompletion(db, {
        ...base,
        personId: other.id,
        title: 'X',
        completedOn: '2024-01-01',
        hours: null,
        sourceRef: 'completion-1',
      }),
    ).rejects.toBeInstanceOf(LearningRecordConflict);
    await recordCompletion(db, {
      ...base,
      title: 'Fire safety',
      providerName: null,
      completedOn: '2025-02-01',
      hours: 1,
      source: 'manual',
      sourceRef: null,
      mandatory: true,
    });
    const section = await learningSection(db, person.id);
    expect(section.records.map((r) => [r.title, r.outcome, r.hours, r.mandatory])).toEqual([
      ['Fire safety', 'completed', 1, true],
      ['Mary Seacole Programme', 'passed', 121.5, false],
    ]);
    expect(section.totals).toEqual({
      records: 2,
      hours: 122.5,
      by_year: [
        { year: '2025', records: 1, hours: 1 },
        { year: '2024', records: 1, hours: 121.5 },
      ],
    });
  });
});

describe('the learning record pages', () => {
  it('shows your own record with totals by year, and exports it as JSON', async () => {
    const client = await signedIn(ctx, personAccount.id);
    const page = await client.get('/me/learning');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your learning record');
    expect(page.body).toContain('Mary Seacole Programme');
    expect(page.body).toContain('121.5');
    expect(page.body).toContain('href="/me/learning.json"');
    const json = await client.get('/me/learning.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toContain('learning-record.json');
    const body = JSON.parse(json.body);
    expect(body.person_id).toBe(person.id);
    expect(body.records).toHaveLength(2);
    expect(body.totals.hours).toBe(122.5);
  });

  it('lets the line manager and the organisation admin read it, audited; not a colleague or a regional lead', async () => {
    for (const account of [managerAccount, admin]) {
      const res = await (await signedIn(ctx, account.id)).get(`/people/${person.id}/learning`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Learning record of Priya Learner');
      expect(res.body).toContain('audit log');
    }
    const audits = await db
      .selectFrom('audit_log')
      .select(['actor_account_id', 'details'])
      .where('action', '=', 'learning.read')
      .where('person_id', '=', person.id)
      .execute();
    expect(audits.map((a) => a.actor_account_id).sort()).toEqual([managerAccount.id, admin.id].sort());
    for (const account of [otherAccount, regional]) {
      expect((await (await signedIn(ctx, account.id)).get(`/people/${person.id}/learning`)).statusCode).toBe(403);
    }
    const self = await (await signedIn(ctx, personAccount.id)).get(`/people/${person.id}/learning`);
    expect(self.statusCode).toBe(303);
    expect(self.headers.location).toBe('/me/learning');
    expect((await (await signedIn(ctx, admin.id)).get('/people/99999999/learning')).statusCode).toBe(404);
  });

  it('says so when the account has no staff record', async () => {
    const res = await (await signedIn(ctx, regional.id)).get('/me/learning');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('not linked to a staff record');
  });
});

describe('the learning record API', () => {
  it('gives the person their record, and their line manager and organisation admin theirs, audited', async () => {
    const own = await ctx.app.inject({
      url: '/api/v1/me/learning',
      headers: await apiToken(db, personAccount.id, null),
    });
    expect(own.statusCode).toBe(200);
    expect(own.json().totals.records).toBe(2);
    const asManager = await apiToken(db, managerAccount.id, null);
    const read = await ctx.app.inject({ url: `/api/v1/people/${person.id}/learning`, headers: asManager });
    expect(read.statusCode).toBe(200);
    expect(read.json().records[1]).toMatchObject({ title: 'Mary Seacole Programme', outcome: 'passed', hours: 121.5 });
    const audited = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'learning.read')
      .where('actor_account_id', '=', managerAccount.id)
      .execute();
    expect(audited.map((a) => (a.details as { via: string }).via)).toContain('api');
    const asAdmin = await apiToken(db, admin.id, await grantIdOf(db, admin.id));
    expect((await ctx.app.inject({ url: `/api/v1/people/${person.id}/learning`, headers: asAdmin })).statusCode).toBe(
      200,
    );
    const adminOwn = await ctx.app.inject({ url: '/api/v1/me/learning', headers: asAdmin });
    expect(adminOwn.statusCode).toBe(404);
    expect(adminOwn.json().message).toContain('Create a token without a role');
    const asRegional = await apiToken(db, regional.id, await grantIdOf(db, regional.id));
    expect(
      (await ctx.app.inject({ url: `/api/v1/people/${person.id}/learning`, headers: asRegional })).statusCode,
    ).toBe(403);
    expect((await ctx.app.inject({ url: '/api/v1/people/abc/learning', headers: asRegional })).statusCode).toBe(400);
  });
});
