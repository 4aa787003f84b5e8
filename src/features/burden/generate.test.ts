import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { seedExtension as pulse } from '../pulse/generate.ts';
import { seed } from '../seed/seed.ts';
import { withOrganisations } from '../seed/testing.ts';
import { seedExtension as burden } from './generate.ts';
import { nationalReturns } from './generate-data.ts';

// Demo scale (one ICB, five trusts): the burden and pulse seed extensions on top of the staff seed.

const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const deps = { ...(await testDeps()), clock };
await withOrganisations(deps.db);
const logs: string[] = [];
await seed(deps, { scale: 'demo', seed: 7, extensions: [burden, pulse], log: (m) => logs.push(m) });

const counts = async () =>
  (
    await sql<Record<string, number>>`SELECT
      (SELECT count(*)::int FROM burden_returns WHERE synthetic) AS returns,
      (SELECT count(*)::int FROM burden_returns WHERE synthetic AND scope = 'national') AS national,
      (SELECT count(*)::int FROM burden_efforts WHERE synthetic) AS efforts,
      (SELECT count(DISTINCT organisation_id)::int FROM burden_efforts) AS orgs,
      (SELECT count(*)::int FROM burden_overlap_groups) AS groups,
      (SELECT count(*)::int FROM burden_return_duplicates) AS duplicates,
      (SELECT count(*)::int FROM burden_trend WHERE level = 'nation') AS trend_points,
      (SELECT count(*)::int FROM pulse_rounds WHERE synthetic) AS rounds,
      (SELECT count(*)::int FROM pulse_responses) AS responses,
      (SELECT coalesce(sum(responses), 0)::int FROM pulse_round_summary) AS summed`.execute(deps.db)
  ).rows[0]!;

describe('the burden and pulse seed extensions', () => {
  it('load about 300 national returns with shared and near-duplicate items, ICB and local requests, effort with history, and monthly pulses', async () => {
    const c = await counts();
    expect(c.national).toBe(300);
    expect(c.returns).toBeGreaterThan(300);
    expect(c.orgs).toBe(5);
    expect(c.efforts).toBeGreaterThan(5 * 300 * 0.8);
    expect(c.groups).toBeGreaterThan(10);
    expect(c.duplicates).toBeGreaterThan(0);
    expect(c.trend_points).toBe(24);
    expect(c.rounds).toBe(5 * 12);
    expect(c.responses).toBeGreaterThan(100);
    expect(c.summed).toBe(c.responses);
    expect(logs.some((l) => /^burden: 300 national/.test(l))).toBe(true);
    // Spellings of one measure in different collections are found as near matches, e.g. "Occupied bed days".
    const pairs = await sql<{ a: string; b: string }>`
      SELECT a.name AS a, b.name AS b FROM burden_item_pairs p
        JOIN burden_data_items a ON a.id = p.item_a JOIN burden_data_items b ON b.id = p.item_b`.execute(deps.db);
    expect(pairs.rows.length).toBeGreaterThan(10);
    expect(pairs.rows.map((p) => [p.a, p.b].sort().join(' / '))).toContain(
      'Occupied bed days / Total occupied bed days',
    );
  });

  it('are deterministic and replace their own earlier rows when run again', async () => {
    const before = await counts();
    const ctx = {
      scale: 'demo' as const,
      seed: 7,
      organisationIds: (await deps.db.selectFrom('burden_efforts').select('organisation_id').distinct().execute()).map(
        (r) => r.organisation_id,
      ),
      today: '2026-11-26',
      log: () => {},
    };
    await burden.run(deps, ctx);
    await pulse.run(deps, ctx);
    expect(await counts()).toEqual(before);
    expect(nationalReturns(7, '2026-11-26')).toEqual(nationalReturns(7, '2026-11-26'));
    expect(nationalReturns(8, '2026-11-26')).not.toEqual(nationalReturns(7, '2026-11-26'));
  });
});
