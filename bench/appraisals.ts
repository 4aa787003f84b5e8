import { sql } from 'kysely';
import { seedExtension } from '../src/features/appraisals/generate.ts';
import { refreshAppraisalSummaries } from '../src/features/appraisals/summary-queries.ts';
import type { FeatureBench } from './feature.ts';

/**
 * The appraisal dashboard at national scale: the largest trust's dashboard (about 15,000 staff) as its organisation
 * admin and through the API, and England's as a national admin, at 10 connections (goal p95 < 100 ms: the pages read
 * the summary tables only). Measured directly: generating a year of appraisals (when missing), refreshing the largest
 * trust's summaries (what a signature that locks an appraisal costs) and refreshing everything (the hourly job).
 */
export const bench: FeatureBench = {
  name: 'appraisals',
  async prepare({ deps, session, log }) {
    const db = deps.db;
    const today = deps.clock.now().toISOString().slice(0, 10);
    const measured: Record<string, unknown> = {};
    if (
      !(await db.selectFrom('appraisal_cycles').select('id').where('synthetic', '=', true).limit(1).executeTakeFirst())
    ) {
      const trusts = await sql<{ id: number }>`
        SELECT DISTINCT organisation_id AS id FROM assignments WHERE end_date IS NULL`.execute(db);
      log('appraisals: no synthetic appraisals yet, generating a year of them');
      const t0 = performance.now();
      log(
        await seedExtension.run(deps, {
          scale: 'national',
          seed: 1,
          organisationIds: trusts.rows.map((r) => r.id),
          today,
          log,
        }),
      );
      measured.generateSeconds = Math.round((performance.now() - t0) / 100) / 10;
    }

    const largest = await db
      .selectFrom('appraisal_status_summary as s')
      .innerJoin('organisations as o', 'o.id', 's.area_id')
      .select(['o.id', 'o.code', 'o.icb_id', 's.people'])
      .where('s.level', '=', 'organisation')
      .where('s.dimension', '=', 'total')
      .orderBy('s.people', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    measured.largestTrust = { code: largest.code, people: largest.people };

    let t = performance.now();
    await refreshAppraisalSummaries(db, today, [largest.id]);
    measured.refreshLargestTrustMs = Math.round(performance.now() - t);
    t = performance.now();
    await refreshAppraisalSummaries(db, today);
    measured.refreshAllMs = Math.round(performance.now() - t);

    const admin = await session(deps, 'bench-appraisals-admin@leadwell.test', 'Bench appraisals admin', {
      role: 'org_admin',
      orgId: largest.id,
    });
    const national = await session(deps, 'bench-appraisals-national@leadwell.test', 'Bench national admin', {
      role: 'national_admin',
      orgId: null,
    });
    return {
      measured,
      scenarios: [
        {
          label: `appraisal dashboard of the largest trust (${largest.people} staff)`,
          paths: [`/appraisals/organisations/${largest.code}`],
          cookie: admin,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: 'appraisal-status API of the largest trust',
          paths: [`/api/v1/organisations/${largest.code}/appraisal-status`],
          cookie: admin,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: 'appraisal dashboard of England',
          paths: ['/appraisals/england'],
          cookie: national,
          connections: 10,
          goalP95Ms: 100,
        },
      ],
    };
  },
};
