import type { Job } from '../../job.ts';
import { sweepRateLimits } from '../../plugins/rate-limit-store.ts';
import { sweepExpired } from './queries.ts';

export const jobs: Job[] = [
  {
    name: 'accounts.sweep',
    description: 'Delete expired sessions, used or expired reset links, stale throttle rows and old rate-limit windows',
    schedule: '17 * * * *',
    async run(deps) {
      const now = deps.clock.now();
      const n = await sweepExpired(deps.db, now, deps.config.sessionIdleMs);
      const limits = await sweepRateLimits(deps.db, new Date(now.getTime() - 86_400_000));
      return `removed ${n.sessions} sessions, ${n.resets} reset links, ${n.throttle} throttle rows, ${limits} rate-limit windows`;
    },
  },
];
