import type { Job } from '../../job.ts';
import { sweepExpired } from './queries.ts';

export const jobs: Job[] = [
  {
    name: 'accounts.sweep',
    description: 'Delete expired sessions, used or expired password-reset links and stale sign-in throttle rows',
    schedule: '17 * * * *',
    async run(deps) {
      const n = await sweepExpired(deps.db, deps.clock.now(), deps.config.sessionIdleMs);
      return `removed ${n.sessions} sessions, ${n.resets} reset links, ${n.throttle} throttle rows`;
    },
  },
];
