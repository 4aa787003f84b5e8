import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import type { Database } from '../../db/database.ts';
import { seed } from '../seed/seed.ts';
import { withOrganisations } from '../seed/testing.ts';
import { seedExtension } from './generate.ts';

const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const deps = { ...(await testDeps()), clock };
await withOrganisations(deps.db);

const fingerprint = async (db: Database) =>
  (
    await sql<{ n: number; mandatory: number; digest: string }>`
      SELECT count(*)::int AS n, (count(*) FILTER (WHERE mandatory))::int AS mandatory,
             md5(string_agg(p.staff_number || r.title || r.completed_on || coalesce(r.hours::text, ''), ','
               ORDER BY p.staff_number, r.completed_on, r.title)) AS digest
        FROM learning_records r JOIN people p ON p.id = r.person_id WHERE r.synthetic`.execute(db)
  ).rows[0];

describe('the learning-record seed extension', () => {
  it('adds mandatory and development records over three years, the same for a seed, and refreshes the equity figures', async () => {
    await seed(deps, { scale: 'demo', seed: 3, extensions: [seedExtension] });
    const first = await fingerprint(deps.db);
    const people = (
      await sql<{
        n: number;
      }>`SELECT count(DISTINCT person_id)::int AS n FROM assignments WHERE end_date IS NULL`.execute(deps.db)
    ).rows[0].n;
    expect(first.n / people).toBeGreaterThan(2.5);
    expect(first.n / people).toBeLessThan(5);
    expect(first.mandatory / first.n).toBeGreaterThan(0.55);
    const span = (
      await sql<{
        lo: string;
        hi: string;
      }>`SELECT min(completed_on)::text AS lo, max(completed_on)::text AS hi FROM learning_records`.execute(deps.db)
    ).rows[0];
    expect(span.lo >= '2023-11-27').toBe(true);
    expect(span.hi <= '2026-11-26').toBe(true);

    // Run again: the earlier rows go, the same rows come back. A run leaves the cohorts generator's synthetic
    // completions alone (the learning-record bench re-runs this generator over them); a seed's `remove` takes them too.
    const someone = await deps.db.selectFrom('people').select('id').limit(1).executeTakeFirstOrThrow();
    await deps.db
      .insertInto('learning_records')
      .values({
        person_id: someone.id,
        title: 'Cohort completion',
        completed_on: '2026-10-01',
        outcome: 'completed',
        source: 'cohort',
        source_ref: 'cohort-application:generate-test',
        synthetic: true,
      })
      .execute();
    await seedExtension.run(deps, { scale: 'demo', seed: 3, organisationIds: [], today: '2026-11-26', log: () => {} });
    expect(await fingerprint(deps.db)).toMatchObject({ n: 1, mandatory: 0 });
    await seedExtension.remove!(deps);
    expect((await fingerprint(deps.db)).n).toBe(0);
    await seed(deps, { scale: 'demo', seed: 3, extensions: [seedExtension], reset: true });
    expect(await fingerprint(deps.db)).toEqual(first);

    const nation = await deps.db
      .selectFrom('learning_equity_cells')
      .select(['grp', 'staff', 'accessed'])
      .where('area_kind', '=', 'nation')
      .where('period_kind', '=', 'year')
      .where('dimension', '=', 'ethnic_group')
      .execute();
    // Three years together, so that a demo-sized workforce gives a steady figure.
    const sum = (grp: string) =>
      nation
        .filter((c) => c.grp === grp)
        .reduce((t, c) => ({ staff: t.staff + c.staff, accessed: t.accessed + c.accessed }), { staff: 0, accessed: 0 });
    const white = sum('White');
    const bme = sum('BME');
    expect(white.staff).toBeGreaterThan(100);
    // Development is built to favour White staff modestly (about 1.2 times as likely).
    const rl = white.accessed / white.staff / (bme.accessed / bme.staff);
    expect(rl).toBeGreaterThan(1.05);
    expect(rl).toBeLessThan(1.5);
  });
});
