import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type AreaKind, areaKey, type Dimension, periodsFor, type RawCell, suppressEquity } from './equity.ts';

// The nightly refresh of the equity summaries: one set-based pass over assignments, people and non-mandatory
// learning records builds each organisation's cells; ICB, region and England are sums of their organisations
// (each person is counted once, at one organisation, per period); disclosure control is applied here, so the
// pages only read learning_equity_cells.

// The ethnic category's letter is all the two ethnicity groupings need: staff are grouped by the letter (a handful
// of values) and the letters are named, for both groupings, only at the end, on the few summed rows.
const letterOf = sql`coalesce(upper(left(p.ethnicity, 1)), '')`;
const ethnicGroup = sql`CASE
  WHEN ethnic_letter IN ('Z', '') THEN 'Not stated'
  WHEN ethnic_letter IN ('A', 'B', 'C') THEN 'White'
  ELSE 'BME' END`;
const ethnicity = sql`CASE
  WHEN ethnic_letter NOT IN ('A','B','C','D','E','F','G','H','J','K','L','M','N','P','R','S') THEN 'Not stated'
  WHEN ethnic_letter IN ('A', 'B', 'C') THEN 'White'
  WHEN ethnic_letter IN ('D', 'E', 'F', 'G') THEN 'Mixed'
  WHEN ethnic_letter IN ('H', 'J', 'K', 'L') THEN 'Asian or Asian British'
  WHEN ethnic_letter IN ('M', 'N', 'P') THEN 'Black or Black British'
  ELSE 'Chinese or any other ethnic group' END`;
const disability = sql`CASE
  WHEN lower(p.disability) IN ('yes', 'y') THEN 'Disabled'
  WHEN lower(p.disability) IN ('no', 'n') THEN 'Not disabled'
  ELSE 'Not declared' END`;

