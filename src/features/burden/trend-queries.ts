import { sql } from 'kysely';
import { HOURS_PER_YEAR } from './burden.ts';
import type { Db } from './queries.ts';
import type { Level } from './summary-queries.ts';

// The burden over time (burden_trend): for each of the last TREND_MONTHS month ends (the current month: the
// refresh date), the hours and cost a year of the effort versions in effect on that day, priced as the refresh
// prices them (burden.ts priceEffort: the scale of each band valid on the version's date, midpoint ÷ full-time
// hours × (1 + on-costs), rounded to pence per organisation and return). Written by refreshBurden only.

export const TREND_MONTHS = 24;

const areaOf: Record<Exclude<Level, 'organisation'>, ReturnType<typeof sql>> = {
  icb: sql`CASE WHEN o.kind = 'icb' THEN o.id ELSE o.icb_id END`,
  region: sql`CASE WHEN o.kind = 'region' THEN o.id ELSE o.region_id END`,
  nation: sql`0`,
};

/**
 * Recompute the trend of the organisations given (or all) and of the areas given (or all). Runs inside the
 * refresh's transaction, under its advisory lock.
 */
export async function rebuildTrend(
  db: Db,
  asAt: string,
  orgIds: number[] | undefined,
  areas: Record<Level, number[]> | undefined,
): Promise<void> {
  let del = db.deleteFrom('burden_trend').where('level', '=', 'organisation');
  if (orgIds) del = del.where('area_id', 'in', orgIds.length ? orgIds : [-1]);
  await del.execute();
  const only = orgIds ? sql`AND e.organisation_id = ANY(${orgIds}::int[])` : sql``;
  await sql`
    INSERT INTO burden_trend (level, area_id, month_end, hours_year, cost_year, uncosted_hours_year, organisations)
    WITH months AS (
      SELECT least((date_trunc('month', ${asAt}::date) - make_interval(months => n) + interval '1 month - 1 day')::date,
                   ${asAt}::date) AS d
        FROM generate_series(0, ${TREND_MONTHS - 1}) AS n
    ), scales AS (
      -- Each scale of a band lasts until its valid_to or until a later scale of the band starts (the later wins).
      SELECT band, valid_from,
             least(coalesce(valid_to, 'infinity'::date),
                   coalesce((lead(valid_from) OVER (PARTITION BY band ORDER BY valid_from) - 1), 'infinity'::date)) AS valid_until,
             (annual_min + annual_max) / 2 / ${HOURS_PER_YEAR}::numeric * (1 + on_cost_percent / 100) AS rate
        FROM pay_scales
    ), ver AS (
      -- Each version lasts from its date until the next version of the same organisation and return.
      SELECT e.id, e.organisation_id, e.effective_from,
             lead(e.effective_from) OVER (PARTITION BY e.organisation_id, e.return_id ORDER BY e.effective_from) AS next_from,
             CASE r.frequency WHEN 'weekly' THEN 52 WHEN 'monthly' THEN 12 WHEN 'quarterly' THEN 4
                              WHEN 'annual' THEN 1 ELSE coalesce(r.ad_hoc_cycles, 0) END AS cycles
        FROM burden_efforts e
        JOIN burden_returns r ON r.id = e.return_id
       WHERE e.effective_from <= ${asAt}::date ${only}
    ), priced AS (
      -- Each version priced once, as priceEffort does, however many months it covers.
      SELECT ver.organisation_id, ver.effective_from, ver.next_from,
             round(sum(l.hours_per_cycle) * ver.cycles, 2) AS h,
             round(coalesce(sum(l.hours_per_cycle * ver.cycles * ps.rate) FILTER (WHERE ps.rate IS NOT NULL), 0), 2) AS c,
             round(coalesce(sum(l.hours_per_cycle * ver.cycles) FILTER (WHERE ps.rate IS NULL), 0), 2) AS u
        FROM ver
        JOIN burden_effort_lines l ON l.effort_id = ver.id
        LEFT JOIN scales ps ON ps.band = l.band AND ver.effective_from BETWEEN ps.valid_from AND ps.valid_until
       GROUP BY ver.id, ver.organisation_id, ver.effective_from, ver.next_from, ver.cycles
    ), events AS (
      -- A version adds its figures from its date and takes them away from the next version's date, so each month's
      -- total is a running sum of the events up to it: linear in versions, not versions × months.
      SELECT organisation_id, effective_from AS at, h, c, u, 1 AS k FROM priced
      UNION ALL
      SELECT organisation_id, next_from, -h, -c, -u, -1 FROM priced WHERE next_from IS NOT NULL AND next_from <= ${asAt}::date
    ), bucketed AS (
      SELECT organisation_id,
             greatest(date_trunc('month', at)::date, (SELECT date_trunc('month', min(d))::date FROM months)) AS month,
             sum(h) AS h, sum(c) AS c, sum(u) AS u, sum(k) AS k
        FROM events GROUP BY 1, 2
    ), running AS (
      SELECT o.organisation_id, m.d,
             sum(coalesce(b.h, 0)) OVER w AS h, sum(coalesce(b.c, 0)) OVER w AS c,
             sum(coalesce(b.u, 0)) OVER w AS u, sum(coalesce(b.k, 0)) OVER w AS k
        FROM (SELECT DISTINCT organisation_id FROM priced) o
        CROSS JOIN months m
        LEFT JOIN bucketed b ON b.organisation_id = o.organisation_id AND b.month = date_trunc('month', m.d)::date
      WINDOW w AS (PARTITION BY o.organisation_id ORDER BY m.d)
    )
    SELECT 'organisation', organisation_id, d, h, c, u, 1 FROM running WHERE k > 0`.execute(db);

  for (const level of ['icb', 'region', 'nation'] as const) {
    const ids = areas?.[level];
    let d = db.deleteFrom('burden_trend').where('level', '=', level);
    if (ids) d = d.where('area_id', 'in', ids.length ? ids : [-1]);
    await d.execute();
    const within = ids ? sql`AND ${areaOf[level]} = ANY(${ids}::int[])` : sql``;
    await sql`
      INSERT INTO burden_trend (level, area_id, month_end, hours_year, cost_year, uncosted_hours_year, organisations)
      SELECT ${level}::text, ${areaOf[level]}, t.month_end, sum(t.hours_year), sum(t.cost_year),
             sum(t.uncosted_hours_year), count(*)::int
        FROM burden_trend t JOIN organisations o ON o.id = t.area_id
       WHERE t.level = 'organisation' AND ${areaOf[level]} IS NOT NULL ${within}
       GROUP BY 2, 3`.execute(db);
  }
}

export interface TrendPoint {
  monthEnd: string;
  hoursYear: number;
  costYear: number;
  uncostedHoursYear: number;
  organisations: number;
}

/** An area's trend, oldest first: one indexed range read. */
export async function trendOf(db: Db, level: Level, areaId: number): Promise<TrendPoint[]> {
  const rows = await db
    .selectFrom('burden_trend')
    .select(['month_end', 'hours_year', 'cost_year', 'uncosted_hours_year', 'organisations'])
    .where('level', '=', level)
    .where('area_id', '=', areaId)
    .orderBy('month_end')
    .execute();
  return rows.map((r) => ({
    monthEnd: r.month_end,
    hoursYear: Number(r.hours_year),
    costYear: Number(r.cost_year),
    uncostedHoursYear: Number(r.uncosted_hours_year),
    organisations: r.organisations,
  }));
}
