import type { AppraisalStatus } from '../../db/schema.ts';
import type { DevelopmentAccess } from '../../plugins/access.ts';

/**
 * The appraisal workflow as a pure function: not started → the appraisee prepares (saving as they go) → the meeting
 * is held (its date recorded) → the appraiser records ratings → both sign, each with their own account → locked.
 * A change of content after one signature withdraws it. After locking nothing changes: corrections are addenda,
 * signed by both in the same way. The database refuses updates to locked rows too (migration 20261127_0300).
 */

export type Party = 'appraisee' | 'appraiser';

export const statusLabels: Record<AppraisalStatus, string> = {
  not_started: 'Not started',
  preparing: 'Appraisee preparing',
  meeting_held: 'Meeting held',
  recorded: 'Recorded, awaiting signatures',
  locked: 'Signed and locked',
};

export const statusTagClass: Record<AppraisalStatus, string> = {
  not_started: 'nhsuk-tag--grey',
  preparing: 'nhsuk-tag--blue',
  meeting_held: 'nhsuk-tag--aqua-green',
  recorded: 'nhsuk-tag--yellow',
  locked: 'nhsuk-tag--green',
};

export interface WorkflowState {
  status: AppraisalStatus;
  signedBy: Party[];
}

export type WorkflowEvent =
  /** The appraisee saves their preparation (objectives, reflection, wellbeing, career, plan). */
  | { type: 'prepare'; by: Party; changed: boolean }
  /** The appraiser records the date the meeting was held. */
  | { type: 'hold_meeting'; by: Party; changed: boolean }
  /** The appraiser records the behaviour ratings, the overall rating and the agreed content. */
  | { type: 'record'; by: Party; changed: boolean }
  /** One party signs; `problems` are what the template still needs (see signingProblems). */
  | { type: 'sign'; by: Party; problems: number };

export type Transition =
  | { ok: true; state: WorkflowState; withdrawn: Party[]; locked: boolean }
  | { ok: false; reason: string };

const refuse = (reason: string): Transition => ({ ok: false, reason });

/** After a content change, every signature given so far is withdrawn. */
function edited(s: WorkflowState, status: AppraisalStatus, changed: boolean): Transition {
  const withdrawn = changed ? s.signedBy : [];
  return {
    ok: true,
    state: { status, signedBy: changed ? [] : s.signedBy },
    withdrawn,
    locked: false,
  };
}

export function transition(s: WorkflowState, e: WorkflowEvent): Transition {
  if (s.status === 'locked') return refuse('The appraisal is signed and locked: add an addendum to correct it');
  switch (e.type) {
    case 'prepare':
      if (e.by !== 'appraisee') return refuse('Only the appraisee prepares for the appraisal');
      return edited(s, s.status === 'not_started' ? 'preparing' : s.status, e.changed);
    case 'hold_meeting':
      if (e.by !== 'appraiser') return refuse('Only the appraiser records the meeting');
      if (s.status === 'not_started') return refuse('The appraisee has not started preparing yet');
      return edited(s, s.status === 'preparing' ? 'meeting_held' : s.status, e.changed);
    case 'record':
      if (e.by !== 'appraiser') return refuse('Only the appraiser records the appraisal');
      if (s.status === 'not_started' || s.status === 'preparing') {
        return refuse('Record the date of the meeting before recording the appraisal');
      }
      return edited(s, 'recorded', e.changed);
    case 'sign': {
      if (s.status !== 'recorded') return refuse('The appraisal can be signed once the appraiser has recorded it');
      if (s.signedBy.includes(e.by)) return refuse('You have already signed this appraisal');
      if (e.problems > 0) return refuse('The appraisal is not complete yet');
      const signedBy = [...s.signedBy, e.by];
      const locked = signedBy.includes('appraisee') && signedBy.includes('appraiser');
      return { ok: true, state: { status: locked ? 'locked' : 'recorded', signedBy }, withdrawn: [], locked };
    }
  }
}

/** An addendum: both parties sign it; it locks when both have. Its text never changes. */
export function signAddendum(signedBy: Party[], by: Party): Transition {
  if (signedBy.includes('appraisee') && signedBy.includes('appraiser')) return refuse('The addendum is locked');
  if (signedBy.includes(by)) return refuse('You have already signed this addendum');
  const next = [...signedBy, by];
  const locked = next.length === 2;
  return { ok: true, state: { status: locked ? 'locked' : 'recorded', signedBy: next }, withdrawn: [], locked };
}

/** Why the viewer may open an appraisal, including as an appraiser an admin chose who is not a line manager. */
export type AppraisalAccess = DevelopmentAccess | 'appraiser';

/** The party the viewer signs and writes as, if any: admins and other line managers only read. */
export function partyOf(viewerPersonId: number | null, a: { person_id: number; appraiser_person_id: number | null }) {
  if (viewerPersonId === null) return null;
  if (viewerPersonId === a.person_id) return 'appraisee' as const;
  if (viewerPersonId === a.appraiser_person_id) return 'appraiser' as const;
  return null;
}

/** Which signatures an appraisal (or addendum) row carries. */
export function signaturesOf(r: { appraisee_signed_at: unknown; appraiser_signed_at: unknown }): Party[] {
  const out: Party[] = [];
  if (r.appraisee_signed_at) out.push('appraisee');
  if (r.appraiser_signed_at) out.push('appraiser');
  return out;
}

export type ReminderKind = 'due_soon' | 'overdue';

/** Reminders go for appraisals that are open and overdue, or due within 14 days. */
export const REMINDER_WINDOW_DAYS = 14;

export function reminderKind(dueOn: string, today: string): ReminderKind | null {
  if (dueOn < today) return 'overdue';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + REMINDER_WINDOW_DAYS);
  return dueOn <= soon.toISOString().slice(0, 10) ? 'due_soon' : null;
}

/** A cycle's dates in order: start < mid-year review < end, and the due date within the cycle. */
export function cycleDateProblems(d: { starts_on: string; mid_year_on: string; due_on: string; ends_on: string }) {
  const problems: { field: string; message: string }[] = [];
  if (d.mid_year_on <= d.starts_on) {
    problems.push({ field: 'mid_year_on', message: 'The mid-year review must be after the start date' });
  }
  if (d.ends_on <= d.mid_year_on) {
    problems.push({ field: 'ends_on', message: 'The end date must be after the mid-year review' });
  }
  if (d.due_on < d.starts_on || d.due_on > d.ends_on) {
    problems.push({ field: 'due_on', message: 'The due date must be between the start and end dates' });
  }
  return problems;
}
