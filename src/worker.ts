import PgBoss from 'pg-boss';
import type { Deps } from './deps.ts';
import type { Job } from './job.ts';

export interface Worker {
  /** Queue names with their schedules, as registered. */
  registered: { name: string; schedule?: string }[];
  /** Ask for a job to run soon on whichever instance picks it up. */
  send(name: string, data?: Record<string, unknown>): Promise<string | null>;
  stop(): Promise<void>;
}

export class UnknownJobError extends Error {}

/** PostgreSQL's admin_shutdown: "terminating connection due to administrator command". */
const ADMIN_SHUTDOWN = '57P01';

/** Run one job now, in this process, logging its summary and time. */
export async function runJob(deps: Deps, job: Job, data: Record<string, unknown> = {}): Promise<string | undefined> {
  const started = Date.now();
  try {
    const summary = await job.run(deps, data);
    deps.logger.info({ job: job.name, ms: Date.now() - started, summary }, 'job done');
    return summary;
  } catch (err) {
    deps.logger.error({ job: job.name, ms: Date.now() - started, err }, 'job failed');
    throw err;
  }
}

export function findJob(jobs: readonly Job[], name: string): Job {
  const job = jobs.find((j) => j.name === name);
  if (!job) throw new UnknownJobError(`No job called ${name}. Jobs: ${jobs.map((j) => j.name).join(', ') || 'none'}`);
  return job;
}

/**
 * The job runner: pg-boss on the application database (its own schema, `pgboss`). Every instance may run a worker:
 * pg-boss hands each job to one worker (SKIP LOCKED) and fires each cron schedule once across instances, so
 * reminders are not sent twice however many instances run. Jobs are also written to be idempotent, because a job
 * that fails half way is retried.
 */
export async function startWorker(
  deps: Deps,
  databaseUrl: string,
  jobs: readonly Job[],
  opts: { schedule?: boolean; pollSeconds?: number } = {},
): Promise<Worker> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: 2,
    application_name: 'leadwell-worker',
    schedule: opts.schedule ?? true,
  });
  let stopping = false;
  boss.on('error', (err: Error & { code?: string }) => {
    // Once the queue is stopping, its connections may still be closing when the embedded database stops right
    // after it, and the server tells each one it is terminating (57P01): expected at every shutdown, not an
    // error. The same message while running means the database went away, and is.
    if (stopping && err.code === ADMIN_SHUTDOWN) deps.logger.debug({ err }, 'job queue connection closed at shutdown');
    else deps.logger.error({ err }, 'job queue error');
  });
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name);
    await boss.work<Record<string, unknown>>(
      job.name,
      { pollingIntervalSeconds: opts.pollSeconds ?? 2, batchSize: 1 },
      async ([item]) => {
        await runJob(deps, job, item?.data ?? {});
      },
    );
    if (job.schedule && opts.schedule !== false) await boss.schedule(job.name, job.schedule, {}, { tz: 'UTC' });
  }
  // Schedules of jobs that no longer exist would otherwise keep firing into queues nobody works.
  const known = new Set(jobs.map((j) => j.name));
  for (const s of await boss.getSchedules()) if (!known.has(s.name)) await boss.unschedule(s.name);
  return {
    registered: jobs.map((j) => ({ name: j.name, schedule: j.schedule })),
    send: async (name, data = {}) => {
      findJob(jobs, name);
      return boss.send(name, data);
    },
    stop: () => {
      stopping = true;
      return boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
