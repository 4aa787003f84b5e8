import { type Command, UsageError } from '../../command.ts';
import { findJob, runJob, startWorker, UnknownJobError } from '../../worker.ts';
import { jobs } from '../jobs.ts';

/** Resolves on the first SIGINT or SIGTERM: how a long-running command waits to be stopped. */
function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export const commands: Command[] = [
  {
    name: 'worker',
    summary: 'Run the background jobs (reminders, refreshes, clean-up) until stopped',
    usage: 'leadwell worker',
    async run(deps, _args, io) {
      const worker = await startWorker(deps, deps.databaseUrl, jobs);
      io.out(`Worker running ${worker.registered.length} jobs; stop with Ctrl+C.`);
      for (const j of worker.registered) io.out(`  ${j.name}${j.schedule ? ` (${j.schedule} UTC)` : ''}`);
      const signal = await untilStopped();
      io.out(`${signal}: finishing the jobs in hand…`);
      await worker.stop();
      return 0;
    },
  },
  {
    name: 'jobs list',
    summary: 'List the background jobs and their schedules',
    usage: 'leadwell jobs list',
    async run(_deps, _args, io) {
      for (const j of jobs) io.out(`${j.name.padEnd(40)} ${(j.schedule ?? 'on demand').padEnd(14)} ${j.description}`);
      return 0;
    },
  },
  {
    name: 'jobs run',
    summary: 'Run one background job now, in this process',
    usage: 'leadwell jobs run <name>',
    async run(deps, { positionals }, io) {
      const name = positionals[0];
      if (!name || positionals.length > 1) throw new UsageError('Give exactly one job name (see `leadwell jobs list`)');
      try {
        const job = findJob(jobs, name);
        io.out(`${job.name}: ${(await runJob(deps, job)) ?? 'done'}`);
        return 0;
      } catch (err) {
        if (!(err instanceof UnknownJobError)) throw err;
        io.err(err.message);
        return 1;
      }
    },
  },
];
