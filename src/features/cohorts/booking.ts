import type { Database } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import type { PersonFacts } from '../catalogue/eligibility.ts';
import {
  addNotice,
  applicantAssignments,
  cohortOfApplication,
  cohortOfReservation,
  insertApplication,
  insertReservation,
  liveApplicationOf,
  lockApplication,
  lockCohort,
  lockReservation,
  markReservationReleased,
  nextWaiting,
  releasePlaces,
  setCapacity,
  takePlaces,
  updateApplication,
  useReservationPlace,
} from './booking-queries.ts';
import {
  type Approver,
  bookingWindow,
  bookingWindowProblem,
  cancel,
  decide,
  initialDecisions,
  noticesOnApply,
  promote,
  withPlace,
} from './cohorts.ts';

/**
 * Booking as transactions: each function locks the cohort row, applies the pure rules of cohorts.ts, writes the
 * application and the notices to send, and frees or takes places. A place freed by a cancellation, a rejection or
 * a released reservation goes to the longest-waiting application in the same transaction.
 */

export type Outcome<T> = ({ ok: true } & T) | { ok: false; status: 400 | 403 | 404 | 409; problem: string };
const fail = (status: 400 | 403 | 404 | 409, problem: string) => ({ ok: false as const, status, problem });

const todayOf = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString().slice(0, 10);

/** The applicant's posts as the catalogue's eligibility rules read them, and their main post for approvals. */
export async function applicantOf(db: Database, personId: number) {
  const posts = await applicantAssignments(db, personId);
  const facts: PersonFacts = {
    posts: posts.map((p) => ({
      band: p.band,
      staffGroup: p.staff_group,
      isManager: p.is_manager,
      organisationId: p.organisation_id,
      regionId: p.region_id,
    })),
  };
  return { main: posts[0], facts };
}

export interface ApplyInput {
  cohortId: number;
  personId: number;
  /** Checked before anything is locked; the catalogue's isEligible for the cohort's programme. */
  eligible: (facts: PersonFacts) => boolean;
}

/** A person applies: a place if one is free (held while approvals are pending), else the wait-list. */
export async function apply(deps: Deps, input: ApplyInput) {
  const { main, facts } = await applicantOf(deps.db, input.personId);
  if (!input.eligible(facts)) return fail(403, 'You are not eligible for this programme');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cohort = await lockCohort(trx, input.cohortId);
    if (!cohort) return fail(404, 'Cohort not found');
    const window = bookingWindow(cohort, todayOf(deps));
    if (window !== 'open') return fail(409, bookingWindowProblem[window]);
    if (await liveApplicationOf(trx, cohort.id, input.personId)) {
      return fail(409, 'You have already applied for this cohort');
    }
    const decisions = initialDecisions({
      hasLineManager: !!main?.line_manager_assignment_id,
      funderApproval: cohort.funder_approval,
    });
    const placed = await takePlaces(trx, cohort.id, 1);
    const status = placed ? withPlace(decisions) : 'waitlisted';
    const id = await insertApplication(trx, {
      cohort_id: cohort.id,
      person_id: input.personId,
      organisation_id: main?.organisation_id ?? null,
      staff_group: main?.staff_group ?? null,
      approver_assignment_id: main?.line_manager_assignment_id ?? null,
      status,
      ...decisions,
      applied_at: now,
      place_taken_at: placed ? now : null,
    });
    for (const kind of noticesOnApply(decisions)) {
      await addNotice(trx, { kind, key: `${kind}:${id}:${status}`, applicationId: id, details: { status } });
    }
    return { ok: true as const, id, status };
  });
}

/**
 * Give up to `n` freed places to the wait-list in order; the places nobody waits for are released. Runs inside the
 * caller's transaction, with the cohort locked.
 */
