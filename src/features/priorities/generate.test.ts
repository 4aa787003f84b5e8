import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { seedExtension as reorganisations } from '../reorganisations/generate.ts';
import { seed } from '../seed/seed.ts';
import { withOrganisations } from '../seed/testing.ts';
import { seedExtension as priorities } from './generate.ts';
import { areaFigures } from './summary-queries.ts';

// Demo scale: the same code runs set-based at national scale.
const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const deps = { ...(await testDeps()), clock };
await withOrganisations(deps.db);
await seed(deps, { scale: 'demo', seed: 11, extensions: [priorities, reorganisations] });

const snapshot = async () =>
  (
    await sql<{ p: string; t: string; l: string; r: string }>`
    SELECT (SELECT md5(string_agg(title || source || set_on || funded || scope || status, ',' ORDER BY id)) FROM priorities) AS p,
           (SELECT count(*) FROM priority_targets) AS t,
           (SELECT count(*) FROM priority_links) AS l,
           (SELECT md5(string_agg(unit_name || effective_on || staff_affected, ',' ORDER BY id)) FROM reorganisations) AS r`.execute(
      deps.db,
    )
  ).rows[0];

describe('the priorities and reorganisations seed extensions', () => {
  it('give every trust cascaded, ICB and local priorities, some unfunded and some marked overlapping', async () => {
    const nation = await areaFigures(deps.db, 'nation', 0);
    expect(nation!.teams).toBeGreaterThan(50);
    expect(nation!.mean).toBeGreaterThan(10);
    expect(nation!.unfunded / nation!.teamPriorities).toBeGreaterThan(0.2);
    expect(nation!.overlaps + nation!.conflicts).toBeGreaterThan(0);
    const perScope = await sql<{ scope: string; n: number }>`
      SELECT scope, count(*)::int AS n FROM priorities GROUP BY scope ORDER BY scope`.execute(deps.db);
    expect(perScope.rows.map((r) => r.scope)).toEqual(['icb', 'national', 'organisation', 'region']);
  });

  it('restructures some units twice within three years over six years', async () => {
    const rows = await sql<{ repeated: number; years: number }>`
      SELECT sum(repeated)::int AS repeated, count(*)::int AS years FROM reorganisation_summary WHERE level = 'nation'`.execute(
      deps.db,
    );
    expect(rows.rows[0]!.repeated).toBeGreaterThan(0);
    expect(rows.rows[0]!.years).toBeGreaterThanOrEqual(6);
  });

  it('is deterministic and replaces its own rows when run again', async () => {
    const before = await snapshot();
    const ctx = { scale: 'demo' as const, seed: 11, organisationIds: [], today: '2026-11-26', log: () => {} };
    const seeded = await deps.db
      .selectFrom('teams')
      .select('organisation_id')
      .distinct()
      .where('synthetic', '=', true)
      .execute();
    ctx.organisationIds = seeded.map((t) => t.organisation_id) as never;
    await priorities.run(deps, ctx);
    await reorganisations.run(deps, ctx);
    expect(await snapshot()).toEqual(before);
  });
});
