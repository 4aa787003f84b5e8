import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AppraisalStatusSummaryTable, AppraisalSummaryLevel } from '../../db/schema.ts';
import type { Db } from './cycle-queries.ts';

/**
 * The appraisal dashboard's figures, written into summary tables by a refresh so that the pages read a few hundred
 * rows by primary key. An organisation's rows describe its current cycle (the latest started on or before today);
 * an ICB's, a region's and the nation's rows add up the rows of their organisations. Counts are stored raw: the
 * pages and the API apply disclosure control when they show them (dashboard.ts).
 */

export interface RefreshResult {
  organisations: number;
  appraisals: number;
}

/** Refresh everything (`organisationIds` undefined: the hourly job) or the organisations given and their areas. */
export async function refreshAppraisalSummaries(
  db: Database,
  today: string,
  organisationIds?: number[],
): Promise<RefreshResult> {
  return db.transaction().execute(async (trx) => {
    // One refresh at a time: two at once would delete and insert the same keys.
    await sql`SELECT pg_advisory_xact_lock(hashtext('appraisals.refresh'))`.execute(trx);
    const all = organisationIds === undefined;
    const orgs = organisationIds ?? [];
    const orgFilter = (col: string) => (all ? sql`true` : sql`${sql.ref(col)} = ANY(${orgs}::int[])`);
    const now = new Date();

    await sql`DELETE FROM appraisal_status_summary WHERE level = 'organisation' AND ${orgFilter('area_id')}`.execute(
      trx,
    );
    await sql`DELETE FROM appraisal_rating_summary WHERE level = 'organisation' AND ${orgFilter('area_id')}`.execute(
      trx,
    );

    await sql`
      CREATE TEMP TABLE appraisal_refresh_base ON COMMIT DROP AS
      WITH cur AS (
        SELECT DISTINCT ON (c.organisation_id) c.id, c.organisation_id
          FROM appraisal_cycles c
         WHERE c.starts_on <= ${today}::date AND ${orgFilter('c.organisation_id')}
         ORDER BY c.organisation_id, c.starts_on DESC, c.id DESC
      ), tree AS (
        WITH RECURSIVE t AS (
          SELECT id, id AS root FROM teams
           WHERE parent_team_id IS NULL AND organisation_id IN (SELECT organisation_id FROM cur)
          UNION ALL
          SELECT c.id, t.root FROM teams c JOIN t ON c.parent_team_id = t.id
        ) SELECT id, root FROM t
      )
      SELECT ap.organisation_id, ap.cycle_id, ap.status, ap.overall_rating,
             (ap.status <> 'locked' AND ap.due_on < ${today}::date) AS overdue,
             coalesce(a.band, 'unknown') AS band,
             coalesce(a.staff_group, 'unknown') AS staff_group,
             coalesce(tree.root::text, 'none') AS directorate,
             coalesce(a.team_id::text, 'none') AS team,
             CASE WHEN p.ethnicity IS NULL OR p.ethnicity = '' OR p.ethnicity LIKE 'Z%' THEN 'unknown'
                  WHEN p.ethnicity ~ '^[ABC] ' THEN 'white' ELSE 'bme' END AS ethnicity,
             CASE p.disability WHEN 'Yes' THEN 'disabled' WHEN 'No' THEN 'not_disabled' ELSE 'unknown' END AS disability
        FROM cur
        JOIN appraisals ap ON ap.cycle_id = cur.id
        JOIN assignments a ON a.id = ap.assignment_id
        JOIN people p ON p.id = ap.person_id
        LEFT JOIN tree ON tree.id = a.team_id
    `.execute(trx);

    const counted = await sql<{ n: number; orgs: number }>`
      SELECT count(*)::int AS n, count(DISTINCT organisation_id)::int AS orgs FROM appraisal_refresh_base
    `.execute(trx);

    await sql`
      INSERT INTO appraisal_status_summary (level, area_id, dimension, key, label, parent_key, people, not_started,
                                            in_progress, completed, overdue, cycle_id, refreshed_at)
      SELECT 'organisation', g.organisation_id, g.dimension, g.key,
             coalesce(CASE WHEN g.dimension IN ('team', 'directorate') THEN tm.name END,
                      CASE WHEN g.key = 'none' THEN 'No team recorded' ELSE g.key END),
             g.parent_key, g.people, g.not_started, g.in_progress, g.completed, g.overdue, g.cycle_id, ${now}::timestamptz
        FROM (
          SELECT organisation_id, max(cycle_id) AS cycle_id,
                 CASE WHEN GROUPING(band) = 0 THEN 'band' WHEN GROUPING(staff_group) = 0 THEN 'staff_group'
                      WHEN GROUPING(team) = 0 THEN 'team' WHEN GROUPING(directorate) = 0 THEN 'directorate'
                      ELSE 'total' END AS dimension,
                 CASE WHEN GROUPING(band) = 0 THEN band WHEN GROUPING(staff_group) = 0 THEN staff_group
                      WHEN GROUPING(team) = 0 THEN team WHEN GROUPING(directorate) = 0 THEN directorate
                      ELSE 'all' END AS key,
                 CASE WHEN GROUPING(team) = 0 THEN directorate END AS parent_key,
                 count(*)::int AS people,
                 count(*) FILTER (WHERE status = 'not_started')::int AS not_started,
                 count(*) FILTER (WHERE status IN ('preparing', 'meeting_held', 'recorded'))::int AS in_progress,
                 count(*) FILTER (WHERE status = 'locked')::int AS completed,
                 count(*) FILTER (WHERE overdue)::int AS overdue
            FROM appraisal_refresh_base
           GROUP BY GROUPING SETS ((organisation_id), (organisation_id, band), (organisation_id, staff_group),
                                   (organisation_id, directorate), (organisation_id, directorate, team))
        ) g
        -- CASE, because the planner may evaluate a cast of a band's key before a filter on the dimension.
        LEFT JOIN teams tm
          ON tm.id = CASE WHEN g.dimension IN ('team', 'directorate') AND g.key <> 'none' THEN g.key::int END
    `.execute(trx);

    await sql`
      INSERT INTO appraisal_rating_summary (level, area_id, dimension, key, rating, people, refreshed_at)
      SELECT 'organisation', organisation_id,
             CASE WHEN GROUPING(ethnicity) = 0 THEN 'ethnicity' WHEN GROUPING(disability) = 0 THEN 'disability'
                  ELSE 'total' END,
             CASE WHEN GROUPING(ethnicity) = 0 THEN ethnicity WHEN GROUPING(disability) = 0 THEN disability
                  ELSE 'all' END,
             overall_rating, count(*)::int, ${now}::timestamptz
        FROM appraisal_refresh_base
       WHERE status = 'locked' AND overall_rating IS NOT NULL
       GROUP BY GROUPING SETS ((organisation_id, overall_rating), (organisation_id, ethnicity, overall_rating),
                               (organisation_id, disability, overall_rating))
    `.execute(trx);

    await rollUp(trx, orgs, all, now);
    return { organisations: counted.rows[0]?.orgs ?? 0, appraisals: counted.rows[0]?.n ?? 0 };
  });
}

