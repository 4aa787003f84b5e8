import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { up as keyOldReminders } from '../../db/migrations/20261130_0100_cohort_reminder_times.ts';
import { apply, cancelApplication } from './booking.ts';
import { jobs } from './jobs.ts';
import { everyone, makeCohort, makeProgramme } from './testing.ts';

// One clock for the app (session edits record their time by it) and the job; each step sets it.
let nowIso = '2027-02-20T10:00:00Z';
const clock = { now: () => new Date(nowIso) };
const ctx = await testApp({ clock });
const { db } = ctx.deps;
const deps = { ...ctx.deps, clock };
const reminders = jobs.find((j) => j.name === 'cohorts.reminders')!;
const runAt = (iso: string) => {
  nowIso = iso;
  return reminders.run(deps, {});
};

const { trust } = await makeHierarchy(db, '93');
const { programmeId } = await makeProgramme(db, { title: 'Coaching conversations', providerOrgId: trust.id });
const providerAccount = await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: trust.id }] });
const provider = await signedIn(ctx, providerAccount.id);
const notices = jobs.find((j) => j.name === 'cohorts.notices')!;

const remindersTo = async (email: string | null) =>
  db
    .selectFrom('mail_outbox')
    .select(['subject', 'body_text'])
    .where('to_address', '=', email!)
    .where('subject', 'like', 'Reminder:%')
    .orderBy('id')
    .execute();
const sessionOf = async (cohortId: number) =>
  (await db.selectFrom('cohort_sessions').select('id').where('cohort_id', '=', cohortId).executeTakeFirstOrThrow()).id;
const moveSession = async (
  cohortId: number,
  sessionId: number,
  day: string,
  start: string,
  end: string,
  venue: string,
) => {
  // The provider is signed in at the time of the edit (the clock jumps days between steps).
  await db
    .updateTable('sessions')
    .set({ last_seen_at: clock.now(), expires_at: new Date(clock.now().getTime() + 3_600_000) })
    .where('account_id', '=', providerAccount.id)
    .execute();
  const [y, m, d] = day.split('-');
  return provider.post(`/cohorts/manage/${cohortId}/sessions/${sessionId}/edit`, {
    'session-day': d!,
    'session-month': m!,
    'session-year': y!,
    start_time: start,
    end_time: end,
    venue,
    online_url: '',
  });
};

async function booked(cohortId: number, given: string) {
  const person = await makePerson(db, { orgId: trust.id, given, family: 'Learner' });
  const r = await apply(deps, { cohortId, personId: person.id, eligible: everyone });
  if (!r.ok || r.status !== 'confirmed') throw new Error(`${given} did not get a place`);
  // The "place confirmed" email goes first, so that the job's summaries below count reminders only.
  await notices.run(deps, {});
  return { person, applicationId: r.id };
}

