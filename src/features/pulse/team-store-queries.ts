import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { categories, type Sums } from './pulse.ts';
import type { Db } from './queries.ts';

// The SQL of the stored team view (docs/burden.md, "Results by team"): which closed rounds need their decisions
// (re)taken, writing them, and what one team's page reads back.

const cols = sql.join(categories.map((c) => sql.ref(c)));

/**
 * The fingerprint of an organisation's team tree, the same text treeHash (team-store.ts) hashes: "id>parent" by
 * id, joined by commas. Decisions taken on another tree (a team moved, added or closed into another) do not hold.
 */
const treeText = sql`coalesce(string_agg(t.id::text || '>' || coalesce(t.parent_team_id::text, ''), ',' ORDER BY t.id), '')`;
const treeHashOf = (orgId: number) => sql`(SELECT md5(${treeText}) FROM teams t WHERE t.organisation_id = ${orgId})`;

/** Stored decisions of a round hold while the tree, the minimum and the round's sums are those they were taken on. */
const fresh = (treeHash: ReturnType<typeof sql>, minimum: number) => sql`(
  p.round_id IS NOT NULL AND p.minimum = ${minimum} AND p.tree_hash = ${treeHash}
  AND (p.responses, ${sql.join(categories.map((c) => sql`p.${sql.ref(c)}`))})
      = (s.responses, ${sql.join(categories.map((c) => sql`s.${sql.ref(c)}`))}))`;

/** Closed rounds (opened since `since`) whose stored decisions are missing or no longer hold, by organisation. */
export async function staleTeamRounds(db: Db, today: string, since: string, minimum: number, orgIds?: number[]) {
  const only = orgIds ? sql`AND r.organisation_id = ANY(${orgIds}::int[])` : sql``;
  // Each organisation's tree hashed once, not once per round.
  const res = await sql<{ round_id: number; organisation_id: number }>`
    WITH closed AS (
      SELECT r.id, r.organisation_id, r.opens_on FROM pulse_rounds r
        JOIN pulse_round_summary s ON s.round_id = r.id
       WHERE r.closes_on < ${today}::date AND s.opens_on >= ${since}::date ${only}
    ), trees AS (
      SELECT o.id AS organisation_id,
             (SELECT md5(${treeText}) FROM teams t WHERE t.organisation_id = o.id) AS tree_hash
        FROM (SELECT DISTINCT organisation_id AS id FROM closed) o
    )
    SELECT r.id AS round_id, r.organisation_id
      FROM closed r
      JOIN trees h ON h.organisation_id = r.organisation_id
      JOIN pulse_round_summary s ON s.round_id = r.id
      LEFT JOIN pulse_team_periods p ON p.round_id = r.id
     WHERE NOT ${fresh(sql`h.tree_hash`, minimum)}
     ORDER BY r.organisation_id, r.opens_on`.execute(db);
  return res.rows;
}

export interface RoundSums {
  roundId: number;
  opensOn: string;
  /** As stored (numeric text), to record in the header exactly. */
  raw: Record<(typeof categories)[number], string> & { responses: number };
}

/** The organisation-wide sums of some rounds (pulse_round_summary). */
export async function roundSums(db: Db, roundIds: number[]): Promise<RoundSums[]> {
  const rows = await db
    .selectFrom('pulse_round_summary')
    .select(['round_id', sql<string>`opens_on::text`.as('opens_on'), 'responses', ...categories])
    .where('round_id', 'in', roundIds.length ? roundIds : [-1])
    .execute();
  return rows.map((r) => ({ roundId: r.round_id, opensOn: r.opens_on, raw: { ...r, responses: Number(r.responses) } }));
}

export interface StoredTeam {
  teamId: number;
  sums: Sums;
  hidden: boolean;
  ownHidden: boolean;
}

/**
 * Replace the stored decisions of one organisation's rounds, in one transaction. A lock on the organisation keeps
 * two runs (two instances) from interleaving; whichever runs second writes the same rows again.
 */
