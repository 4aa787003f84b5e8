import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { Job } from '../../job.ts';
import { REMINDER_WINDOW_DAYS } from './appraisals.ts';
import { refreshAppraisalSummaries } from './summary-queries.ts';

const todayOf = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString().slice(0, 10);
const BATCH = 2000;

interface Claimed {
  appraisal_id: number;
  recipient: 'appraisee' | 'appraiser';
  kind: 'due_soon' | 'overdue';
  email: string | null;
  appraisee: string;
  cycle: string;
  due_on: string;
}

/**
 * Claim a batch of reminders that are due and not yet sent: the insert into appraisal_reminders is the claim, and its
 * key (appraisal, recipient, kind) means each is sent once, however many instances run the job at once.
 */
async function claim(deps: Deps, today: string): Promise<Claimed[]> {
  const { rows } = await sql<Claimed>`
    WITH due AS (
      SELECT ap.id, ap.person_id, ap.appraiser_person_id, ap.due_on, ap.cycle_id,
             CASE WHEN ap.due_on < ${today}::date THEN 'overdue' ELSE 'due_soon' END AS kind
        FROM appraisals ap
        JOIN appraisal_cycles c ON c.id = ap.cycle_id
       WHERE ap.status <> 'locked' AND c.starts_on <= ${today}::date
         AND ap.due_on <= ${today}::date + ${REMINDER_WINDOW_DAYS}::int
    ), wanted AS (
      SELECT d.id, r.recipient, d.kind
        FROM due d CROSS JOIN (VALUES ('appraisee'), ('appraiser')) AS r(recipient)
       WHERE (r.recipient = 'appraisee' OR d.appraiser_person_id IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM appraisal_reminders x
                          WHERE x.appraisal_id = d.id AND x.recipient = r.recipient AND x.kind = d.kind)
       LIMIT ${BATCH}
    ), ins AS (
      INSERT INTO appraisal_reminders (appraisal_id, recipient, kind)
      SELECT id, recipient, kind FROM wanted
      ON CONFLICT DO NOTHING
      RETURNING appraisal_id, recipient, kind
    )
    SELECT ins.appraisal_id, ins.recipient, ins.kind,
           CASE ins.recipient WHEN 'appraisee' THEN p.email ELSE m.email END AS email,
           p.given_name || ' ' || p.family_name AS appraisee, c.name AS cycle, ap.due_on::text AS due_on
      FROM ins
      JOIN appraisals ap ON ap.id = ins.appraisal_id
      JOIN appraisal_cycles c ON c.id = ap.cycle_id
      JOIN people p ON p.id = ap.person_id
      LEFT JOIN people m ON m.id = ap.appraiser_person_id
  `.execute(deps.db);
  return rows;
}

function message(r: Claimed) {
  const when = r.kind === 'overdue' ? `was due on ${r.due_on} and is overdue` : `is due on ${r.due_on}`;
  const whose = r.recipient === 'appraisee' ? 'Your appraisal' : `The appraisal of ${r.appraisee}, which you conduct,`;
  return {
    subject: r.kind === 'overdue' ? 'Appraisal overdue' : 'Appraisal due soon',
    text: `${whose} in “${r.cycle}” ${when}.\n\nOpen it in Leadwell: /appraisals/${r.appraisal_id}\n`,
  };
}

export const remindersJob: Job = {
  name: 'appraisals.reminders',
  description: 'Email appraisees and appraisers whose appraisal is overdue or due within 14 days (each reminder once)',
  schedule: '0 7 * * *',
  async run(deps) {
    const today = todayOf(deps);
    let sent = 0;
    let skipped = 0;
    for (;;) {
      // Claims of a batch that wanted nothing new (all taken by another instance) end the loop too.
      const batch = await claim(deps, today);
      if (batch.length === 0) break;
      for (const r of batch) {
        if (!r.email) {
          skipped++;
          continue;
        }
        await deps.mail.send({ to: r.email, ...message(r) });
        sent++;
      }
      if (batch.length < BATCH) break;
    }
    return `sent ${sent} appraisal reminders${skipped ? `, ${skipped} without an email address` : ''}`;
  },
};

export const refreshJob: Job = {
  name: 'appraisals.refresh',
  description: 'Recompute the appraisal dashboard summaries of every organisation, ICB, region and England',
  schedule: '15 * * * *',
  async run(deps) {
    const r = await refreshAppraisalSummaries(deps.db, todayOf(deps));
    return `refreshed appraisal summaries: ${r.appraisals} appraisals in ${r.organisations} organisations`;
  },
};

export const jobs: Job[] = [remindersJob, refreshJob];
