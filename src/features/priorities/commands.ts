import type { Command } from '../../command.ts';
import { jobs } from './jobs.ts';

export const commands: Command[] = [
  {
    name: 'priorities refresh',
    summary: 'Recompute the competing-priorities thicket and the reorganisation summaries (run nightly)',
    usage: 'leadwell priorities refresh',
    async run(deps, _args, io) {
      const started = Date.now();
      const said = await jobs[0]!.run(deps, {});
      io.out(`${said} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    },
  },
];
