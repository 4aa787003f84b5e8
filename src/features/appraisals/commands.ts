import type { Command } from '../../command.ts';
import { refreshAppraisalSummaries } from './summary-queries.ts';

const refreshCommand: Command = {
  name: 'appraisals refresh',
  summary: 'Recompute the appraisal dashboard summaries (organisations, ICBs, regions, England)',
  usage:
    'leadwell appraisals refresh\n\nThe same work as the hourly job appraisals.refresh; run it after loading appraisals in bulk.',
  async run(deps, _args, io) {
    const started = Date.now();
    const r = await refreshAppraisalSummaries(deps.db, deps.clock.now().toISOString().slice(0, 10));
    io.out(
      `Refreshed the appraisal summaries: ${r.appraisals.toLocaleString('en-GB')} appraisals in ${r.organisations} organisations (${((Date.now() - started) / 1000).toFixed(1)} s).`,
    );
    return 0;
  },
};

export const commands: Command[] = [refreshCommand];
