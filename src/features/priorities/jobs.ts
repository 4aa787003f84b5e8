import type { Job } from '../../job.ts';
import { refreshReorganisations } from '../reorganisations/queries.ts';
import { claimRefreshRequests, markRefreshDone } from './queries.ts';
import { refreshThicketIn } from './refresh.ts';

const todayOf = (now: Date) => now.toISOString().slice(0, 10);

const nightly: Job = {
  name: 'priorities.refresh',
  description:
    'Recompute the thicket (concurrent priorities per team, manager and area, and the monthly trend) and the reorganisation summaries',
  schedule: '30 2 * * *',
  async run(deps) {
    const started = deps.clock.now();
    const r = await deps.db.transaction().execute(async (trx) => {
      const done = await refreshThicketIn(trx, todayOf(started), undefined);
      // Everything asked for before this run is counted by it.
      await markRefreshDone(trx, 'all-before', started);
      return done;
    });
    await refreshReorganisations(deps.db);
    return `thicket of ${r.teams} teams and ${r.managers} managers; reorganisation summaries rebuilt`;
  },
};

/**
 * The figures changes asked for (a priority placed on many organisations, its status or funding changed): the
 * union of the organisations of every waiting request, or everything when one reaches all. The requests are
 * claimed (FOR UPDATE SKIP LOCKED) and marked done in the refresh's own transaction, so a second run or a second
 * worker finds nothing to do, and a failed refresh leaves them waiting.
 */
const pending: Job = {
  name: 'priorities.refresh-pending',
  description: 'Recompute the thicket figures that changes to the register asked for (every minute when any wait)',
  schedule: '* * * * *',
  async run(deps) {
    return deps.db.transaction().execute(async (trx) => {
      const requests = await claimRefreshRequests(trx);
      if (!requests.length) return 'nothing waiting';
      const all = requests.some((q) => q.organisationIds === null);
      const orgs = all ? undefined : [...new Set(requests.flatMap((q) => q.organisationIds!))];
      const r = await refreshThicketIn(trx, todayOf(deps.clock.now()), orgs);
      await markRefreshDone(
        trx,
        requests.map((q) => q.id),
      );
      return `${requests.length} request(s): ${r.teams} teams and ${r.managers} managers of ${all ? 'every organisation' : `${orgs!.length} organisation(s)`}`;
    });
  },
};

export const jobs: Job[] = [nightly, pending];