async function freePlaces(trx: Database, cohortId: number, n: number, now: Date) {
  const waiting = await nextWaiting(trx, cohortId, n);
  for (const w of waiting) {
    const next = promote(w);
    await updateApplication(trx, w.id, { status: next.status, place_taken_at: now });
    await addNotice(trx, {
      kind: 'promoted',
      key: `promoted:${w.id}`,
      applicationId: w.id,
      details: { status: next.status },
    });
    if (w.manager_decision === 'pending') {
      await addNotice(trx, { kind: 'approval_needed', key: `approval_needed:${w.id}:promoted`, applicationId: w.id });
    }
  }
  await releasePlaces(trx, cohortId, n - waiting.length);
  return waiting.length;
}

export interface Decider {
  accountId: number;
  /** Whether this account may decide for this approver role on this application (checked by the caller's rule). */
  may: (app: { person_id: number; approver_assignment_id: number | null; organisation_id: number | null }) => boolean;
}

/** A line manager's or funder's decision; a rejection frees the place for the next person waiting. */
export async function decideApplication(
  deps: Deps,
  applicationId: number,
  by: Approver,
  approve: boolean,
  decider: Decider,
  note: string | null,
) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cohortId = await cohortOfApplication(trx, applicationId);
    if (cohortId === undefined) return fail(404, 'Application not found');
    await lockCohort(trx, cohortId);
    const app = await lockApplication(trx, applicationId);
    if (!app) return fail(404, 'Application not found');
    if (!decider.may(app)) return fail(403, 'You cannot decide on this application');
    const result = decide(app, by, approve);
    if ('problem' in result) return fail(409, result.problem);
    await updateApplication(trx, app.id, {
      status: result.status,
      manager_decision: result.manager_decision,
      funder_decision: result.funder_decision,
      ...(by === 'manager'
        ? { manager_decided_by: decider.accountId, manager_decided_at: now }
        : { funder_decided_by: decider.accountId, funder_decided_at: now }),
      ...(note !== null && { decision_note: note }),
    });
    for (const kind of result.notices) {
      await addNotice(trx, {
        kind,
        key: `${kind}:${app.id}:${result.status}`,
        applicationId: app.id,
        details: { status: result.status },
      });
    }
    const promoted = result.releasesPlace ? await freePlaces(trx, cohortId, 1, now) : 0;
    return { ok: true as const, status: result.status, promoted, personId: app.person_id, cohortId };
  });
}

/** The applicant (or a provider admin for them) cancels; a held place goes to the next person waiting. */
export async function cancelApplication(deps: Deps, applicationId: number, may: (personId: number) => boolean) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cohortId = await cohortOfApplication(trx, applicationId);
    if (cohortId === undefined) return fail(404, 'Application not found');
    await lockCohort(trx, cohortId);
    const app = await lockApplication(trx, applicationId);
    if (!app || !may(app.person_id)) return fail(404, 'Application not found');
    const result = cancel(app);
    if ('problem' in result) return fail(409, result.problem);
    await updateApplication(trx, app.id, { status: 'cancelled', cancelled_at: now });
    const promoted = result.releasesPlace ? await freePlaces(trx, cohortId, 1, now) : 0;
    return { ok: true as const, promoted, personId: app.person_id, cohortId };
  });
}

/**
 * New places of a cohort whose capacity was just raised by `extra` (inside the caller's transaction, with the cohort
 * locked): they go to the wait-list first, in order; the rest stay free. Returns how many were promoted.
 */
export async function offerNewPlaces(trx: Database, cohortId: number, extra: number, now: Date) {
  if (extra <= 0 || !(await takePlaces(trx, cohortId, extra))) return 0;
  return freePlaces(trx, cohortId, extra, now);
}

/** A provider changes a cohort's capacity (never below the places taken): new places go to the wait-list first. */
export async function changeCapacity(deps: Deps, cohortId: number, capacity: number) {
  return deps.db.transaction().execute(async (trx) => {
    const cohort = await lockCohort(trx, cohortId);
    if (!cohort) return fail(404, 'Cohort not found');
    if (capacity < cohort.places_taken) return fail(409, capacityProblem(cohort.places_taken));
    await setCapacity(trx, cohortId, capacity);
    const promoted = await offerNewPlaces(trx, cohortId, capacity - cohort.capacity, deps.clock.now());
    return { ok: true as const, promoted };
  });
}

