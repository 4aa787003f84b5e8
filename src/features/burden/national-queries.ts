import { sql } from 'kysely';
import type { Db } from './queries.ts';
import type { Level } from './summary-queries.ts';

/**
 * The returns with the largest burden in an area (England for the bodies that approve collections, or an ICB or
 * organisation for its report), with what the register says about each: the area's per-return summary rows (one
 * per return, by primary key) joined to the register.
 */
export async function topReturnsOf(db: Db, level: Level, areaId: number, by: 'hours' | 'cost', limit: number) {
  const order = by === 'cost' ? sql`s.cost_year DESC, s.hours_year DESC` : sql`s.hours_year DESC, s.cost_year DESC`;
  const res = await sql<{
    id: number;
    name: string;
    requesting_body: string;
    scope: 'national' | 'regional' | 'icb' | 'local';
    approval_ref: string | null;
    sunset_date: string | null;
    frequency: string;
    mandatory: boolean;
    hours_year: string;
    cost_year: string;
    uncosted_hours_year: string;
    organisations: number;
    managers: number | null;
  }>`
    SELECT r.id, r.name, r.requesting_body, r.scope, r.approval_ref, r.sunset_date::text AS sunset_date, r.frequency,
           r.mandatory, s.hours_year, s.cost_year, s.uncosted_hours_year, s.organisations, s.managers
      FROM burden_area_summary s
      JOIN burden_returns r ON r.id::text = s.key
     WHERE s.level = ${level} AND s.area_id = ${areaId} AND s.dimension = 'return'
     ORDER BY ${order}, r.id
     LIMIT ${limit}`.execute(db);
  return res.rows.map((r) => ({
    ...r,
    hoursYear: Number(r.hours_year),
    costYear: Number(r.cost_year),
    uncostedHoursYear: Number(r.uncosted_hours_year),
  }));
}
