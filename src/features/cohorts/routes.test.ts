import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { Client, signedIn, testApp } from '../../../test/helpers.ts';
import { recordsOf } from '../learning-record/queries.ts';
import { jobs } from './jobs.ts';
import { makeProgramme } from './testing.ts';

const clock = { now: () => new Date('2026-11-20T10:00:00Z') };
const ctx = await testApp({ clock });
const { db } = ctx.deps;
const deps = { ...ctx.deps, clock };
const { trust } = await makeHierarchy(db, '72');
const { programmeId } = await makeProgramme(db, { title: 'Leading compassionate teams', providerOrgId: trust.id });
const provider = await signedIn(
  ctx,
  (await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: trust.id }] })).id,
);
const boss = await makePerson(db, { orgId: trust.id, isManager: true, given: 'Maya', family: 'Boss' });
const bossClient = await signedIn(ctx, (await makeAccount(db, { personId: boss.id })).id);

async function staff(given: string) {
  const p = await makePerson(db, { orgId: trust.id, managerAssignmentId: boss.assignmentId, given, family: 'Tester' });
  return { person: p, client: await signedIn(ctx, (await makeAccount(db, { personId: p.id })).id) };
}
const location = (res: { headers: Record<string, unknown> }) => String(res.headers.location);
const flashOf = async (c: Client, url: string) => (await c.get(url)).body.match(/role="status"><p>([^<]+)/)?.[1];

