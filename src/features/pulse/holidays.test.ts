import { describe, expect, it } from 'vitest';
import { makeOrg } from '../../../test/factories.ts';
import { testApp } from '../../../test/helpers.ts';
import { jobs } from './jobs.ts';
import { makeManager } from './testing.ts';

// The reminders job with a fixed clock around bank holidays: nothing is sent on a weekend or a bank holiday,
// and what fell due then goes on the next working day, once.
let now = new Date('2026-05-01T06:00:00Z');
const { deps } = await testApp({ clock: { now: () => now } });
const db = deps.db;
const reminders = jobs.find((j) => j.name === 'pulse.reminders')!;
const openRounds = jobs.find((j) => j.name === 'pulse.open-rounds')!;
const at = (day: string) => {
  now = new Date(`${day}T08:00:00Z`);
};
const subjects = async () =>
  (await db.selectFrom('mail_outbox').select('subject').orderBy('id').execute()).map((m) => m.subject);

describe('pulse reminders and bank holidays', () => {
  it('skip the early May bank holiday when counting to the 3rd working day', async () => {
    const org = await makeOrg(db, { code: 'R77H', name: 'Holiday Trust' });
    await makeManager(db, org.id, { email: 'may.lead@example.nhs.uk' });
    await openRounds.run(deps, {}); // May 2026: Friday 1 May
    at('2026-05-04'); // the bank holiday
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    at('2026-05-05'); // 2nd working day
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    at('2026-05-06'); // 3rd
    expect(await reminders.run(deps, {})).toBe('sent 1 reminder(s)');
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    expect(await subjects()).toEqual(['Time-use pulse for May 2026: how did you spend last week?']);
  });

  it('send a closing reminder due on a bank holiday on the next working day', async () => {
    // Only this trust runs a December round.
    await db.updateTable('organisations').set({ closed_on: '2026-06-01' }).where('code', '=', 'R77H').execute();
    const org = await makeOrg(db, { code: 'R77D', name: 'December Trust' });
    await makeManager(db, org.id, { email: 'dec.lead@example.nhs.uk' });
    at('2026-12-01');
    await openRounds.run(deps, {});
    await db.deleteFrom('mail_outbox').execute();
    at('2026-12-03'); // 3rd working day of December
    expect(await reminders.run(deps, {})).toBe('sent 1 reminder(s)');
    at('2026-12-26'); // Saturday
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    at('2026-12-28'); // closing due from Monday 28, Boxing Day's substitute
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    at('2026-12-29');
    expect(await reminders.run(deps, {})).toBe('sent 1 reminder(s)');
    at('2026-12-30');
    expect(await reminders.run(deps, {})).toBe('sent 0 reminder(s)');
    expect(await subjects()).toEqual([
      'Time-use pulse for December 2026: how did you spend last week?',
      'Time-use pulse for December 2026 closes on 2026-12-31',
    ]);
  });
});
