import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { CohortSupplySummaryTable } from '../../db/schema.ts';

/**
 * The SQL of the supply-and-demand refresh. The programme facts (level, owning area, competency domains) come from
 * the catalogue's query functions and are passed in as temporary tables, so this file never reads the catalogue's
 * tables. Applications and interest carry the applicant's organisation and staff group from the time they were made.
 */

export interface ProgrammeFact {
  programme_id: number;
  level: string;
  scope: string;
  scope_org_id: number | null;
  region_id: number | null;
  icb_id: number | null;
}

/** Programmes with a cohort starting in the window, and every programme someone registered interest in. */
export async function programmesInPlay(db: Database, from: string, to: string): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    SELECT DISTINCT programme_id AS id FROM cohorts WHERE starts_on BETWEEN ${from}::date AND ${to}::date
    UNION SELECT DISTINCT programme_id FROM programme_interest`.execute(db);
  return rows.rows.map((r) => Number(r.id));
}

export async function loadProgrammeFacts(
  trx: Database,
  facts: ProgrammeFact[],
  domains: { programme_id: number; domain: string }[],
) {
  // Grouping keys sort byte-wise (C collation): the refresh sorts millions of them, and the order is never shown.
  await sql`CREATE TEMP TABLE supply_programmes (programme_id bigint PRIMARY KEY, level text COLLATE "C", scope text,
    scope_org_id int, region_id int, icb_id int) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE supply_domains (programme_id bigint, domain text COLLATE "C",
    PRIMARY KEY (programme_id, domain)) ON COMMIT DROP`.execute(trx);
  await sql`INSERT INTO supply_programmes SELECT * FROM jsonb_to_recordset(${JSON.stringify(facts)}::jsonb)
    AS x(programme_id bigint, level text, scope text, scope_org_id int, region_id int, icb_id int)`.execute(trx);
  await sql`INSERT INTO supply_domains SELECT DISTINCT * FROM jsonb_to_recordset(${JSON.stringify(domains)}::jsonb)
    AS x(programme_id bigint, domain text)`.execute(trx);
  // Programmes linked to no competency still count, under their own heading.
  await sql`INSERT INTO supply_domains SELECT p.programme_id, 'Not linked to a competency' FROM supply_programmes p
    WHERE NOT EXISTS (SELECT 1 FROM supply_domains d WHERE d.programme_id = p.programme_id)`.execute(trx);
  // Domains numbered for the big groupings: an integer sorts far faster and narrower than a domain's title.
  await sql`CREATE TEMP TABLE supply_domain_names ON COMMIT DROP AS
    SELECT (row_number() OVER (ORDER BY domain))::int AS no, domain FROM (SELECT DISTINCT domain FROM supply_domains) d`.execute(
    trx,
  );
  await sql`CREATE TEMP TABLE supply_domain_nos ON COMMIT DROP AS
    SELECT d.programme_id, n.no FROM supply_domains d JOIN supply_domain_names n ON n.domain = d.domain`.execute(trx);
  await sql`ANALYZE supply_programmes, supply_domains, supply_domain_names, supply_domain_nos`.execute(trx);
}

/**
 * Applications to cohorts starting in the window, read once into a narrow temporary table that the demand figures
 * group several ways. An organisation's region is taken from its ICB where it has one, so that organisation, ICB and
 * region nest and one sort can roll an organisation's figures up to its ICB, region and the nation.
 */
export async function stageApplications(trx: Database, from: string, to: string) {
  await sql`CREATE TEMP TABLE supply_apps (org int, icb int, region int, staff_group text COLLATE "C",
    level text COLLATE "C", programme_id bigint, held boolean, waitlisted boolean, wait int) ON COMMIT DROP`.execute(
    trx,
  );
  await sql`
    INSERT INTO supply_apps
    SELECT a.organisation_id, o.icb_id, coalesce(i.region_id, o.region_id), coalesce(a.staff_group, 'unknown'), p.level,
           c.programme_id, a.status IN ('awaiting_approval','confirmed'), a.status = 'waitlisted',
           -- The wait counts only for places held, and only when the application came before the start.
           CASE WHEN a.status IN ('awaiting_approval','confirmed')
                 AND c.starts_on >= (a.applied_at AT TIME ZONE 'Europe/London')::date
                THEN c.starts_on - (a.applied_at AT TIME ZONE 'Europe/London')::date END
      FROM cohort_applications a
      JOIN cohorts c ON c.id = a.cohort_id
      JOIN supply_programmes p ON p.programme_id = c.programme_id
      JOIN organisations o ON o.id = a.organisation_id
      LEFT JOIN organisations i ON i.id = o.icb_id
     WHERE c.starts_on BETWEEN ${from}::date AND ${to}::date`.execute(trx);
  await sql`ANALYZE supply_apps`.execute(trx);
}

type Key = Pick<CohortSupplySummaryTable, 'area_kind' | 'area_id' | 'staff_group' | 'domain' | 'level'>;
export interface DemandRow extends Key {
  programmes: number;
  places: number;
  applications: number;
  waitlisted: number;
  wait_n: number;
  wait_median: number | null;
  wait_p90: number | null;
}

/**
 * Grouping sets that count each row once in its organisation, ICB, region and the nation, for each breakdown: every
 * breakdown followed by (region, icb, org) rolled up, which the planner sorts once per breakdown.
 */
function areaSets(breakdowns: string[][]) {
  const sets = breakdowns.flatMap((b) =>
    [[], ['x.region'], ['x.region', 'x.icb'], ['x.region', 'x.icb', 'x.org']].map(
      (a) => `(${[...b, ...a].join(', ')})`,
    ),
  );
  return sql.raw(`GROUPING SETS (${sets.join(', ')})`);
}
const areaColumns = sql.raw(`
  CASE WHEN GROUPING(x.org) = 0 THEN 'organisation' WHEN GROUPING(x.icb) = 0 THEN 'icb'
       WHEN GROUPING(x.region) = 0 THEN 'region' ELSE 'nation' END AS area_kind,
  CASE WHEN GROUPING(x.org) = 0 THEN x.org WHEN GROUPING(x.icb) = 0 THEN x.icb
       WHEN GROUPING(x.region) = 0 THEN x.region ELSE 0 END AS area_id`);
// A breakdown column as its value, or '' in the rows where it is grouped away (or not grouped at all).
const label = (col: string, grouped = true) =>
  sql.raw(grouped ? `CASE WHEN GROUPING(${col}) = 1 THEN '' ELSE ${col} END` : `''`);

// A numbered domain grouping column back as the domain's title.
const domainName = (grouped: boolean) =>
  grouped
    ? sql`CASE WHEN GROUPING(x.domain) = 1 THEN '' ELSE (SELECT n.domain FROM supply_domain_names n WHERE n.no = x.domain) END`
    : sql`''`;

/**
 * Applications to cohorts starting in the window (staged by stageApplications). Without domains: totals, by staff
 * group and by level. With domains (a programme counts in each of its domains): by domain, and by domain and level.
 * Areas without an ICB or region (a NULL id) are left out of those levels.
 */
export async function demandFigures(trx: Database, byDomain: boolean): Promise<DemandRow[]> {
  const domainJoin = byDomain ? sql`JOIN supply_domain_nos d ON d.programme_id = a.programme_id` : sql``;
  const domainCol = byDomain ? sql`d.no` : sql`0`;
  const sets = byDomain
    ? areaSets([['x.domain'], ['x.domain', 'x.level']])
    : areaSets([[], ['x.staff_group'], ['x.level']]);
  const r = await sql<DemandRow>`
    SELECT * FROM (
      SELECT ${areaColumns}, ${label('x.staff_group', !byDomain)} AS staff_group,
             ${domainName(byDomain)} AS domain, ${label('x.level')} AS level,
             count(DISTINCT x.programme_id) FILTER (WHERE x.held)::int AS programmes,
             count(*) FILTER (WHERE x.held)::int AS places,
             count(*)::int AS applications,
             count(*) FILTER (WHERE x.waitlisted)::int AS waitlisted,
             count(x.wait)::int AS wait_n,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY x.wait) AS wait_median,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY x.wait) AS wait_p90
        FROM (SELECT a.*, ${domainCol} AS domain FROM supply_apps a ${domainJoin}) x
       GROUP BY ${sets}
    ) s WHERE area_id IS NOT NULL`.execute(trx);
  return r.rows;
}

/**
 * Registered interest (demand without dates), grouped like the applications. A person registers interest in a
 * programme once (the table's key), so plain counts are people: without domains each interest is one row, and with
 * domains one row per domain of its programme.
 */
export async function interestFigures(trx: Database) {
  const run = async (byDomain: boolean) => {
    const domainJoin = byDomain ? sql`JOIN supply_domain_nos d ON d.programme_id = i.programme_id` : sql``;
    const domainCol = byDomain ? sql`d.no` : sql`0`;
    const sets = byDomain
      ? areaSets([['x.domain'], ['x.domain', 'x.level']])
      : areaSets([[], ['x.staff_group'], ['x.level']]);
    const r = await sql<Key & { interest: number }>`
      SELECT * FROM (
        SELECT ${areaColumns}, ${label('x.staff_group', !byDomain)} AS staff_group,
               ${domainName(byDomain)} AS domain, ${label('x.level')} AS level, count(*)::int AS interest
          FROM (
            SELECT i.organisation_id AS org, o.icb_id AS icb, coalesce(ic.region_id, o.region_id) AS region,
                   coalesce(i.staff_group, 'unknown') COLLATE "C" AS staff_group, p.level, ${domainCol} AS domain
              FROM programme_interest i
              JOIN supply_programmes p ON p.programme_id = i.programme_id
              ${domainJoin}
              JOIN organisations o ON o.id = i.organisation_id
              LEFT JOIN organisations ic ON ic.id = o.icb_id
          ) x
         GROUP BY ${sets}
      ) s WHERE area_id IS NOT NULL`.execute(trx);
    return r.rows;
  };
  return [...(await run(false)), ...(await run(true))];
}

/**
 * Places offered: the capacity of cohorts starting in the window, counted in the area that owns the programme
 * (a local programme in its organisation, ICB and region; an ICB programme in its ICB and region; a regional one in
 * its region) and everything in the nation. Not by staff group: a place is not offered to one staff group.
 */
export async function offeredFigures(trx: Database, from: string, to: string, byDomain: boolean) {
  const domainJoin = byDomain ? sql`JOIN supply_domains d ON d.programme_id = c.programme_id` : sql``;
  const domainCol = byDomain ? sql`d.domain` : sql`''`;
  const sets = byDomain
    ? sql`GROUPING SETS ((ar.kind, ar.id, x.domain), (ar.kind, ar.id, x.domain, x.level))`
    : sql`GROUPING SETS ((ar.kind, ar.id), (ar.kind, ar.id, x.level))`;
  const r = await sql<Key & { offered: number }>`
    WITH x AS (
      SELECT c.capacity, p.level, ${domainCol} AS domain, '' AS staff_group,
             CASE WHEN p.scope = 'local' THEN p.scope_org_id END AS organisation_id, p.icb_id, p.region_id
        FROM cohorts c
        JOIN supply_programmes p ON p.programme_id = c.programme_id
        ${domainJoin}
       WHERE c.starts_on BETWEEN ${from}::date AND ${to}::date AND c.status IN ('open','completed')
    )
    SELECT ar.kind AS area_kind, ar.id AS area_id, '' AS staff_group,
           ${label('x.domain', byDomain)} AS domain, ${label('x.level')} AS level, sum(x.capacity)::int AS offered
      FROM x CROSS JOIN LATERAL (VALUES ('organisation', x.organisation_id), ('icb', x.icb_id),
        ('region', x.region_id), ('nation', 0)) AS ar(kind, id)
     WHERE ar.id IS NOT NULL
     GROUP BY ${sets}`.execute(trx);
  return r.rows;
}

/** Current managers (people holding a manager post) by organisation and staff group. */
export async function managersByOrganisation(db: Database) {
  const r = await sql<{
    organisation_id: number;
    staff_group: string;
    managers: number;
    icb_id: number | null;
    region_id: number | null;
  }>`
    SELECT a.organisation_id, coalesce(a.staff_group, 'unknown') AS staff_group,
           count(DISTINCT a.person_id)::int AS managers, o.icb_id, o.region_id
      FROM assignments a JOIN organisations o ON o.id = a.organisation_id
     WHERE a.is_manager AND a.end_date IS NULL
     GROUP BY a.organisation_id, coalesce(a.staff_group, 'unknown'), o.icb_id, o.region_id`.execute(db);
  return r.rows;
}

export async function replaceSummary(trx: Database, rows: CohortSupplySummaryTable[]) {
  await sql`DELETE FROM cohort_supply_summary`.execute(trx);
  for (let i = 0; i < rows.length; i += 2000) {
    await trx
      .insertInto('cohort_supply_summary')
      .values(rows.slice(i, i + 2000))
      .execute();
  }
}

export async function recordRefresh(
  trx: Database,
  r: { window_from: string; window_to: string; rows: number; millis: number },
) {
  await trx.insertInto('cohort_supply_refreshes').values(r).execute();
}

const figureColumns = [
  's.staff_group',
  's.domain',
  's.level',
  's.managers',
  's.programmes',
  's.places',
  's.offered',
  's.applications',
  's.waitlisted',
  's.interest',
  's.wait_n',
  's.wait_median',
  's.wait_p90',
] as const;

/** Every summary row of one area (its total and each breakdown): one index range read. */
export async function areaSummary(db: Database, kind: CohortSupplySummaryTable['area_kind'], id: number) {
  return db
    .selectFrom('cohort_supply_summary as s')
    .select(figureColumns)
    .where('s.area_kind', '=', kind)
    .where('s.area_id', '=', id)
    .execute();
}

/**
 * The totals of the areas one level down: regions of the nation, ICBs of a region, organisations of an ICB. Areas
 * without figures are listed too (with none), so that a gap in supply shows.
 */
export async function childAreaSummaries(db: Database, kind: 'nation' | 'region' | 'icb', id: number) {
  const childKind = kind === 'nation' ? 'region' : kind === 'region' ? 'icb' : 'organisation';
  let q = db
    .selectFrom('organisations as o')
    .leftJoin('cohort_supply_summary as s', (j) =>
      j
        .onRef('s.area_id', '=', 'o.id')
        .on('s.area_kind', '=', childKind)
        .on('s.staff_group', '=', '')
        .on('s.domain', '=', '')
        .on('s.level', '=', ''),
    )
    .select(['o.id', 'o.code', 'o.name', ...figureColumns])
    .where('o.closed_on', 'is', null);
  if (kind === 'nation') q = q.where('o.kind', '=', 'region');
  else if (kind === 'region') q = q.where('o.kind', '=', 'icb').where('o.region_id', '=', id);
  else q = q.where('o.kind', 'in', ['trust', 'provider', 'other']).where('o.icb_id', '=', id);
  return q.orderBy('o.name').limit(500).execute();
}

export async function lastRefresh(db: Database) {
  return db
    .selectFrom('cohort_supply_refreshes')
    .select(['id', 'refreshed_at', 'window_from', 'window_to'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
