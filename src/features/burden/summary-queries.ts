import { sql } from 'kysely';
import type { Db } from './queries.ts';

// Writing and reading the burden summary tables. Written only by the refresh (refresh.ts); pages and
// the API read them with indexed lookups on (level, area_id).

export type Level = 'organisation' | 'icb' | 'region' | 'nation';

export interface OrgReturnFigures {
  orgId: number;
  returnId: number;
  effortFrom: string;
  hoursPerCycle: number;
  cyclesPerYear: number;
  hoursYear: number;
  costYear: number;
  uncostedHoursYear: number;
  scales: string[];
}

/** Serialise refreshes: two at once would delete each other's rows. Held until the transaction ends. */
export async function lockSummaries(db: Db) {
  await sql`SELECT pg_advisory_xact_lock(hashtext('leadwell.burden_summaries'))`.execute(db);
}

/** Replace the per organisation and return figures, for the organisations given or for all. */
export async function replaceOrgReturns(db: Db, orgIds: number[] | undefined, rows: OrgReturnFigures[]) {
  let del = db.deleteFrom('burden_org_returns');
  if (orgIds) del = del.where('organisation_id', 'in', orgIds.length ? orgIds : [0]);
  await del.execute();
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('burden_org_returns')
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          organisation_id: r.orgId,
          return_id: r.returnId,
          effort_from: r.effortFrom,
          hours_per_cycle: r.hoursPerCycle,
          cycles_per_year: r.cyclesPerYear,
          hours_year: r.hoursYear,
          cost_year: r.costYear,
          uncosted_hours_year: r.uncostedHoursYear,
          scales: r.scales.join(', ') || null,
        })),
      )
      .execute();
  }
}

/** The area an organisation counts in at each level; an ICB or region counts in its own area. */
const areaOf: Record<Level, ReturnType<typeof sql>> = {
  organisation: sql`o.id`,
  icb: sql`CASE WHEN o.kind = 'icb' THEN o.id ELSE o.icb_id END`,
  region: sql`CASE WHEN o.kind = 'region' THEN o.id ELSE o.region_id END`,
  nation: sql`0`,
};

/** The areas at each level that the given organisations count in. */
export async function areasOf(db: Db, orgIds: number[]): Promise<Record<Level, number[]>> {
  const res = await sql<{ org: number; icb: number | null; region: number | null }>`
    SELECT ${areaOf.organisation} AS org, ${areaOf.icb} AS icb, ${areaOf.region} AS region
      FROM organisations o WHERE o.id = ANY(${orgIds}::int[])`.execute(db);
  const uniq = (xs: (number | null)[]) => [...new Set(xs.filter((x): x is number => x !== null))];
  return {
    organisation: uniq(res.rows.map((r) => r.org)),
    icb: uniq(res.rows.map((r) => r.icb)),
    region: uniq(res.rows.map((r) => r.region)),
    nation: [0],
  };
}

/**
 * Recompute one level's summary rows (total, per requesting body, per return) for the areas given, or
 * for every area of the level, from burden_org_returns. Managers are those of the organisations that
 * reported effort in the row: at organisation level their own head count (passed in, from
 * organisation_stats); above it, read back from the organisation-level totals written before.
 */
export async function rebuildLevel(
  db: Db,
  level: Level,
  areaIds: number[] | undefined,
  managers: Map<number, number>,
): Promise<void> {
  let del = db.deleteFrom('burden_area_summary').where('level', '=', level);
  if (areaIds) del = del.where('area_id', 'in', areaIds.length ? areaIds : [-1]);
  await del.execute();
  const only = areaIds ? sql`AND ${areaOf[level]} = ANY(${areaIds}::int[])` : sql``;
  const ids = [...managers.keys()];
  const managerSource =
    level === 'organisation'
      ? sql`SELECT * FROM unnest(${ids}::int[], ${ids.map((id) => managers.get(id) ?? 0)}::int[]) AS m(id, managers)`
      : sql`SELECT area_id AS id, managers FROM burden_area_summary
             WHERE level = 'organisation' AND dimension = 'total' AND key = ''`;
  await sql`
    INSERT INTO burden_area_summary
      (level, area_id, dimension, key, hours_year, cost_year, uncosted_hours_year, organisations, managers)
    WITH mgr AS (${managerSource}),
    f AS (
      SELECT ${areaOf[level]} AS area_id, b.organisation_id, b.return_id, r.requesting_body,
             b.hours_year, b.cost_year, b.uncosted_hours_year, coalesce(mgr.managers, 0) AS managers
        FROM burden_org_returns b
        JOIN organisations o ON o.id = b.organisation_id
        JOIN burden_returns r ON r.id = b.return_id
        LEFT JOIN mgr ON mgr.id = b.organisation_id
       WHERE ${areaOf[level]} IS NOT NULL ${only}
    ), per_org AS (
      SELECT area_id, 'total' AS dimension, '' AS key, organisation_id, max(managers) AS managers,
             sum(hours_year) AS h, sum(cost_year) AS c, sum(uncosted_hours_year) AS u
        FROM f GROUP BY area_id, organisation_id
      UNION ALL
      SELECT area_id, 'body', requesting_body, organisation_id, max(managers),
             sum(hours_year), sum(cost_year), sum(uncosted_hours_year)
        FROM f GROUP BY area_id, requesting_body, organisation_id
      UNION ALL
      SELECT area_id, 'return', return_id::text, organisation_id, max(managers),
             sum(hours_year), sum(cost_year), sum(uncosted_hours_year)
        FROM f GROUP BY area_id, return_id, organisation_id
    )
    SELECT ${level}::text, area_id, dimension, key, sum(h), sum(c), sum(u), count(*)::int, sum(managers)::int
      FROM per_org GROUP BY area_id, dimension, key`.execute(db);
}

