import type { Deps } from '../../deps.ts';
import { formatCount, formatDate } from '../../web/nunjucks.ts';
import { decisionLabels, statusLabels } from './cohorts.ts';

/** How cohort pages show dates, times, places and statuses. */

export const views = 'features/cohorts/views';

export const todayOf = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString().slice(0, 10);

// Formatters are made once: making one per call (toLocaleDateString) cost about 0.1 ms each, a millisecond on a
// learner's bookings page.
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
const sessionDayFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

export const dayText = (iso: string | null) => (iso ? formatDate(iso) : 'Dates to be confirmed');

export const timeText = (d: Date) => timeFormat.format(d);

export const sessionText = (s: { starts_at: Date; ends_at: Date }) =>
  `${sessionDayFormat.format(s.starts_at)}, ${timeText(s.starts_at)} to ${timeText(s.ends_at)}`;

/** The UTC instant of a wall-clock time in the UK (sessions are entered in UK time, GMT or BST). */
export function londonToUtc(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(guess));
  const h = Number(parts.find((p) => p.type === 'hour')!.value);
  const min = Number(parts.find((p) => p.type === 'minute')!.value);
  const offsetMinutes = (h * 60 + min - (hh * 60 + mm) + 1440) % 1440;
  return new Date(guess - (offsetMinutes > 720 ? offsetMinutes - 1440 : offsetMinutes) * 60_000);
}

export const placesText = (c: { capacity: number; places_taken: number }) => {
  const free = c.capacity - c.places_taken;
  return free > 0 ? `${free} of ${c.capacity} places free` : `Full (${c.capacity} places): join the wait-list`;
};

export const statusTag = (status: keyof typeof statusLabels) => ({
  text: statusLabels[status],
  colour: (
    { confirmed: 'green', awaiting_approval: 'yellow', waitlisted: 'blue', rejected: 'red', cancelled: 'grey' } as const
  )[status],
});

export const decisionText = (d: keyof typeof decisionLabels) => decisionLabels[d];

/** A figure about people that disclosure control may hide: "*" with the reason on the page. */
export const shown = (n: number | null | undefined, suppressed: boolean) =>
  suppressed || n === null || n === undefined ? '*' : formatCount(n);

export const oneDecimal = (n: number | null) =>
  n === null ? '*' : n.toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** The flash after a session edit: on an open cohort, the people booked will hear of it (cohorts.notify-changes). */
export const sessionFlash = (done: string, cohort: { status: string }) =>
  cohort.status === 'open'
    ? `${done}. Everyone booked on this cohort or waiting for a place will be emailed a summary of the changes within about 15 minutes`
    : done;

export { setFlash, takeFlash } from '../../plugins/session.ts';
