import type { Job } from '../../job.ts';
import { refreshReorganisations } from '../reorganisations/queries.ts';
import { refreshThicket } from './refresh.ts';

export const jobs: Job[] = [
  {
    name: 'priorities.refresh',
    description:
      'Recompute the thicket (concurrent priorities per team, manager and area, and the monthly trend) and the reorganisation summaries',
    schedule: '30 2 * * *',
    async run(deps) {
      const today = deps.clock.now().toISOString().slice(0, 10);
      const r = await refreshThicket(deps.db, today);
      await refreshReorganisations(deps.db);
      return `thicket of ${r.teams} teams and ${r.managers} managers; reorganisation summaries rebuilt`;
    },
  },
];
