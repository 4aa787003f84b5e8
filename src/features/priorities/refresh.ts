import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { buckets, trendDays } from './priorities.ts';
import type { Db } from './queries.ts';

/**
 * The thicket figures, written into summary tables so that pages never compute them (docs/workload-priorities.md,
 * "When figures are computed"). In one transaction, serialised by an advisory lock:
 *
 * 1. temporary sets of the priorities active today that apply to each organisation as a whole (_op: cascaded
 *    national, regional and ICB ones, and those placed on the organisation) and to single teams (_tp: placed on
 *    the team or on a team above it), and the
 *    marked links between active priorities (_ln) — for every organisation with open teams (a few thousand rows);
 * 2. per team and per manager, for the organisations given (all when none are given): concurrent priorities
 *    (|organisation set| + |team's own|), unfunded ones, and marked overlaps and conflicts whose two priorities
 *    both apply;
 * 3. the organisation, ICB, region and England distributions, from the team rows;
 * 4. the monthly trend (every level when refreshing all; the organisations' own rows otherwise).
 */
export async function refreshThicket(db: Database, today: string, orgIds?: number[]) {
  return db.transaction().execute((trx) => refreshThicketIn(trx, today, orgIds));
}

/** The refresh inside a transaction the caller holds (the pending-requests job marks its requests in it). */
export async function refreshThicketIn(trx: Db, today: string, orgIds?: number[]) {
  await sql`SELECT pg_advisory_xact_lock(hashtext('leadwell.priority_summaries'))`.execute(trx);
  const orgs = orgIds ?? null;
  await buildSets(trx, today);
  const teams = await writeTeams(trx, orgs);
  const managers = await writeManagers(trx, orgs);
  await writeAreas(trx);
  await writeTrend(trx, trendDays(today), orgs);
  return { teams, managers };
}

async function buildSets(db: Db, today: string) {
  for (const statement of [
    sql`CREATE TEMP TABLE _pa ON COMMIT DROP AS
      SELECT id, funded, scope, scope_org_id, targeted FROM priorities
       WHERE set_on <= ${today}::date AND (ended_on IS NULL OR ended_on > ${today}::date)`,
    sql`CREATE TEMP TABLE _o ON COMMIT DROP AS
      SELECT o.id, o.icb_id, o.region_id FROM organisations o
       WHERE EXISTS (SELECT 1 FROM teams t WHERE t.organisation_id = o.id AND t.closed_on IS NULL)`,
    sql`CREATE TEMP TABLE _op ON COMMIT DROP AS
      SELECT o.id AS org_id, a.id AS pid, a.funded FROM _o o JOIN _pa a ON NOT a.targeted AND (a.scope = 'national'
          OR (a.scope = 'region' AND a.scope_org_id = o.region_id)
          OR (a.scope = 'icb' AND a.scope_org_id = o.icb_id)
          OR (a.scope = 'organisation' AND a.scope_org_id = o.id))
      UNION
      SELECT t.organisation_id, a.id, a.funded FROM priority_targets t JOIN _pa a ON a.id = t.priority_id
       WHERE t.team_id IS NULL`,
    sql`CREATE UNIQUE INDEX ON _op (org_id, pid)`,
    // A priority placed on a team applies to every team under it (teams.parent_team_id): _td holds each
    // targeted team with itself and its descendants, open or not (the trend asks which were open on each day).
    sql`CREATE TEMP TABLE _td ON COMMIT DROP AS
      WITH RECURSIVE d(root, team_id) AS (
        SELECT DISTINCT team_id, team_id FROM priority_targets WHERE team_id IS NOT NULL
        UNION
        SELECT d.root, c.id FROM d JOIN teams c ON c.parent_team_id = d.team_id
      ) SELECT root, team_id FROM d`,
    sql`CREATE INDEX ON _td (root)`,
    sql`ANALYZE _td`,
    sql`CREATE TEMP TABLE _tp ON COMMIT DROP AS
      SELECT DISTINCT d.team_id, t.organisation_id AS org_id, a.id AS pid, a.funded
        FROM priority_targets t JOIN _pa a ON a.id = t.priority_id
        JOIN _td d ON d.root = t.team_id
        JOIN teams tm ON tm.id = d.team_id AND tm.closed_on IS NULL
       WHERE NOT EXISTS (SELECT 1 FROM _op WHERE _op.org_id = t.organisation_id AND _op.pid = a.id)`,
    sql`CREATE UNIQUE INDEX ON _tp (team_id, pid)`,
    sql`CREATE TEMP TABLE _ln ON COMMIT DROP AS
      SELECT l.organisation_id AS org_id, l.priority_a AS a, l.priority_b AS b, l.kind
        FROM priority_links l JOIN _pa pa ON pa.id = l.priority_a JOIN _pa pb ON pb.id = l.priority_b`,
    sql`CREATE INDEX ON _ln (org_id)`,
    sql`ANALYZE _op`,
    sql`ANALYZE _tp`,
    sql`ANALYZE _ln`,
  ]) {
    await statement.execute(db);
  }
}

