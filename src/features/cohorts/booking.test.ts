import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import type { Deps } from '../../deps.ts';
import {
  apply,
  assignReservedPlace,
  cancelApplication,
  changeCapacity,
  decideApplication,
  releaseReservation,
  reservePlaces,
} from './booking.ts';
import { everyone, makeCohort, makeProgramme } from './testing.ts';

const base = await testDeps({ DATABASE_POOL_SIZE: '20' });
const deps: Deps = { ...base, clock: { now: () => new Date('2026-11-27T10:00:00Z') } };
const db = deps.db;
const { trust } = await makeHierarchy(db, '71');
const { programmeId } = await makeProgramme(db);

const statusOf = async (id: number) =>
  (await db.selectFrom('cohort_applications').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const placesTaken = async (id: number) =>
  (await db.selectFrom('cohorts').select('places_taken').where('id', '=', id).executeTakeFirstOrThrow()).places_taken;
const account = await makeAccount(db);
const anyManager = { accountId: account.id, may: () => true };

describe('booking a cohort', () => {
  it('gives exactly 20 places to 200 concurrent applicants on parallel connections; the rest wait in order', async () => {
    const cohortId = await cohortOf(20);
    const people = await Promise.all(Array.from({ length: 200 }, () => makePerson(db, { orgId: trust.id })));
    const results = await Promise.all(people.map((p) => apply(deps, { cohortId, personId: p.id, eligible: everyone })));
    expect(results.every((r) => r.ok)).toBe(true);
    const statuses = results.map((r) => (r.ok ? r.status : 'failed'));
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(20);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(180);
    expect(await placesTaken(cohortId)).toBe(20);
    const counts = await db
      .selectFrom('cohort_applications')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('cohort_id', '=', cohortId)
      .groupBy('status')
      .execute();
    expect(Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]))).toEqual({ confirmed: 20, waitlisted: 180 });
  }, 60_000);

  it('holds a place while the line manager decides; a rejection promotes the longest-waiting applicant', async () => {
    const cohortId = await cohortOf(1);
    const boss = await makePerson(db, { orgId: trust.id, isManager: true });
    const first = await makePerson(db, { orgId: trust.id, managerAssignmentId: boss.assignmentId });
    const second = await makePerson(db, { orgId: trust.id, managerAssignmentId: boss.assignmentId });
    const third = await makePerson(db, { orgId: trust.id, managerAssignmentId: boss.assignmentId });
    const a = await apply(deps, { cohortId, personId: first.id, eligible: everyone });
    const b = await apply(deps, { cohortId, personId: second.id, eligible: everyone });
    const c = await apply(deps, { cohortId, personId: third.id, eligible: everyone });
    if (!a.ok || !b.ok || !c.ok) throw new Error('apply failed');
    expect([a.status, b.status, c.status]).toEqual(['awaiting_approval', 'waitlisted', 'waitlisted']);
    // The second applicant is approved while waiting: on promotion they are confirmed at once.
    expect(await decideApplication(deps, b.id, 'manager', true, anyManager, null)).toMatchObject({
      ok: true,
      status: 'waitlisted',
    });
    const rejected = await decideApplication(deps, a.id, 'manager', false, anyManager, 'Not this year');
    expect(rejected).toMatchObject({ ok: true, status: 'rejected', promoted: 1 });
    expect(await statusOf(b.id)).toBe('confirmed');
    expect(await statusOf(c.id)).toBe('waitlisted');
    expect(await placesTaken(cohortId)).toBe(1);
    const notices = await db
      .selectFrom('cohort_notices')
      .select(['kind', 'application_id'])
      .where('application_id', 'in', [a.id, b.id])
      .orderBy('id')
      .execute();
    expect(notices).toEqual([
      { kind: 'approval_needed', application_id: a.id },
      { kind: 'approval_needed', application_id: b.id },
      { kind: 'decision', application_id: a.id },
      { kind: 'promoted', application_id: b.id },
    ]);
    // A decision cannot be made twice.
    expect(await decideApplication(deps, a.id, 'manager', true, anyManager, null)).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it('asks the funder after the line manager, and a cancellation frees the place for the next person', async () => {
    const cohortId = await cohortOf(1, true);
    const boss = await makePerson(db, { orgId: trust.id, isManager: true });
    const first = await makePerson(db, { orgId: trust.id, managerAssignmentId: boss.assignmentId });
    const second = await makePerson(db, { orgId: trust.id });
    const a = await apply(deps, { cohortId, personId: first.id, eligible: everyone });
    const b = await apply(deps, { cohortId, personId: second.id, eligible: everyone });
    if (!a.ok || !b.ok) throw new Error('apply failed');
    expect(await decideApplication(deps, a.id, 'funder', true, anyManager, null)).toMatchObject({
      ok: false,
      problem: 'The line manager decides first: funding is approved after them',
    });
    await decideApplication(deps, a.id, 'manager', true, anyManager, null);
    expect(await statusOf(a.id)).toBe('awaiting_approval');
    await decideApplication(deps, a.id, 'funder', true, anyManager, null);
    expect(await statusOf(a.id)).toBe('confirmed');
    // The second applicant has no line manager: only funding is pending, and they wait for a place.
    expect(b.status).toBe('waitlisted');
    const cancelled = await cancelApplication(deps, a.id, (p) => p === first.id);
    expect(cancelled).toMatchObject({ ok: true, promoted: 1 });
    expect(await statusOf(b.id)).toBe('awaiting_approval');
    expect(await cancelApplication(deps, a.id, () => true)).toMatchObject({ ok: false, status: 409 });
  });

  it('refuses ineligible people, duplicates and bookings outside the window', async () => {
    const cohortId = await cohortOf(5);
    const person = await makePerson(db, { orgId: trust.id });
    expect(await apply(deps, { cohortId, personId: person.id, eligible: () => false })).toMatchObject({
      ok: false,
      status: 403,
    });
    expect((await apply(deps, { cohortId, personId: person.id, eligible: everyone })).ok).toBe(true);
    expect(await apply(deps, { cohortId, personId: person.id, eligible: everyone })).toMatchObject({
      ok: false,
      problem: 'You have already applied for this cohort',
    });
    const closed = await makeCohort(db, { programmeId, opens: '2026-01-01', closes: '2026-11-01' });
    expect(await apply(deps, { cohortId: closed, personId: person.id, eligible: everyone })).toMatchObject({
      ok: false,
      problem: 'Booking for this cohort has closed',
    });
  });

  it('lets a manager reserve places, name their reports, and release the rest to the wait-list', async () => {
    const cohortId = await cohortOf(3);
    const boss = await makePerson(db, { orgId: trust.id, isManager: true });
    const report = await makePerson(db, { orgId: trust.id, managerAssignmentId: boss.assignmentId });
    const outsider = await makePerson(db, { orgId: trust.id });
    const r = await reservePlaces(deps, { cohortId, managerPersonId: boss.id, accountId: account.id, places: 2 });
    if (!r.ok) throw new Error(r.problem);
    expect(
      await reservePlaces(deps, { cohortId, managerPersonId: boss.id, accountId: account.id, places: 2 }),
    ).toMatchObject({
      ok: false,
      problem: 'Only 1 place is free',
    });
    const waiting1 = await apply(deps, { cohortId, personId: outsider.id, eligible: everyone });
    expect(waiting1).toMatchObject({ ok: true, status: 'confirmed' });
    const other = await makePerson(db, { orgId: trust.id });
    const waiting2 = await apply(deps, { cohortId, personId: other.id, eligible: everyone });
    expect(waiting2).toMatchObject({ ok: true, status: 'waitlisted' });
    const named = await assignReservedPlace(deps, {
      reservationId: r.id,
      managerPersonId: boss.id,
      personId: report.id,
      accountId: account.id,
    });
    expect(named).toMatchObject({ ok: true, status: 'confirmed' });
    expect(await releaseReservation(deps, r.id, boss.id)).toMatchObject({ ok: true, released: 1, promoted: 1 });
    if (!waiting2.ok) throw new Error('apply failed');
    expect(await statusOf(waiting2.id)).toBe('confirmed');
    expect(await placesTaken(cohortId)).toBe(3);
  });

  it('gives new places from a raised capacity to the wait-list and refuses a capacity below the places taken', async () => {
    const cohortId = await cohortOf(1);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const p = await makePerson(db, { orgId: trust.id });
      const r = await apply(deps, { cohortId, personId: p.id, eligible: everyone });
      if (r.ok) ids.push(r.id);
    }
    expect(await changeCapacity(deps, cohortId, 3)).toMatchObject({ ok: true, promoted: 2 });
    expect(await Promise.all(ids.map(statusOf))).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(await changeCapacity(deps, cohortId, 2)).toMatchObject({ ok: false, status: 409 });
  });
});

function cohortOf(capacity: number, funderApproval = false) {
  return makeCohort(db, { programmeId, capacity, funderApproval });
}
