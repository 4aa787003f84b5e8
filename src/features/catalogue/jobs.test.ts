import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../test/factories.ts';
import { testApp } from '../../../test/helpers.ts';
import { jobs } from './jobs.ts';
import { grantProvider, makeProgramme, makeProvider } from './testing.ts';

describe('catalogue.accreditation-reminders', () => {
  it('reminds 90 and 30 days before expiry, each once, and ends accreditations at their date', async () => {
    let now = new Date('2027-01-01T07:00:00Z');
    const ctx = await testApp({ clock: { now: () => now } });
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    const admin = await makeAccount(db, { email: 'provider.admin@example.org' });
    await grantProvider(db, admin.id, provider.id);
    const p = await makeProgramme(db, provider.id, {
      title: 'Expiring programme',
      accreditation_status: 'accredited',
      accredited_until: '2027-06-01',
    });
    const s = await db
      .insertInto('accreditation_submissions')
      .values({
        programme_id: p.id,
        status: 'accredited',
        competency_mapping: 'm',
        assessment_method: 'a',
        evidence: 'e',
        snapshot: '{}',
        expires_on: '2027-06-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = jobs.find((j) => j.name === 'catalogue.accreditation-reminders')!;
    const outbox = () => db.selectFrom('mail_outbox').select(['to_address', 'subject']).orderBy('id').execute();

    expect(await job.run(ctx.deps, {})).toBe('expired 0 accreditations, sent 0 renewal reminders');
    now = new Date('2027-03-05T07:00:00Z'); // 88 days before
    expect(await job.run(ctx.deps, {})).toBe('expired 0 accreditations, sent 1 renewal reminders');
    expect(await job.run(ctx.deps, {})).toBe('expired 0 accreditations, sent 0 renewal reminders');
    expect(await outbox()).toEqual([
      { to_address: 'provider.admin@example.org', subject: 'Accreditation of Expiring programme ends on 1 June 2027' },
    ]);
    now = new Date('2027-05-10T07:00:00Z'); // 22 days before
    await job.run(ctx.deps, {});
    await job.run(ctx.deps, {});
    expect(await outbox()).toHaveLength(2);

    now = new Date('2027-06-01T07:00:00Z');
    expect(await job.run(ctx.deps, {})).toBe('expired 1 accreditations, sent 0 renewal reminders');
    const after = await db
      .selectFrom('programmes')
      .select(['accreditation_status', 'accredited_until'])
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ accreditation_status: 'expired', accredited_until: null });
    const events = await db
      .selectFrom('accreditation_events')
      .select('action')
      .where('submission_id', '=', s.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['reminder_90', 'reminder_30', 'expired']);
    expect(await job.run(ctx.deps, {})).toBe('expired 0 accreditations, sent 0 renewal reminders');
  });
});
