import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import type { Deps } from '../../deps.ts';
import { withOrganisations } from '../seed/testing.ts';
import { seedExtension } from './generate.ts';
import { searchProgrammes } from './search-queries.ts';

const clock = { now: () => new Date('2026-11-26T09:00:00Z') };

async function snapshot(deps: Deps) {
  const { rows } = await sql<{
    title: string;
    level: string;
    scope: string;
    cost_pounds: number;
    status: string;
    accreditation_status: string;
    links: number;
  }>`
    SELECT p.title, p.level, p.scope, p.cost_pounds, p.status, p.accreditation_status,
           (SELECT count(*)::int FROM programme_competencies pc WHERE pc.programme_id = p.id) AS links
      FROM programmes p WHERE p.synthetic ORDER BY p.id`.execute(deps.db);
  return rows;
}

describe('catalogue seed extension', () => {
  it('generates a deterministic demo-scale catalogue and replaces its own rows on a re-run', async () => {
    const deps = { ...(await testDeps()), clock };
    await withOrganisations(deps.db);
    const trusts = (await deps.db.selectFrom('organisations').select('id').where('kind', '=', 'trust').execute()).map(
      (o) => o.id,
    );
    const ctx = { scale: 'demo' as const, seed: 7, organisationIds: trusts, today: '2026-11-26', log: () => {} };
    const summary = await seedExtension.run(deps, ctx);
    expect(summary).toMatch(/^150 programmes \(\d+ accredited\)$/);
    const first = await snapshot(deps);
    expect(first).toHaveLength(150);
    expect(new Set(first.map((r) => r.level)).size).toBe(5);
    expect(new Set(first.map((r) => r.scope))).toEqual(new Set(['national', 'regional', 'icb', 'local']));
    expect(first.every((r) => r.links >= 1)).toBe(true);
    const accredited = first.filter((r) => r.accreditation_status === 'accredited').length;
    expect(accredited).toBeGreaterThan(15);
    expect(first.filter((r) => r.cost_pounds === 0).length).toBeGreaterThan(30);

    const kinds = await deps.db
      .selectFrom('providers')
      .select(['kind', sql<number>`count(*)::int`.as('n')])
      .groupBy('kind')
      .execute();
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toMatchObject({
      academy: 1,
      university: 22,
      professional_body: 6,
      private: 10,
    });

    await seedExtension.run(deps, ctx);
    expect(await snapshot(deps)).toEqual(first);
    // Search finds programmes by words of their title and their competencies.
    const { total } = await searchProgrammes(deps.db, { q: 'coaching' }, 1);
    expect(total).toBeGreaterThan(0);
  });
});
