import { sql } from 'kysely';
import { refreshEquity } from '../src/features/learning-record/equity-refresh.ts';
import { OWN_SOURCE, seedExtension } from '../src/features/learning-record/generate.ts';
import type { FeatureBench } from './feature.ts';

/**
 * The learning record at national scale: a region's equity page (summaries only, goal p95 < 100 ms at 10
 * connections) and people's learning records read by their organisation's admin (each read is audited).
 */
export const bench: FeatureBench = {
  name: 'learning-record',
  async prepare({ deps, session, log }) {
    const db = deps.db;
    // The generator's own rows, not just any synthetic row: the cohorts generator copies its completions into the
    // learning record as synthetic rows too, and those alone are a small fraction of the national records.
    const any = await db
      .selectFrom('learning_records')
      .select('id')
      .where('synthetic', '=', true)
      .where('source', '=', OWN_SOURCE)
      .limit(1)
      .executeTakeFirst();
    if (!any) {
      const trusts = await sql<{
        id: number;
      }>`SELECT DISTINCT organisation_id AS id FROM assignments WHERE end_date IS NULL`.execute(db);
      log('learning-record: no synthetic learning records yet, generating them (a few minutes at national scale)');
      log(
        await seedExtension.run(deps, {
          scale: 'national',
          seed: 1,
          organisationIds: trusts.rows.map((r) => r.id),
          today: deps.clock.now().toISOString().slice(0, 10),
          log,
        }),
      );
    }
    if (!(await db.selectFrom('learning_equity_refreshes').select('id').limit(1).executeTakeFirst()))
      await refreshEquity(deps);

    // The region with the most staff, and its latest financial years.
    const region = await db
      .selectFrom('learning_equity_cells as c')
      .innerJoin('organisations as o', 'o.id', 'c.area_id')
      .select(['o.id', 'o.code', 'c.staff'])
      .where('c.area_kind', '=', 'region')
      .where('c.dimension', '=', 'all')
      .where('c.period_kind', '=', 'year')
      .orderBy('c.staff', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const years = await db
      .selectFrom('learning_equity_cells')
      .select('period')
      .distinct()
      .where('area_kind', '=', 'nation')
      .where('period_kind', '=', 'year')
      .execute();
    const regional = await session(deps, 'bench-learning-regional@leadwell.test', 'Bench regional lead', {
      role: 'regional_lead',
      orgId: region.id,
    });

    // Fifty people with learning in the largest trust, read by that trust's admin.
    const trust = await sql<{ id: number }>`
      SELECT organisation_id AS id FROM assignments WHERE end_date IS NULL
       GROUP BY organisation_id ORDER BY count(*) DESC LIMIT 1`.execute(db);
    const trustId = trust.rows[0].id;
    const people = await sql<{ id: number }>`
      SELECT a.person_id AS id FROM assignments a
       WHERE a.organisation_id = ${trustId} AND a.end_date IS NULL
         AND EXISTS (SELECT 1 FROM learning_records r WHERE r.person_id = a.person_id)
       ORDER BY a.person_id LIMIT 50`.execute(db);
    const admin = await session(deps, 'bench-learning-admin@leadwell.test', 'Bench organisation admin', {
      role: 'org_admin',
      orgId: trustId,
    });
    const own = await session(
      deps,
      `bench-learning-self-${people.rows[0].id}@leadwell.test`,
      'Bench learner',
      undefined,
      people.rows[0].id,
    );
    const refresh = await db
      .selectFrom('learning_equity_refreshes')
      .select(['millis', 'cells'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const records = await sql<{
      n: number;
    }>`SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'learning_records'`.execute(db);

    return {
      scenarios: [
        {
          label: `equity page for region ${region.code}`,
          paths: [
            `/learning/equity/${region.code}`,
            ...years.map((y) => `/learning/equity/${region.code}?period=${encodeURIComponent(y.period)}`),
          ],
          cookie: regional,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: "a person's learning record (organisation admin, audited)",
          paths: people.rows.map((p) => `/people/${p.id}/learning`),
          cookie: admin,
          connections: 10,
          goalP95Ms: 100,
        },
        { label: 'your own learning record', paths: ['/me/learning'], cookie: own, connections: 10, goalP95Ms: 100 },
      ],
      measured: {
        learningRecords: Number(records.rows[0]?.n ?? 0),
        equityCells: refresh.cells,
        lastEquityRefreshMs: refresh.millis,
      },
    };
  },
};