/** Why a capacity is too low: places already taken (confirmed, or held while approvals are pending) stay. */
export const capacityProblem = (taken: number) =>
  `${taken} ${taken === 1 ? 'place is' : 'places are'} already taken (confirmed, or held while approvals are pending): the number of places cannot be lower than ${taken}`;

/** A line manager holds places for their team; all or nothing. */
export async function reservePlaces(
  deps: Deps,
  input: { cohortId: number; managerPersonId: number; accountId: number; places: number },
) {
  return deps.db.transaction().execute(async (trx) => {
    const cohort = await lockCohort(trx, input.cohortId);
    if (!cohort) return fail(404, 'Cohort not found');
    const window = bookingWindow(cohort, todayOf(deps));
    if (window !== 'open') return fail(409, bookingWindowProblem[window]);
    if (!(await takePlaces(trx, cohort.id, input.places))) {
      const free = cohort.capacity - cohort.places_taken;
      return fail(409, free === 0 ? 'This cohort is full' : `Only ${free} place${free === 1 ? ' is' : 's are'} free`);
    }
    const id = await insertReservation(trx, {
      cohort_id: cohort.id,
      manager_person_id: input.managerPersonId,
      reserved_by: input.accountId,
      places: input.places,
    });
    return { ok: true as const, id };
  });
}

/**
 * Turn one reserved place into an application for a named report. The reserving manager's reservation stands for
 * their approval; funding approval, when the cohort needs it, is still asked for.
 */
export async function assignReservedPlace(
  deps: Deps,
  input: { reservationId: number; managerPersonId: number; personId: number; accountId: number },
) {
  const { main } = await applicantOf(deps.db, input.personId);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cohortId = await cohortOfReservation(trx, input.reservationId);
    if (cohortId === undefined) return fail(404, 'Reservation not found');
    const cohort = (await lockCohort(trx, cohortId))!;
    const r = await lockReservation(trx, input.reservationId);
    if (!r || r.manager_person_id !== input.managerPersonId) return fail(404, 'Reservation not found');
    if (r.released_at || r.used >= r.places) return fail(409, 'Every place of this reservation has been used');
    if (await liveApplicationOf(trx, cohortId, input.personId)) {
      return fail(409, 'This person has already applied for this cohort');
    }
    const decisions = initialDecisions({
      hasLineManager: true,
      funderApproval: cohort.funder_approval,
      reservedByManager: true,
    });
    const status = withPlace(decisions);
    const id = await insertApplication(trx, {
      cohort_id: cohortId,
      person_id: input.personId,
      organisation_id: main?.organisation_id ?? null,
      staff_group: main?.staff_group ?? null,
      approver_assignment_id: main?.line_manager_assignment_id ?? null,
      status,
      ...decisions,
      manager_decided_by: input.accountId,
      manager_decided_at: now,
      reservation_id: r.id,
      applied_at: now,
      place_taken_at: now,
    });
    await useReservationPlace(trx, r.id);
    for (const kind of noticesOnApply(decisions)) {
      await addNotice(trx, { kind, key: `${kind}:${id}:${status}`, applicationId: id, details: { status } });
    }
    return { ok: true as const, id, status };
  });
}

/** Give back a reservation's unused places (to the wait-list first). */
export async function releaseReservation(deps: Deps, reservationId: number, managerPersonId: number) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const cohortId = await cohortOfReservation(trx, reservationId);
    if (cohortId === undefined) return fail(404, 'Reservation not found');
    await lockCohort(trx, cohortId);
    const r = await lockReservation(trx, reservationId);
    if (!r || r.manager_person_id !== managerPersonId) return fail(404, 'Reservation not found');
    if (r.released_at) return fail(409, 'This reservation has already been released');
    await markReservationReleased(trx, r.id, now);
    const promoted = await freePlaces(trx, cohortId, r.places - r.used, now);
    return { ok: true as const, released: r.places - r.used, promoted };
  });
}
