import { sql } from 'kysely';
import { seedExtension as catalogueSeed } from '../src/features/catalogue/generate.ts';
import { searchProgrammes } from '../src/features/catalogue/search-queries.ts';
import type { FeatureBench } from './feature.ts';

/**
 * The public training catalogue at national scale (~5,000 programmes): search with a rotation of realistic words
 * and filters, through the JSON API and the page, goal p95 < 50 ms at 10 connections; plus the search query
 * timed directly (no HTTP) over the same rotation.
 */

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
const round1 = (n: number) => Math.round(n * 10) / 10;

const words = [
  'coaching',
  'quality improvement',
  '"systems leadership"',
  'finance budget',
  'inclusive leadership',
  'board',
  'change management -digital',
  'patient safety',
  'workforce planning',
  'data or digital',
  '',
];

/** Query strings combining words with the filters people use most. */
function rotation(regionIds: number[], competencyIds: number[], today: string): string[] {
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + 90);
  const by = soon.toISOString().slice(0, 10);
  const out: string[] = [];
  words.forEach((q, i) => {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (i % 3 === 0) p.set('level', ['first_line', 'middle', 'senior'][(i / 3) % 3]);
    if (i % 2 === 0 && regionIds.length) p.set('region', String(regionIds[i % regionIds.length]));
    if (i % 4 === 1) p.set('cost', 'free');
    if (i % 5 === 2) p.set('starts_by', by);
    if (i % 6 === 3 && competencyIds.length) p.set('competency', String(competencyIds[i % competencyIds.length]));
    if (i % 7 === 4) p.set('format', 'online');
    out.push(p.toString());
  });
  return out;
}

export const bench: FeatureBench = {
  name: 'catalogue',
  async prepare({ deps, log }) {
    const db = deps.db;
    const today = deps.clock.now().toISOString().slice(0, 10);
    const have = await db
      .selectFrom('programmes')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('synthetic', '=', true)
      .executeTakeFirstOrThrow();
    if (have.n < 4000) {
      log('catalogue: fewer than 4,000 synthetic programmes, generating the national catalogue');
      const trusts = (
        await db
          .selectFrom('organisations')
          .select('id')
          .where('kind', '=', 'trust')
          .where('closed_on', 'is', null)
          .execute()
      ).map((o) => o.id);
      log(await catalogueSeed.run(deps, { scale: 'national', seed: 1, organisationIds: trusts, today, log }));
    }
    const regionIds = (await db.selectFrom('organisations').select('id').where('kind', '=', 'region').execute()).map(
      (r) => r.id,
    );
    const competencyIds = (
      await db.selectFrom('programme_competencies').select('competency_id').distinct().limit(20).execute()
    ).map((r) => r.competency_id);
    const queries = rotation(regionIds, competencyIds, today);

    // The search query alone, each query of the rotation 20 times.
    const times: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const qs of queries) {
        const p = new URLSearchParams(qs);
        const started = performance.now();
        await searchProgrammes(
          db,
          {
            q: p.get('q') ?? undefined,
            level: (p.get('level') ?? undefined) as never,
            format: (p.get('format') ?? undefined) as never,
            regionId: p.has('region') ? Number(p.get('region')) : undefined,
            competencyId: p.has('competency') ? Number(p.get('competency')) : undefined,
            cost: p.get('cost') === 'free' ? { kind: 'free' } : undefined,
            startsFrom: p.has('starts_by') ? today : undefined,
            startsBy: p.get('starts_by') ?? undefined,
          },
          1,
        );
        times.push(performance.now() - started);
      }
    }
    times.sort((a, b) => a - b);
    const regionCodes = new Map(
      (await db.selectFrom('organisations').select(['id', 'code']).where('kind', '=', 'region').execute()).map((r) => [
        String(r.id),
        r.code,
      ]),
    );
    const apiPaths = queries.map((qs) => {
      const p = new URLSearchParams(qs);
      const region = p.get('region');
      if (region) p.set('region', regionCodes.get(region) ?? region);
      return `/api/v1/catalogue?${p}`;
    });
    return {
      scenarios: [
        { label: 'catalogue search (API, public)', paths: apiPaths, connections: 10, goalP95Ms: 50 },
        {
          label: 'catalogue search page (public)',
          paths: queries.map((qs) => `/catalogue?${qs}`),
          connections: 10,
          goalP95Ms: 50,
        },
        {
          label: 'accredited register page (public)',
          paths: ['/catalogue/accredited'],
          connections: 10,
          goalP95Ms: 100,
        },
      ],
      measured: {
        catalogue_search_query_p50_ms: round1(pct(times, 0.5)),
        catalogue_search_query_p95_ms: round1(pct(times, 0.95)),
        catalogue_search_queries_timed: times.length,
      },
    };
  },
};
