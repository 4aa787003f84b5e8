import type { Job } from '../../job.ts';
import { claimDueReviews } from './queries.ts';

/**
 * When a reorganisation's review date arrives without an outcome, its recorder is emailed once: the row is claimed
 * (review_reminded_at, SKIP LOCKED so two workers never take the same one) in the transaction that sends the mail.
 */
export const jobs: Job[] = [
  {
    name: 'reorganisations.review-reminders',
    description: 'Email the recorder of each reorganisation whose review date has come without an outcome (once)',
    schedule: '0 7 * * *',
    async run(deps) {
      const today = deps.clock.now().toISOString().slice(0, 10);
      let sent = 0;
      let skipped = 0;
      for (;;) {
        // One reminder per transaction: the claim commits only after the mail is written (deps.mail writes the
        // outbox, then sends when SMTP is configured), so a failed send is retried at the next run.
        const claimed = await deps.db.transaction().execute(async (trx) => {
          const [r] = await claimDueReviews(trx, today, 1);
          if (!r) return false;
          if (!r.email) {
            skipped++;
            return true;
          }
          await deps.mail.send({
            to: r.email,
            subject: `Review due: reorganisation of ${r.unit_name}`,
            text: [
              `The reorganisation of ${r.unit_name} (${r.org_name}), which took effect on ${r.effective_on}, was due for review on ${r.review_on}.`,
              '',
              'No outcome has been recorded yet. Record what it achieved against the benefits expected:',
              `/reorganisations/${r.id}`,
            ].join('\n'),
          });
          sent++;
          return true;
        });
        if (!claimed) break;
      }
      return `sent ${sent} review reminders${skipped ? `, ${skipped} without a recorder address` : ''}`;
    },
  },
];
