import type { Deps } from '../../deps.ts';
import type { Job } from '../../job.ts';
import { createMailer } from '../../mail.ts';
import { programmesByIds } from '../catalogue/queries.ts';
import { CHANGE_QUIET_MINUTES, notifyChanges } from './change-notices.ts';
import { addClosingReminders, addSessionReminders, claimUnsent, markSent, orgAdminEmails } from './notice-queries.ts';
import { noticeMessage } from './notices.ts';
import { refreshSupply } from './supply.ts';

const BATCH = 200;
export const SESSION_REMINDER_DAYS = 3;
export const CLOSING_REMINDER_DAYS = 7;

/**
 * Send the notices that are due. Each batch is claimed, written to the outbox and marked sent in one transaction
 * (the mailer writes its outbox row through the same transaction), so a notice is sent once even when the job
 * runs twice or on several instances: a second runner skips the locked rows and later finds them sent.
 */
export async function deliverNotices(deps: Deps): Promise<number> {
  let sent = 0;
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const due = await claimUnsent(trx, BATCH, deps.clock.now());
      if (!due.length) return 0;
      const programmes = new Map(
        (await programmesByIds(trx, [...new Set(due.map((d) => d.programme_id).filter((id) => id !== null))])).map(
          (p) => [p.id, p],
        ),
      );
      const funders = await orgAdminEmails(trx, [
        ...new Set(due.filter((d) => d.kind === 'funder_approval_needed').map((d) => d.organisation_id!)),
      ]);
      const mail = createMailer({
        db: trx,
        logger: deps.logger,
        smtpUrl: deps.config.smtpUrl,
        from: deps.config.mailFrom,
      });
      for (const d of due) {
        const programme = d.programme_id !== null ? programmes.get(d.programme_id) : undefined;
        const message = noticeMessage({
          kind: d.kind,
          status: (d.details as { status?: never }).status,
          programmeTitle: programme?.title ?? 'a programme',
          cohortName: d.cohort_name ?? '',
          startsOn: d.starts_on,
          closesOn: d.booking_closes_on,
          applicantName: d.applicant_name,
          sessionStartsAt: d.session_starts_at,
          sessionPlace: d.session_venue ?? (d.session_url ? `online: ${d.session_url}` : null),
          baseUrl: deps.config.baseUrl,
          programmeId: d.programme_id ?? 0,
        });
        for (const to of recipients(d, funders)) await mail.send({ to, ...message });
      }
      await markSent(
        trx,
        due.map((d) => d.id),
        deps.clock.now(),
      );
      return due.length;
    });
    sent += n;
    if (n < BATCH) return sent;
  }
}

function recipients(d: Awaited<ReturnType<typeof claimUnsent>>[number], funders: Map<number, string[]>): string[] {
  // A notice with nobody to send to (no email address on record, or a reminder overtaken by events) is marked
  // sent: there is nothing to retry.
  if (d.superseded) return [];
  switch (d.kind) {
    case 'approval_needed':
      return d.manager_email ? [d.manager_email] : [];
    case 'funder_approval_needed':
      return d.organisation_id !== null ? (funders.get(d.organisation_id) ?? []) : [];
    case 'closing_reminder':
      return d.person_email ? [d.person_email] : [];
    default:
      return d.applicant_email ? [d.applicant_email] : [];
  }
}

/** Add the reminders that are due now (each once, by its unique key), then send them. */
export async function sendReminders(deps: Deps) {
  const now = deps.clock.now();
  const { sessions, closing } = await deps.db.transaction().execute(async (trx) => ({
    sessions: await addSessionReminders(trx, now, SESSION_REMINDER_DAYS),
    closing: await addClosingReminders(trx, now.toISOString().slice(0, 10), CLOSING_REMINDER_DAYS),
  }));
  const sent = await deliverNotices(deps);
  return { sessions, closing, sent };
}

export const jobs: Job[] = [
  {
    name: 'cohorts.notices',
    description: 'Email approvals needed, decisions and wait-list promotions about cohort bookings',
    schedule: '*/5 * * * *',
    async run(deps) {
      return `sent ${await deliverNotices(deps)} cohort notices`;
    },
  },
  {
    name: 'cohorts.notify-changes',
    description: `Email the people booked on a cohort (or waiting for a place) one summary of changes to its sessions, once the provider has stopped editing for ${CHANGE_QUIET_MINUTES} minutes`,
    schedule: '*/5 * * * *',
    async run(deps) {
      const r = await notifyChanges(deps);
      return `session changes of ${r.cohorts} cohorts: sent ${r.emails} emails`;
    },
  },
  {
    name: 'cohorts.reminders',
    description: `Remind people of sessions ${SESSION_REMINDER_DAYS} days ahead, and people who registered interest that booking closes within ${CLOSING_REMINDER_DAYS} days`,
    schedule: '0 7 * * *',
    async run(deps) {
      const r = await sendReminders(deps);
      return `${r.sessions} session and ${r.closing} closing reminders due; sent ${r.sent} notices`;
    },
  },
  {
    name: 'cohorts.refresh-supply',
    description: 'Recompute the supply-and-demand summaries of cohorts by region, ICB, organisation and staff group',
    schedule: '20 * * * *',
    async run(deps) {
      const r = await refreshSupply(deps.db, deps.clock.now());
      return `supply and demand: ${r.rows} summary rows in ${r.millis} ms`;
    },
  },
];
