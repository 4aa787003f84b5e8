import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { apply, cancelApplication, decideApplication } from './booking.ts';
import { changeNotice, diffSessions, headline, sessionLine } from './changes.ts';
import { jobs } from './jobs.ts';
import { everyone, makeCohort, makeProgramme } from './testing.ts';

// The provider's edits happen at 10:00; the job runs on its own clock, before or after the quiet period.
const clock = { now: () => new Date('2026-11-20T10:00:00Z') };
const ctx = await testApp({ clock });
const { db } = ctx.deps;
const deps = { ...ctx.deps, clock };
const at = (iso: string) => ({ ...deps, clock: { now: () => new Date(iso) } });
const job = jobs.find((j) => j.name === 'cohorts.notify-changes')!;

const { trust } = await makeHierarchy(db, '91');
const { programmeId } = await makeProgramme(db, { title: 'Leading through change', providerOrgId: trust.id });
const provider = await signedIn(
  ctx,
  (await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: trust.id }] })).id,
);
const otherProvider = await signedIn(
  ctx,
  (await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: (await makeHierarchy(db, '92')).trust.id }] })).id,
);
const boss = await makePerson(db, { orgId: trust.id, isManager: true });
const bossAccount = await makeAccount(db, { personId: boss.id });

const dateBoxes = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: d!, [`${prefix}-month`]: m!, [`${prefix}-year`]: y! };
};
const sessionForm = (day: string, start: string, end: string, venue: string, online = '') => ({
  ...dateBoxes('session', day),
  start_time: start,
  end_time: end,
  venue,
  online_url: online,
});
const mailTo = (email: string | null) =>
  db
    .selectFrom('mail_outbox')
    .select(['subject', 'body_text'])
    .where('to_address', '=', email!)
    .orderBy('id')
    .execute();
const sessionIds = async (cohortId: number) =>
  (await db.selectFrom('cohort_sessions').select('id').where('cohort_id', '=', cohortId).orderBy('id').execute()).map(
    (s) => s.id,
  );

async function applicant(cohortId: number, o: { withManager?: boolean; given: string }) {
  const person = await makePerson(db, {
    orgId: trust.id,
    given: o.given,
    family: 'Learner',
    ...(o.withManager && { managerAssignmentId: boss.assignmentId }),
  });
  const r = await apply(deps, { cohortId, personId: person.id, eligible: everyone });
  if (!r.ok) throw new Error(r.problem);
  return { person, applicationId: (r as { id: number }).id, status: (r as { status: string }).status };
}