describe('cohort pages, from the provider to a verified certificate', () => {
  let cohortId = 0;

  it('lets the provider add a cohort with a session and open it; form errors come back on the page', async () => {
    const page = `/cohorts/manage/programmes/${programmeId}`;
    const bad = await provider.post(page, { name: '', capacity: 'lots', funder_approval: 'no' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a name for the cohort');
    expect(bad.body).toContain('Enter the number of places as a whole number');
    expect(bad.body).toContain('Enter the date booking opens');
    const res = await provider.post(page, {
      name: 'Spring 2027',
      capacity: '2',
      funder_approval: 'no',
      'opens-day': '1',
      'opens-month': '11',
      'opens-year': '2026',
      'closes-day': '21',
      'closes-month': '11',
      'closes-year': '2026',
    });
    expect(res.statusCode).toBe(303);
    cohortId = Number(location(res).split('/').pop());
    const notYet = await provider.post(`/cohorts/manage/${cohortId}/status`, { status: 'open' });
    expect(notYet.statusCode).toBe(400);
    expect(notYet.body).toContain('Add at least one session before opening the cohort for booking');
    const session = await provider.post(`/cohorts/manage/${cohortId}/sessions`, {
      'session-day': '22',
      'session-month': '11',
      'session-year': '2026',
      start_time: '09:30',
      end_time: '16:00',
      venue: 'Education Centre, Room 2',
      online_url: '',
    });
    expect(session.statusCode).toBe(303);
    expect((await provider.post(`/cohorts/manage/${cohortId}/status`, { status: 'open' })).statusCode).toBe(303);
    const programme = await db
      .selectFrom('programmes')
      .select('next_cohort_start')
      .where('id', '=', programmeId)
      .executeTakeFirstOrThrow();
    expect(programme.next_cohort_start).toBe('2026-11-22');
    // Someone else's provider admin cannot manage it.
    const other = await signedIn(
      ctx,
      (await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: (await makeHierarchy(db, '73')).trust.id }] }))
        .id,
    );
    expect((await other.get(`/cohorts/manage/${cohortId}`)).statusCode).toBe(403);
  });

  it('fills, wait-lists and promotes: apply, approve, cancel, and each person hears about it once', async () => {
    const ana = await staff('Ana');
    const ben = await staff('Ben');
    const cat = await staff('Cat');
    const page = await ana.client.get(`/catalogue/${programmeId}/cohorts`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2 of 2 places free');
    for (const s of [ana, ben, cat]) {
      const res = await s.client.post(
        `/cohorts/${cohortId}/apply`,
        {},
        { csrfFrom: `/catalogue/${programmeId}/cohorts` },
      );
      expect(res.statusCode).toBe(303);
    }
    expect(await flashOf(cat.client, '/me/bookings')).toContain('The cohort is full: you are on the wait-list');
    const again = await ana.client.post(
      `/cohorts/${cohortId}/apply`,
      {},
      { csrfFrom: `/catalogue/${programmeId}/cohorts` },
    );
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('You have already applied for this cohort');

    const approvals = await bossClient.get('/cohorts/approvals');
    expect(approvals.body).toContain('Ana Tester');
    const ids = await db
      .selectFrom('cohort_applications')
      .select(['id', 'person_id'])
      .where('cohort_id', '=', cohortId)
      .orderBy('id')
      .execute();
    const idOf = (p: { person: { id: number } }) => ids.find((i) => i.person_id === p.person.id)!.id;
    for (const s of [ana, ben, cat]) {
      const r = await bossClient.post(
        `/cohorts/approvals/${idOf(s)}`,
        { decision: 'approve', as: 'manager', note: '' },
        { csrfFrom: '/cohorts/approvals' },
      );
      expect(r.statusCode).toBe(303);
    }
    // Someone who is not the line manager cannot decide.
    const stranger = await signedIn(
      ctx,
      (await makeAccount(db, { personId: (await makePerson(db, { orgId: trust.id })).id })).id,
    );
    expect(
      (
        await stranger.post(
          `/cohorts/approvals/${idOf(cat)}`,
          { decision: 'reject', as: 'manager' },
          { csrfFrom: '/cohorts/approvals' },
        )
      ).statusCode,
    ).toBe(403);

    const mine = await ben.client.get('/me/bookings');
    const benId = idOf(ben);
    expect((await ben.client.post(`/me/bookings/${benId}/cancel`, {}, { csrfFrom: '/me/bookings' })).statusCode).toBe(
      303,
    );
    expect(mine.body).toContain('Confirmed');
    const catPage = await cat.client.get('/me/bookings');
    expect(catPage.body).toContain('Confirmed');

    const notices = jobs.find((j) => j.name === 'cohorts.notices')!;
    expect(await notices.run(deps, {})).toMatch(/^sent \d+ cohort notices$/);
    expect(await notices.run(deps, {})).toBe('sent 0 cohort notices');
    const outbox = await db.selectFrom('mail_outbox').select(['to_address', 'subject']).orderBy('id').execute();
    const to = (email: string | null) => outbox.filter((m) => m.to_address === email).map((m) => m.subject);
    expect(to(boss.email)).toHaveLength(3);
    expect(to(boss.email)[0]).toBe('Approval needed: Ana Tester applied for Leading compassionate teams');
    expect(to(cat.person.email)).toContain('A place is now yours: Leading compassionate teams');
    expect(to(ana.person.email)).toContain('Place confirmed: Leading compassionate teams');

    const reminders = jobs.find((j) => j.name === 'cohorts.reminders')!;
    const later = { ...deps, clock: { now: () => new Date('2026-11-20T07:00:00Z') } };
    expect(await reminders.run(later, {})).toBe('2 session and 0 closing reminders due; sent 2 notices');
    expect(await reminders.run(later, {})).toBe('0 session and 0 closing reminders due; sent 0 notices');
  });

  it('records attendance and completion, issues a certificate the public page confirms, and takes feedback from attendees only', async () => {
    const confirmed = await db
      .selectFrom('cohort_applications')
      .select(['id', 'person_id'])
      .where('cohort_id', '=', cohortId)
      .where('status', '=', 'confirmed')
      .orderBy('id')
      .execute();
    expect(confirmed).toHaveLength(2);
    const [session] = await db.selectFrom('cohort_sessions').select('id').where('cohort_id', '=', cohortId).execute();
    const manage = `/cohorts/manage/${cohortId}`;
    const att = await provider.post(
      `${manage}/sessions/${session!.id}/attendance`,
      { attended: [String(confirmed[0]!.id)] },
      { csrfFrom: manage },
    );
    expect(att.statusCode).toBe(303);
    const future = await provider.post(
      `${manage}/completions`,
      {
        'completed-day': '1',
        'completed-month': '1',
        'completed-year': '2030',
        [`outcome_${confirmed[0]!.id}`]: 'passed',
      },
      { csrfFrom: manage },
    );
    expect(future.statusCode).toBe(400);
    const done = await provider.post(
      `${manage}/completions`,
      {
        'completed-day': '20',
        'completed-month': '11',
        'completed-year': '2026',
        [`outcome_${confirmed[0]!.id}`]: 'passed',
        [`outcome_${confirmed[1]!.id}`]: 'failed',
      },
      { csrfFrom: manage },
    );
    expect(done.statusCode).toBe(303);
    const certificates = await db.selectFrom('cohort_certificates').select(['application_id', 'code']).execute();
    expect(certificates.map((c) => c.application_id)).toEqual([confirmed[0]!.id]);
    const record = await recordsOf(db, confirmed[0]!.person_id);
    expect(record.map((r) => [r.title, r.completedOn])).toEqual([['Leading compassionate teams', '2026-11-20']]);

    const anonymous = new Client(ctx.app);
    const verify = await anonymous.get(`/verify/${certificates[0]!.code.toLowerCase()}`);
    expect(verify.statusCode).toBe(200);
    expect(verify.body).toContain('Certificate confirmed');
    expect(verify.body).toContain('Ana Tester');
    expect(verify.body).toContain('Leading compassionate teams');
    expect(verify.body).not.toContain('@example');
    expect((await anonymous.get('/verify/ABCDEFGHJK')).statusCode).toBe(404);
    expect((await anonymous.get(`/verify?code=${certificates[0]!.code}`)).headers.location).toBe(
      `/verify/${certificates[0]!.code}`,
    );

    const attendee = await signedIn(
      ctx,
      (
        await db
          .selectFrom('accounts')
          .select('id')
          .where('person_id', '=', confirmed[0]!.person_id)
          .executeTakeFirstOrThrow()
      ).id,
    );
    const url = `/me/bookings/${confirmed[0]!.id}/feedback`;
    const bad = await attendee.post(url, { overall: '', relevance: '4', recommend: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select how you rate the programme overall');
    expect(
      (await attendee.post(url, { overall: '5', relevance: '4', recommend: 'yes', comment: 'Practical' })).statusCode,
    ).toBe(303);
    // The cancelled applicant never attended: no feedback form for them.
    const cancelled = await db
      .selectFrom('cohort_applications')
      .select(['id', 'person_id'])
      .where('status', '=', 'cancelled')
      .executeTakeFirstOrThrow();
    const quitter = await signedIn(
      ctx,
      (
        await db
          .selectFrom('accounts')
          .select('id')
          .where('person_id', '=', cancelled.person_id)
          .executeTakeFirstOrThrow()
      ).id,
    );
    expect((await quitter.get(`/me/bookings/${cancelled.id}/feedback`)).statusCode).toBe(404);
    const summary = await provider.get(manage);
    expect(summary.body).toContain('Feedback is shown once at least 8 attendees have answered');
    expect(summary.body).not.toContain('Practical');
  });
});
