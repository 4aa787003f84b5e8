import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { seedExtension as burdenSeed } from '../src/features/burden/generate.ts';
import { seedExtension as pulseSeed } from '../src/features/pulse/generate.ts';
import type { FeatureBench } from './feature.ts';

/**
 * The reporting burden at national scale: the national view for approval bodies, the England analysis page and
 * the overlap analysis (goal p95 < 100 ms at 10 connections), the pulse results for England; and a pulse
 * submission measured directly: 200 sequential answers by different managers through the real app
 * (app.inject: CSRF check, session, validation, one transaction with the response, the round's sums and the
 * audit entry), goal p95 < 30 ms.
 */

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
const round1 = (n: number) => Math.round(n * 10) / 10;

export const bench: FeatureBench = {
  name: 'burden',
  async prepare({ deps, session, log }) {
    const db = deps.db;
    const today = deps.clock.now().toISOString().slice(0, 10);
    const trusts = async () =>
      (
        await sql<{
          id: number;
        }>`SELECT DISTINCT organisation_id AS id FROM assignments WHERE end_date IS NULL`.execute(db)
      ).rows.map((r) => r.id);
    const ctx = async () => ({ scale: 'national' as const, seed: 1, organisationIds: await trusts(), today, log });
    if (
      !(await db.selectFrom('burden_returns').select('id').where('synthetic', '=', true).limit(1).executeTakeFirst())
    ) {
      log('burden: no synthetic register yet, generating it');
      log(await burdenSeed.run(deps, await ctx()));
    }
    if (!(await db.selectFrom('pulse_rounds').select('id').where('synthetic', '=', true).limit(1).executeTakeFirst())) {
      log('pulse: no synthetic pulses yet, generating them');
      log(await pulseSeed.run(deps, await ctx()));
    }
    const national = await session(deps, 'bench-burden-national@leadwell.test', 'Bench national admin', {
      role: 'national_admin',
      orgId: null,
    });

    // 200 managers who have not answered the open round, each with a session; one submission each.
    const managers = await sql<{ person_id: number }>`
      SELECT DISTINCT ON (a.person_id) a.person_id FROM assignments a
       WHERE a.end_date IS NULL AND a.is_manager
         AND NOT EXISTS (SELECT 1 FROM accounts acc WHERE acc.person_id = a.person_id)
         AND NOT EXISTS (SELECT 1 FROM pulse_responses p JOIN pulse_rounds r ON r.id = p.round_id
                          WHERE p.person_id = a.person_id AND r.closes_on >= ${today}::date)
       ORDER BY a.person_id LIMIT 200`.execute(db);
    const app = await buildApp(deps, { demoMode: false });
    await app.ready();
    const times: number[] = [];
    try {
      for (const m of managers.rows) {
        const cookie = await session(
          deps,
          `bench-pulse-${m.person_id}@leadwell.test`,
          'Bench manager',
          undefined,
          Number(m.person_id),
        );
        const page = await app.inject({ method: 'GET', url: '/pulse', headers: { cookie } });
        const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
        const cookies = [cookie, ...page.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
        const t = performance.now();
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/pulse/responses',
          headers: { cookie: cookies, 'x-csrf-token': token ?? '' },
          payload: { upward: 4.5, meetings: 10, people_mgmt: 8, improvement: 3, operational: 12, other: 2 },
        });
        times.push(performance.now() - t);
        if (res.statusCode !== 201 && res.statusCode !== 200)
          throw new Error(`pulse submission: ${res.statusCode} ${res.body}`);
      }
    } finally {
      await app.close();
    }
    times.sort((a, b) => a - b);

    return {
      scenarios: [
        {
          label: 'burden: national view, top 50 returns (national admin)',
          paths: ['/burden/analysis/returns', '/burden/analysis/returns?by=cost'],
          cookie: national,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: 'burden: England analysis with trend',
          paths: ['/burden/analysis'],
          cookie: national,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: 'burden: overlap analysis',
          paths: ['/burden/overlaps'],
          cookie: national,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: 'pulse: results for England',
          paths: ['/pulse/results'],
          cookie: national,
          connections: 10,
          goalP95Ms: 100,
        },
      ],
      measured: {
        pulseSubmissions: times.length,
        pulseSubmitP50Ms: round1(pct(times, 0.5)),
        pulseSubmitP95Ms: round1(pct(times, 0.95)),
        pulseSubmitGoalP95Ms: 30,
      },
    };
  },
};
