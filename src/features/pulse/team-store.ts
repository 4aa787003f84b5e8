import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { type Aggregate, addSums, aggregate, categories, emptySums, type Sums } from './pulse.ts';
import { orgTeams, teamClosedSums } from './team-queries.ts';
import { minus, type TeamNode, teamFigures } from './team-results.ts';
import {
  type RoundSums,
  roundSums,
  type StoredTeam,
  saveTeamDecisions,
  staleTeamRounds,
} from './team-store-queries.ts';

/**
 * The team view's decisions, taken once per closed round by the job `pulse.team-disclosure` instead of on every
 * page (docs/burden.md, "Results by team"). A closed round's answers never change, so its decisions hold until the
 * team tree or the disclosure minimum changes; a page checks both (and the round's sums) and computes a round
 * whose stored decisions no longer hold as before, so what it shows never depends on whether the job has run.
 *
 * The decisions are those of teamFigures over the whole tree, without the ICB view's hiding of the organisation
 * (that depends on other organisations' rounds and is applied by the page): when the ICB view hides the
 * organisation, every team is hidden, which the page derives from the stored figures alone.
 */

/** The same fingerprint the SQL computes (team-store-queries.ts): "id>parent" by id, joined by commas. */
export function treeHash(teams: readonly { id: number; parent_team_id: number | null }[]): string {
  const text = [...teams]
    .sort((a, b) => a.id - b.id)
    .map((t) => `${t.id}>${t.parent_team_id ?? ''}`)
    .join(',');
  return createHash('md5').update(text).digest('hex');
}

/** One round's decisions as rows to store: every team with answers in it or under it. */
export function decisionsToStore(
  nodes: readonly TeamNode[],
  orgSums: Sums,
  direct: ReadonlyMap<number, Sums>,
  minimum: number,
): StoredTeam[] {
  const { teams } = teamFigures(nodes, orgSums, direct, minimum);
  const out: StoredTeam[] = [];
  for (const [teamId, f] of teams) {
    if (f.sums.responses === 0) continue;
    out.push({ teamId, sums: f.sums, hidden: f.aggregate.suppressed, ownHidden: f.own.suppressed });
  }
  return out;
}

/** A team's figure from its stored row (none: nobody answered in or under it), hidden with its organisation. */
export function storedAggregate(row: StoredTeam | undefined, minimum: number, orgHidden: boolean): Aggregate {
  if (!row) return { responses: 0, suppressed: true };
  return aggregate(row.sums, minimum, orgHidden || row.hidden);
}

/**
 * The figure of managers in a team itself, from its stored row and those of the teams directly under it (in the
 * organisation's team order, as teamFigures adds them): the team's sums minus theirs.
 */
export function storedOwn(row: StoredTeam, parts: readonly (StoredTeam | undefined)[], minimum: number): Aggregate {
  const partsSum = parts.reduce<Sums>((s, p) => addSums(s, p?.sums ?? emptySums()), emptySums());
  return aggregate(minus(row.sums, partsSum), minimum, row.ownHidden);
}

const TREND_MONTHS = 24;
export const sinceOf = (today: string) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - TREND_MONTHS);
  return d.toISOString().slice(0, 10);
};

const sumsOf = (r: RoundSums): Sums => {
  const s = { responses: r.raw.responses } as Sums;
  for (const c of categories) s[c] = Number(r.raw[c]);
  // As the page adds them up (addSums onto nothing), so the numbers are the same.
  return addSums(emptySums(), s);
};

/**
 * Take the decisions of every closed round (of the last 24 months) that has none stored or whose stored ones no
 * longer hold, organisation by organisation. Safe to run twice or on several instances: it works from what is
 * stale, and each organisation's rows are replaced in one locked transaction.
 */
export async function refreshTeamDisclosure(
  db: Database,
  today: string,
  minimum: number,
  orgIds?: number[],
): Promise<{ organisations: number; rounds: number; teams: number }> {
  const since = sinceOf(today);
  const stale = await staleTeamRounds(db, today, since, minimum, orgIds);
  const byOrg = new Map<number, number[]>();
  for (const r of stale) byOrg.set(r.organisation_id, [...(byOrg.get(r.organisation_id) ?? []), r.round_id]);
  let teams = 0;
  for (const [orgId, roundIds] of byOrg) {
    const [tree, rounds, teamRows] = await Promise.all([
      orgTeams(db, orgId),
      roundSums(db, roundIds),
      teamClosedSums(db, orgId, today, since, roundIds),
    ]);
    const nodes = tree.map((t) => ({ id: t.id, parentId: t.parent_team_id, name: t.name }));
    const direct = new Map<number, Map<number, Sums>>();
    for (const r of teamRows) {
      const m = direct.get(r.roundId) ?? new Map<number, Sums>();
      m.set(r.teamId, r.sums);
      direct.set(r.roundId, m);
    }
    const decided = rounds.map((round) => ({
      round,
      teams: decisionsToStore(nodes, sumsOf(round), direct.get(round.roundId) ?? new Map(), minimum),
    }));
    teams += decided.reduce((n, d) => n + d.teams.length, 0);
    await saveTeamDecisions(db, orgId, treeHash(tree), minimum, decided);
  }
  return { organisations: byOrg.size, rounds: stale.length, teams };
}
