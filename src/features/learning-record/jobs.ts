import type { Job } from '../../job.ts';
import { refreshEquity } from './equity-refresh.ts';

export const jobs: Job[] = [
  {
    name: 'learning.refresh-equity',
    description:
      'Recompute the equity-of-access summaries (uptake of non-mandatory development by group, relative likelihoods)',
    // Nightly, after the day's completions and imports; the refresh replaces the summaries in one transaction.
    schedule: '30 2 * * *',
    async run(deps) {
      const r = await refreshEquity(deps);
      return `${r.cells} equity cells over ${r.periods} periods (${r.suppressed} hidden) in ${r.millis} ms`;
    },
  },
];
