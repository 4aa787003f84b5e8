import { describe, expect, it } from 'vitest';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { insertCycle, templateFrameworkVersion } from './cycle-queries.ts';
import { jobs, refreshJob, remindersJob } from './jobs.ts';
import { appraisalWorld } from './testing.ts';

let now = new Date('2026-11-26T07:00:00Z');
const clock = { now: () => now };
const ctx = await testApp({ clock });
const { db } = ctx.deps;
const w = await appraisalWorld(db, '72');
const version = (await templateFrameworkVersion(db))!;
await db.transaction().execute((trx) =>
  insertCycle(trx, {
    organisationId: w.trust.id,
    name: 'Appraisals 2026',
    starts_on: '2026-04-01',
    mid_year_on: '2026-10-01',
    due_on: '2026-12-05',
    ends_on: '2027-03-31',
    frameworkVersionId: version,
    createdBy: null,
  }),
);

const outbox = () =>
  db.selectFrom('mail_outbox').select(['to_address', 'subject', 'body_text']).orderBy('id').execute();

describe('appraisal jobs', () => {
  it('are named and scheduled for the worker', () => {
    expect(jobs.map((j) => [j.name, j.schedule])).toEqual([
      ['appraisals.reminders', '0 7 * * *'],
      ['appraisals.refresh', '15 * * * *'],
    ]);
  });

  it('reminds appraisees and appraisers once when due within 14 days, and once more when overdue', async () => {
    // Due 5 December: within 14 days of 26 November. Four appraisals; the two reports have an appraiser.
    expect(await remindersJob.run(ctx.deps, {})).toBe('sent 6 appraisal reminders');
    const first = await outbox();
    expect(first).toHaveLength(6);
    const staffEmail = (
      await db.selectFrom('people').select('email').where('id', '=', w.staff.id).executeTakeFirstOrThrow()
    ).email!;
    const managerEmail = (
      await db.selectFrom('people').select('email').where('id', '=', w.manager.id).executeTakeFirstOrThrow()
    ).email!;
    expect(first.filter((m) => m.to_address === staffEmail).map((m) => m.subject)).toEqual(['Appraisal due soon']);
    // The line manager hears about each of their two reports, and about their own appraisal.
    expect(first.filter((m) => m.to_address === managerEmail)).toHaveLength(3);
    expect(first.find((m) => m.to_address === managerEmail && m.body_text.includes('Sam Staff'))?.body_text).toContain(
      'is due on 2026-12-05',
    );

    // Running again the same day sends nothing: each reminder once.
    expect(await remindersJob.run(ctx.deps, {})).toBe('sent 0 appraisal reminders');

    // Once overdue, one more reminder each; locked appraisals get none.
    await db
      .updateTable('appraisals')
      .set({ status: 'locked', locked_at: new Date(), overall_rating: 'strong' })
      .where('person_id', '=', w.colleague.id)
      .execute();
    now = new Date('2026-12-06T07:00:00Z');
    expect(await remindersJob.run(ctx.deps, {})).toBe('sent 4 appraisal reminders');
    const overdue = (await outbox()).slice(6);
    expect(overdue.every((m) => m.subject === 'Appraisal overdue')).toBe(true);
    expect(await remindersJob.run(ctx.deps, {})).toBe('sent 0 appraisal reminders');
  });

  it('refreshes every summary', async () => {
    expect(await refreshJob.run(ctx.deps, {})).toBe('refreshed appraisal summaries: 4 appraisals in 1 organisations');
    const nation = await db
      .selectFrom('appraisal_status_summary')
      .select(['people', 'completed', 'overdue'])
      .where('level', '=', 'nation')
      .where('dimension', '=', 'total')
      .executeTakeFirstOrThrow();
    expect(nation).toEqual({ people: 4, completed: 1, overdue: 3 });
  });

  it('the API lists my appraisals and gives one appraisal to those who may see it', async () => {
    now = new Date('2026-11-26T12:00:00Z');
    const staff = await signedIn(ctx, w.accounts.staff.id);
    const res = await staff.get('/api/v1/me/appraisals');
    expect(res.statusCode, res.body).toBe(200);
    const mine = res.json();
    expect(mine.items).toEqual([
      expect.objectContaining({
        role: 'appraisee',
        person_name: 'Sam Staff',
        status: 'not_started',
        due_on: '2026-12-05',
      }),
    ]);
    const manager = await signedIn(ctx, w.accounts.manager.id);
    const theirs = (await manager.get('/api/v1/me/appraisals')).json();
    expect(theirs.items.filter((i: { role: string }) => i.role === 'appraiser')).toHaveLength(2);
    const id = mine.items[0].id;
    const one = await manager.get(`/api/v1/appraisals/${id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      id,
      person_name: 'Sam Staff',
      template: { key: 'nhs-standard-appraisal', version: 1 },
    });
    const read = await db
      .selectFrom('audit_log')
      .select(['actor_account_id'])
      .where('action', '=', 'appraisal.read')
      .where('subject_id', '=', String(id))
      .execute();
    expect(read.map((r) => r.actor_account_id)).toContain(w.accounts.manager.id);
    const colleague = await signedIn(ctx, w.accounts.colleague.id);
    expect((await colleague.get(`/api/v1/appraisals/${id}`)).statusCode).toBe(404);
    expect((await colleague.get('/api/v1/appraisals/abc')).statusCode).toBe(400);
  });
});
