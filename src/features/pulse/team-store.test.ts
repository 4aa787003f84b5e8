import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makeOrg } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import type { Deps } from '../../deps.ts';
import { jobs } from './jobs.ts';
import { categories } from './pulse.ts';
import { teamWithOrg } from './team-queries.ts';
import { sinceOf } from './team-store.ts';
import { staleTeamRounds, storedTeamView } from './team-store-queries.ts';
import { teamResults } from './team-view.ts';

// The team view read from the decisions the job stores must show exactly what computing them live shows: on a
// random team tree, random answers over eleven closed rounds, an ICB whose view hides the organisation in some
// rounds, and after the tree changes. Time moves, so the clock is ours.
let now = new Date('2026-11-10T09:00:00Z');
const ctx = await testApp({ clock: { now: () => now }, env: { DISCLOSURE_MIN: '5' } });
const { deps } = ctx;
const db = deps.db;
const { icb, region, trust } = await makeHierarchy(db, '81');
const sibling = await makeOrg(db, { code: 'R81S', name: 'Sibling Trust', icbId: icb.id, regionId: region.id });

let x = 2026;
const rand = (k: number) => {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return (x >>> 0) % k;
};

// 18 teams; names in another order than ids, so that the order of the parts matters.
const teamIds: number[] = [];
for (let i = 0; i < 18; i++) {
  const parent = i > 0 && rand(4) > 0 ? teamIds[rand(i)]! : null;
  const row = await db
    .insertInto('teams')
    .values({ organisation_id: trust.id, name: `Team ${(i * 7) % 18}`, code: `T${i}`, parent_team_id: parent })
    .returning('id')
    .executeTakeFirstOrThrow();
  teamIds.push(row.id);
}

const hours = (n: number) => Object.fromEntries(categories.map((c) => [c, (n * (20 + rand(400))) / 10]));

/** Rounds from December 2025 to November 2026 (open) with random sums per team, in no team, and for the sibling. */
async function answerRounds() {
  for (let m = 0; m < 12; m++) {
    const opensOn = new Date(Date.UTC(2025, 11 + m, 1)).toISOString().slice(0, 10);
    const closesOn = new Date(Date.UTC(2025, 12 + m, 0)).toISOString().slice(0, 10);
    for (const org of [trust.id, sibling.id]) {
      const round = await db
        .insertInto('pulse_rounds')
        .values({ organisation_id: org, cadence: 'monthly', opens_on: opensOn, closes_on: closesOn })
        .returning('id')
        .executeTakeFirstOrThrow();
      const teams = org === trust.id ? teamIds.filter(() => rand(3) > 0) : [];
      const rows = teams.map((t) => {
        const n = rand(5) === 0 ? 1 + rand(3) : 3 + rand(9);
        return { team_id: t, responses: n, ...hours(n) };
      });
      const noTeam = rand(3);
      // The sibling is small in some rounds, so the ICB's view hides the trust with it; never in October's.
      const siblingN = org === sibling.id ? (m === 10 ? 12 : 1 + rand(12)) : 0;
      const all: Record<string, number>[] = [...rows, { responses: noTeam + siblingN, ...hours(noTeam + siblingN) }];
      const total: Record<string, number> = { responses: all.reduce((s, r) => s + r.responses!, 0) };
      for (const c of categories) total[c] = Math.round(all.reduce((s, r) => s + r[c]!, 0) * 10) / 10;
      if (total.responses === 0) continue;
      await db
        .insertInto('pulse_round_summary')
        .values({ round_id: round.id, organisation_id: org, opens_on: opensOn, ...total } as never)
        .execute();
      if (rows.length) {
        await db
          .insertInto('pulse_team_summary')
          .values(rows.map((r) => ({ round_id: round.id, organisation_id: org, opens_on: opensOn, ...r })) as never)
          .execute();
      }
    }
  }
}
await answerRounds();

const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });

/** Every team's page model, as the page computes it now. */
async function allPages(d: Deps = deps) {
  const out: unknown[] = [];
  for (const id of teamIds) {
    const { team, org } = (await teamWithOrg(db, id))!;
    out.push(await teamResults(d, team, org));
  }
  return out;
}

const job = jobs.find((j) => j.name === 'pulse.team-disclosure')!;
const today = () => now.toISOString().slice(0, 10);
const freshness = async (teamId: number) =>
  (await storedTeamView(db, trust.id, teamId, { today: today(), since: sinceOf(today()) }, 5)).rounds.map(
    (r) => r.fresh,
  );

describe('the stored team view', () => {
  it('shows exactly what computing it live shows, and then reads the stored decisions', async () => {
    const live = await allPages();
    // The fixture covers shown and hidden teams, and rounds hidden with the organisation in its ICB's view.
    const flat = JSON.stringify(live);
    expect(flat).toContain('"shown":true');
    expect(flat).toContain('"shown":false');
    expect(flat).toContain('or hidden');
    expect(flat).toMatch(/"parts":\[\{/);
    expect(await freshness(teamIds[0]!)).toEqual(Array(11).fill(false));

    expect(await job.run(deps, {})).toMatch(/^stored the team decisions of 2[12] round\(s\) of 2 organisation\(s\)/);
    expect(await freshness(teamIds[0]!)).toEqual(Array(11).fill(true));
    expect(await allPages()).toEqual(live);
    expect(await job.run(deps, {})).toMatch(/^stored the team decisions of 0 round\(s\)/);

    // The page itself, through HTTP, from the stored decisions.
    const page = await (await signedIn(ctx, admin.id)).get(`/pulse/teams/${teamIds[0]}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('by round');
  });

  it('computes live again when the team tree or the minimum changes, until the job has run', async () => {
    const moved = teamIds[teamIds.length - 1]!;
    await db.updateTable('teams').set({ parent_team_id: teamIds[1]! }).where('id', '=', moved).execute();
    expect(await freshness(teamIds[0]!)).toEqual(Array(11).fill(false));
    const live = await allPages();
    expect(await staleTeamRounds(db, today(), sinceOf(today()), 5, [trust.id])).toHaveLength(11);
    await job.run(deps, {});
    expect(await allPages()).toEqual(live);

    // Another minimum: the stored decisions do not hold for it.
    const strict = { ...deps, config: { ...deps.config, disclosureMin: 7 } } as Deps;
    expect(await staleTeamRounds(db, today(), sinceOf(today()), 7, [trust.id])).toHaveLength(11);
    const strictLive = await allPages(strict);
    expect(strictLive).not.toEqual(live);
    await job.run(strict, {});
    expect(await allPages(strict)).toEqual(strictLive);
    await job.run(deps, {});
  });

  it('shows a round that has just closed before the job stores it, and the same after', async () => {
    now = new Date('2026-12-02T09:00:00Z'); // November has closed
    expect(await freshness(teamIds[0]!)).toEqual([...Array(11).fill(true), false]);
    const live = await allPages();
    await job.run(deps, {});
    expect(await freshness(teamIds[0]!)).toEqual(Array(12).fill(true));
    expect(await allPages()).toEqual(live);

    // Proof that pages read the stored rows: with the per-team sums gone, the figures stay (the stored rows hold,
    // the organisation's sums and tree being unchanged).
    await sql`DELETE FROM pulse_team_summary WHERE organisation_id = ${trust.id}`.execute(db);
    expect(await allPages()).toEqual(live);
  });
});
