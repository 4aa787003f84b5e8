import { sql } from 'kysely';
import { seedExtension } from '../src/features/feedback/generate.ts';
import { findRound } from '../src/features/feedback/queries.ts';
import { computeReport, storedReportOf, storeMissingReports } from '../src/features/feedback/report-store.ts';
import { loadStarters } from '../src/features/frameworks/import.ts';
import type { FeatureBench } from './feature.ts';

/**
 * 360 feedback at national scale: a person's report (goal p95 < 50 ms at 10 connections), as the person reads it and
 * as an organisation admin reads reports shared with them (each such read is audited), in the page and the API;
 * and, measured directly, the report's build (aggregates, anonymity rule, insights, chart: what the closing job
 * does once per round) against reading the stored report (what every request does).
 */
export const bench: FeatureBench = {
  name: 'feedback',
  async prepare({ deps, session, log }) {
    const db = deps.db;
    if (
      !(await db.selectFrom('feedback_rounds').select('id').where('synthetic', '=', true).limit(1).executeTakeFirst())
    ) {
      await loadStarters(db);
      const trusts = await sql<{ id: number }>`
        SELECT DISTINCT organisation_id AS id FROM assignments WHERE end_date IS NULL`.execute(db);
      log('feedback: no synthetic 360 rounds yet, generating them');
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

    // The organisation with the most shared reports, and up to 50 of them.
    const org = await sql<{ id: number }>`
      SELECT a.organisation_id AS id FROM feedback_rounds r
        JOIN assignments a ON a.person_id = r.person_id AND a.end_date IS NULL
       WHERE r.shared_at IS NOT NULL AND r.released_at IS NOT NULL
       GROUP BY a.organisation_id ORDER BY count(*) DESC LIMIT 1`.execute(db);
    const orgId = org.rows[0]!.id;
    const shared = await sql<{ id: number }>`
      SELECT r.id FROM feedback_rounds r
       WHERE r.shared_at IS NOT NULL AND r.released_at IS NOT NULL
         AND EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = r.person_id AND a.end_date IS NULL
                      AND a.organisation_id = ${orgId})
       ORDER BY r.id LIMIT 50`.execute(db);
    const ids = shared.rows.map((r) => r.id);
    const admin = await session(deps, 'bench-feedback-admin@leadwell.test', 'Bench organisation admin', {
      role: 'org_admin',
      orgId,
    });
    const first = (await findRound(db, ids[0]!))!;
    const own = await session(
      deps,
      `bench-feedback-self-${first.person_id}@leadwell.test`,
      'Bench 360 subject',
      undefined,
      Number(first.person_id),
    );

    // Rounds closed before reports were stored get theirs, as the closing job does.
    log(`feedback: stored ${await storeMissingReports(db, 100_000)} reports of closed rounds`);

    // Without HTTP: building a report (once per round, at closing) against reading the stored one (per request).
    const build: number[] = [];
    const read: number[] = [];
    for (const id of ids) {
      const round = (await findRound(db, id))!;
      let t = performance.now();
      await computeReport(db, round);
      build.push(performance.now() - t);
      t = performance.now();
      await storedReportOf(db, round);
      read.push(performance.now() - t);
    }
    const p95 = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return Math.round((s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0) * 10) / 10;
    };

    return {
      scenarios: [
        {
          label: 'feedback: own 360 report page',
          paths: [`/feedback/${first.id}/report`],
          cookie: own,
          connections: 10,
          goalP95Ms: 50,
        },
        {
          label: 'feedback: shared 360 reports read by an organisation admin (audited)',
          paths: ids.map((id) => `/feedback/${id}/report`),
          cookie: admin,
          connections: 10,
          goalP95Ms: 50,
        },
        {
          label: 'feedback: 360 report API',
          paths: ids.map((id) => `/api/v1/feedback/${id}/report`),
          cookie: admin,
          connections: 10,
          goalP95Ms: 50,
        },
      ],
      measured: { reports: ids.length, reportBuildP95Ms: p95(build), storedReportReadP95Ms: p95(read) },
    };
  },
};
