import type { Deps } from '../../deps.ts';
import { createMailer } from '../../mail.ts';
import { programmesByIds } from '../catalogue/queries.ts';
import {
  changeRecipients,
  claimDueCohorts,
  markChangesNotified,
  markPeopleSent,
  pendingChanges,
} from './change-queries.ts';
import { changeMessage, isEmpty, netChange } from './changes.ts';

/**
 * Email the people booked on a cohort when its sessions change. A provider often makes several edits in a row
 * (moves one session, then the next), so the job waits until a cohort's changes have been quiet for
 * CHANGE_QUIET_MINUTES, or the first is CHANGE_MAX_WAIT_MINUTES old, and sends each person one email with the net
 * change: the sessions before the first edit they had not seen against the sessions after the last. Edits that
 * cancel each other out send nothing.
 */

export const CHANGE_QUIET_MINUTES = 10;
export const CHANGE_MAX_WAIT_MINUTES = 60;
const BATCH = 50;

/**
 * Each batch of cohorts is claimed, its emails written to the outbox, each (last change, application) recorded by
 * its unique key and the changes marked notified, all in one transaction: run twice or on several instances, a
 * person is emailed once about a change.
 */
export async function notifyChanges(deps: Deps): Promise<{ cohorts: number; emails: number }> {
  const total = { cohorts: 0, emails: 0 };
  for (;;) {
    const batch = await deps.db.transaction().execute(async (trx) => {
      const now = deps.clock.now();
      const claimed = await claimDueCohorts(trx, now, {
        quietMinutes: CHANGE_QUIET_MINUTES,
        maxWaitMinutes: CHANGE_MAX_WAIT_MINUTES,
        limit: BATCH,
      });
      const mail = createMailer({
        db: trx,
        logger: deps.logger,
        smtpUrl: deps.config.smtpUrl,
        from: deps.config.mailFrom,
      });
      let emails = 0;
      for (const { cohort_id } of claimed) {
        const changes = await pendingChanges(trx, cohort_id);
        const last = changes.at(-1);
        if (!last) continue;
        const people = await changeRecipients(trx, cohort_id, last.applications_upto);
        // Each person hears about the changes made after they applied (earlier ones they saw when applying).
        const withDiff = people
          .map((p) => ({ ...p, diff: netChange(changes.filter((c) => c.applications_upto >= p.id)) }))
          .filter((p) => !isEmpty(p.diff));
        const fresh = await markPeopleSent(
          trx,
          last.id,
          withDiff.map((p) => p.id),
          now,
        );
        if (fresh.size) {
          const programme = (await programmesByIds(trx, [withDiff[0]!.programme_id]))[0];
          for (const p of withDiff) {
            // Nobody to send to (no email address on record) is still marked: there is nothing to retry.
            if (!fresh.has(p.id) || !p.email) continue;
            await mail.send({
              to: p.email,
              ...changeMessage({
                diff: p.diff,
                // As of the last change summarised; an edit made since is in the next email.
                sessionsNow: last.sessions_after,
                status: p.status,
                programmeTitle: programme?.title ?? 'Your programme',
                cohortName: p.cohort_name,
                baseUrl: deps.config.baseUrl,
              }),
            });
            emails++;
          }
        }
        await markChangesNotified(
          trx,
          changes.map((c) => c.id),
          now,
        );
      }
      return { cohorts: claimed.length, emails };
    });
    total.cohorts += batch.cohorts;
    total.emails += batch.emails;
    if (batch.cohorts < BATCH) return total;
  }
}