describe('people booked on a cohort hear when its sessions change', () => {
  it('emails everyone holding or waiting for a place one summary of several edits, once, and nobody else', async () => {
    const cohortId = await makeCohort(db, { programmeId, capacity: 2, sessionAt: '2027-03-01T09:30:00Z' });
    const { name: cohortName } = await db
      .selectFrom('cohorts')
      .select('name')
      .where('id', '=', cohortId)
      .executeTakeFirstOrThrow();
    // Withdrawn first, so that their place goes back before the others apply.
    const dan = await applicant(cohortId, { given: 'Dan' });
    expect((await cancelApplication(deps, dan.applicationId, () => true)).ok).toBe(true);
    const ana = await applicant(cohortId, { given: 'Ana' });
    const bea = await applicant(cohortId, { given: 'Bea', withManager: true });
    const cat = await applicant(cohortId, { given: 'Cat' });
    const eve = await applicant(cohortId, { given: 'Eve', withManager: true });
    expect([ana.status, bea.status, cat.status, eve.status]).toEqual([
      'confirmed',
      'awaiting_approval',
      'waitlisted',
      'waitlisted',
    ]);
    const declined = await decideApplication(
      deps,
      eve.applicationId,
      'manager',
      false,
      { accountId: bossAccount.id, may: () => true },
      null,
    );
    expect(declined).toMatchObject({ ok: true, status: 'rejected' });

    // Three edits in a row: a new time, a new session, then a new venue for the first.
    const manage = `/cohorts/manage/${cohortId}`;
    const [first] = await sessionIds(cohortId);
    const edit = `${manage}/sessions/${first}/edit`;
    const moved = await provider.post(edit, sessionForm('2027-03-01', '14:00', '17:00', 'Education Centre, Room 2'));
    expect(moved.statusCode).toBe(303);
    expect((await provider.get(manage)).body).toContain(
      'Session changed. Everyone booked on this cohort or waiting for a place will be emailed a summary of the changes',
    );
    const added = await provider.post(`${manage}/sessions`, sessionForm('2027-03-08', '09:30', '12:30', 'Room 4'), {
      csrfFrom: manage,
    });
    expect(added.statusCode).toBe(303);
    expect((await provider.post(edit, sessionForm('2027-03-01', '14:00', '17:00', 'Boardroom'))).statusCode).toBe(303);
    expect(await db.selectFrom('cohort_changes').select('id').where('cohort_id', '=', cohortId).execute()).toHaveLength(
      3,
    );
    // The edits are still audited, one entry each.
    const audited = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['cohorts.session.update', 'cohorts.session.add'])
      .where(({ eb, ref }) => eb(ref('details', '->>').key('cohortId'), '=', String(cohortId)))
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual([
      'cohorts.session.add',
      'cohorts.session.update',
      'cohorts.session.update',
    ]);

    // Someone who applies after the edits saw the new dates when applying: nothing to tell them.
    const fay = await applicant(cohortId, { given: 'Fay' });

    // While the provider may still be editing, the job waits.
    expect(await job.run(at('2026-11-20T10:05:00Z'), {})).toBe('session changes of 0 cohorts: sent 0 emails');
    expect(await job.run(at('2026-11-20T10:11:00Z'), {})).toBe('session changes of 1 cohorts: sent 3 emails');
    expect(await job.run(at('2026-11-20T10:16:00Z'), {})).toBe('session changes of 0 cohorts: sent 0 emails');

    for (const [who, standing] of [
      [ana, 'You have a confirmed place on it.'],
      [bea, 'You have applied for it, and a place is held for you while your application is approved.'],
      [cat, 'You are on its wait-list.'],
    ] as const) {
      const mail = await mailTo(who.person.email);
      expect(mail).toHaveLength(1);
      expect(mail[0]!.subject).toBe(`Sessions changed: Leading through change (${cohortName})`);
      expect(mail[0]!.body_text).toContain(
        `The provider has changed the sessions of Leading through change (${cohortName}). ${standing}`,
      );
      expect(mail[0]!.body_text).toContain(
        'Changed:\n- Was: Monday 1 March 2027, 09:30 to 12:30, at Education Centre, Room 2\n  Now: Monday 1 March 2027, 14:00 to 17:00, at Boardroom',
      );
      expect(mail[0]!.body_text).toContain('Added:\n- Monday 8 March 2027, 09:30 to 12:30, at Room 4');
      expect(mail[0]!.body_text).not.toContain('Cancelled');
      expect(mail[0]!.body_text).toContain(
        'All sessions now (UK time):\n- Monday 1 March 2027, 14:00 to 17:00, at Boardroom\n- Monday 8 March 2027, 09:30 to 12:30, at Room 4',
      );
      expect(mail[0]!.body_text).toContain(`${deps.config.baseUrl}/me/bookings`);
    }
    for (const nobody of [dan, eve, fay]) expect(await mailTo(nobody.person.email)).toEqual([]);
    expect(
      await db
        .selectFrom('cohort_change_notices')
        .select('application_id')
        .orderBy('application_id')
        .execute()
        .then((r) => r.map((n) => n.application_id)),
    ).toEqual([ana.applicationId, bea.applicationId, cat.applicationId]);

    // Their booking page says so, for someone who missed the email; not for Fay, who applied after.
    const anaPage = await (await signedIn(ctx, (await makeAccount(db, { personId: ana.person.id })).id)).get(
      '/me/bookings',
    );
    expect(anaPage.statusCode).toBe(200);
    expect(anaPage.body).toContain('Sessions changed on 20 November 2026');
    expect(anaPage.body).toContain('The provider has changed the sessions of one of your bookings since you applied');
    expect(anaPage.body).toContain(`/catalogue/${programmeId}/cohorts#cohort-${cohortId}`);
    const fayPage = await (await signedIn(ctx, (await makeAccount(db, { personId: fay.person.id })).id)).get(
      '/me/bookings',
    );
    expect(fayPage.body).toContain(cohortName);
    expect(fayPage.body).not.toContain('Sessions changed on');
    const danPage = await (await signedIn(ctx, (await makeAccount(db, { personId: dan.person.id })).id)).get(
      '/me/bookings',
    );
    expect(danPage.body).not.toContain('changed on');

    // A later removal is a new change: one more email each, headed by what it is.
    const [, second] = await sessionIds(cohortId);
    const removed = await provider.post(`${manage}/sessions/${second}/delete`, {}, { csrfFrom: manage });
    expect(removed.statusCode).toBe(303);
    expect(await job.run(at('2026-11-20T10:30:00Z'), {})).toBe('session changes of 1 cohorts: sent 4 emails');
    const anaMail = await mailTo(ana.person.email);
    expect(anaMail).toHaveLength(2);
    expect(anaMail[1]!.subject).toBe(`Session cancelled: Leading through change (${cohortName})`);
    expect(anaMail[1]!.body_text).toContain(
      'Cancelled (no longer taking place):\n- Monday 8 March 2027, 09:30 to 12:30, at Room 4',
    );
    expect(await mailTo(fay.person.email)).toHaveLength(1);
    expect(await mailTo(dan.person.email)).toEqual([]);
  });

  it('sends nothing for edits learners do not rely on, for no-op edits, or for edits that cancel out', async () => {
    const cohortId = await makeCohort(db, { programmeId, sessionAt: '2027-04-05T08:30:00Z' });
    const ana = await applicant(cohortId, { given: 'Nora' });
    const manage = `/cohorts/manage/${cohortId}`;
    // Name, places and booking window.
    const details = await provider.post(`${manage}/edit`, {
      name: 'Renamed cohort',
      capacity: '30',
      ...dateBoxes('opens', '2026-11-01'),
      ...dateBoxes('closes', '2027-02-28'),
    });
    expect(details.statusCode).toBe(303);
    // The same session saved as it was (09:30 UK summer time is 08:30 UTC).
    const [sid] = await sessionIds(cohortId);
    const same = sessionForm('2027-04-05', '09:30', '12:30', 'Education Centre, Room 2');
    expect((await provider.post(`${manage}/sessions/${sid}/edit`, same)).statusCode).toBe(303);
    expect(await db.selectFrom('cohort_changes').select('id').where('cohort_id', '=', cohortId).execute()).toEqual([]);
    // Moved and moved back before the job ran: the net change is nothing.
    const other = sessionForm('2027-04-06', '09:30', '12:30', 'Education Centre, Room 2');
    expect((await provider.post(`${manage}/sessions/${sid}/edit`, other)).statusCode).toBe(303);
    expect((await provider.post(`${manage}/sessions/${sid}/edit`, same)).statusCode).toBe(303);
    expect(await job.run(at('2026-11-20T10:20:00Z'), {})).toBe('session changes of 1 cohorts: sent 0 emails');
    expect(await mailTo(ana.person.email)).toEqual([]);
    const pending = await db
      .selectFrom('cohort_changes')
      .select('notified_at')
      .where('cohort_id', '=', cohortId)
      .execute();
    expect(pending.map((p) => p.notified_at)).toEqual([
      new Date('2026-11-20T10:20:00Z'),
      new Date('2026-11-20T10:20:00Z'),
    ]);
    const page = await (await signedIn(ctx, (await makeAccount(db, { personId: ana.person.id })).id)).get(
      '/me/bookings',
    );
    expect(page.body).not.toContain('changed on');

    // A draft has nobody booked: its sessions change freely.
    const draft = await makeCohort(db, { programmeId, status: 'draft' });
    const [draftSession] = await sessionIds(draft);
    const d = await provider.post(
      `/cohorts/manage/${draft}/sessions/${draftSession}/edit`,
      sessionForm('2027-05-10', '10:00', '12:00', 'Room 1'),
    );
    expect(d.statusCode).toBe(303);
    expect(await db.selectFrom('cohort_changes').select('id').where('cohort_id', '=', draft).execute()).toEqual([]);
  });

  it('sends each email once when the job runs on two instances at once, after an hour even while edits go on', async () => {
    const cohortId = await makeCohort(db, { programmeId, sessionAt: '2027-03-15T09:00:00Z' });
    const people = [];
    for (const given of ['Ola', 'Pia', 'Quin']) people.push(await applicant(cohortId, { given }));
    const [sid] = await sessionIds(cohortId);
    const url = `/cohorts/manage/${cohortId}/sessions/${sid}/edit`;
    const online = sessionForm('2027-03-15', '09:00', '12:00', '', 'https://meet.example.nhs.uk/xyz');
    expect((await provider.post(url, online)).statusCode).toBe(303);
    // That edit was an hour ago; the provider edits again now. Edits keep the cohort waiting for quiet, but no
    // longer than an hour after the first.
    await db
      .updateTable('cohort_changes')
      .set({ changed_at: new Date('2026-11-20T09:00:00Z') })
      .where('cohort_id', '=', cohortId)
      .execute();
    const longer = sessionForm('2027-03-15', '09:00', '12:30', '', 'https://meet.example.nhs.uk/xyz');
    expect((await provider.post(url, longer)).statusCode).toBe(303);
    const runs = await Promise.all([job.run(at('2026-11-20T10:01:00Z'), {}), job.run(at('2026-11-20T10:01:00Z'), {})]);
    expect(runs.map((r) => Number(r!.match(/sent (\d+) emails/)![1])).reduce((a, b) => a + b)).toBe(3);
    for (const p of people) {
      const mail = await mailTo(p.person.email);
      expect(mail).toHaveLength(1);
      expect(mail[0]!.subject).toMatch(/^Sessions changed: /);
      expect(mail[0]!.body_text).toContain(
        '- Was: Monday 15 March 2027, 09:00 to 12:00, at Education Centre, Room 2\n  Now: Monday 15 March 2027, 09:00 to 12:30, online: https://meet.example.nhs.uk/xyz',
      );
    }
  });

  it('leaves who may edit sessions unchanged: another provider is refused and records no change', async () => {
    const cohortId = await makeCohort(db, { programmeId });
    const [sid] = await sessionIds(cohortId);
    const url = `/cohorts/manage/${cohortId}/sessions/${sid}/edit`;
    const refused = await otherProvider.post(url, sessionForm('2027-06-01', '09:00', '10:00', 'Elsewhere'), {
      csrfFrom: '/catalogue',
    });
    expect(refused.statusCode).toBe(403);
    const learner = await signedIn(ctx, bossAccount.id);
    expect((await learner.get(url)).statusCode).toBe(403);
    expect(await db.selectFrom('cohort_changes').select('id').where('cohort_id', '=', cohortId).execute()).toEqual([]);
  });
});