/** The number (i) of the period of one kind that a date falls in (periods of one kind never overlap), or null. */
function placeIn(periods: { start: string; end: string; i: number }[], date: string) {
  const d = sql.raw(date);
  return sql`CASE ${sql.join(
    periods.map((p) => sql`WHEN ${d} BETWEEN ${p.start}::date AND ${p.end}::date THEN ${sql.lit(p.i)}`),
    sql` `,
  )} END`;
}

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
    const numbered = periods.map((p, i) => ({ ...p, i }));
    const years = numbered.filter((p) => p.kind === 'year');
    const quarters = numbered.filter((p) => p.kind === 'quarter');
    const first = periods.map((p) => p.start).sort()[0];
    // Each assignment current at some snapshot, with its person's groups worked out once, the snapshots it is
    // current at as a range of places [from_k, to_k] (width_bucket counts the dates up to a day in the sorted
    // list), and how many such posts the person has.
    await sql`CREATE TEMP TABLE learning_equity_staff ON COMMIT DROP AS
      SELECT a.id, a.person_id, a.organisation_id, a.wte,
             width_bucket(a.start_date - 1, ${ends}::date[]) AS from_k,
             (CASE WHEN a.end_date IS NULL THEN ${ends.length}
                   ELSE width_bucket(a.end_date, ${ends}::date[]) END) - 1 AS to_k,
             count(*) OVER (PARTITION BY a.person_id) AS posts,
             coalesce(a.band, 'Not known') AS band, ${letterOf} AS ethnic_letter, ${disability} AS disability,
             coalesce(nullif(p.sex, ''), 'Not known') AS sex, coalesce(nullif(p.age_band, ''), 'Not known') AS age_band
        FROM assignments a JOIN people p ON p.id = a.person_id
       WHERE a.start_date <= ${ends[ends.length - 1]}::date AND (a.end_date IS NULL OR a.end_date >= ${ends[0]}::date)`.execute(
      trx,
    );
    await sql`ANALYZE learning_equity_staff`.execute(trx);
    // Only each dimension's own groups are published, never a cross of two dimensions, so staff are not classified
    // by every dimension at once (millions of groups): the sums below are kept for two small bundles of dimensions
    // (band × disability × sex, and ethnic letter × age band, a few hundred groups per organisation and period)
    // with GROUPING SETS, then summed down to each dimension; "All staff" is the sum of the bands.
    await sql`CREATE TEMP TABLE learning_equity_staging ON COMMIT DROP AS
      WITH periods AS (
        SELECT * FROM unnest(${periods.map((_, i) => i)}::int[], ${periods.map((p) => p.period)}::text[], ${k}::int[])
                   AS t(i, period, k)
      ),
      -- Periods are numbered (i) until the end, so the sums below are keyed by integers, and hours are summed as
      -- whole hundredths (hours have two decimals), which stay exact in integer sums. Each record is read once and
      -- placed in its year and in its quarter.
      learners AS (
        SELECT r.i, (${k}::int[])[r.i + 1] AS k, r.person_id, sum(r.cents) AS cents
          FROM (SELECT lr.person_id, (coalesce(lr.hours, 0) * 100)::int AS cents,
                       unnest(ARRAY[${placeIn(years, 'lr.completed_on')}, ${placeIn(quarters, 'lr.completed_on')}]) AS i
                  FROM learning_records lr
                 WHERE NOT lr.mandatory AND lr.completed_on BETWEEN ${first}::date AND ${ends[ends.length - 1]}::date) r
         WHERE r.i IS NOT NULL
         GROUP BY r.i, r.person_id
      ),
      -- People with one post (nearly everyone): one pass over the posts counts each group's staff at every snapshot
      -- k at once (a post counts at the snapshots its range [from_k, to_k] covers), so the work does not grow with
      -- the number of periods.
      held AS (
        SELECT organisation_id, band, disability, sex, ethnic_letter, age_band,
               unnest(ARRAY[${sql.join(ends.map((_, j) => sql`count(*) FILTER (WHERE from_k <= ${sql.lit(j)} AND to_k >= ${sql.lit(j)})`))}]) AS staff,
               generate_series(0, ${sql.lit(ends.length - 1)}) AS k
          FROM learning_equity_staff WHERE posts = 1 AND from_k <= to_k
         GROUP BY GROUPING SETS ((organisation_id, band, disability, sex), (organisation_id, ethnic_letter, age_band))
      ),
      -- A person with several posts counts once, at their main post on the snapshot date (largest WTE, then oldest).
      several AS (
        SELECT DISTINCT ON (pr.i, s.person_id) pr.i, s.*
          FROM periods pr JOIN learning_equity_staff s ON s.posts > 1 AND pr.k BETWEEN s.from_k AND s.to_k
         ORDER BY pr.i, s.person_id, s.wte DESC NULLS LAST, s.id
      ),
      -- Learners with one post (staff already counted above) and everyone with several posts, period by period.
      active AS (
        SELECT l.i, s.organisation_id, s.band, s.ethnic_letter, s.disability, s.sex, s.age_band,
               0 AS staff, 1 AS accessed, l.cents
          FROM learners l JOIN learning_equity_staff s ON s.person_id = l.person_id AND s.posts = 1
           AND l.k BETWEEN s.from_k AND s.to_k
        UNION ALL
        SELECT s.i, s.organisation_id, s.band, s.ethnic_letter, s.disability, s.sex, s.age_band,
               1, (l.person_id IS NOT NULL)::int, coalesce(l.cents, 0)
          FROM several s LEFT JOIN learners l ON l.i = s.i AND l.person_id = s.person_id
      ),
      -- Each row is one group of one bundle: the other bundle's columns are null.
      margins AS MATERIALIZED (
        SELECT pr.i, h.organisation_id, h.band, h.ethnic_letter, h.disability, h.sex, h.age_band,
               h.staff, 0 AS accessed, 0 AS cents
          FROM held h JOIN periods pr ON pr.k = h.k
         WHERE h.staff > 0
        UNION ALL
        SELECT i, organisation_id, band, ethnic_letter, disability, sex, age_band, sum(staff), sum(accessed), sum(cents)
          FROM active
         GROUP BY GROUPING SETS ((i, organisation_id, band, disability, sex), (i, organisation_id, ethnic_letter, age_band))
      ),
      named AS (
        SELECT i, organisation_id, 'all' AS dimension, 'All staff' AS grp,
               sum(staff)::int AS staff, sum(accessed)::int AS accessed, sum(cents) AS cents
          FROM margins WHERE band IS NOT NULL GROUP BY 1, 2
        UNION ALL
        SELECT i, organisation_id, 'band', band, sum(staff)::int, sum(accessed)::int, sum(cents)
          FROM margins WHERE band IS NOT NULL GROUP BY 1, 2, 4
        UNION ALL
        SELECT i, organisation_id, 'ethnic_group', ${ethnicGroup}, sum(staff)::int, sum(accessed)::int, sum(cents)
          FROM margins WHERE ethnic_letter IS NOT NULL GROUP BY 1, 2, 4
        UNION ALL
        SELECT i, organisation_id, 'ethnicity', ${ethnicity}, sum(staff)::int, sum(accessed)::int, sum(cents)
          FROM margins WHERE ethnic_letter IS NOT NULL GROUP BY 1, 2, 4
        UNION ALL
        SELECT i, organisation_id, 'disability', disability, sum(staff)::int, sum(accessed)::int, sum(cents)
          FROM margins WHERE disability IS NOT NULL GROUP BY 1, 2, 4
        UNION ALL
        SELECT i, organisation_id, 'sex', sex, sum(staff)::int, sum(accessed)::int, sum(cents)
          FROM margins WHERE sex IS NOT NULL GROUP BY 1, 2, 4
        UNION ALL
        SELECT i, organisation_id, 'age_band', age_band, sum(staff)::int, sum(accessed)::int, sum(cents)
          FROM margins WHERE age_band IS NOT NULL GROUP BY 1, 2, 4
      )
      SELECT pr.period, n.organisation_id, n.dimension, n.grp, n.staff, n.accessed,
             (n.cents::numeric / 100)::numeric(20, 2) AS hours
        FROM named n JOIN periods pr ON pr.i = n.i`.execute(trx);
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
