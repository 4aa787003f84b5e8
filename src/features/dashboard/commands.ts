import type { Command } from '../../command.ts';
import { refreshOrganisationStats } from './queries.ts';

export const commands: Command[] = [
  {
    name: 'stats refresh',
    summary: 'Recompute the head counts behind the dashboards (runs after imports and seeding by itself)',
    usage: 'leadwell stats refresh',
    async run(deps, _args, io) {
      const today = deps.clock.now().toISOString().slice(0, 10);
      const n = await refreshOrganisationStats(deps.db, today);
      io.out(`Refreshed head counts for ${n} organisation(s).`);
      return 0;
    },
  },
];