/** Rebuild the ICB, region and nation rows that the organisations count in, from the organisations' rows. */
async function rollUp(trx: Db, orgs: number[], all: boolean, now: Date) {
  const areas = all
    ? sql`SELECT 'icb'::text AS level, id FROM organisations WHERE kind = 'icb'
          UNION ALL SELECT 'region', id FROM organisations WHERE kind = 'region'`
    : sql`SELECT 'icb'::text AS level, icb_id AS id FROM organisations WHERE id = ANY(${orgs}::int[]) AND icb_id IS NOT NULL
          UNION SELECT 'region', region_id FROM organisations WHERE id = ANY(${orgs}::int[]) AND region_id IS NOT NULL`;
  await sql`CREATE TEMP TABLE appraisal_refresh_areas ON COMMIT DROP AS ${areas} UNION SELECT 'nation', 0`.execute(trx);
  for (const table of ['appraisal_status_summary', 'appraisal_rating_summary'] as const) {
    await sql`DELETE FROM ${sql.table(table)} s USING appraisal_refresh_areas ar
               WHERE s.level = ar.level AND s.area_id = ar.id`.execute(trx);
  }
  const placed = sql`
    FROM appraisal_status_summary s
    JOIN organisations o ON o.id = s.area_id
    CROSS JOIN LATERAL (VALUES ('icb'::text, o.icb_id), ('region', o.region_id), ('nation', 0)) AS ar(level, id)
    JOIN appraisal_refresh_areas x ON x.level = ar.level AND x.id = ar.id
   WHERE s.level = 'organisation'`;
  await sql`
    INSERT INTO appraisal_status_summary (level, area_id, dimension, key, label, parent_key, people, not_started,
                                          in_progress, completed, overdue, cycle_id, refreshed_at)
    SELECT ar.level, ar.id, s.dimension, s.key, max(s.label), NULL::text, sum(s.people)::int, sum(s.not_started)::int,
           sum(s.in_progress)::int, sum(s.completed)::int, sum(s.overdue)::int, NULL::int, ${now}::timestamptz
      ${placed} AND s.dimension IN ('total', 'band', 'staff_group')
     GROUP BY ar.level, ar.id, s.dimension, s.key
    UNION ALL
    SELECT ar.level, ar.id, 'organisation', o.code, o.name, NULL::text, s.people, s.not_started, s.in_progress,
           s.completed, s.overdue, NULL::int, ${now}::timestamptz
      ${placed} AND s.dimension = 'total'
  `.execute(trx);
  await sql`
    INSERT INTO appraisal_rating_summary (level, area_id, dimension, key, rating, people, refreshed_at)
    SELECT ar.level, ar.id, s.dimension, s.key, s.rating, sum(s.people), ${now}::timestamptz
      FROM appraisal_rating_summary s
      JOIN organisations o ON o.id = s.area_id
      CROSS JOIN LATERAL (VALUES ('icb'::text, o.icb_id), ('region', o.region_id), ('nation', 0)) AS ar(level, id)
      JOIN appraisal_refresh_areas x ON x.level = ar.level AND x.id = ar.id
     WHERE s.level = 'organisation'
     GROUP BY ar.level, ar.id, s.dimension, s.key, s.rating
  `.execute(trx);
}

