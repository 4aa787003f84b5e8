import { sql } from 'kysely';
import { seedExtension as prioritiesSeed } from '../src/features/priorities/generate.ts';
import { refreshThicket } from '../src/features/priorities/refresh.ts';
import { refreshTeamDisclosure } from '../src/features/pulse/team-store.ts';
import { seedExtension as reorganisationsSeed } from '../src/features/reorganisations/generate.ts';
import { refreshReorganisations } from '../src/features/reorganisations/queries.ts';
import type { FeatureBench } from './feature.ts';

/**
 * Management workload at national scale: the England thicket view, the England reorganisation summary and the
 * England pulse results, as pages and through the API, and the pulse results of the busiest directorate, at 10
 * connections (goal p95 < 100 ms: they read summary tables). Measured directly: one full
 * refresh of the thicket (every team, manager, area and the 24-month trend) and of the reorganisation summaries,
 * which the nightly `priorities.refresh` job runs, and the pulse's stored team decisions (`pulse.team-disclosure`).
 */
export const bench: FeatureBench = {
  name: 'priorities',
  async prepare({ deps, session, log }) {
    const db = deps.db;
    const today = deps.clock.now().toISOString().slice(0, 10);
    const ctx = async () => ({
      scale: 'national' as const,
      seed: 1,
      organisationIds: (
        await sql<{ id: number }>`SELECT DISTINCT organisation_id AS id FROM teams WHERE synthetic`.execute(db)
      ).rows.map((r) => r.id),
      today,
      log,
    });
    if (!(await db.selectFrom('priorities').select('id').where('synthetic', '=', true).limit(1).executeTakeFirst())) {
      log('priorities: no synthetic priorities yet, generating them');
      log(await prioritiesSeed.run(deps, await ctx()));
    }
    if (
      !(await db.selectFrom('reorganisations').select('id').where('synthetic', '=', true).limit(1).executeTakeFirst())
    ) {
      log('reorganisations: no synthetic reorganisations yet, generating them');
      log(await reorganisationsSeed.run(deps, await ctx()));
    }
    let t = performance.now();
    const refreshed = await refreshThicket(db, today);
    const thicketRefreshMs = Math.round(performance.now() - t);
    t = performance.now();
    await refreshReorganisations(db);
    const reorganisationRefreshMs = Math.round(performance.now() - t);
    log(
      `priorities: thicket refresh ${thicketRefreshMs} ms (${refreshed.teams} teams, ${refreshed.managers} managers)`,
    );
    // What the nightly `pulse.team-disclosure` job does: store the team view's decisions of the closed rounds
    // (all of them the first time; afterwards only rounds that closed since, or whose team tree changed).
    t = performance.now();
    const teamDecisions = await refreshTeamDisclosure(db, today, deps.config.disclosureMin);
    const teamDisclosureMs = Math.round(performance.now() - t);
    log(`pulse: team decisions stored for ${teamDecisions.rounds} round(s) in ${teamDisclosureMs} ms`);

    const national = await session(deps, 'bench-priorities-national@leadwell.test', 'Bench national admin', {
      role: 'national_admin',
      orgId: null,
    });
    // The team view: the top-level team with the most pulse answers in its organisation's latest rounds, seen by
    // an admin of that organisation (the teams under it are counted with it).
    const busiest = (
      await sql<{ team_id: number; organisation_id: number }>`
        SELECT t.id AS team_id, t.organisation_id FROM pulse_team_summary s
          JOIN teams t ON t.id = s.team_id AND t.parent_team_id IS NULL
         GROUP BY t.id ORDER BY sum(s.responses) DESC LIMIT 1`.execute(db)
    ).rows[0];
    const teamAdmin = busiest
      ? await session(deps, 'bench-pulse-team-admin@leadwell.test', 'Bench pulse team admin', {
          role: 'org_admin',
          orgId: busiest.organisation_id,
        })
      : undefined;
    return {
      scenarios: [
        {
          label: 'priorities: England thicket view (page and API)',
          paths: ['/priorities/areas/england', '/api/v1/priorities/thicket?area=england'],
          cookie: national,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: 'reorganisations: England summary (page and API)',
          paths: ['/reorganisations/areas/england', '/api/v1/reorganisations/summary?area=england'],
          cookie: national,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: 'pulse: results for England (page and API)',
          paths: ['/pulse/results', '/api/v1/pulse/results'],
          cookie: national,
          connections: 10,
          goalP95Ms: 100,
        },
        ...(busiest && teamAdmin
          ? [
              {
                label: 'pulse: results of a directorate (organisation admin)',
                paths: [`/pulse/teams/${busiest.team_id}`],
                cookie: teamAdmin,
                connections: 10,
                goalP95Ms: 100,
              },
            ]
          : []),
      ],
      measured: {
        thicketRefreshMs,
        reorganisationRefreshMs,
        teams: refreshed.teams,
        managers: refreshed.managers,
        teamDisclosureMs,
        teamDisclosureRounds: teamDecisions.rounds,
      },
    };
  },
};
