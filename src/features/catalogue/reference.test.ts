import { beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import type { Deps } from '../../deps.ts';
import { regions } from './queries.ts';
import { CHECK_MS, keptFresh } from './reference.ts';

let deps: Deps;
beforeAll(async () => {
  deps = await testDeps();
});

describe('reference data kept by the process', () => {
  it('re-checks the database every few seconds and reloads only what changed', async () => {
    const { db } = deps;
    let now = 1_000_000;
    let checks = 0;
    let loads = 0;
    const kept = keptFresh({
      version: async (d: typeof db) => {
        checks++;
        return regions(d);
      },
      keyOf: (rows) => JSON.stringify(rows),
      load: async (_d, rows) => {
        loads++;
        return rows.map((r) => r.name);
      },
      now: () => now,
    });
    const before = await kept(db);
    expect([checks, loads]).toEqual([1, 1]);

    // Another instance adds a region: not seen until the check is due, then seen.
    const added = await makeOrg(db, { kind: 'region', name: 'Zz Test Region' });
    now += CHECK_MS - 1;
    expect(await kept(db)).toEqual(before);
    expect(checks).toBe(1);
    now += 1;
    expect(await kept(db)).toContain('Zz Test Region');
    expect([checks, loads]).toEqual([2, 2]);

    // Unchanged: checked again, not loaded again.
    now += CHECK_MS;
    await kept(db);
    expect([checks, loads]).toEqual([3, 2]);

    // Closed: gone at the next check. `fresh` reads it at once, whatever the age.
    await db.updateTable('organisations').set({ closed_on: '2026-01-01' }).where('id', '=', added.id).execute();
    expect(await kept(db, true)).not.toContain('Zz Test Region');
    expect(loads).toBe(3);
  });

  it('shares one check among concurrent callers and retries after a failed one', async () => {
    const { db } = deps;
    let now = 0;
    let checks = 0;
    let fail = false;
    const kept = keptFresh({
      version: async (d: typeof db) => {
        checks++;
        if (fail) throw new Error('database unavailable');
        return regions(d);
      },
      keyOf: (rows) => JSON.stringify(rows),
      load: async (_d, rows) => rows.length,
      now: () => now,
    });
    const starts = await Promise.all([kept(db), kept(db)]);
    expect(checks).toBe(1);
    const first = starts[0];
    now += CHECK_MS;
    const [a, b, c] = await Promise.all([kept(db), kept(db), kept(db)]);
    expect([a, b, c]).toEqual([first, first, first]);
    expect(checks).toBe(2);

    now += CHECK_MS;
    fail = true;
    await expect(kept(db)).rejects.toThrow('database unavailable');
    fail = false;
    expect(await kept(db)).toBe(first);
    expect(checks).toBe(4);
  });
});
