import type { Command } from '../../command.ts';
import { notifyChanges } from './change-notices.ts';
import { deliverNotices, sendReminders } from './jobs.ts';
import { refreshSupply } from './supply.ts';

const refresh: Command = {
  name: 'cohorts refresh',
  summary: 'Recompute the supply-and-demand summaries of cohorts (normally hourly, by the cohorts.refresh-supply job)',
  usage: 'leadwell cohorts refresh',
  async run(deps, _args, io) {
    const r = await refreshSupply(deps.db, deps.clock.now());
    io.out(
      `Supply and demand refreshed for cohorts starting ${r.from} to ${r.to}: ${r.rows} summary rows in ${r.millis} ms.`,
    );
    return 0;
  },
};

const notify: Command = {
  name: 'cohorts notify',
  summary:
    'Send the cohort emails that are due now: approvals, decisions, promotions, reminders and changes to sessions',
  usage: 'leadwell cohorts notify',
  async run(deps, _args, io) {
    const r = await sendReminders(deps);
    const more = await deliverNotices(deps);
    const changes = await notifyChanges(deps);
    io.out(
      `${r.sessions} session and ${r.closing} closing reminders added; ${r.sent + more} notices sent; ${changes.emails} emails about session changes of ${changes.cohorts} cohorts.`,
    );
    return 0;
  },
};

export const commands: Command[] = [refresh, notify];
