import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type AreaKind, areaKey, type Dimension, periodsFor, type RawCell, suppressEquity } from './equity.ts';

// The nightly refresh of the equity summaries: one set-based pass over assignments, people and non-mandatory
// learning records builds each organisation's cells; ICB, region and England are sums of their organisations
// (each person is counted once, at one organisation, per period); disclosure control is applied here, so the
// pages only read learning_equity_cells.

const ethnicGroup = sql`CASE
  WHEN p.ethnicity IS NULL OR upper(left(p.ethnicity, 1)) IN ('Z', '') THEN 'Not stated'
  WHEN upper(left(p.ethnicity, 1)) IN ('A', 'B', 'C') THEN 'White'
  ELSE 'BME' END`;
const ethnicity = sql`CASE
  WHEN p.ethnicity IS NULL OR upper(left(p.ethnicity, 1)) NOT IN ('A','B','C','D','E','F','G','H','J','K','L','M','N','P','R','S') THEN 'Not stated'
  WHEN upper(left(p.ethnicity, 1)) IN ('A', 'B', 'C') THEN 'White'
  WHEN upper(left(p.ethnicity, 1)) IN ('D', 'E', 'F', 'G') THEN 'Mixed'
  WHEN upper(left(p.ethnicity, 1)) IN ('H', 'J', 'K', 'L') THEN 'Asian or Asian British'
  WHEN upper(left(p.ethnicity, 1)) IN ('M', 'N', 'P') THEN 'Black or Black British'
  ELSE 'Chinese or any other ethnic group' END`;
const disability = sql`CASE
  WHEN lower(p.disability) IN ('yes', 'y') THEN 'Disabled'
  WHEN lower(p.disability) IN ('no', 'n') THEN 'Not disabled'
  ELSE 'Not declared' END`;

export interface RefreshSummary {
  cells: number;
  suppressed: number;
  periods: number;
  millis: number;
}