export interface Figures {
  hoursYear: number;
  costYear: number;
  uncostedHoursYear: number;
  organisations: number;
  managers: number | null;
}

const figures = (r: {
  hours_year: string;
  cost_year: string;
  uncosted_hours_year: string;
  organisations: number;
  managers: number | null;
}): Figures => ({
  hoursYear: Number(r.hours_year),
  costYear: Number(r.cost_year),
  uncostedHoursYear: Number(r.uncosted_hours_year),
  organisations: r.organisations,
  managers: r.managers,
});

/** One area's summary: the total, each requesting body, and the returns by hours a year (largest first). */
export async function areaSummary(db: Db, level: Level, areaId: number, topReturns = 1000) {
  const rows = await db
    .selectFrom('burden_area_summary as s')
    .leftJoin('burden_returns as r', (j) =>
      j.on('s.dimension', '=', 'return').on(sql`r.id::text`, '=', sql.ref('s.key')),
    )
    .select([
      's.dimension',
      's.key',
      's.hours_year',
      's.cost_year',
      's.uncosted_hours_year',
      's.organisations',
      's.managers',
      's.refreshed_at',
      'r.name as return_name',
      'r.requesting_body',
      'r.scope',
    ])
    .where('s.level', '=', level)
    .where('s.area_id', '=', areaId)
    .execute();
  const total = rows.find((r) => r.dimension === 'total');
  const byHours = (a: { hoursYear: number }, b: { hoursYear: number }) => b.hoursYear - a.hoursYear;
  return {
    refreshedAt: total?.refreshed_at ?? null,
    total: total ? figures(total) : undefined,
    bodies: rows
      .filter((r) => r.dimension === 'body')
      .map((r) => ({ body: r.key, ...figures(r) }))
      .sort(byHours),
    returns: rows
      .filter((r) => r.dimension === 'return' && r.return_name !== null)
      .map((r) => ({
        id: Number(r.key),
        name: r.return_name as string,
        body: r.requesting_body,
        scope: r.scope,
        ...figures(r),
      }))
      .sort(byHours)
      .slice(0, topReturns),
  };
}

/** The totals of every area of a level (regions of the nation, ICBs of a region), for comparison tables. */
export async function areaTotals(db: Db, level: 'region' | 'icb', withinRegionId?: number) {
  let q = db
    .selectFrom('organisations as a')
    .leftJoin('burden_area_summary as s', (j) =>
      j.onRef('s.area_id', '=', 'a.id').on('s.level', '=', level).on('s.dimension', '=', 'total').on('s.key', '=', ''),
    )
    .select([
      'a.id',
      'a.code',
      'a.name',
      's.hours_year',
      's.cost_year',
      's.uncosted_hours_year',
      's.organisations',
      's.managers',
    ])
    .where('a.kind', '=', level)
    .where('a.closed_on', 'is', null);
  if (withinRegionId !== undefined) q = q.where('a.region_id', '=', withinRegionId);
  const rows = await q.orderBy('a.name').execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    figures: r.hours_year === null ? undefined : figures(r as Parameters<typeof figures>[0]),
  }));
}

/** An organisation's figures per return, with the version dates and scales used. */
export async function orgReturnFigures(db: Db, orgId: number) {
  const rows = await db
    .selectFrom('burden_org_returns as b')
    .innerJoin('burden_returns as r', 'r.id', 'b.return_id')
    .select([
      'r.id',
      'r.name',
      'r.requesting_body',
      'r.scope',
      'r.frequency',
      'b.effort_from',
      'b.hours_per_cycle',
      'b.cycles_per_year',
      'b.hours_year',
      'b.cost_year',
      'b.uncosted_hours_year',
      'b.scales',
    ])
    .where('b.organisation_id', '=', orgId)
    .orderBy('b.hours_year', 'desc')
    .orderBy('r.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    body: r.requesting_body,
    scope: r.scope,
    frequency: r.frequency,
    effortFrom: r.effort_from,
    hoursPerCycle: Number(r.hours_per_cycle),
    cyclesPerYear: Number(r.cycles_per_year),
    hoursYear: Number(r.hours_year),
    costYear: Number(r.cost_year),
    uncostedHoursYear: Number(r.uncosted_hours_year),
    scales: r.scales,
  }));
}
