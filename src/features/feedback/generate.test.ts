import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { loadStarters } from '../frameworks/import.ts';
import { seed } from '../seed/seed.ts';
import { withOrganisations } from '../seed/testing.ts';
import { thresholdsOf } from './feedback.ts';
import { seedExtension } from './generate.ts';
import { findRound } from './queries.ts';
import { reportOf } from './service.ts';

// The 360 seed extension at demo scale: completed rounds for a share of managers, some groups below the threshold.

const base = await testDeps();
const deps = { ...base, clock: { now: () => new Date('2026-11-26T09:00:00Z') } };
await withOrganisations(deps.db);
await loadStarters(deps.db);

const digest = async () =>
  (
    await sql<{ rounds: number; raters: number; ratings: number; hash: string }>`
      SELECT (SELECT count(*)::int FROM feedback_rounds WHERE synthetic) AS rounds,
             (SELECT count(*)::int FROM feedback_raters) AS raters,
             (SELECT count(*)::int FROM feedback_ratings) AS ratings,
             (SELECT md5(string_agg(person_id || ':' || closes_on || ':' || coalesce(shared_at::text, ''), ',' ORDER BY person_id))
                FROM feedback_rounds) AS hash`.execute(deps.db)
  ).rows[0]!;

describe('the 360 seed extension', () => {
  it('adds completed rounds with groups above and below the threshold, the same for the same seed', async () => {
    await seed(deps, { scale: 'demo', seed: 7, extensions: [seedExtension] });
    const first = await digest();
    expect(first.rounds).toBeGreaterThan(0);
    expect(first.ratings).toBeGreaterThan(first.raters);
    const groups = await sql<{ small: number; shown: number }>`
      SELECT count(*) FILTER (WHERE n < 3)::int AS small, count(*) FILTER (WHERE n >= 3)::int AS shown
        FROM (SELECT round_id, rater_group, count(*) AS n FROM feedback_raters
               WHERE rater_group IN ('peer','direct_report','other') GROUP BY 1, 2) g`.execute(deps.db);
    expect(groups.rows[0]!.small).toBeGreaterThan(0);
    expect(groups.rows[0]!.shown).toBeGreaterThan(0);
    // Every seeded round is released and its report builds under the anonymity rule.
    const any = (await deps.db.selectFrom('feedback_rounds').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    const round = (await findRound(deps.db, any))!;
    expect(round.released_at).not.toBeNull();
    const report = await reportOf(deps.db, round);
    expect(report.domains.length).toBeGreaterThan(0);
    for (const g of report.groups)
      if (!g.disclosed && g.anonymous) expect(g.responses === null || g.responses === 0).toBe(true);
    expect(thresholdsOf(round)).toEqual({ peer: 3, direct_report: 3, other: 3 });

    // Again with the same seed: its own rows are replaced, not added to, and come out the same.
    await seedExtension.run(deps, {
      scale: 'demo',
      seed: 7,
      organisationIds: (await trusts()).map((t) => t.id),
      today: '2026-11-26',
      log: () => {},
    });
    expect(await digest()).toEqual(first);
  }, 300_000);
});

async function trusts() {
  return deps.db
    .selectFrom('assignments')
    .select('organisation_id as id')
    .distinct()
    .orderBy('organisation_id')
    .execute();
}