describe('what a change means, in words', () => {
  const s = (id: number, starts: string, ends: string, venue: string | null, online: string | null = null) => ({
    id,
    starts_at: starts,
    ends_at: ends,
    venue,
    online_url: online,
  });
  const a = s(1, '2027-06-07T08:30:00Z', '2027-06-07T11:30:00Z', 'Room 2');
  const b = s(2, '2027-06-14T08:30:00Z', '2027-06-14T11:30:00Z', 'Room 2');

  it('writes sessions in UK time and names the kind of change', () => {
    // 08:30 UTC in June is 09:30 British Summer Time.
    expect(sessionLine(s(3, a.starts_at, a.ends_at, 'Room 2', 'https://meet.example.nhs.uk/q'))).toBe(
      'Monday 7 June 2027, 09:30 to 12:30, at Room 2, and online: https://meet.example.nhs.uk/q',
    );
    const later = { ...a, starts_at: '2027-06-07T12:00:00Z', ends_at: '2027-06-07T15:00:00Z' };
    expect(headline(diffSessions([a, b], [later, b]))).toBe('Session time changed');
    expect(headline(diffSessions([a, b], [{ ...a, venue: 'Hall' }, b]))).toBe('Session venue or joining link changed');
    expect(headline(diffSessions([a], [a, b]))).toBe('Session added');
    expect(headline(diffSessions([a, b], [a]))).toBe('Session cancelled');
    expect(headline(diffSessions([a, b], [later]))).toBe('Sessions changed');
    expect(diffSessions([a, b], [b, a])).toEqual({ changed: [], added: [], removed: [] });
  });

  it('tells a person only of changes made after they applied', () => {
    const first = {
      id: 1,
      changed_at: new Date('2026-12-03T11:00:00Z'),
      applications_upto: 10,
      sessions_before: [a],
      sessions_after: [a, b],
    };
    const second = {
      id: 2,
      changed_at: new Date('2026-12-05T09:00:00Z'),
      applications_upto: 20,
      sessions_before: [a, b],
      sessions_after: [{ ...a, venue: 'Hall' }, b],
    };
    expect(changeNotice([first, second], 7)).toEqual({ text: 'Sessions changed', on: '5 December 2026' });
    expect(changeNotice([first, second], 15)).toEqual({
      text: 'Session venue or joining link changed',
      on: '5 December 2026',
    });
    expect(changeNotice([first], 15)).toBeNull();
    expect(changeNotice([first, { ...second, sessions_after: [a] }], 7)).toBeNull();
  });
});
