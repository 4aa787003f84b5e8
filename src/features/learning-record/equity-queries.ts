import type { Database } from '../../db/database.ts';
import type { AreaKind, Dimension, ShownCell } from './equity.ts';

// Reads of the equity summaries only: every figure here was computed and disclosure-controlled by the refresh.

export interface EquityCellRow extends ShownCell {
  period: string;
  periodKind: 'year' | 'quarter';
  dimension: Dimension;
}

/** Every cell of one area (all periods, all dimensions): a few hundred rows by primary key. */
export async function areaCells(db: Database, kind: AreaKind, id: number): Promise<EquityCellRow[]> {
  const rows = await db
    .selectFrom('learning_equity_cells')
    .select(['period', 'period_kind', 'dimension', 'grp', 'staff', 'accessed', 'hours', 'suppressed'])
    .where('area_kind', '=', kind)
    .where('area_id', '=', id)
    .orderBy('period_end')
    .orderBy('period')
    .execute();
  return rows.map((r) => ({
    period: r.period,
    periodKind: r.period_kind,
    dimension: r.dimension as Dimension,
    grp: r.grp,
    staff: r.staff,
    accessed: r.accessed,
    hours: Number(r.hours),
    suppressed: r.suppressed,
  }));
}

/**
 * The areas directly inside an area, with their whole-staff figure for one period. Starts from the organisations
 * (indexed on region and ICB) and reaches each one's cell by primary key.
 */
export async function childAreas(db: Database, kind: AreaKind, id: number, period: string) {
  const childKind: AreaKind | null =
    kind === 'nation' ? 'region' : kind === 'region' ? 'icb' : kind === 'icb' ? 'organisation' : null;
  if (!childKind) return [];
  return db
    .selectFrom('organisations as o')
    .innerJoin('learning_equity_cells as c', (j) =>
      j
        .onRef('c.area_id', '=', 'o.id')
        .on('c.area_kind', '=', childKind)
        .on('c.period', '=', period)
        .on('c.dimension', '=', 'all'),
    )
    .select(['o.code', 'o.name', 'c.staff', 'c.accessed', 'c.suppressed'])
    .$if(kind === 'nation', (q) => q.where('o.kind', '=', 'region'))
    .$if(kind === 'region', (q) => q.where('o.region_id', '=', id).where('o.kind', '=', 'icb'))
    .$if(kind === 'icb', (q) => q.where('o.icb_id', '=', id))
    .orderBy('o.name')
    .execute();
}

export async function lastRefresh(db: Database) {
  return db
    .selectFrom('learning_equity_refreshes')
    .select(['refreshed_at', 'minimum'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