export async function refreshEquity(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<RefreshSummary> {
  const started = Date.now();
  const today = deps.clock.now().toISOString().slice(0, 10);
  const periods = periodsFor(today);
  const minimum = deps.config.disclosureMin;
  return deps.db.transaction().execute(async (trx) => {
    // One refresh at a time, whichever instance runs it: a second waits, then replaces the first one's cells.
    await sql`SELECT pg_advisory_xact_lock(hashtext('learning.refresh-equity'))`.execute(trx);
    await sql`SET LOCAL work_mem = '256MB'`.execute(trx);
    // The distinct snapshot dates in order (a year and its fourth quarter share one); k is a period's date's place.
    const ends = [...new Set(periods.map((p) => p.end))].sort();
    const k = periods.map((p) => ends.indexOf(p.end));
    // Each assignment current at some snapshot, with its person's groups worked out once, the snapshots it is
    // current at as a range of places [from_k, to_k], and how many such posts the person has.
    await sql`CREATE TEMP TABLE learning_equity_staff ON COMMIT DROP AS
      SELECT a.id, a.person_id, a.organisation_id, a.wte,
             (SELECT count(*) FROM unnest(${ends}::date[]) e WHERE e < a.start_date)::int AS from_k,
             (CASE WHEN a.end_date IS NULL THEN ${ends.length}
                   ELSE (SELECT count(*) FROM unnest(${ends}::date[]) e WHERE e <= a.end_date) END)::int - 1 AS to_k,
             count(*) OVER (PARTITION BY a.person_id) AS posts,
             coalesce(a.band, 'Not known') AS band, ${ethnicGroup} AS ethnic_group, ${ethnicity} AS ethnicity,
             ${disability} AS disability, coalesce(nullif(p.sex, ''), 'Not known') AS sex,
             coalesce(nullif(p.age_band, ''), 'Not known') AS age_band
        FROM assignments a JOIN people p ON p.id = a.person_id
       WHERE a.start_date <= ${ends[ends.length - 1]}::date AND (a.end_date IS NULL OR a.end_date >= ${ends[0]}::date)`.execute(
      trx,
    );
    await sql`ANALYZE learning_equity_staff`.execute(trx);
    await sql`CREATE TEMP TABLE learning_equity_staging ON COMMIT DROP AS
      WITH periods AS (
        SELECT * FROM unnest(${periods.map((p) => p.period)}::text[], ${periods.map((p) => p.start)}::date[],
                             ${periods.map((p) => p.end)}::date[], ${k}::int[]) AS t(period, p_start, p_end, k)
      ),
      learners AS (
        SELECT pr.period, pr.k, lr.person_id, sum(coalesce(lr.hours, 0)) AS hours
          FROM periods pr
          JOIN learning_records lr ON lr.completed_on BETWEEN pr.p_start AND pr.p_end AND NOT lr.mandatory
         GROUP BY pr.period, pr.k, lr.person_id
      ),
      -- People with one post (nearly everyone): staff are counted from profiles (people alike in every group and in
      -- the snapshots they are current at), so the work grows with the number of profiles, not people × periods.
      profiles AS (
        SELECT organisation_id, band, ethnic_group, ethnicity, disability, sex, age_band, from_k, to_k, count(*) AS n
          FROM learning_equity_staff WHERE posts = 1 AND from_k <= to_k
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
      ),
      -- A person with several posts counts once, at their main post on the snapshot date (largest WTE, then oldest).
      several AS (
        SELECT DISTINCT ON (pr.period, s.person_id) pr.period, pr.k, s.*
          FROM periods pr JOIN learning_equity_staff s ON s.posts > 1 AND pr.k BETWEEN s.from_k AND s.to_k
         ORDER BY pr.period, s.person_id, s.wte DESC NULLS LAST, s.id
      ),
      parts AS (
        SELECT pr.period, f.organisation_id, f.band, f.ethnic_group, f.ethnicity, f.disability, f.sex, f.age_band,
               f.n AS staff, 0 AS accessed, 0 AS hours
          FROM profiles f JOIN periods pr ON pr.k BETWEEN f.from_k AND f.to_k
        UNION ALL
        SELECT l.period, s.organisation_id, s.band, s.ethnic_group, s.ethnicity, s.disability, s.sex, s.age_band,
               0, 1, l.hours
          FROM learners l JOIN learning_equity_staff s ON s.person_id = l.person_id AND s.posts = 1
           AND l.k BETWEEN s.from_k AND s.to_k
        UNION ALL
        SELECT s.period, s.organisation_id, s.band, s.ethnic_group, s.ethnicity, s.disability, s.sex, s.age_band,
               1, (l.person_id IS NOT NULL)::int, coalesce(l.hours, 0)
          FROM several s LEFT JOIN learners l ON l.period = s.period AND l.person_id = s.person_id
      ),
      fine AS (
        SELECT period, organisation_id, band, ethnic_group, ethnicity, disability, sex, age_band,
               sum(staff) AS staff, sum(accessed) AS accessed, sum(hours) AS hours
          FROM parts GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
      )
      SELECT period, organisation_id,
             CASE WHEN GROUPING(band) = 0 THEN 'band' WHEN GROUPING(ethnic_group) = 0 THEN 'ethnic_group'
                  WHEN GROUPING(ethnicity) = 0 THEN 'ethnicity' WHEN GROUPING(disability) = 0 THEN 'disability'
                  WHEN GROUPING(sex) = 0 THEN 'sex' WHEN GROUPING(age_band) = 0 THEN 'age_band' ELSE 'all' END AS dimension,
             coalesce(band, ethnic_group, ethnicity, disability, sex, age_band, 'All staff') AS grp,
             sum(staff)::int AS staff, sum(accessed)::int AS accessed, sum(hours)::numeric AS hours
        FROM fine
       GROUP BY GROUPING SETS ((period, organisation_id), (period, organisation_id, band),
         (period, organisation_id, ethnic_group), (period, organisation_id, ethnicity),
         (period, organisation_id, disability), (period, organisation_id, sex), (period, organisation_id, age_band))`.execute(
      trx,
    );
    const rows = await sql<{
      kind: AreaKind;
      id: number;
      parent_kind: AreaKind | null;
      parent_id: number | null;
      period: string;
      dimension: Dimension;
      grp: string;
      staff: number;
      accessed: number;
      hours: string;
    }>`
      WITH placed AS (
        SELECT s.*, o.icb_id, o.region_id FROM learning_equity_staging s JOIN organisations o ON o.id = s.organisation_id
      )
      SELECT 'organisation' AS kind, organisation_id AS id,
             CASE WHEN icb_id IS NOT NULL THEN 'icb' WHEN region_id IS NOT NULL THEN 'region' ELSE 'nation' END AS parent_kind,
             coalesce(icb_id, region_id, 0) AS parent_id, period, dimension, grp, staff, accessed, hours::text
        FROM placed
      UNION ALL
      SELECT 'icb', icb_id, CASE WHEN min(region_id) IS NOT NULL THEN 'region' ELSE 'nation' END, coalesce(min(region_id), 0),
             period, dimension, grp, sum(staff)::int, sum(accessed)::int, sum(hours)::text
        FROM placed WHERE icb_id IS NOT NULL GROUP BY icb_id, period, dimension, grp
      UNION ALL
      SELECT 'region', region_id, 'nation', 0, period, dimension, grp, sum(staff)::int, sum(accessed)::int, sum(hours)::text
        FROM placed WHERE region_id IS NOT NULL GROUP BY region_id, period, dimension, grp
      UNION ALL
      SELECT 'nation', 0, NULL, NULL, period, dimension, grp, sum(staff)::int, sum(accessed)::int, sum(hours)::text
        FROM placed GROUP BY period, dimension, grp`.execute(trx);
    const cells: RawCell[] = rows.rows.map((r) => ({
      areaKind: r.kind,
      areaId: Number(r.id),
      parent: r.parent_kind === null ? null : areaKey(r.parent_kind, Number(r.parent_id)),
      period: r.period,
      dimension: r.dimension,
      grp: r.grp,
      staff: r.staff,
      accessed: r.accessed,
      hours: Number(r.hours),
    }));
    const hidden = suppressEquity(cells, minimum);
    const periodOf = new Map(periods.map((p) => [p.period, p]));
    await trx.deleteFrom('learning_equity_cells').execute();
    for (let i = 0; i < cells.length; i += 20_000) {
      const chunk = cells.slice(i, i + 20_000);
      const col = <T>(f: (c: RawCell, j: number) => T) => chunk.map((c, j) => f(c, i + j));
      await sql`INSERT INTO learning_equity_cells
          (area_kind, area_id, period, period_kind, period_end, dimension, grp, staff, accessed, hours, suppressed)
        SELECT * FROM unnest(${col((c) => c.areaKind)}::text[], ${col((c) => c.areaId)}::int[],
          ${col((c) => c.period)}::text[], ${col((c) => periodOf.get(c.period)!.kind)}::text[],
          ${col((c) => periodOf.get(c.period)!.end)}::date[], ${col((c) => c.dimension)}::text[],
          ${col((c) => c.grp)}::text[], ${col((c) => c.staff)}::int[], ${col((c) => c.accessed)}::int[],
          ${col((c) => Math.round(c.hours * 10) / 10)}::numeric[], ${col((_, j) => hidden[j])}::boolean[])`.execute(
        trx,
      );
    }
    const millis = Date.now() - started;
    await trx.insertInto('learning_equity_refreshes').values({ minimum, cells: cells.length, millis }).execute();
    return { cells: cells.length, suppressed: hidden.filter(Boolean).length, periods: periods.length, millis };
  });
}
