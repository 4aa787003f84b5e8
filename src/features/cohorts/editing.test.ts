import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { hashToken, newToken } from '../../plugins/session.ts';
import { apply } from './booking.ts';
import { recordCompletions } from './completion.ts';
import { everyone, makeCohort, makeProgramme } from './testing.ts';

const clock = { now: () => new Date('2026-11-20T10:00:00Z') };
const ctx = await testApp({ clock });
const { db } = ctx.deps;
const deps = { ...ctx.deps, clock };
const { trust } = await makeHierarchy(db, '81');
const { programmeId } = await makeProgramme(db, { title: 'Leading through change', providerOrgId: trust.id });
const providerAccount = await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: trust.id }] });
const provider = await signedIn(ctx, providerAccount.id);
const otherProvider = await signedIn(
  ctx,
  (await makeAccount(db, { grants: [{ role: 'provider_admin', orgId: (await makeHierarchy(db, '82')).trust.id }] })).id,
);

const auditOf = (action: string, subjectId: number | string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor_account_id', 'person_id', 'details'])
    .where('action', '=', action)
    .where('subject_id', '=', String(subjectId))
    .orderBy('id')
    .execute();
const dateBoxes = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: d!, [`${prefix}-month`]: m!, [`${prefix}-year`]: y! };
};
const statusesOf = async (cohortId: number) =>
  (
    await db
      .selectFrom('cohort_applications')
      .select('status')
      .where('cohort_id', '=', cohortId)
      .orderBy('id')
      .execute()
  ).map((r) => r.status);