const only = (column: ReturnType<typeof sql.ref>, orgs: number[] | null) =>
  orgs === null ? sql`true` : sql`${column} = ANY(${orgs}::int[])`;

async function writeTeams(db: Db, orgs: number[] | null): Promise<number> {
  await sql`DELETE FROM priority_team_summary WHERE ${only(sql.ref('organisation_id'), orgs)}`.execute(db);
  const inTeamSet = (p: ReturnType<typeof sql.ref>) =>
    sql`(EXISTS (SELECT 1 FROM _op WHERE _op.org_id = l.org_id AND _op.pid = ${p})
      OR EXISTS (SELECT 1 FROM _tp WHERE _tp.team_id = tm.id AND _tp.pid = ${p}))`;
  const res = await sql`
    INSERT INTO priority_team_summary (team_id, organisation_id, concurrent, unfunded, overlapping, conflicting)
    SELECT tm.id, tm.organisation_id,
           coalesce(oc.n, 0) + coalesce(te.n, 0), coalesce(oc.u, 0) + coalesce(te.u, 0),
           coalesce(tl.ov, 0), coalesce(tl.cf, 0)
      FROM teams tm
      LEFT JOIN (SELECT org_id, count(*) AS n, count(*) FILTER (WHERE NOT funded) AS u FROM _op GROUP BY org_id) oc
             ON oc.org_id = tm.organisation_id
      LEFT JOIN (SELECT team_id, count(*) AS n, count(*) FILTER (WHERE NOT funded) AS u FROM _tp GROUP BY team_id) te
             ON te.team_id = tm.id
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE l.kind = 'overlap') AS ov, count(*) FILTER (WHERE l.kind = 'conflict') AS cf
          FROM _ln l WHERE l.org_id = tm.organisation_id AND ${inTeamSet(sql.ref('l.a'))} AND ${inTeamSet(sql.ref('l.b'))}
      ) tl ON true
     WHERE tm.closed_on IS NULL AND ${only(sql.ref('tm.organisation_id'), orgs)}`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * A manager is the holder of a current assignment that line-manages a current assignment. Their teams: the team of
 * that assignment and the teams of their direct reports. Their priorities: the organisation-wide set of the
 * manager's organisation and every priority placed on one of their teams.
 */
async function writeManagers(db: Db, orgs: number[] | null): Promise<number> {
  await sql`
    CREATE TEMP TABLE _mt ON COMMIT DROP AS
      SELECT DISTINCT m.person_id, m.organisation_id AS org_id, x.team_id
        FROM assignments r
        JOIN assignments m ON m.id = r.line_manager_assignment_id
        CROSS JOIN LATERAL (VALUES (m.team_id), (r.team_id)) AS x(team_id)
       WHERE r.end_date IS NULL AND m.end_date IS NULL AND ${only(sql.ref('m.organisation_id'), orgs)}`.execute(db);
  await sql`CREATE INDEX ON _mt (person_id, org_id)`.execute(db);
  await sql`CREATE INDEX ON _mt (team_id)`.execute(db);
  await sql`ANALYZE _mt`.execute(db);
  await sql`DELETE FROM priority_manager_summary WHERE ${only(sql.ref('organisation_id'), orgs)}`.execute(db);
  const inSet = (p: ReturnType<typeof sql.ref>) =>
    sql`(EXISTS (SELECT 1 FROM _op WHERE _op.org_id = g.org_id AND _op.pid = ${p})
      OR EXISTS (SELECT 1 FROM _mt mt JOIN _tp ON _tp.team_id = mt.team_id
                  WHERE mt.person_id = g.person_id AND mt.org_id = g.org_id AND _tp.pid = ${p}))`;
  const res = await sql`
    INSERT INTO priority_manager_summary (organisation_id, person_id, teams, concurrent, unfunded, overlapping, conflicting)
    SELECT g.org_id, g.person_id, g.teams,
           coalesce(oc.n, 0) + coalesce(me.n, 0), coalesce(oc.u, 0) + coalesce(me.u, 0),
           coalesce(ml.ov, 0), coalesce(ml.cf, 0)
      FROM (SELECT person_id, org_id, count(DISTINCT team_id)::int AS teams FROM _mt GROUP BY person_id, org_id) g
      LEFT JOIN (SELECT org_id, count(*) AS n, count(*) FILTER (WHERE NOT funded) AS u FROM _op GROUP BY org_id) oc
             ON oc.org_id = g.org_id
      LEFT JOIN LATERAL (
        SELECT count(DISTINCT _tp.pid) AS n, count(DISTINCT _tp.pid) FILTER (WHERE NOT _tp.funded) AS u
          FROM _mt mt JOIN _tp ON _tp.team_id = mt.team_id
         WHERE mt.person_id = g.person_id AND mt.org_id = g.org_id
      ) me ON true
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE l.kind = 'overlap') AS ov, count(*) FILTER (WHERE l.kind = 'conflict') AS cf
          FROM _ln l WHERE l.org_id = g.org_id AND ${inSet(sql.ref('l.a'))} AND ${inSet(sql.ref('l.b'))}
      ) ml ON true`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/** Where an organisation counts at each level: an ICB or a region counts in its own area. */
const levelArea = sql`(VALUES ('organisation', o.id),
  ('icb', CASE WHEN o.kind = 'icb' THEN o.id ELSE o.icb_id END),
  ('region', CASE WHEN o.kind = 'region' THEN o.id ELSE o.region_id END),
  ('nation', 0)) AS lv(level, area_id)`;

async function writeAreas(db: Db) {
  const distribution = sql.join(
    buckets.map(
      (b) =>
        sql`jsonb_build_object('bucket', ${b.label}::text, 'teams',
          count(*) FILTER (WHERE s.concurrent >= ${b.min} ${Number.isFinite(b.max) ? sql`AND s.concurrent <= ${b.max}` : sql``}))`,
    ),
  );
  await sql`DELETE FROM priority_area_summary`.execute(db);
  await sql`
    INSERT INTO priority_area_summary (level, area_id, organisations, teams, team_priorities, unfunded, median, p90, max,
                                       distribution, overlapping, conflicting, active)
    SELECT lv.level, lv.area_id, count(DISTINCT s.organisation_id), count(*), sum(s.concurrent), sum(s.unfunded),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY s.concurrent),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY s.concurrent), max(s.concurrent),
           jsonb_build_array(${distribution}), 0, 0, 0
      FROM priority_team_summary s JOIN organisations o ON o.id = s.organisation_id CROSS JOIN LATERAL ${levelArea}
     WHERE lv.area_id IS NOT NULL
     GROUP BY lv.level, lv.area_id`.execute(db);
  await sql`
    WITH pairs AS (SELECT org_id, pid FROM _op UNION SELECT org_id, pid FROM _tp),
    per AS (
      SELECT lv.level, lv.area_id, count(DISTINCT p.pid) AS n
        FROM pairs p JOIN organisations o ON o.id = p.org_id CROSS JOIN LATERAL ${levelArea}
       WHERE lv.area_id IS NOT NULL GROUP BY lv.level, lv.area_id
    )
    UPDATE priority_area_summary s SET active = per.n FROM per WHERE s.level = per.level AND s.area_id = per.area_id`.execute(
    db,
  );
  await sql`
    WITH per AS (
      SELECT lv.level, lv.area_id, count(*) FILTER (WHERE l.kind = 'overlap') AS ov,
             count(*) FILTER (WHERE l.kind = 'conflict') AS cf
        FROM _ln l JOIN organisations o ON o.id = l.org_id CROSS JOIN LATERAL ${levelArea}
       WHERE lv.area_id IS NOT NULL GROUP BY lv.level, lv.area_id
    )
    UPDATE priority_area_summary s SET overlapping = per.ov, conflicting = per.cf
      FROM per WHERE s.level = per.level AND s.area_id = per.area_id
  `.execute(db);
}

/**
 * Mean concurrent priorities per team on each day: per organisation, teams × (organisation-wide priorities active
 * that day) + team-placed ones active that day, summed over the area and divided by its teams. Teams count while
 * open (closed_on after the day), whenever they were created.
 */
async function writeTrend(db: Db, days: string[], orgs: number[] | null) {
  await sql`DELETE FROM priority_trend WHERE ${orgs === null ? sql`true` : sql`level = 'organisation' AND area_id = ANY(${orgs}::int[])`}`.execute(
    db,
  );
  await sql`
    WITH days AS (SELECT unnest(${days}::date[]) AS day),
    pd AS (
      SELECT d.day, p.id, p.scope, coalesce(p.scope_org_id, 0) AS area, p.targeted
        FROM days d JOIN priorities p ON p.set_on <= d.day AND (p.ended_on IS NULL OR p.ended_on > d.day)
    ),
    area_n AS (SELECT day, scope, area, count(*) AS n FROM pd WHERE NOT targeted GROUP BY day, scope, area),
    whole_t AS (
      SELECT pd.day, t.organisation_id AS org_id, count(*) AS n
        FROM pd JOIN priority_targets t ON t.priority_id = pd.id AND t.team_id IS NULL GROUP BY pd.day, t.organisation_id
    ),
    team_pairs AS (
      SELECT DISTINCT pd.day, pd.id, d.team_id, t.organisation_id AS org_id
        FROM pd JOIN priority_targets t ON t.priority_id = pd.id AND t.team_id IS NOT NULL
        JOIN _td d ON d.root = t.team_id
        JOIN teams tm ON tm.id = d.team_id AND (tm.closed_on IS NULL OR tm.closed_on > pd.day)
    ),
    team_t AS (SELECT day, org_id, count(*) AS n FROM team_pairs GROUP BY day, org_id),
    ot AS (
      SELECT d.day, tm.organisation_id AS org_id, count(*) AS teams
        FROM days d JOIN teams tm ON (tm.closed_on IS NULL OR tm.closed_on > d.day)
       WHERE ${only(sql.ref('tm.organisation_id'), orgs)}
       GROUP BY d.day, tm.organisation_id
    ),
    per_org AS (
      SELECT ot.day, o.id, o.kind, o.icb_id, o.region_id, ot.teams,
             ot.teams * (coalesce(nat.n, 0) + coalesce(reg.n, 0) + coalesce(icb.n, 0) + coalesce(own.n, 0)
                         + coalesce(wt.n, 0)) + coalesce(tt.n, 0) AS load
        FROM ot JOIN organisations o ON o.id = ot.org_id
        LEFT JOIN area_n nat ON nat.day = ot.day AND nat.scope = 'national'
        LEFT JOIN area_n reg ON reg.day = ot.day AND reg.scope = 'region' AND reg.area = o.region_id
        LEFT JOIN area_n icb ON icb.day = ot.day AND icb.scope = 'icb' AND icb.area = o.icb_id
        LEFT JOIN area_n own ON own.day = ot.day AND own.scope = 'organisation' AND own.area = o.id
        LEFT JOIN whole_t wt ON wt.day = ot.day AND wt.org_id = o.id
        LEFT JOIN team_t tt ON tt.day = ot.day AND tt.org_id = o.id
    )
    INSERT INTO priority_trend (level, area_id, month, teams, mean)
    SELECT lv.level, lv.area_id, o.day, sum(o.teams), round(sum(o.load)::numeric / sum(o.teams), 2)
      FROM per_org o CROSS JOIN LATERAL ${levelArea}
     WHERE lv.area_id IS NOT NULL AND (${orgs === null} OR lv.level = 'organisation')
     GROUP BY lv.level, lv.area_id, o.day`.execute(db);
}
