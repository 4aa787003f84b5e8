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

/** The areas one level down (regions of England, ICBs of a region, organisations of an ICB) with their figures. */
export async function childAreas(db: Db, level: Level, areaId: number) {
  const child: Level = level === 'nation' ? 'region' : level === 'region' ? 'icb' : 'organisation';
  let q = db
    .selectFrom('priority_area_summary as s')
    .innerJoin('organisations as a', 'a.id', 's.area_id')
    .select(['a.id', 'a.code', 'a.name', ...areaColumns])
    .where('s.level', '=', child);
  if (level === 'region') q = q.where('a.region_id', '=', areaId);
  if (level === 'icb') q = q.where('a.icb_id', '=', areaId);
  const rows = await q.orderBy('a.name').execute();
  return { level: child, areas: rows.map((r) => ({ id: r.id, code: r.code, name: r.name, figures: toFigures(r) })) };
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
