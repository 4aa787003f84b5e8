import { describe, expect, it } from 'vitest';
import { makeHierarchy, makeOrg } from '../../../test/factories.ts';
import { testApp } from '../../../test/helpers.ts';
import { jobs } from './jobs.ts';
import { saveResponse } from './queries.ts';
import { makeManager } from './testing.ts';

let now = new Date('2026-11-02T06:00:00Z');
const { deps } = await testApp({ clock: { now: () => now } });
const db = deps.db;
const job = (name: string) => jobs.find((j) => j.name === name)!;
const outbox = async () => db.selectFrom('mail_outbox').select(['to_address', 'subject']).orderBy('id').execute();

describe('pulse jobs', () => {
  it('open one round per organisation for the current period, once', async () => {
    const { icb, trust } = await makeHierarchy(db, '72');
    await makeOrg(db, { code: 'R72X', name: 'Closed Trust', parentId: icb.id, icbId: icb.id, closedOn: '2025-01-01' });
    expect(await job('pulse.open-rounds').run(deps, {})).toMatch(/^opened [1-9]\d* round\(s\)$/);
    expect(await job('pulse.open-rounds').run(deps, {})).toBe('opened 0 round(s)');
    const rounds = await db.selectFrom('pulse_rounds').select(['organisation_id', 'opens_on', 'closes_on']).execute();
    expect(rounds.find((r) => r.organisation_id === trust.id)).toEqual({
      organisation_id: trust.id,
      opens_on: '2026-11-01',
      closes_on: '2026-11-30',
    });
    expect(rounds.some((r) => r.organisation_id === icb.id)).toBe(true);
    expect(rounds.map((r) => r.organisation_id)).not.toContain(
      (await db.selectFrom('organisations').select('id').where('code', '=', 'R72X').executeTakeFirstOrThrow()).id,
    );
  });

  it('start a quarterly round after the last monthly one when the cadence changes mid-quarter', async () => {
    const org = await makeOrg(db, { code: 'R72Q', name: 'Switching Trust' });
    now = new Date('2026-10-10T06:00:00Z');
    await job('pulse.open-rounds').run(deps, {});
    await db
      .insertInto('pulse_settings')
      .values({ organisation_id: org.id, cadence: 'quarterly', updated_by: null })
      .execute();
    now = new Date('2026-11-02T06:00:00Z');
    await job('pulse.open-rounds').run(deps, {});
    const rounds = await db
      .selectFrom('pulse_rounds')
      .select(['cadence', 'opens_on', 'closes_on'])
      .where('organisation_id', '=', org.id)
      .orderBy('opens_on')
      .execute();
    expect(rounds).toEqual([
      { cadence: 'monthly', opens_on: '2026-10-01', closes_on: '2026-10-31' },
      { cadence: 'quarterly', opens_on: '2026-11-01', closes_on: '2026-12-31' },
    ]);
  });

  it('remind managers who have not answered on the 3rd working day and 3 days before closing, each once', async () => {
    const trust = await db
      .selectFrom('organisations')
      .select('id')
      .where('code', '=', 'R72T')
      .executeTakeFirstOrThrow();
    const a = await makeManager(db, trust.id, { email: 'lead.a@example.nhs.uk' });
    const b = await makeManager(db, trust.id, { email: 'lead.b@example.nhs.uk', viaReport: true });
    const answered = await makeManager(db, trust.id, { email: 'lead.c@example.nhs.uk' });
    const round = await db
      .selectFrom('pulse_rounds')
      .select(['id', 'organisation_id', 'cadence', 'opens_on', 'closes_on'])
      .where('organisation_id', '=', trust.id)
      .executeTakeFirstOrThrow();
    await db.transaction().execute((trx) =>
      saveResponse(
        trx,
        {
          id: round.id,
          organisationId: round.organisation_id,
          cadence: round.cadence,
          opensOn: round.opens_on,
          closesOn: round.closes_on,
        },
        answered.person.id,
        { upward: 2, meetings: 10, people_mgmt: 8, improvement: 2, operational: 10, other: 5 },
      ),
    );
    const reminders = job('pulse.reminders');

    now = new Date('2026-11-03T08:00:00Z'); // 2nd working day: nothing yet
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    now = new Date('2026-11-04T08:00:00Z');
    expect(await reminders.run(deps, {})).toBe('sent 2 reminder(s)');
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    now = new Date('2026-11-20T08:00:00Z');
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    now = new Date('2026-11-27T08:00:00Z');
    expect(await reminders.run(deps, {})).toBe('sent 2 reminder(s)');
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    now = new Date('2026-12-01T08:00:00Z');
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');

    const mail = await outbox();
    expect(mail.map((m) => m.to_address).sort()).toEqual([
      'lead.a@example.nhs.uk',
      'lead.a@example.nhs.uk',
      'lead.b@example.nhs.uk',
      'lead.b@example.nhs.uk',
    ]);
    expect(mail[0]!.subject).toBe('Time-use pulse for November 2026: how did you spend last week?');
    expect(mail[2]!.subject).toBe('Time-use pulse for November 2026 closes on 2026-11-30');
    expect(mail.some((m) => m.to_address === 'lead.c@example.nhs.uk')).toBe(false);
    expect(a.person.id).not.toBe(b.person.id);
  });
});
