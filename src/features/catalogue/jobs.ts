import type { Deps } from '../../deps.ts';
import type { Job } from '../../job.ts';
import { audit } from '../../plugins/audit.ts';
import {
  accreditationsExpiringBy,
  claimReminder,
  expireDue,
  providerAdminEmails,
  recordEvent,
} from './accreditation-queries.ts';
import { addDays, reminderDays, reminderDue } from './catalogue.ts';
import { longDate, todayOf } from './present.ts';
import { findProvider } from './queries.ts';

// Accreditation upkeep, from database state: accreditations whose expiry date has come end; providers are told
// 90 and then 30 days before expiry, each once (a reminders row with a unique key marks it sent, in the same
// transaction as the message, so the job is safe to run twice and on several instances).

const ACTOR = { label: 'catalogue.accreditation-reminders (job)' };

/** Who hears about a provider's accreditation: its admins, else its contact address, else the submitter. */
async function recipients(deps: Deps, providerId: number, submitter: string | null): Promise<string[]> {
  const admins = await providerAdminEmails(deps.db, providerId);
  if (admins.length) return admins;
  const provider = await findProvider(deps.db, providerId);
  if (provider?.contact_email) return [provider.contact_email];
  return submitter ? [submitter] : [];
}

export async function runAccreditationUpkeep(deps: Deps) {
  const today = todayOf(deps);
  const expired = await deps.db.transaction().execute(async (trx) => {
    const rows = await expireDue(trx, today);
    for (const e of rows) {
      await audit(trx, ACTOR, {
        action: 'catalogue.accreditation.expired',
        subjectType: 'accreditation_submission',
        subjectId: e.id,
        details: { programme_id: e.programme_id },
      });
    }
    return rows;
  });

  let sent = 0;
  for (const a of await accreditationsExpiringBy(deps.db, addDays(today, reminderDays.due_90))) {
    const kind = reminderDue(a.expires_on!, today, a.sent);
    if (!kind) continue;
    const to = await recipients(deps, a.provider_id, a.submitter_email);
    await deps.db.transaction().execute(async (trx) => {
      if (!(await claimReminder(trx, a.id, kind))) return;
      for (const address of to) {
        await deps.mail.send({
          to: address,
          subject: `Accreditation of ${a.title} ends on ${longDate(a.expires_on)}`,
          text:
            `The accreditation of “${a.title}” against the management standards ends on ${longDate(a.expires_on)}.\n\n` +
            `To keep it accredited, submit it for renewal before then from the programme's page in Leadwell: ` +
            `${deps.config.baseUrl}/catalogue/manage/programmes/${a.programme_id}\n`,
        });
      }
      await recordEvent(trx, {
        submissionId: a.id,
        programmeId: a.programme_id,
        actor: null,
        action: `reminder_${kind === 'due_90' ? 90 : 30}`,
        details: { recipients: to.length },
      });
      sent += 1;
    });
  }
  return `expired ${expired.length} accreditations, sent ${sent} renewal reminders`;
}

export const jobs: Job[] = [
  {
    name: 'catalogue.accreditation-reminders',
    description: 'End accreditations whose expiry date has come, and remind providers 90 and 30 days before expiry',
    schedule: '0 6 * * *',
    run: (deps) => runAccreditationUpkeep(deps),
  },
];
