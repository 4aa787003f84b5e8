import { describe, expect, it } from 'vitest';
import { testDeps } from '../test/helpers.ts';
import { jobs as registered } from './features/jobs.ts';
import type { Job } from './job.ts';
import { findJob, startWorker, UnknownJobError } from './worker.ts';

describe('job worker (pg-boss on the real database)', () => {
  it('registers schedules and runs a job that is sent, once', async () => {
    const deps = await testDeps();
    const seen: unknown[] = [];
    const job: Job = {
      name: 'test.echo',
      description: 'Records what it was sent',
      schedule: '0 3 * * *',
      async run(_deps, data) {
        seen.push(data);
        return 'echoed';
      },
    };
    const worker = await startWorker(deps, deps.databaseUrl, [job], { pollSeconds: 0.5 });
    try {
      expect(worker.registered).toEqual([{ name: 'test.echo', schedule: '0 3 * * *' }]);
      const { rows } = await deps.pool.query<{ name: string; cron: string; timezone: string }>(
        'select name, cron, timezone from pgboss.schedule',
      );
      expect(rows).toEqual([{ name: 'test.echo', cron: '0 3 * * *', timezone: 'UTC' }]);
      await worker.send('test.echo', { n: 1 });
      const deadline = Date.now() + 20_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual([{ n: 1 }]);
      await expect(worker.send('test.nothing')).rejects.toThrow(UnknownJobError);
    } finally {
      await worker.stop();
    }
  });

  it('reports a lost database connection as an error while running, and not once it is stopping', async () => {
    const deps = await testDeps();
    const logged: { level: string; code?: string }[] = [];
    const record = (level: string) => (obj: { err?: { code?: string } }) => {
      logged.push({ level, code: obj?.err?.code });
    };
    const logger = Object.assign(Object.create(deps.logger), { error: record('error'), debug: record('debug') });
    const terminate = async () => {
      const { rows } = await deps.pool.query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
          where datname = current_database() and application_name = 'leadwell-worker'`,
      );
      return rows[0].n;
    };
    const until = async (ok: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(ok()).toBe(true);
    };
    const lost = (level: string) => logged.filter((l) => l.level === level && l.code === '57P01').length;
    // A job that runs until the test lets it finish keeps the worker stopping (it waits for the job) while the
    // database ends its connections.
    let begun!: () => void;
    let finish!: () => void;
    const running = new Promise<void>((r) => (begun = r));
    const job: Job = {
      name: 'test.slow',
      description: 'Runs until released',
      async run() {
        begun();
        await new Promise<void>((r) => (finish = r));
        return 'done';
      },
    };
    const worker = await startWorker({ ...deps, logger }, deps.databaseUrl, [job], {
      schedule: false,
      pollSeconds: 0.5,
    });
    const ended = await terminate();
    expect(ended).toBeGreaterThan(0);
    // Every connection it had reports its end before the next use (a send on one not yet reported would fail).
    await until(() => lost('error') >= ended);

    await worker.send('test.slow');
    await running;
    const errorsBefore = lost('error');
    const stopped = worker.stop();
    expect(await terminate()).toBeGreaterThan(0);
    await until(() => lost('debug') > 0);
    finish();
    await stopped;
    expect(lost('error')).toBe(errorsBefore);
  });

  it('every registered job has a unique, well-formed name and a valid schedule', () => {
    const names = registered.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    for (const j of registered) {
      expect(j.name).toMatch(/^[a-z][a-z0-9-]*\.[a-z0-9.-]+$/);
      if (j.schedule) expect(j.schedule.split(' ')).toHaveLength(5);
    }
    expect(findJob(registered, 'accounts.sweep').schedule).toBeDefined();
  });
});
