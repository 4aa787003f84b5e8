import { sql } from 'kysely';
import type { Db } from './queries.ts';

// Reading the thicket summaries the refresh wrote (refresh.ts): indexed lookups on (level, area_id).

export type Level = 'organisation' | 'icb' | 'region' | 'nation';

export interface AreaFigures {
  organisations: number;
  teams: number;
  teamPriorities: number;
  unfunded: number;
  mean: number | undefined;
  median: number | null;
  p90: number | null;
  max: number | null;
  distribution: { bucket: string; teams: number }[];
  overlaps: number;
  conflicts: number;
  active: number;
  refreshedAt: Date;
}

type AreaRow = {
  organisations: number;
  teams: number;
  team_priorities: number;
  unfunded: number;
  median: string | null;
  p90: string | null;
  max: number | null;
  distribution: { bucket: string; teams: number }[];
  overlaps: number;
  conflicts: number;
  active: number;
  refreshed_at: Date;
};

const toFigures = (r: AreaRow): AreaFigures => ({
  organisations: r.organisations,
  teams: r.teams,
  teamPriorities: Number(r.team_priorities),
  unfunded: Number(r.unfunded),
  mean: r.teams > 0 ? Number(r.team_priorities) / r.teams : undefined,
  median: r.median === null ? null : Number(r.median),
  p90: r.p90 === null ? null : Number(r.p90),
  max: r.max,
  distribution: r.distribution,
  overlaps: r.overlaps,
  conflicts: r.conflicts,
  active: r.active,
  refreshedAt: r.refreshed_at,
});

const areaColumns = [
  's.organisations',
  's.teams',
  's.team_priorities',
  's.unfunded',
  's.median',
  's.p90',
  's.max',
  's.distribution',
  's.overlapping as overlaps',
  's.conflicting as conflicts',
  's.active',
  's.refreshed_at',
] as const;

export async function areaFigures(db: Db, level: Level, areaId: number): Promise<AreaFigures | undefined> {
  const row = await db
    .selectFrom('priority_area_summary as s')
    .select(areaColumns)
    .where('s.level', '=', level)
    .where('s.area_id', '=', areaId)
    .executeTakeFirst();
  return row && toFigures(row);
}

export async function trendOf(db: Db, level: Level, areaId: number) {
  const rows = await db
    .selectFrom('priority_trend')
    .select(['month', 'teams', 'mean'])
    .where('level', '=', level)
    .where('area_id', '=', areaId)
    .orderBy('month')
    .execute();
  return rows.map((r) => ({ day: r.month, teams: r.teams, mean: Number(r.mean) }));
}

/** An organisation's teams with the most concurrent priorities first. */
export async function teamRows(db: Db, orgId: number, limit: number) {
  return db
    .selectFrom('priority_team_summary as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .select([
      't.id',
      't.name',
      't.code',
      's.concurrent',
      's.unfunded',
      's.overlapping as overlaps',
      's.conflicting as conflicts',
    ])
    .where('s.organisation_id', '=', orgId)
    .orderBy('s.concurrent', 'desc')
    .orderBy('t.name')
    .limit(limit)
    .execute();
}

/** An organisation's managers (names: the organisation's admins may see its people) with the most first. */
export async function managerRows(db: Db, orgId: number, limit: number) {
  return db
    .selectFrom('priority_manager_summary as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .select([
      's.person_id',
      'p.given_name',
      'p.family_name',
      's.teams',
      's.concurrent',
      's.unfunded',
      's.overlapping as overlaps',
      's.conflicting as conflicts',
    ])
    .where('s.organisation_id', '=', orgId)
    .orderBy('s.concurrent', 'desc')
    .orderBy('p.family_name')
    .limit(limit)
    .execute();
}

/** One manager's figures in an organisation, for their own view. */
export async function managerFigures(db: Db, personId: number) {
  return db
    .selectFrom('priority_manager_summary as s')
    .select([
      's.organisation_id',
      's.teams',
      's.concurrent',
      's.unfunded',
      's.overlapping as overlaps',
      's.conflicting as conflicts',
      's.refreshed_at',
    ])
    .where('s.person_id', '=', personId)
    .execute();
}

const childLevel: Record<Level, Level> = {
  nation: 'region',
  region: 'icb',
  icb: 'organisation',
  organisation: 'organisation',
};

type AreaJson = Omit<AreaRow, 'overlaps' | 'conflicts' | 'refreshed_at' | 'median' | 'p90'> & {
  overlapping: number;
  conflicting: number;
  median: number | null;
  p90: number | null;
  refreshed_at: string;
};
const fromJson = (r: AreaJson): AreaFigures =>
  toFigures({
    ...r,
    median: r.median === null ? null : String(r.median),
    p90: r.p90 === null ? null : String(r.p90),
    overlaps: r.overlapping,
    conflicts: r.conflicting,
    refreshed_at: new Date(r.refreshed_at),
  });

/**
 * Everything an area's page reads, in one round trip: its figures, the areas one level down with theirs, its
 * trend, and when the oldest change not yet counted was made. The same rows as areaFigures, childAreas, trendOf
 * and pendingSince; one statement instead of four, because per-query overhead was a good part of the page's cost.
 */
export async function areaSnapshot(db: Db, level: Exclude<Level, 'organisation'>, areaId: number) {
  const child = childLevel[level];
  const within =
    level === 'region' ? sql`AND a.region_id = ${areaId}` : level === 'icb' ? sql`AND a.icb_id = ${areaId}` : sql``;
  const res = await sql<{
    figures: AreaJson | null;
    children: (AreaJson & { id: number; code: string; name: string })[] | null;
    trend: { day: string; teams: number; mean: number }[] | null;
    pending: Date | null;
  }>`
    SELECT (SELECT to_jsonb(s) FROM priority_area_summary s WHERE s.level = ${level} AND s.area_id = ${areaId}) AS figures,
           (SELECT jsonb_agg(to_jsonb(s) || jsonb_build_object('id', a.id, 'code', a.code, 'name', a.name) ORDER BY a.name)
              FROM priority_area_summary s JOIN organisations a ON a.id = s.area_id
             WHERE s.level = ${child} ${within}) AS children,
           (SELECT jsonb_agg(jsonb_build_object('day', t.month, 'teams', t.teams, 'mean', t.mean) ORDER BY t.month)
              FROM priority_trend t WHERE t.level = ${level} AND t.area_id = ${areaId}) AS trend,
           (SELECT min(requested_at) FROM priority_refresh_requests WHERE done_at IS NULL) AS pending`.execute(db);
  const row = res.rows[0]!;
  return {
    figures: row.figures ? fromJson(row.figures) : undefined,
    children: {
      level: child,
      areas: (row.children ?? []).map((c) => ({ id: c.id, code: c.code, name: c.name, figures: fromJson(c) })),
    },
    trend: (row.trend ?? []).map((t) => ({ day: t.day, teams: t.teams, mean: Number(t.mean) })),
    pendingSince: row.pending ?? undefined,
  };
}
