import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { seed } from '../seed/seed.ts';
import { withOrganisations } from '../seed/testing.ts';
import { seedExtension } from './generate.ts';

const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const deps = { ...(await testDeps()), clock };
await withOrganisations(deps.db);
const logs: string[] = [];
await seed(deps, { scale: 'demo', seed: 7, extensions: [seedExtension], log: (m) => logs.push(m) });

const statusCounts = async () =>
  (
    await sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM appraisals GROUP BY status ORDER BY status`.execute(deps.db)
  ).rows;

describe('synthetic appraisals at demo scale', () => {
  it('gives everyone in post in the seeded trusts an appraisal in this year’s cycle, in every state', async () => {
    const inPost = await sql<{ n: number }>`
      SELECT count(DISTINCT a.person_id)::int AS n FROM assignments a
        JOIN appraisal_cycles c ON c.organisation_id = a.organisation_id WHERE a.end_date IS NULL`.execute(deps.db);
    const counts = await statusCounts();
    const total = counts.reduce((s, c) => s + c.n, 0);
    expect(total).toBe(inPost.rows[0]!.n);
    expect(total).toBeGreaterThan(3000);
    expect(counts.map((c) => c.status)).toEqual(['locked', 'meeting_held', 'not_started', 'preparing', 'recorded']);
    const locked = counts.find((c) => c.status === 'locked')!.n;
    expect(locked / total).toBeGreaterThan(0.55);
    expect(logs.some((l) => /^appraisals: [\d,]+ appraisals in \d+ trusts$/.test(l))).toBe(true);
  });

  it('locks only complete, signed appraisals with a rating, and fills the dashboard summaries', async () => {
    const bad = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM appraisals WHERE status = 'locked'
         AND (overall_rating IS NULL OR appraisee_signed_at IS NULL OR appraiser_signed_at IS NULL
              OR appraiser_person_id IS NULL OR meeting_on IS NULL OR content = '{}'::jsonb)`.execute(deps.db);
    expect(bad.rows[0]!.n).toBe(0);
    const nation = await deps.db
      .selectFrom('appraisal_status_summary')
      .select(['people', 'completed'])
      .where('level', '=', 'nation')
      .where('dimension', '=', 'total')
      .executeTakeFirstOrThrow();
    const total = (await statusCounts()).reduce((s, c) => s + c.n, 0);
    expect(nation.people).toBe(total);
    const ratings = await deps.db
      .selectFrom('appraisal_rating_summary')
      .select(['rating'])
      .where('level', '=', 'nation')
      .where('dimension', '=', 'total')
      .execute();
    expect(ratings.map((r) => r.rating).sort()).toEqual(['developing', 'exceptional', 'not_yet_meeting', 'strong']);
  });

  it('gives a little fewer top ratings to BME staff, as the equality lens should be able to show', async () => {
    const share = await sql<{ grp: string; top: number }>`
      SELECT key AS grp, sum(people) FILTER (WHERE rating = 'exceptional')::float / sum(people) AS top
        FROM appraisal_rating_summary WHERE level = 'nation' AND dimension = 'ethnicity' AND key <> 'unknown'
       GROUP BY key ORDER BY key`.execute(deps.db);
    const [bme, white] = share.rows;
    expect(bme!.grp).toBe('bme');
    expect(white!.top).toBeGreaterThan(bme!.top);
  });

  it('removes its own rows and makes the same again when run twice', async () => {
    const before = await statusCounts();
    await seedExtension.run(deps, {
      scale: 'demo',
      seed: 7,
      organisationIds: (await deps.db.selectFrom('appraisal_cycles').select('organisation_id').execute()).map(
        (r) => r.organisation_id,
      ),
      today: '2026-11-26',
      log: () => {},
    });
    expect(await statusCounts()).toEqual(before);
    const cycles = await deps.db.selectFrom('appraisal_cycles').select('name').execute();
    expect(new Set(cycles.map((c) => c.name))).toEqual(new Set(['Appraisals 2026 to 2027']));
  });
});
