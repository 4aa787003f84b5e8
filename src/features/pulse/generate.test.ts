import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { seed } from '../seed/seed.ts';
import { withOrganisations } from '../seed/testing.ts';
import { seedExtension as pulse } from './generate.ts';
import { sinceOf } from './team-store.ts';
import { staleTeamRounds } from './team-store-queries.ts';

// Demo scale: the same code runs set-based at national scale.
const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const deps = { ...(await testDeps()), clock };
await withOrganisations(deps.db);
await seed(deps, { scale: 'demo', seed: 5, extensions: [pulse] });

describe('the pulse seed extension', () => {
  it('answers for the team of each manager’s post, with per-team sums that add up to the answers', async () => {
    const r = await sql<{ answers: number; with_team: number; team_sums: number; round_sums: number }>`
      SELECT (SELECT count(*)::int FROM pulse_responses) AS answers,
             (SELECT count(*)::int FROM pulse_responses WHERE team_id IS NOT NULL) AS with_team,
             (SELECT coalesce(sum(responses), 0)::int FROM pulse_team_summary) AS team_sums,
             (SELECT coalesce(sum(responses), 0)::int FROM pulse_round_summary) AS round_sums`.execute(deps.db);
    const row = r.rows[0]!;
    expect(row.answers).toBeGreaterThan(100);
    expect(row.with_team).toBeGreaterThan(row.answers * 0.9);
    expect(row.team_sums).toBe(row.with_team);
    expect(row.round_sums).toBe(row.answers);
    // Each team's sums are exactly its answers'.
    const off = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pulse_team_summary s
        FULL JOIN (SELECT round_id, team_id, count(*) AS c, sum(upward) AS u FROM pulse_responses
                    WHERE team_id IS NOT NULL GROUP BY 1, 2) x USING (round_id, team_id)
       WHERE s.responses IS DISTINCT FROM x.c OR s.upward IS DISTINCT FROM x.u`.execute(deps.db);
    expect(off.rows[0]!.n).toBe(0);
  });

  it('stores the team view’s decisions of every closed round, so pages read them rather than compute', async () => {
    const closed = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pulse_round_summary s JOIN pulse_rounds r ON r.id = s.round_id
       WHERE r.closes_on < '2026-11-26'`.execute(deps.db);
    const stored = await deps.db.selectFrom('pulse_team_periods').select(sql<number>`count(*)::int`.as('n')).execute();
    expect(closed.rows[0]!.n).toBeGreaterThan(0);
    expect(stored[0]!.n).toBe(closed.rows[0]!.n);
    expect(await staleTeamRounds(deps.db, '2026-11-26', sinceOf('2026-11-26'), deps.config.disclosureMin)).toEqual([]);
  });
});
