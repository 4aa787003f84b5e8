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