export async function saveTeamDecisions(
  db: Kysely<DB>,
  orgId: number,
  treeHash: string,
  minimum: number,
  rounds: { round: RoundSums; teams: StoredTeam[] }[],
) {
  await db.transaction().execute(async (trx: Transaction<DB>) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('leadwell.pulse.team-disclosure'), ${orgId}::int)`.execute(trx);
    const ids = rounds.map((r) => r.round.roundId);
    await trx
      .deleteFrom('pulse_team_periods')
      .where('round_id', 'in', ids.length ? ids : [-1])
      .execute();
    if (!rounds.length) return;
    await trx
      .insertInto('pulse_team_periods')
      .values(
        rounds.map(({ round }) => ({
          round_id: round.roundId,
          organisation_id: orgId,
          opens_on: round.opensOn,
          tree_hash: treeHash,
          minimum,
          ...round.raw,
        })),
      )
      .execute();
    const rows = rounds.flatMap(({ round, teams }) => teams.map((t) => ({ roundId: round.roundId, ...t })));
    // unnest of arrays: one statement however many teams, and no bind-parameter limit.
    for (let i = 0; i < rows.length; i += 20000) {
      const chunk = rows.slice(i, i + 20000);
      const arr = (f: (r: (typeof chunk)[number]) => unknown) => chunk.map(f);
      await sql`
        INSERT INTO pulse_team_disclosure (round_id, team_id, responses, ${cols}, hidden, own_hidden)
        SELECT * FROM unnest(${arr((r) => r.roundId)}::int[], ${arr((r) => r.teamId)}::int[],
                             ${arr((r) => r.sums.responses)}::int[],
                             ${sql.join(categories.map((c) => sql`${arr((r) => r.sums[c])}::float8[]`))},
                             ${arr((r) => r.hidden)}::bool[], ${arr((r) => r.ownHidden)}::bool[])`.execute(trx);
    }
  });
}

type StoredRow = Record<string, number | boolean | string | null>;
const storedOf = (r: StoredRow): StoredTeam | undefined => {
  if (r.responses === null) return undefined;
  const sums = { responses: Number(r.responses) } as Sums;
  for (const c of categories) sums[c] = Number(r[c]);
  return { teamId: Number(r.team_id), sums, hidden: Boolean(r.hidden), ownHidden: Boolean(r.own_hidden) };
};

/**
 * One team's page, stored, in one statement: each closed round of its organisation opened since `since` (the same
 * rounds as the organisation's closed sums) with whether its stored decisions hold and the team's stored row (none:
 * no answers in or under it); then the teams directly under it (in the organisation's team order: name, id) with
 * their rows of the latest of those rounds. About a dozen rows by primary key, and the organisation's teams for the
 * fingerprint.
 */
export async function storedTeamView(
  db: Db,
  orgId: number,
  teamId: number,
  range: { today: string; since: string },
  minimum: number,
) {
  const res = await sql<
    StoredRow & { part: boolean; round_id: number | null; opens_on: string | null; fresh: boolean | null; name: string }
  >`
    WITH rounds AS (
      SELECT r.id, s.opens_on, ${fresh(treeHashOf(orgId), minimum)} AS fresh
        FROM pulse_round_summary s
        JOIN pulse_rounds r ON r.id = s.round_id
        LEFT JOIN pulse_team_periods p ON p.round_id = s.round_id
       WHERE s.organisation_id = ${orgId} AND s.opens_on >= ${range.since}::date
         AND r.organisation_id = ${orgId} AND r.closes_on < ${range.today}::date
    ), latest AS (SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1)
    SELECT false AS part, x.id AS round_id, x.opens_on::text AS opens_on, x.fresh, ${teamId}::int AS team_id,
           NULL::text AS name, d.responses, ${sql.join(categories.map((c) => sql`d.${sql.ref(c)}`))}, d.hidden,
           d.own_hidden
      FROM rounds x
      LEFT JOIN pulse_team_disclosure d ON d.round_id = x.id AND d.team_id = ${teamId}
    UNION ALL
    SELECT true, (SELECT id FROM latest), NULL, NULL, t.id, t.name, d.responses,
           ${sql.join(categories.map((c) => sql`d.${sql.ref(c)}`))}, d.hidden, d.own_hidden
      FROM teams t
      LEFT JOIN pulse_team_disclosure d ON d.round_id = (SELECT id FROM latest) AND d.team_id = t.id
     WHERE t.organisation_id = ${orgId} AND t.parent_team_id = ${teamId}
     ORDER BY part, opens_on, name, team_id`.execute(db);
  const rounds = res.rows
    .filter((r) => !r.part)
    .map((r) => ({ roundId: r.round_id!, opensOn: r.opens_on!, fresh: r.fresh!, row: storedOf(r) }));
  const parts = res.rows.filter((r) => r.part).map((r) => ({ id: Number(r.team_id), name: r.name, row: storedOf(r) }));
  return { rounds, parts };
}
