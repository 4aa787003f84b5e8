import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/**
 * Recompute head counts per organisation from assignments, in one set-based statement.
 * Runs after staff imports and seeding, and from `leadwell stats refresh`; never in a page request.
 * (Reads the people feature's assignments table directly: an aggregate refresh, not a read of anyone's record.)
 */
export async function refreshOrganisationStats(
  db: Database,
  today: string,
  organisationIds?: number[],
): Promise<number> {
  const only = organisationIds?.length ? sql`AND a.organisation_id = ANY(${organisationIds})` : sql``;
  return db.transaction().execute(async (trx) => {
    if (organisationIds?.length) {
      await trx.deleteFrom('organisation_stats').where('organisation_id', 'in', organisationIds).execute();
    } else {
      await trx.deleteFrom('organisation_stats').execute();
    }
    const res = await sql`
      INSERT INTO organisation_stats (organisation_id, staff, managers, wte, joiners_12m, leavers_12m, refreshed_at)
      SELECT a.organisation_id,
             count(DISTINCT a.person_id) FILTER (WHERE a.end_date IS NULL),
             count(DISTINCT a.person_id) FILTER (WHERE a.end_date IS NULL AND a.is_manager),
             coalesce(sum(a.wte) FILTER (WHERE a.end_date IS NULL), 0),
             count(*) FILTER (WHERE a.start_date > ${today}::date - interval '12 months' AND a.start_date <= ${today}::date),
             count(*) FILTER (WHERE a.end_date > ${today}::date - interval '12 months' AND a.end_date <= ${today}::date),
             now()
        FROM assignments a
       WHERE true ${only}
       GROUP BY a.organisation_id`.execute(trx);
    return Number(res.numAffectedRows ?? 0);
  });
}

export async function myAssignments(db: Database, personId: number) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('teams as t', 't.id', 'a.team_id')
    .leftJoin('assignments as m', 'm.id', 'a.line_manager_assignment_id')
    .leftJoin('people as mp', 'mp.id', 'm.person_id')
    .select([
      'a.id',
      'a.position_title',
      'a.band',
      'a.start_date',
      'o.code as org_code',
      'o.name as org_name',
      't.name as team_name',
      'mp.id as manager_id',
      'mp.given_name as manager_given_name',
      'mp.family_name as manager_family_name',
    ])
    .where('a.person_id', '=', personId)
    .where('a.end_date', 'is', null)
    .orderBy('a.start_date')
    .execute();
}

export async function directReportCount(db: Database, managerAssignmentIds: number[]): Promise<number> {
  if (!managerAssignmentIds.length) return 0;
  const row = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.count<number>('person_id').distinct().as('n'))
    .where('line_manager_assignment_id', 'in', managerAssignmentIds)
    .where('end_date', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const statColumns = [
  (eb: any) => eb.fn.coalesce(eb.fn.sum('s.staff'), sql.lit(0)).as('staff'),
  (eb: any) => eb.fn.coalesce(eb.fn.sum('s.managers'), sql.lit(0)).as('managers'),
  (eb: any) => eb.fn.coalesce(eb.fn.sum('s.joiners_12m'), sql.lit(0)).as('joiners'),
  (eb: any) => eb.fn.coalesce(eb.fn.sum('s.leavers_12m'), sql.lit(0)).as('leavers'),
  (eb: any) => eb.fn.max('s.refreshed_at').as('refreshed_at'),
];

export interface AreaRow {
  code: string;
  name: string;
  closed_on: string | null;
  staff: number;
  managers: number;
  joiners: number;
  leavers: number;
  refreshed_at: Date | null;
}

/** One row per organisation given, with its head counts. */
export async function organisationsWithStats(db: Database, organisationIds: number[]): Promise<AreaRow[]> {
  if (!organisationIds.length) return [];
  return rows(
    await db
      .selectFrom('organisations as o')
      .leftJoin('organisation_stats as s', 's.organisation_id', 'o.id')
      .select(['o.code', 'o.name', 'o.closed_on', ...statColumns])
      .where('o.id', 'in', organisationIds)
      .groupBy(['o.id', 'o.code', 'o.name', 'o.closed_on'])
      .orderBy('o.name')
      .execute(),
  );
}

/** The open trusts and other providers of an ICB, with head counts. */
export async function providersOfIcb(db: Database, icbId: number): Promise<AreaRow[]> {
  return rows(
    await db
      .selectFrom('organisations as o')
      .leftJoin('organisation_stats as s', 's.organisation_id', 'o.id')
      .select(['o.code', 'o.name', 'o.closed_on', ...statColumns])
      .where('o.icb_id', '=', icbId)
      .where('o.kind', 'in', ['trust', 'provider', 'other'])
      .where('o.closed_on', 'is', null)
      .groupBy(['o.id', 'o.code', 'o.name', 'o.closed_on'])
      .orderBy('o.name')
      .execute(),
  );
}

/** ICBs of a region (or regions of the nation when regionId is null), with the totals of their organisations. */
export async function areasWithTotals(db: Database, regionId: number | null): Promise<AreaRow[]> {
  const groupColumn = regionId === null ? 'o.region_id' : 'o.icb_id';
  const kind = regionId === null ? 'region' : 'icb';
  let q = db
    .selectFrom('organisations as area')
    .leftJoin('organisations as o', (j) => j.onRef(groupColumn as 'o.region_id', '=', 'area.id'))
    .leftJoin('organisation_stats as s', 's.organisation_id', 'o.id')
    .select(['area.code', 'area.name', 'area.closed_on', ...statColumns])
    .where('area.kind', '=', kind)
    .where('area.closed_on', 'is', null);
  if (regionId !== null) q = q.where('area.region_id', '=', regionId);
  return rows(await q.groupBy(['area.id', 'area.code', 'area.name', 'area.closed_on']).orderBy('area.name').execute());
}

export async function lastStaffImport(db: Database, organisationId: number) {
  return db
    .selectFrom('staff_imports')
    .select(['created_at', 'status', 'rows_total', 'filename'])
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

function rows(raw: Record<string, unknown>[]): AreaRow[] {
  return raw.map((r) => ({
    code: String(r.code),
    name: String(r.name),
    closed_on: (r.closed_on as string | null) ?? null,
    staff: Number(r.staff),
    managers: Number(r.managers),
    joiners: Number(r.joiners),
    leavers: Number(r.leavers),
    refreshed_at: (r.refreshed_at as Date | null) ?? null,
  }));
}
