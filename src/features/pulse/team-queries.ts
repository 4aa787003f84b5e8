import { sql } from 'kysely';
import type { OrgRef } from '../priorities/queries.ts';
import { categories, type Sums } from './pulse.ts';
import type { Db } from './queries.ts';

// The SQL of the team view: an organisation's teams and the per-team sums of its closed rounds.

export interface TeamRef {
  id: number;
  organisation_id: number;
  parent_team_id: number | null;
  name: string;
  code: string | null;
}

/** A team with its organisation, in one lookup. */
export async function teamWithOrg(db: Db, id: number): Promise<{ team: TeamRef; org: OrgRef } | undefined> {
  const r = await db
    .selectFrom('teams as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .select([
      't.id',
      't.organisation_id',
      't.parent_team_id',
      't.name',
      't.code',
      'o.code as org_code',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.icb_id',
      'o.region_id',
    ])
    .where('t.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const { org_code, org_name, org_kind, icb_id, region_id, ...team } = r;
  return {
    team,
    org: { id: team.organisation_id, code: org_code, name: org_name, kind: org_kind, icb_id, region_id },
  };
}

/** Every team of an organisation (closed ones too: their answers still count in the teams above them). */
export async function orgTeams(db: Db, orgId: number) {
  return db
    .selectFrom('teams')
    .select(['id', 'parent_team_id', 'name'])
    .where('organisation_id', '=', orgId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/**
 * Sums of the organisation's closed rounds per period and team, from pulse_team_summary. An organisation has one
 * round per opening day, so each (period, team) is one row: no grouping, and the closed rounds are found through
 * the organisation's own rounds (unique (organisation_id, opens_on)), then each round's rows by the primary key.
 */
export async function teamClosedSums(db: Db, orgId: number, today: string, since: string, onlyRounds?: number[]) {
  const only = onlyRounds ? sql`AND r.id = ANY(${onlyRounds}::int[])` : sql``;
  const res = await sql<Record<string, string | number>>`
    SELECT s.opens_on::text AS opens_on, s.round_id, s.team_id, s.responses, ${sql.join(categories.map((c) => sql`s.${sql.ref(c)}`))}
      FROM pulse_team_summary s
     WHERE s.round_id IN (SELECT r.id FROM pulse_rounds r
                           WHERE r.organisation_id = ${orgId} AND r.opens_on >= ${since}::date
                             AND r.closes_on < ${today}::date ${only})`.execute(db);
  return res.rows.map((r) => {
    const sums = { responses: Number(r.responses) } as Sums;
    for (const c of categories) sums[c] = Number(r[c]);
    return { opensOn: String(r.opens_on), roundId: Number(r.round_id), teamId: Number(r.team_id), sums };
  });
}

/** The teams given and every team above them, to decide whether a line manager's teams include a team. */
export async function teamAndAncestors(db: Db, teamId: number): Promise<number[]> {
  const res = await sql<{ id: number }>`
    WITH RECURSIVE up(id, parent) AS (
      SELECT id, parent_team_id FROM teams WHERE id = ${teamId}
      UNION
      SELECT t.id, t.parent_team_id FROM up JOIN teams t ON t.id = up.parent
    ) SELECT id FROM up`.execute(db);
  return res.rows.map((r) => r.id);
}