export type StatusRow = Pick<
  AppraisalStatusSummaryTable,
  'dimension' | 'key' | 'label' | 'parent_key' | 'people' | 'not_started' | 'in_progress' | 'completed' | 'overdue'
> & { cycle_id: number | null; refreshed_at: Date };

export interface RatingRow {
  dimension: 'total' | 'ethnicity' | 'disability';
  key: string;
  rating: string;
  people: number;
}

const statusColumns = [
  'dimension',
  'key',
  'label',
  'parent_key',
  'people',
  'not_started',
  'in_progress',
  'completed',
  'overdue',
  'cycle_id',
  'refreshed_at',
] as const;

/** An area's summary rows (an organisation: its directorates, not its teams; teams come a directorate at a time). */
export async function readSummary(
  db: Db,
  level: AppraisalSummaryLevel,
  areaId: number,
): Promise<{ status: StatusRow[]; ratings: RatingRow[] }> {
  const [status, ratings] = await Promise.all([
    db
      .selectFrom('appraisal_status_summary')
      .select(statusColumns)
      .where('level', '=', level)
      .where('area_id', '=', areaId)
      .where('dimension', '<>', 'team')
      .orderBy('dimension')
      .orderBy('key')
      .execute(),
    db
      .selectFrom('appraisal_rating_summary')
      .select(['dimension', 'key', 'rating', 'people'])
      .where('level', '=', level)
      .where('area_id', '=', areaId)
      .execute(),
  ]);
  return { status: status as StatusRow[], ratings };
}

/** When an area's summary was last refreshed (the time on its total), or null when it has none. */
export async function summaryStamp(db: Db, level: AppraisalSummaryLevel, areaId: number): Promise<Date | null> {
  const row = await db
    .selectFrom('appraisal_status_summary')
    .select('refreshed_at')
    .where('level', '=', level)
    .where('area_id', '=', areaId)
    .where('dimension', '=', 'total')
    .executeTakeFirst();
  return row?.refreshed_at ?? null;
}

export async function readTeams(db: Db, organisationId: number, directorate: string): Promise<StatusRow[]> {
  const rows = await db
    .selectFrom('appraisal_status_summary')
    .select(statusColumns)
    .where('level', '=', 'organisation')
    .where('area_id', '=', organisationId)
    .where('dimension', '=', 'team')
    .where('parent_key', '=', directorate)
    .orderBy('label')
    .execute();
  return rows as StatusRow[];
}