describe('session reminders', () => {
  it('reminds again of a session moved after its reminder, once, and never a withdrawn learner', async () => {
    const cohortId = await makeCohort(db, { programmeId, sessionAt: '2027-03-01T09:30:00Z' });
    const sessionId = await sessionOf(cohortId);
    const ana = await booked(cohortId, 'Ana');
    const ben = await booked(cohortId, 'Ben');
    const col = await booked(cohortId, 'Col');
    expect((await cancelApplication(deps, ben.applicationId, () => true)).ok).toBe(true);

    // More than three days ahead: not yet.
    expect(await runAt('2027-02-26T07:00:00Z')).toBe('0 session and 0 closing reminders due; sent 0 notices');
    // Due: two instances run the job at once, and each booked learner gets one reminder between them.
    nowIso = '2027-02-27T07:00:00Z';
    await Promise.all([reminders.run(deps, {}), reminders.run(deps, {})]);
    expect(await remindersTo(ana.person.email)).toHaveLength(1);
    expect(await remindersTo(col.person.email)).toHaveLength(1);
    expect(await remindersTo(ben.person.email)).toHaveLength(0);
    expect((await remindersTo(ana.person.email))[0]!.body_text).toContain('Monday 1 March at 09:30');
    expect(await runAt('2027-02-27T07:00:00Z')).toBe('0 session and 0 closing reminders due; sent 0 notices');

    // A new room is not a new date: no second reminder (the change email tells them of the room).
    nowIso = '2027-02-27T10:00:00Z';
    expect((await moveSession(cohortId, sessionId, '2027-03-01', '09:30', '12:30', 'Boardroom')).statusCode).toBe(303);
    expect(await runAt('2027-02-28T07:00:00Z')).toBe('0 session and 0 closing reminders due; sent 0 notices');

    // Col withdraws, then the provider moves the session a week later.
    expect((await cancelApplication(deps, col.applicationId, () => true)).ok).toBe(true);
    nowIso = '2027-02-28T09:00:00Z';
    expect((await moveSession(cohortId, sessionId, '2027-03-08', '09:30', '12:30', 'Boardroom')).statusCode).toBe(303);
    expect(await runAt('2027-03-01T07:00:00Z')).toBe('0 session and 0 closing reminders due; sent 0 notices');
    // Three days before the new date, Ana is reminded again, of the new date; once, however often the job runs.
    expect(await runAt('2027-03-06T07:00:00Z')).toBe('1 session and 0 closing reminders due; sent 1 notices');
    expect(await runAt('2027-03-06T07:00:00Z')).toBe('0 session and 0 closing reminders due; sent 0 notices');
    const toAna = await remindersTo(ana.person.email);
    expect(toAna).toHaveLength(2);
    expect(toAna[1]!.subject).toBe('Reminder: Coaching conversations on Monday 8 March at 09:30');
    expect(toAna[1]!.body_text).toContain('at Boardroom');
    expect(await remindersTo(col.person.email)).toHaveLength(1);
    expect(await remindersTo(ben.person.email)).toHaveLength(0);

    // Moved to a time already past (a correction of the record): nothing to remind of.
    await db
      .updateTable('cohort_sessions')
      .set({ starts_at: new Date('2027-03-05T09:30:00Z'), ends_at: new Date('2027-03-05T12:30:00Z') })
      .where('id', '=', sessionId)
      .execute();
    expect(await runAt('2027-03-06T08:00:00Z')).toBe('0 session and 0 closing reminders due; sent 0 notices');
  });

  it('does not remind of an unmoved session twice over the days before it', async () => {
    const cohortId = await makeCohort(db, { programmeId, sessionAt: '2027-04-12T08:30:00Z' });
    const dee = await booked(cohortId, 'Dee');
    for (const day of ['2027-04-09', '2027-04-10', '2027-04-11', '2027-04-12']) await runAt(`${day}T07:00:00Z`);
    expect(await remindersTo(dee.person.email)).toHaveLength(1);
  });

  it('drops a reminder not yet sent when the session moves or the learner withdraws before it goes', async () => {
    const cohortId = await makeCohort(db, { programmeId, sessionAt: '2027-05-10T08:30:00Z' });
    const sessionId = await sessionOf(cohortId);
    const eve = await booked(cohortId, 'Eve');
    const fin = await booked(cohortId, 'Fin');
    // Added but not sent (as when the mail step failed after the reminders were added).
    nowIso = '2027-05-08T07:00:00Z';
    await db
      .insertInto('cohort_notices')
      .values(
        [eve, fin].map((p) => ({
          kind: 'session_reminder' as const,
          dedupe_key: `session_reminder:${sessionId}:${p.applicationId}:2027-05-10T08:30:00Z`,
          application_id: p.applicationId,
          cohort_id: cohortId,
          session_id: sessionId,
        })),
      )
      .execute();
    expect((await cancelApplication(deps, fin.applicationId, () => true)).ok).toBe(true);
    expect((await moveSession(cohortId, sessionId, '2027-05-10', '13:00', '16:00', 'Room 1')).statusCode).toBe(303);
    // The stale ones are marked sent without an email; Eve gets one reminder, of the new time.
    expect(await runAt('2027-05-08T08:00:00Z')).toBe('1 session and 0 closing reminders due; sent 3 notices');
    const toEve = await remindersTo(eve.person.email);
    expect(toEve.map((m) => m.subject)).toEqual(['Reminder: Coaching conversations on Monday 10 May at 13:00']);
    expect(await remindersTo(fin.person.email)).toHaveLength(0);
  });

  it('recognises reminders sent under the old key: an unmoved session is not reminded again, a moved one is', async () => {
    const cohortId = await makeCohort(db, { programmeId, sessionAt: '2027-06-14T08:30:00Z' });
    const [kept] = await db.selectFrom('cohort_sessions').select('id').where('cohort_id', '=', cohortId).execute();
    const movedId = (
      await db
        .insertInto('cohort_sessions')
        .values({
          cohort_id: cohortId,
          starts_at: new Date('2027-06-15T08:30:00Z'),
          ends_at: new Date('2027-06-15T11:30:00Z'),
          venue: 'Room 3',
          online_url: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const gus = await booked(cohortId, 'Gus');
    // Sent before the key had the start time.
    await db
      .insertInto('cohort_notices')
      .values(
        [kept!.id, movedId].map((sid) => ({
          kind: 'session_reminder' as const,
          dedupe_key: `session_reminder:${sid}:${gus.applicationId}`,
          application_id: gus.applicationId,
          cohort_id: cohortId,
          session_id: sid,
          created_at: new Date('2027-06-12T07:00:00Z'),
          sent_at: new Date('2027-06-12T07:00:00Z'),
        })),
      )
      .execute();
    nowIso = '2027-06-12T15:00:00Z';
    expect((await moveSession(cohortId, movedId, '2027-06-16', '09:30', '12:30', 'Room 3')).statusCode).toBe(303);

    await keyOldReminders(db);
    await keyOldReminders(db);
    const keys = await db
      .selectFrom('cohort_notices')
      .select(['session_id', 'dedupe_key'])
      .where('application_id', '=', gus.applicationId)
      .where('kind', '=', 'session_reminder')
      .orderBy('session_id')
      .execute();
    expect(keys.map((k) => k.dedupe_key)).toEqual([
      `session_reminder:${kept!.id}:${gus.applicationId}:2027-06-14T08:30:00Z`,
      `session_reminder:${movedId}:${gus.applicationId}:2027-06-15T08:30:00Z`,
    ]);

    expect(await runAt('2027-06-14T07:00:00Z')).toBe('1 session and 0 closing reminders due; sent 1 notices');
    const toGus = await remindersTo(gus.person.email);
    expect(toGus.map((m) => m.subject)).toEqual(['Reminder: Coaching conversations on Wednesday 16 June at 09:30']);
  });
});
