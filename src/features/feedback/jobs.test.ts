import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import type { Deps } from '../../deps.ts';
import { loadStarters } from '../frameworks/import.ts';
import { jobs } from './jobs.ts';
import { addRater, findRound, insertRound } from './queries.ts';
import { publishedVersion, respond } from './testing.ts';

// The reminder and closing jobs, run directly with a clock moved day by day.

let now = new Date('2026-12-01T07:00:00Z');
const base = await testDeps();
const deps: Deps = { ...base, clock: { now: () => now } };
const { db } = deps;
await loadStarters(db);
const { id: versionId, content } = await publishedVersion(db);
const { trust } = await makeHierarchy(db, '72');
const person = await makePerson(db, { orgId: trust.id, given: 'Rae', family: 'Round' });

const reminders = jobs.find((j) => j.name === 'feedback.reminders')!;
const close = jobs.find((j) => j.name === 'feedback.close')!;

async function round(closesOn: string, facilitator: number | null = null) {
  return db.transaction().execute((trx) =>
    insertRound(trx, {
      personId: person.id,
      frameworkVersionId: versionId,
      domainIds: null,
      closesOn,
      minimums: { peer: 3, direct_report: 3, other: 3 },
      facilitatorAccountId: facilitator,
      createdBy: null,
      selfName: 'Rae Round',
      selfEmail: 'rae@example.nhs.uk',
      selfTokenHash: null,
    }),
  );
}

const outbox = (to: string) =>
  db.selectFrom('mail_outbox').select(['subject', 'body_text']).where('to_address', '=', to).orderBy('id').execute();

describe('feedback.reminders', () => {
  it('reminds raters who have not responded 7 and 2 days before closing, each reminder once', async () => {
    const id = await round('2026-12-10');
    const hash = 'x'.repeat(64);
    await addRater(db, {
      roundId: id,
      group: 'peer',
      personId: null,
      email: 'late@example.org',
      name: 'Late',
      tokenHash: hash,
    });
    await respond(db, id, 'peer', content, () => 1);

    now = new Date('2026-12-02T07:00:00Z'); // 8 days before: nothing due
    expect(await reminders.run(deps, {})).toBe('sent 0 360 reminders');
    now = new Date('2026-12-03T07:00:00Z'); // 7 days before
    // The late peer and the person's own self-assessment; not the peer who answered.
    expect(await reminders.run(deps, {})).toBe('sent 2 360 reminders');
    expect(await reminders.run(deps, {})).toBe('sent 0 360 reminders');
    const mails = await outbox('late@example.org');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Reminder: feedback for Rae Round closes on 2026-12-10');
    // The reminder carries a fresh link; the stored hash changed, so the old link no longer works.
    expect(mails[0]!.body_text).toMatch(/\/feedback\/respond\/[\w-]{40,}/);
    const rater = await db
      .selectFrom('feedback_raters')
      .select('token_hash')
      .where('email', '=', 'late@example.org')
      .executeTakeFirstOrThrow();
    expect(rater.token_hash).not.toBe(hash);

    now = new Date('2026-12-07T07:00:00Z'); // 3 days before: between reminders
    expect(await reminders.run(deps, {})).toBe('sent 0 360 reminders');
    now = new Date('2026-12-08T07:00:00Z'); // 2 days before
    const [a, b] = await Promise.all([reminders.run(deps, {}), reminders.run(deps, {})]);
    // Two workers at once: the second finds the reminders claimed.
    expect([a, b].sort()).toEqual(['sent 0 360 reminders', 'sent 2 360 reminders']);
    expect(await outbox('late@example.org')).toHaveLength(2);
    expect(await outbox('rae@example.nhs.uk')).toHaveLength(2);
  });
});

describe('feedback.close', () => {
  it('closes rounds past their closing date, releasing those without a facilitator', async () => {
    now = new Date('2026-12-01T07:00:00Z');
    const plain = await round('2026-12-05');
    const facilitated = await round('2026-12-05', (await makeAccount(db)).id);
    now = new Date('2026-12-05T23:00:00Z'); // still the closing day
    expect(await close.run(deps, {})).toMatch(/^closed 0 /);
    now = new Date('2026-12-06T00:15:00Z');
    const said = await close.run(deps, {});
    expect(said).toContain('released');
    const p = (await findRound(db, plain))!;
    expect(p.status).toBe('closed');
    expect(p.released_at).not.toBeNull();
    const f = (await findRound(db, facilitated))!;
    expect(f.status).toBe('closed');
    expect(f.released_at).toBeNull();
    expect(await close.run(deps, {})).toMatch(/^closed 0 /);
    const audit = await db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'feedback.round.close')
      .execute();
    expect(audit.map((a) => Number(a.subject_id))).toEqual(expect.arrayContaining([plain, facilitated]));
  });
});
