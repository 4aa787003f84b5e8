import { randomInt } from 'node:crypto';
import type { ApplicationStatus, CohortNoticeKind, CohortStatus, Decision } from '../../db/schema.ts';

/**
 * The booking rules, pure: when booking is open, what an application starts as, what a decision or a cancellation
 * does to it, who is promoted from the wait-list. The queries apply these inside one transaction per change.
 *
 * A place is held from the moment of applying (when one is free) until the application is rejected or cancelled,
 * so that approvals cannot race each other for the last place; an applicant who finds the cohort full goes on the
 * wait-list, and their approvals can go ahead while they wait.
 */

export interface CohortState {
  status: CohortStatus;
  booking_opens_on: string;
  booking_closes_on: string;
}

export type BookingWindow = 'open' | 'not-yet' | 'closed' | 'not-open';

export function bookingWindow(c: CohortState, today: string): BookingWindow {
  if (c.status !== 'open') return 'not-open';
  if (today < c.booking_opens_on) return 'not-yet';
  if (today > c.booking_closes_on) return 'closed';
  return 'open';
}

export const bookingWindowProblem: Record<Exclude<BookingWindow, 'open'>, string> = {
  'not-yet': 'Booking for this cohort has not opened yet',
  closed: 'Booking for this cohort has closed',
  'not-open': 'This cohort is not open for booking',
};

export interface Decisions {
  manager_decision: Decision;
  funder_decision: Decision;
}

export interface ApplicationState extends Decisions {
  status: ApplicationStatus;
}

/** Approvals an application needs when it is made. A reservation made by the line manager counts as their approval. */
export function initialDecisions(opts: {
  hasLineManager: boolean;
  funderApproval: boolean;
  reservedByManager?: boolean;
}): Decisions {
  return {
    manager_decision: opts.reservedByManager ? 'approved' : opts.hasLineManager ? 'pending' : 'not_required',
    funder_decision: opts.funderApproval ? 'pending' : 'not_required',
  };
}

const settled = (d: Decision) => d === 'approved' || d === 'not_required';
export const approved = (d: Decisions) => settled(d.manager_decision) && settled(d.funder_decision);

export const holdsPlace = (s: ApplicationStatus) => s === 'awaiting_approval' || s === 'confirmed';
/** The statuses of an application still in play: holding a place or waiting for one. */
export const liveStatuses: readonly ApplicationStatus[] = ['awaiting_approval', 'confirmed', 'waitlisted'];
export const isLive = (s: ApplicationStatus) => liveStatuses.includes(s);

/** The status of an application that has (or has just been given) a place. */
export const withPlace = (d: Decisions): ApplicationStatus => (approved(d) ? 'confirmed' : 'awaiting_approval');

/** The notices an application's first state calls for. */
export function noticesOnApply(d: Decisions): CohortNoticeKind[] {
  if (d.manager_decision === 'pending') return ['approval_needed'];
  if (d.funder_decision === 'pending') return ['funder_approval_needed'];
  return ['decision'];
}

export type Approver = 'manager' | 'funder';

export interface DecisionResult extends ApplicationState {
  releasesPlace: boolean;
  notices: CohortNoticeKind[];
}

/**
 * One approver's decision. The line manager decides first; the funder after them (two-stage approval). A
 * rejection ends the application and frees its place; an approval confirms it once nothing else is pending.
 */
export function decide(app: ApplicationState, by: Approver, approve: boolean): DecisionResult | { problem: string } {
  if (!isLive(app.status)) return { problem: 'This application has already been closed' };
  const own = by === 'manager' ? app.manager_decision : app.funder_decision;
  if (own !== 'pending') return { problem: 'This application is not waiting for your decision' };
  if (by === 'funder' && app.manager_decision === 'pending') {
    return { problem: 'The line manager decides first: funding is approved after them' };
  }
  const decided: Decision = approve ? 'approved' : 'rejected';
  const d: Decisions = {
    manager_decision: by === 'manager' ? decided : app.manager_decision,
    funder_decision: by === 'funder' ? decided : app.funder_decision,
  };
  if (!approve) return { ...d, status: 'rejected', releasesPlace: holdsPlace(app.status), notices: ['decision'] };
  const status = app.status === 'waitlisted' ? 'waitlisted' : withPlace(d);
  const notices: CohortNoticeKind[] = d.funder_decision === 'pending' ? ['funder_approval_needed'] : [];
  if (status === 'confirmed') notices.push('decision');
  return { ...d, status, releasesPlace: false, notices };
}

/** A cancellation by the applicant (or an admin on their behalf): allowed until the person has completed. */
export function cancel(
  app: ApplicationState & { completed_on: string | null },
): { problem: string } | { status: 'cancelled'; releasesPlace: boolean } {
  if (!isLive(app.status)) return { problem: 'This application has already been closed' };
  if (app.completed_on) return { problem: 'A completed place cannot be cancelled' };
  return { status: 'cancelled', releasesPlace: holdsPlace(app.status) };
}

/**
 * What a waiting application becomes when a place is given to it: awaiting approval or confirmed. Promotion goes to
 * the longest-waiting application (lowest id), whatever its approvals, as in a queue.
 */
export const promote = (app: Decisions) => ({ status: withPlace(app), notices: ['promoted'] as CohortNoticeKind[] });

// Certificate codes: 10 characters from 31 that cannot be mistaken for each other (no 0/O, 1/I/L), drawn with
// the crypto generator: about 8 × 10^14 codes, so guessing a valid one is hopeless.
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;

export function certificateCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A code as typed by someone reading a certificate: spaces and dashes dropped, any case. */
export function normaliseCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : undefined;
}

/** Outcomes a provider can record; a certificate is issued for all but a fail. */
export const outcomes = ['passed', 'completed', 'failed'] as const;
export const outcomeLabels = {
  passed: 'Passed the assessment',
  completed: 'Completed (not assessed)',
  failed: 'Did not pass',
};
export const earnsCertificate = (o: (typeof outcomes)[number]) => o !== 'failed';

export const statusLabels: Record<ApplicationStatus, string> = {
  awaiting_approval: 'Place held, awaiting approval',
  confirmed: 'Confirmed',
  waitlisted: 'On the wait-list',
  rejected: 'Not approved',
  cancelled: 'Cancelled',
};

export const decisionLabels: Record<Decision, string> = {
  pending: 'Waiting',
  approved: 'Approved',
  rejected: 'Not approved',
  not_required: 'Not needed',
};

/** Median and 90th percentile as PostgreSQL's percentile_cont computes them (linear interpolation). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
