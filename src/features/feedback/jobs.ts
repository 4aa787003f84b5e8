import type { Deps } from '../../deps.ts';
import type { Job } from '../../job.ts';
import { audit } from '../../plugins/audit.ts';
import { hashToken } from '../../plugins/session.ts';
import { groupLabels, newLinkToken, reminderDays } from './feedback.ts';
import { claimReminders, closeDueRounds, setToken } from './queries.ts';
import { storeMissingReports, storeReportsOf } from './report-store.ts';

// Reminders and closing work from the database state (what is due today), so running them twice, late, or on
// several instances at once sends each reminder once and closes each round once.

const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);

/** Remind raters who have not responded, 7 and 2 days before the closing date, each reminder once. */
export async function sendReminders(deps: Deps): Promise<number> {
  let sent = 0;
  for (const [i, days] of reminderDays.entries()) {
    const next = reminderDays[i + 1] ?? -1;
    sent += await deps.db.transaction().execute(async (trx) => {
      const due = await claimReminders(trx, today(deps), days, next);
      for (const r of due) {
        if (!r.email) continue;
        let link = `${deps.config.baseUrl}/feedback/requests/${r.id}`;
        if (r.by_link) {
          // Only the hash of the first link is stored: the reminder carries a fresh link, and the old one stops working.
          const token = newLinkToken();
          await setToken(trx, r.id, hashToken(token));
          link = `${deps.config.baseUrl}/feedback/respond/${token}`;
        }
        const self = r.rater_group === 'self';
        await deps.mail.send({
          to: r.email,
          subject: self
            ? `Reminder: your 360 self-assessment closes on ${r.closes_on}`
            : `Reminder: feedback for ${r.given_name} ${r.family_name} closes on ${r.closes_on}`,
          text: [
            self
              ? 'Your 360 self-assessment is not submitted yet.'
              : `${r.given_name} ${r.family_name} asked for your feedback (${groupLabels[r.rater_group]}) and it is not submitted yet.`,
            '',
            `Responses close at the end of ${r.closes_on}. Give your feedback here: ${link}`,
            r.by_link
              ? 'This link replaces the one you were sent before. It works until you submit or the round closes.'
              : '',
          ].join('\n'),
        });
      }
      return due.length;
    });
  }
  return sent;
}

/** Rounds closed before reports were stored get theirs this many at a time (the rest on their first read). */
const BACKFILL = 500;

/**
 * Close rounds past their closing date; rounds without a facilitator are released as they close. Each closed
 * round's report is computed and stored now, so no read computes it.
 */
export async function closeRounds(deps: Deps): Promise<{ closed: number; released: number; stored: number }> {
  const closed = await closeDueRounds(deps.db, today(deps), deps.clock.now());
  await storeReportsOf(
    deps.db,
    closed.map((r) => r.id),
  );
  const stored = closed.length + (await storeMissingReports(deps.db, BACKFILL));
  for (const r of closed) {
    await audit(
      deps.db,
      { label: 'feedback.close job' },
      {
        action: 'feedback.round.close',
        subjectType: 'feedback_round',
        subjectId: r.id,
        personId: Number(r.person_id),
        details: { released: r.released_at !== null, automatic: true },
      },
    );
  }
  return { closed: closed.length, released: closed.filter((r) => r.released_at !== null).length, stored };
}

export const jobs: Job[] = [
  {
    name: 'feedback.reminders',
    description: 'Email 360 raters who have not responded, 7 and 2 days before the round closes (each reminder once).',
    schedule: '0 7 * * *',
    async run(deps) {
      return `sent ${await sendReminders(deps)} 360 reminders`;
    },
  },
  {
    name: 'feedback.close',
    description:
      'Close 360 rounds past their closing date, store their reports, and release reports of rounds without a facilitator.',
    schedule: '15 0 * * *',
    async run(deps) {
      const { closed, released, stored } = await closeRounds(deps);
      return `closed ${closed} 360 rounds, released ${released} reports, stored ${stored} reports`;
    },
  },
];
