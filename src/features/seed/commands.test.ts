import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { type CommandIO, UsageError } from '../../command.ts';
import { commands } from './commands.ts';
import { withOrganisations } from './testing.ts';

const deps = await testDeps();
await withOrganisations(deps.db);
const command = commands.find((c) => c.name === 'seed')!;

function recorder() {
  const out: string[] = [];
  const err: string[] = [];
  const progress: [number, number][] = [];
  const io: CommandIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: (_label, done, total) => progress.push([done, total]),
  };
  return { io, out, err, progress };
}

const run = (values: Record<string, unknown>, io: CommandIO) => command.run(deps, { values, positionals: [] }, io);

describe('leadwell seed', () => {
  it('seeds the demo scale, reporting progress and per-stage timings', async () => {
    const r = recorder();
    expect(await run({ scale: 'demo', seed: '3' }, r.io)).toBe(0);
    expect(r.out.join('\n')).toMatch(/Seeded [\d,]+ people .* 7 demo personas/);
    expect(r.out.join('\n')).toMatch(/Timings: .*copy people [\d.]+ s/);
    const [done, total] = r.progress.at(-1)!;
    expect(done).toBe(total);
    const people = await deps.db.selectFrom('people').select('id').limit(1).execute();
    expect(people).toHaveLength(1);
  });

  it('refuses to seed again without --reset, and says how', async () => {
    const r = recorder();
    expect(await run({ scale: 'demo', seed: '3' }, r.io)).toBe(1);
    expect(r.err.join('\n')).toMatch(/already has [\d,]+ people .*--reset/);
  });

  it('replaces the data with --reset', async () => {
    const r = recorder();
    expect(await run({ scale: 'demo', seed: '4', reset: true }, r.io)).toBe(0);
    expect(r.out.join('\n')).toMatch(/Removed earlier synthetic data: [\d,]+ people/);
  });

  it('rejects an unknown scale, seed or area', async () => {
    const r = recorder();
    await expect(run({ scale: 'huge' }, r.io)).rejects.toThrow(UsageError);
    await expect(run({}, r.io)).rejects.toThrow(/--scale must be/);
    await expect(run({ scale: 'demo', seed: 'abc' }, r.io)).rejects.toThrow(/--seed must be a whole number/);
    await expect(run({ scale: 'national', area: 'Y56' }, r.io)).rejects.toThrow(/--area applies/);
    expect(await run({ scale: 'demo', area: 'NOPE', reset: true }, r.io)).toBe(1);
    expect(r.err.join('\n')).toMatch(/No open trusts found in ICB NOPE/);
  });
});
