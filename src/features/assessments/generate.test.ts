import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { loadStarters } from '../frameworks/import.ts';
import { seed } from '../seed/seed.ts';
import { withOrganisations } from '../seed/testing.ts';
import { seedExtension } from './generate.ts';

// The synthetic self-assessments at demo scale.

const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const deps = { ...(await testDeps()), clock };
await withOrganisations(deps.db);
await loadStarters(deps.db);
await seed(deps, { scale: 'demo', seed: 5, extensions: [seedExtension] });

async function snapshot() {
  const r = await sql<{ assessments: number; ratings: number; items: number; first: unknown }>`
    SELECT (SELECT count(*)::int FROM self_assessments WHERE synthetic) AS assessments,
           (SELECT count(*)::int FROM self_assessment_ratings) AS ratings,
           (SELECT count(*)::int FROM development_plan_items WHERE synthetic) AS items,
           (SELECT json_agg(x) FROM (SELECT person_id, management_level, submitted_at FROM self_assessments
             ORDER BY person_id LIMIT 20) x) AS first`.execute(deps.db);
  return r.rows[0];
}

describe('synthetic self-assessments', () => {
  it('gives about 30% of people in management posts a submitted, complete assessment and some plan items', async () => {
    const r = await sql<{ managers: number; assessed: number; incomplete: number; open: number; not_gaps: number }>`
      SELECT (SELECT count(DISTINCT person_id)::int FROM assignments WHERE is_manager AND end_date IS NULL) AS managers,
             (SELECT count(*)::int FROM self_assessments WHERE synthetic AND status = 'submitted') AS assessed,
             (SELECT count(*)::int FROM self_assessments sa
               WHERE (SELECT count(*) FROM self_assessment_ratings r WHERE r.assessment_id = sa.id) <> 28) AS incomplete,
             (SELECT count(*)::int FROM self_assessments WHERE status = 'in_progress') AS open,
             (SELECT count(*)::int FROM development_plan_items i
               WHERE NOT EXISTS (SELECT 1 FROM self_assessments sa WHERE sa.id::text = i.source_id AND sa.person_id = i.person_id)) AS not_gaps`.execute(
      deps.db,
    );
    const { managers, assessed, incomplete, open, not_gaps } = r.rows[0];
    expect(managers).toBeGreaterThan(50);
    expect(assessed / managers).toBeGreaterThan(0.2);
    expect(assessed / managers).toBeLessThan(0.4);
    expect(incomplete).toBe(0);
    expect(open).toBe(0);
    expect(not_gaps).toBe(0);
    expect((await snapshot()).items).toBeGreaterThan(0);
  });

  it('is deterministic and replaces its own earlier rows when run again', async () => {
    const before = await snapshot();
    await seedExtension.run(deps, {
      scale: 'demo',
      seed: 5,
      organisationIds: (
        await deps.db.selectFrom('organisations').select('id').where('kind', '=', 'trust').execute()
      ).map((o) => o.id),
      today: '2026-11-26',
      log: () => {},
    });
    expect(await snapshot()).toEqual(before);
  });

  it('lets the seed reset remove the synthetic people with their development records', async () => {
    await seed(deps, { scale: 'demo', seed: 6, reset: true, extensions: [] });
    const r = await sql<{ orphans: number }>`
      SELECT (SELECT count(*)::int FROM self_assessments sa WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = sa.person_id))
           + (SELECT count(*)::int FROM development_plan_items i WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = i.person_id))
           AS orphans`.execute(deps.db);
    expect(r.rows[0].orphans).toBe(0);
    expect((await snapshot()).assessments).toBe(0);
  });
});
