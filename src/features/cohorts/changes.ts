import type { ApplicationStatus, CohortSessionSnapshot } from '../../db/schema.ts';

/**
 * What a change to a cohort's sessions means to the people booked on it, pure: the net difference between two
 * lists of sessions, its one-line headline, and the email that summarises it.
 *
 * Only what a learner relies on counts: each session's date and times, and where it happens (venue, joining link),
 * and sessions added or removed. A cohort's name, places and booking window do not change anyone's booking, so
 * they are not part of a change (more places reach the wait-list as the "promoted" notice).
 */

export type SessionSnapshot = CohortSessionSnapshot;

export interface SessionDiff {
  changed: { from: SessionSnapshot; to: SessionSnapshot }[];
  added: SessionSnapshot[];
  removed: SessionSnapshot[];
}

export const snapshotOf = (s: {
  id: number;
  starts_at: Date;
  ends_at: Date;
  venue: string | null;
  online_url: string | null;
}): SessionSnapshot => ({
  id: s.id,
  starts_at: s.starts_at.toISOString(),
  ends_at: s.ends_at.toISOString(),
  venue: s.venue,
  online_url: s.online_url,
});

const byStart = (a: SessionSnapshot, b: SessionSnapshot) =>
  a.starts_at === b.starts_at ? a.id - b.id : a.starts_at < b.starts_at ? -1 : 1;
const timesDiffer = (a: SessionSnapshot, b: SessionSnapshot) =>
  new Date(a.starts_at).getTime() !== new Date(b.starts_at).getTime() ||
  new Date(a.ends_at).getTime() !== new Date(b.ends_at).getTime();
const placeDiffers = (a: SessionSnapshot, b: SessionSnapshot) =>
  (a.venue ?? null) !== (b.venue ?? null) || (a.online_url ?? null) !== (b.online_url ?? null);

/** Sessions are matched by id: one moved keeps its id, so it shows as "was … now …" rather than removed and added. */
export function diffSessions(before: SessionSnapshot[], after: SessionSnapshot[]): SessionDiff {
  const old = new Map(before.map((s) => [s.id, s]));
  const now = new Map(after.map((s) => [s.id, s]));
  return {
    changed: after
      .filter((s) => old.has(s.id) && (timesDiffer(old.get(s.id)!, s) || placeDiffers(old.get(s.id)!, s)))
      .sort(byStart)
      .map((s) => ({ from: old.get(s.id)!, to: s })),
    added: after.filter((s) => !old.has(s.id)).sort(byStart),
    removed: before.filter((s) => !now.has(s.id)).sort(byStart),
  };
}

export const isEmpty = (d: SessionDiff) => !d.changed.length && !d.added.length && !d.removed.length;

/** The net change over a run of edits: the sessions before the first against the sessions after the last. */
export function netChange(runs: { sessions_before: SessionSnapshot[]; sessions_after: SessionSnapshot[] }[]) {
  if (!runs.length) return { changed: [], added: [], removed: [] } satisfies SessionDiff;
  return diffSessions(runs[0]!.sessions_before, runs.at(-1)!.sessions_after);
}

/** A short headline: "Session times changed", "Session venue changed", "Session added", or "Sessions changed". */
export function headline(d: SessionDiff): string {
  const times = d.changed.some((c) => timesDiffer(c.from, c.to));
  const place = d.changed.some((c) => placeDiffers(c.from, c.to));
  const kinds = [times, place, d.added.length > 0, d.removed.length > 0].filter(Boolean).length;
  if (kinds !== 1) return 'Sessions changed';
  if (times) return d.changed.length > 1 ? 'Session times changed' : 'Session time changed';
  if (place) return 'Session venue or joining link changed';
  if (d.added.length) return d.added.length > 1 ? 'Sessions added' : 'Session added';
  return d.removed.length > 1 ? 'Sessions cancelled' : 'Session cancelled';
}

const london = (iso: string, o: Intl.DateTimeFormatOptions) =>
  new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/London', ...o });
const time = (iso: string) => london(iso, { hour: '2-digit', minute: '2-digit' });

/** "Monday 1 March 2027, 09:30 to 12:30, at Education Centre, Room 2" (UK time, where sessions happen). */
export function sessionLine(s: SessionSnapshot): string {
  const day = london(s.starts_at, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const where = [s.venue ? `at ${s.venue}` : null, s.online_url ? `online: ${s.online_url}` : null]
    .filter(Boolean)
    .join(', and ');
  return `${day.replace(',', '')}, ${time(s.starts_at)} to ${time(s.ends_at)}${where ? `, ${where}` : ''}`;
}

/** A UK calendar day as the pages write it: "3 December 2026". */
export const dayOf = (d: Date) =>
  d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

const standing: Partial<Record<ApplicationStatus, string>> = {
  confirmed: 'You have a confirmed place on it.',
  awaiting_approval: 'You have applied for it, and a place is held for you while your application is approved.',
  waitlisted: 'You are on its wait-list.',
};

export interface ChangeFacts {
  diff: SessionDiff;
  sessionsNow: SessionSnapshot[];
  status: ApplicationStatus;
  programmeTitle: string;
  cohortName: string;
  baseUrl: string;
}

/** The email to one person booked on (or waiting for) the cohort. */
export function changeMessage(f: ChangeFacts): { subject: string; text: string } {
  const parts: string[] = [];
  if (f.diff.changed.length) {
    parts.push(
      `Changed:\n${f.diff.changed.map((c) => `- Was: ${sessionLine(c.from)}\n  Now: ${sessionLine(c.to)}`).join('\n')}`,
    );
  }
  if (f.diff.added.length) parts.push(`Added:\n${f.diff.added.map((s) => `- ${sessionLine(s)}`).join('\n')}`);
  if (f.diff.removed.length) {
    parts.push(`Cancelled (no longer taking place):\n${f.diff.removed.map((s) => `- ${sessionLine(s)}`).join('\n')}`);
  }
  const all = [...f.sessionsNow].sort(byStart).map((s) => `- ${sessionLine(s)}`);
  const holding = f.status === 'confirmed' || f.status === 'awaiting_approval';
  return {
    subject: `${headline(f.diff)}: ${f.programmeTitle} (${f.cohortName})`,
    text: [
      `The provider has changed the sessions of ${f.programmeTitle} (${f.cohortName}). ${standing[f.status] ?? ''}`.trim(),
      ...parts,
      `All sessions now (UK time):\n${all.length ? all.join('\n') : '- None: the provider will add the dates'}`,
      holding
        ? `If you can no longer attend, cancel your place so that someone on the wait-list can have it. Your booking:\n${f.baseUrl}/me/bookings`
        : `Your booking:\n${f.baseUrl}/me/bookings`,
    ]
      .join('\n\n')
      .concat('\n'),
  };
}

export interface ChangeRow {
  id: number;
  changed_at: Date;
  applications_upto: number;
  sessions_before: SessionSnapshot[];
  sessions_after: SessionSnapshot[];
}

/**
 * What a person's booking page says about the cohort's changes: the net change since they applied (changes made
 * before they applied they saw when applying) and the day of the last one. Null when nothing changed for them,
 * or changes cancelled each other out. `changes` are the cohort's, oldest first.
 */
export function changeNotice(changes: ChangeRow[], applicationId: number): { text: string; on: string } | null {
  const theirs = changes.filter((c) => c.applications_upto >= applicationId);
  const diff = netChange(theirs);
  if (isEmpty(diff)) return null;
  return { text: headline(diff), on: dayOf(theirs.at(-1)!.changed_at) };
}