describe('a provider edits a cohort', () => {
  it('changes the name, places and booking window, refuses fewer places than are taken, and promotes when raised', async () => {
    const cohortId = await makeCohort(db, { programmeId, capacity: 2 });
    for (let i = 0; i < 4; i++) {
      const p = await makePerson(db, { orgId: trust.id });
      expect((await apply(deps, { cohortId, personId: p.id, eligible: everyone })).ok).toBe(true);
    }
    expect(await statusesOf(cohortId)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
    const edit = `/cohorts/manage/${cohortId}/edit`;
    const form = await provider.get(edit);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="2"');
    expect(form.body).toContain('2 places are taken');

    const bad = await provider.post(edit, {
      name: '',
      capacity: '3',
      ...dateBoxes('opens', '2026-12-10'),
      ...dateBoxes('closes', '2026-12-01'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a name for the cohort');
    expect(bad.body).toContain('Booking must close on or after the day it opens');

    const tooFew = await provider.post(edit, {
      name: 'Winter cohort',
      capacity: '1',
      ...dateBoxes('opens', '2026-11-01'),
      ...dateBoxes('closes', '2027-01-31'),
    });
    expect(tooFew.statusCode).toBe(400);
    expect(tooFew.body).toContain(
      '2 places are already taken (confirmed, or held while approvals are pending): the number of places cannot be lower than 2',
    );
    expect(tooFew.body).toContain('href="#capacity"');

    const saved = await provider.post(edit, {
      name: 'Winter cohort',
      capacity: '3',
      ...dateBoxes('opens', '2026-11-01'),
      ...dateBoxes('closes', '2027-01-31'),
    });
    expect(saved.statusCode).toBe(303);
    const page = await provider.get(`/cohorts/manage/${cohortId}`);
    expect(page.body).toContain('Cohort details saved; 1 people moved off the wait-list');
    const cohort = await db
      .selectFrom('cohorts')
      .select(['name', 'capacity', 'places_taken', 'booking_opens_on', 'booking_closes_on'])
      .where('id', '=', cohortId)
      .executeTakeFirstOrThrow();
    expect(cohort).toEqual({
      name: 'Winter cohort',
      capacity: 3,
      places_taken: 3,
      booking_opens_on: '2026-11-01',
      booking_closes_on: '2027-01-31',
    });
    // The longest-waiting person got the new place, and hears about it.
    expect(await statusesOf(cohortId)).toEqual(['confirmed', 'confirmed', 'confirmed', 'waitlisted']);
    const notices = await db.selectFrom('cohort_notices').select('kind').where('kind', '=', 'promoted').execute();
    expect(notices).toHaveLength(1);
    const [entry] = await auditOf('cohorts.cohort.update', cohortId);
    expect(entry!.actor_account_id).toBe(providerAccount.id);
    expect(entry!.details).toMatchObject({
      changes: {
        name: { to: 'Winter cohort' },
        capacity: { from: 2, to: 3 },
        booking_opens_on: { from: '2026-01-01', to: '2026-11-01' },
        booking_closes_on: { from: '2027-12-31', to: '2027-01-31' },
      },
      promoted: 1,
    });
    // Only the programme's own provider.
    expect((await otherProvider.get(edit)).statusCode).toBe(403);
    const foreign = await otherProvider.post(
      edit,
      { name: 'Taken over', capacity: '50', ...dateBoxes('opens', '2026-11-01'), ...dateBoxes('closes', '2027-01-31') },
      { csrfFrom: '/catalogue' },
    );
    expect(foreign.statusCode).toBe(403);
    expect(
      (await db.selectFrom('cohorts').select('name').where('id', '=', cohortId).executeTakeFirstOrThrow()).name,
    ).toBe('Winter cohort');
  });

  it('adds, changes and removes sessions, but never one with attendance or the last of an open cohort', async () => {
    const cohortId = await makeCohort(db, { programmeId, sessionAt: '2027-03-01T09:30:00Z' });
    const manage = `/cohorts/manage/${cohortId}`;
    const [first] = await db.selectFrom('cohort_sessions').select('id').where('cohort_id', '=', cohortId).execute();
    const lastOne = await provider.post(`${manage}/sessions/${first!.id}/delete`, {}, { csrfFrom: manage });
    expect(lastOne.statusCode).toBe(409);
    expect(lastOne.body).toContain('This is the only session of a cohort open for booking');

    const added = await provider.post(
      `${manage}/sessions`,
      {
        ...dateBoxes('session', '2027-03-08'),
        start_time: '09:30',
        end_time: '12:30',
        venue: 'Room 4',
        online_url: '',
      },
      { csrfFrom: manage },
    );
    expect(added.statusCode).toBe(303);
    const sessions = await db
      .selectFrom('cohort_sessions')
      .select(['id', 'starts_at'])
      .where('cohort_id', '=', cohortId)
      .orderBy('id')
      .execute();
    expect(sessions).toHaveLength(2);
    const second = sessions[1]!.id;

    const editUrl = `${manage}/sessions/${second}/edit`;
    const form = await provider.get(editUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="09:30"');
    expect(form.body).toContain('value="Room 4"');
    const wrong = await provider.post(editUrl, {
      ...dateBoxes('session', '2027-03-09'),
      start_time: '14:00',
      end_time: '13:00',
      venue: 'Room 4',
      online_url: '',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The end time must be after the start time');
    // Moved earlier than the first session: the cohort now starts then, and so does the catalogue's next cohort.
    const moved = await provider.post(editUrl, {
      ...dateBoxes('session', '2027-02-22'),
      start_time: '14:00',
      end_time: '16:30',
      venue: '',
      online_url: 'https://meet.example.nhs.uk/abc',
    });
    expect(moved.statusCode).toBe(303);
    const changed = await db
      .selectFrom('cohort_sessions')
      .select(['starts_at', 'venue', 'online_url'])
      .where('id', '=', second)
      .executeTakeFirstOrThrow();
    expect(changed).toEqual({
      starts_at: new Date('2027-02-22T14:00:00Z'),
      venue: null,
      online_url: 'https://meet.example.nhs.uk/abc',
    });
    const dates = await db
      .selectFrom('cohorts')
      .select('starts_on')
      .where('id', '=', cohortId)
      .executeTakeFirstOrThrow();
    expect(dates.starts_on).toBe('2027-02-22');
    const [update] = await auditOf('cohorts.session.update', second);
    expect(update!.details).toMatchObject({
      cohortId,
      from: { venue: 'Room 4' },
      to: { starts_at: '2027-02-22T14:00:00.000Z', venue: null },
    });

    // Attendance recorded on the first session: it stays.
    const person = await makePerson(db, { orgId: trust.id });
    const booked = await apply(deps, { cohortId, personId: person.id, eligible: everyone });
    expect(booked).toMatchObject({ ok: true, status: 'confirmed' });
    await provider.post(
      `${manage}/sessions/${first!.id}/attendance`,
      { attended: [String((booked as { id: number }).id)] },
      { csrfFrom: manage },
    );
    const kept = await provider.post(`${manage}/sessions/${first!.id}/delete`, {}, { csrfFrom: manage });
    expect(kept.statusCode).toBe(409);
    expect(kept.body).toContain('This session has attendance recorded, so it cannot be removed');
    expect((await provider.get(manage)).body).toContain('Attendance is recorded for this session');

    const removed = await provider.post(`${manage}/sessions/${second}/delete`, {}, { csrfFrom: manage });
    expect(removed.statusCode).toBe(303);
    expect(await db.selectFrom('cohort_sessions').select('id').where('cohort_id', '=', cohortId).execute()).toEqual([
      { id: first!.id },
    ]);
    expect(await auditOf('cohorts.session.add', second)).toHaveLength(1);
    expect(await auditOf('cohorts.session.remove', second)).toHaveLength(1);
    expect((await otherProvider.get(editUrl)).statusCode).toBe(403);
  });

  it('audits each read of the register, on the page and through the API', async () => {
    const cohortId = await makeCohort(db, { programmeId });
    const person = await makePerson(db, { orgId: trust.id, given: 'Rhiannon', family: 'Register' });
    await apply(deps, { cohortId, personId: person.id, eligible: everyone });
    const before = (await auditOf('cohorts.register.read', cohortId)).length;
    const page = await provider.get(`/cohorts/manage/${cohortId}`);
    expect(page.body).toContain('Rhiannon Register');
    await provider.get(`/cohorts/manage/${cohortId}`);
    const reads = await auditOf('cohorts.register.read', cohortId);
    expect(reads.length - before).toBe(2);
    expect(reads.at(-1)).toMatchObject({
      actor_account_id: providerAccount.id,
      details: { via: 'page', people: 1 },
    });

    const grant = await db
      .selectFrom('role_grants')
      .select('id')
      .where('account_id', '=', providerAccount.id)
      .executeTakeFirstOrThrow();
    const token = newToken();
    await db
      .insertInto('api_tokens')
      .values({
        account_id: providerAccount.id,
        name: 'register',
        token_hash: hashToken(token),
        prefix: token.slice(0, 6),
        role_grant_id: grant.id,
      })
      .execute();
    const res = await ctx.app.inject({
      url: `/api/v1/cohorts/${cohortId}/register`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ person_id: person.id, name: 'Rhiannon Register', status: 'confirmed' }),
    ]);
    expect((await auditOf('cohorts.register.read', cohortId)).at(-1)!.details).toEqual({ via: 'api', people: 1 });
    // A learner's personal token cannot read it, and that refusal reads nothing.
    const learner = await makeAccount(db, { personId: person.id });
    const personal = newToken();
    await db
      .insertInto('api_tokens')
      .values({ account_id: learner.id, name: 'p', token_hash: hashToken(personal), prefix: personal.slice(0, 6) })
      .execute();
    const refused = await ctx.app.inject({
      url: `/api/v1/cohorts/${cohortId}/register`,
      headers: { authorization: `Bearer ${personal}` },
    });
    expect(refused.statusCode).toBe(403);
    expect(await auditOf('cohorts.register.read', cohortId)).toHaveLength(reads.length + 1);
  });
});

describe('the printable certificate', () => {
  it('is shown to the learner and the provider admin with the code and the public address, and to nobody else', async () => {
    const cohortId = await makeCohort(db, { programmeId });
    const learner = await makePerson(db, { orgId: trust.id, given: 'Tomos', family: 'Certified' });
    const booked = (await apply(deps, { cohortId, personId: learner.id, eligible: everyone })) as { id: number };
    const programme = { id: programmeId, title: 'Leading through change', provider_name: 'Provider', hours: 12 };
    const viewer = { accountId: providerAccount.id, displayName: 'Provider admin' } as never;
    expect(
      await recordCompletions(deps, { viewer }, cohortId, programme, [
        { applicationId: booked.id, outcome: 'passed', completedOn: '2026-11-19' },
      ]),
    ).toMatchObject({ ok: true, certificates: 1 });
    const { code } = await db
      .selectFrom('cohort_certificates')
      .select('code')
      .where('application_id', '=', booked.id)
      .executeTakeFirstOrThrow();

    const own = await signedIn(ctx, (await makeAccount(db, { personId: learner.id })).id);
    expect((await own.get('/me/bookings')).body).toContain(`/me/bookings/${booked.id}/certificate`);
    const mine = await own.get(`/me/bookings/${booked.id}/certificate`);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Certificate of completion');
    expect(mine.body).toContain('Tomos Certified');
    expect(mine.body).toContain('19 November 2026');
    expect(mine.body).toContain('Passed the assessment');
    expect(mine.body).toContain(code);
    expect(mine.body).toContain(`${deps.config.baseUrl}/verify/${code}`);
    expect(mine.body).toContain('class="cohorts-certificate"');
    expect(mine.body).not.toMatch(/style="/);

    const stranger = await signedIn(
      ctx,
      (await makeAccount(db, { personId: (await makePerson(db, { orgId: trust.id })).id })).id,
    );
    expect((await stranger.get(`/me/bookings/${booked.id}/certificate`)).statusCode).toBe(404);

    const manage = `/cohorts/manage/${cohortId}/certificates/${booked.id}`;
    expect((await provider.get(`/cohorts/manage/${cohortId}`)).body).toContain(manage);
    const theirs = await provider.get(manage);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).toContain(code);
    const [read] = await auditOf('cohorts.certificate.read', booked.id);
    expect(read).toMatchObject({ actor_account_id: providerAccount.id, person_id: learner.id });
    expect((await otherProvider.get(manage)).statusCode).toBe(403);
    // Another cohort's id in the path does not reach it.
    const elsewhere = await makeCohort(db, { programmeId });
    expect((await provider.get(`/cohorts/manage/${elsewhere}/certificates/${booked.id}`)).statusCode).toBe(404);

    // A withdrawn certificate is no longer printable.
    await recordCompletions(deps, { viewer }, cohortId, programme, [
      { applicationId: booked.id, outcome: 'failed', completedOn: '2026-11-19' },
    ]);
    expect((await own.get(`/me/bookings/${booked.id}/certificate`)).statusCode).toBe(404);
  });
});
