import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { SeedContext, SeedExtension } from '../seed/extension.ts';
import { refreshTeamDisclosure } from './team-store.ts';

/**
 * Synthetic time-use pulses for `leadwell seed`: monthly rounds for the last 12 months (the current one open) for
 * every seeded trust, answered by about two thirds of their managers (current assignments marked as management
 * posts, each answering for the team of that post), then the per-round and per-team sums written from the responses
 * and the team view's decisions of the closed rounds stored. All set-based: about 40,000 managers × 12 rounds
 * at national scale in one INSERT … SELECT. Hours come from a hash of (seed, person, round), so a seed always
 * gives the same answers; upward reporting drifts down slowly and varies by trust, so charts have something to show.
 */

const ROUNDS = 12;

async function run(deps: Deps, ctx: SeedContext): Promise<string> {
  const { db } = deps;
  await db.deleteFrom('pulse_rounds').where('synthetic', '=', true).execute();
  const orgs = ctx.organisationIds.length ? ctx.organisationIds : [-1];
  await sql`
    INSERT INTO pulse_rounds (organisation_id, cadence, opens_on, closes_on, synthetic)
    SELECT o.id, 'monthly', m.opens_on, (m.opens_on + interval '1 month - 1 day')::date, true
      FROM organisations o
      CROSS JOIN LATERAL (SELECT (date_trunc('month', ${ctx.today}::date) - make_interval(months => n))::date AS opens_on
                            FROM generate_series(0, ${ROUNDS - 1}) AS n) m
     WHERE o.id = ANY(${orgs}::int[])
    ON CONFLICT (organisation_id, opens_on) DO NOTHING`.execute(db);
  const h = (salt: string) =>
    sql`(('x' || substr(md5(${String(ctx.seed)} || ':' || m.person_id || ':' || r.opens_on || ${salt}), 1, 8))::bit(32)::int & 2147483647)`;
  // Months back from today (0 = the open round): older rounds carry a little more upward reporting.
  const age = sql`((date_part('year', ${ctx.today}::date) - date_part('year', r.opens_on)) * 12
                   + date_part('month', ${ctx.today}::date) - date_part('month', r.opens_on))::int`;
  const trustShift = sql`((('x' || substr(md5(${String(ctx.seed)} || ':org:' || r.organisation_id), 1, 8))::bit(32)::int & 2147483647) % 30) / 10.0`;
  const res = await sql`
    INSERT INTO pulse_responses (round_id, person_id, team_id, upward, meetings, people_mgmt, improvement, operational,
                                 other, submitted_at, updated_at)
    SELECT r.id, m.person_id, m.team_id,
           round(1.5 + ${trustShift} + ${age} * 0.12 + (${h(':u')} % 40) / 10.0, 1),
           round(6 + (${h(':m')} % 80) / 10.0, 1),
           round(4 + (${h(':p')} % 60) / 10.0, 1),
           round((${h(':i')} % 50) / 10.0, 1),
           round(8 + (${h(':o')} % 100) / 10.0, 1),
           round((${h(':x')} % 60) / 10.0, 1),
           r.opens_on + interval '3 days', r.opens_on + interval '3 days'
      FROM pulse_rounds r
      JOIN (SELECT DISTINCT ON (a.organisation_id, a.person_id) a.organisation_id, a.person_id, a.team_id
              FROM assignments a
             WHERE a.end_date IS NULL AND a.is_manager AND a.organisation_id = ANY(${orgs}::int[])
             ORDER BY a.organisation_id, a.person_id, a.start_date, a.id) m
        ON m.organisation_id = r.organisation_id
     WHERE r.synthetic AND ${h(':answered')} % 100 < CASE WHEN r.closes_on >= ${ctx.today}::date THEN 35 ELSE 65 END
    ON CONFLICT (round_id, person_id) DO NOTHING`.execute(db);
  await sql`
    INSERT INTO pulse_round_summary (round_id, organisation_id, opens_on, responses, upward, meetings, people_mgmt,
                                     improvement, operational, other)
    SELECT r.id, r.organisation_id, r.opens_on, count(*)::int, sum(p.upward), sum(p.meetings), sum(p.people_mgmt),
           sum(p.improvement), sum(p.operational), sum(p.other)
      FROM pulse_rounds r JOIN pulse_responses p ON p.round_id = r.id
     WHERE r.synthetic
     GROUP BY r.id`.execute(db);
  await sql`
    INSERT INTO pulse_team_summary (round_id, team_id, organisation_id, opens_on, responses, upward, meetings,
                                    people_mgmt, improvement, operational, other)
    SELECT r.id, p.team_id, r.organisation_id, r.opens_on, count(*)::int, sum(p.upward), sum(p.meetings),
           sum(p.people_mgmt), sum(p.improvement), sum(p.operational), sum(p.other)
      FROM pulse_rounds r JOIN pulse_responses p ON p.round_id = r.id
     WHERE r.synthetic AND p.team_id IS NOT NULL
     GROUP BY r.id, p.team_id`.execute(db);
  // The team view's decisions for the closed rounds, as the nightly job would store them (about 45 s nationally).
  const stored = await refreshTeamDisclosure(db, ctx.today, deps.config.disclosureMin, ctx.organisationIds);
  return `${ROUNDS} monthly rounds for ${ctx.organisationIds.length} organisations, ${Number(res.numAffectedRows ?? 0)} responses, team decisions of ${stored.rounds} closed rounds`;
}

export const seedExtension: SeedExtension = { name: 'pulse', run };
