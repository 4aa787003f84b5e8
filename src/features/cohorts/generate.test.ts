import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import type { Deps } from '../../deps.ts';
import { makeProgramme, makeProvider } from '../catalogue/testing.ts';
import { deleteSyntheticRecords } from '../learning-record/queries.ts';
import { seed } from '../seed/seed.ts';
import { withOrganisations } from '../seed/testing.ts';
import { seedExtension } from './generate.ts';

// Demo scale only: the properties that matter at any scale (no overbooking, wait-lists only on full cohorts,
// completions in the learning record, re-runs replace their own rows) are checked on it.

const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const deps: Deps = { ...(await testDeps()), clock };
await withOrganisations(deps.db);
const staff = await seed(deps, { scale: 'demo', seed: 7, extensions: [] });
const provider = await makeProvider(deps.db);
for (let i = 0; i < 6; i++) await makeProgramme(deps.db, provider.id, { duration_weeks: 4 + i * 4 });
const ctx = {
  scale: 'demo' as const,
  seed: 7,
  organisationIds: (await deps.db.selectFrom('organisations').select('id').where('kind', '=', 'trust').execute()).map(
    (o) => o.id,
  ),
  today: '2026-11-26',
  log: () => {},
};

const figures = async () =>
  (
    await sql<Record<string, string>>`SELECT
      (SELECT count(*) FROM cohorts WHERE synthetic) AS cohorts,
      (SELECT count(*) FROM cohort_applications WHERE synthetic) AS applications,
      (SELECT count(*) FROM cohort_applications WHERE status = 'waitlisted') AS waitlisted,
      (SELECT count(*) FROM cohort_certificates) AS certificates,
      (SELECT count(*) FROM programme_interest) AS interest,
      (SELECT count(*) FROM learning_records WHERE source = 'cohort') AS records,
      (SELECT count(*) FROM cohort_applications WHERE completed_on IS NOT NULL) AS completions,
      (SELECT count(*) FROM cohorts c WHERE places_taken <> (SELECT count(*) FROM cohort_applications a
          WHERE a.cohort_id = c.id AND a.status IN ('awaiting_approval','confirmed')) OR places_taken > capacity) AS overbooked,
      (SELECT count(*) FROM cohorts c WHERE places_taken < capacity
          AND EXISTS (SELECT 1 FROM cohort_applications a WHERE a.cohort_id = c.id AND a.status = 'waitlisted')) AS needless_waits,
      (SELECT count(*) FROM cohort_supply_summary) AS supply`.execute(deps.db)
  ).rows[0]!;

describe('the cohorts seed extension at demo scale', () => {
  it('schedules cohorts with bookings, wait-lists, completions, certificates and interest, without overbooking', async () => {
    expect(staff.people).toBeGreaterThan(1000);
    const said = await seedExtension.run(deps, ctx);
    expect(said).toMatch(/^150 cohorts, [\d,]+ applications/);
    const f = await figures();
    expect(Number(f.cohorts)).toBe(150);
    expect(Number(f.applications)).toBeGreaterThan(1500);
    expect(Number(f.waitlisted)).toBeGreaterThan(0);
    expect(Number(f.certificates)).toBeGreaterThan(0);
    expect(Number(f.interest)).toBeGreaterThan(50);
    expect(f.records).toBe(f.completions);
    expect(Number(f.overbooked)).toBe(0);
    expect(Number(f.needless_waits)).toBe(0);
    expect(Number(f.supply)).toBeGreaterThan(10);
    const next = await deps.db
      .selectFrom('programmes')
      .select('next_cohort_start')
      .where('next_cohort_start', 'is not', null)
      .execute();
    expect(next.length).toBeGreaterThan(0);
  }, 120_000);

  it('replaces its own rows on a re-run, with the same figures for the same seed', async () => {
    const before = await figures();
    // As the learning record's extension does before this one runs.
    await deleteSyntheticRecords(deps.db);
    await seedExtension.run(deps, ctx);
    const after = await figures();
    expect(after).toEqual(before);
  }, 120_000);
});
