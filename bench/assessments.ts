import { sql } from 'kysely';
import { seedExtension } from '../src/features/assessments/generate.ts';
import { findAssessment } from '../src/features/assessments/queries.ts';
import { submittedResultOf } from '../src/features/assessments/result.ts';
import { computeResult } from '../src/features/assessments/result-store.ts';
import { loadStarters } from '../src/features/frameworks/import.ts';
import type { FeatureBench } from './feature.ts';

/**
 * Self-assessment at national scale: a seeded manager's result page (profile chart and table, gaps, evidence) and
 * development plan page, as the manager reads them (goal p95 < 50 ms at 10 connections); the same result read by
 * their line manager (audited on every read); and, without HTTP, computing one assessment's result (scores and
 * profile chart: done once, at submission) against reading its stored result (what every page does).
 */
export const bench: FeatureBench = {
  name: 'assessments',
  async prepare({ deps, session, log }) {
    const db = deps.db;
    if (
      !(await db.selectFrom('self_assessments').select('id').where('synthetic', '=', true).limit(1).executeTakeFirst())
    ) {
      await loadStarters(db);
      const trusts = await sql<{ id: number }>`
        SELECT DISTINCT organisation_id AS id FROM assignments WHERE end_date IS NULL`.execute(db);
      log('assessments: no synthetic self-assessments yet, generating them');
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

    // Up to 50 seeded managers with a submitted assessment and plan items, each with their line manager.
    const picked = await sql<{ id: number; person_id: number; manager_person_id: number | null }>`
      SELECT sa.id, sa.person_id,
             (SELECT m.person_id FROM assignments a JOIN assignments m ON m.id = a.line_manager_assignment_id
               WHERE a.person_id = sa.person_id AND a.end_date IS NULL LIMIT 1) AS manager_person_id
        FROM self_assessments sa
       WHERE sa.synthetic AND sa.status = 'submitted'
         AND EXISTS (SELECT 1 FROM development_plan_items i WHERE i.person_id = sa.person_id)
       ORDER BY sa.id LIMIT 50`.execute(db);
    const rows = picked.rows;
    if (!rows.length) throw new Error('assessments: no seeded self-assessment with plan items to measure');
    const first = rows[0];
    const own = await session(
      deps,
      `bench-assessments-self-${first.person_id}@leadwell.test`,
      'Bench self-assessor',
      undefined,
      Number(first.person_id),
    );
    const scenarios = [
      {
        label: 'self-assessment result page (own)',
        paths: [`/me/development/assessments/${first.id}`],
        cookie: own,
        connections: 10,
        goalP95Ms: 50,
      },
      {
        label: 'development plan page (own)',
        paths: ['/me/development/plan'],
        cookie: own,
        connections: 10,
        goalP95Ms: 50,
      },
      {
        label: 'self-assessments API (own)',
        paths: ['/api/v1/me/assessments'],
        cookie: own,
        connections: 10,
        goalP95Ms: 50,
      },
    ];
    if (first.manager_person_id !== null) {
      const manager = await session(
        deps,
        `bench-assessments-manager-${first.manager_person_id}@leadwell.test`,
        'Bench line manager',
        undefined,
        Number(first.manager_person_id),
      );
      scenarios.push({
        label: 'report’s self-assessment result, read by line manager (audited)',
        paths: [`/development/people/${first.person_id}/assessments/${first.id}`],
        cookie: manager,
        connections: 10,
        goalP95Ms: 50,
      });
    }

    let started = performance.now();
    for (const r of rows) await computeResult(db, (await findAssessment(db, Number(r.id)))!);
    const computeMs = (performance.now() - started) / rows.length;
    // The first read stores a result that is missing (seeded assessments have none): time the reads after it.
    for (const r of rows) await submittedResultOf(db, Number(r.person_id), Number(r.id));
    started = performance.now();
    for (const r of rows) await submittedResultOf(db, Number(r.person_id), Number(r.id));
    const readMs = (performance.now() - started) / rows.length;
    const counts = await sql<{ assessments: number; ratings: number; items: number }>`
      SELECT (SELECT count(*)::int FROM self_assessments) AS assessments,
             (SELECT count(*)::int FROM self_assessment_ratings) AS ratings,
             (SELECT count(*)::int FROM development_plan_items) AS items`.execute(db);
    return {
      scenarios,
      measured: {
        computeOneResultMs: Math.round(computeMs * 100) / 100,
        readOneStoredResultMs: Math.round(readMs * 100) / 100,
        ...counts.rows[0],
      },
    };
  },
};
