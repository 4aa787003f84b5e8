import { sql } from 'kysely';
import type { Db } from '../priorities/queries.ts';
import { REPEAT_YEARS, type ReorganisationInput } from './reorganisations.ts';

// The SQL of the reorganisations log and its summary (reorganisation_summary, written by refreshReorganisations).

export interface ReorgRow {
  id: number;
  organisation_id: number;
  team_id: number | null;
  unit_name: string;
  team_code: string | null;
  effective_on: string;
  staff_affected: number;
  rationale: string;
  cost: string | null;
  expected_benefits: string;
  review_on: string | null;
  outcome: string | null;
  outcome_on: string | null;
  recorded_by: number | null;
}

const select = (db: Db) =>
  db
    .selectFrom('reorganisations as r')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .select([
      'r.id',
      'r.organisation_id',
      'r.team_id',
      'r.unit_name',
      't.code as team_code',
      'r.effective_on',
      'r.staff_affected',
      'r.rationale',
      'r.cost',
      'r.expected_benefits',
      'r.review_on',
      'r.outcome',
      'r.outcome_on',
      'r.recorded_by',
    ]);

/** An organisation's log, newest first (hundreds of rows at most: teams × years). */
export async function logOf(db: Db, orgId: number): Promise<ReorgRow[]> {
  return select(db)
    .where('r.organisation_id', '=', orgId)
    .orderBy('r.effective_on', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
}

export async function findReorganisation(db: Db, id: number): Promise<ReorgRow | undefined> {
  return select(db).where('r.id', '=', id).executeTakeFirst();
}

export interface NewReorganisation extends ReorganisationInput {
  organisationId: number;
  teamId: number | null;
  unitName: string;
}

export async function insertReorganisation(db: Db, r: NewReorganisation, accountId: number | null): Promise<number> {
  const row = await db
    .insertInto('reorganisations')
    .values(values(r, accountId))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const values = (r: NewReorganisation, accountId: number | null) => ({
  organisation_id: r.organisationId,
  team_id: r.teamId,
  unit_name: r.unitName,
  effective_on: r.effective_on,
  staff_affected: r.staff_affected,
  rationale: r.rationale,
  cost: r.cost ?? null,
  expected_benefits: r.expected_benefits,
  review_on: r.review_on ?? null,
  outcome: r.outcome ?? null,
  outcome_on: r.outcome ? (r.outcome_on ?? r.effective_on) : null,
  recorded_by: accountId,
});

export async function updateReorganisation(db: Db, id: number, r: NewReorganisation, accountId: number | null) {
  const { recorded_by: _, ...v } = values(r, accountId);
  await db
    .updateTable('reorganisations')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function setOutcome(db: Db, id: number, outcome: string, on: string) {
  await db
    .updateTable('reorganisations')
    .set({ outcome, outcome_on: on, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Teams of an organisation by id, code or name (case ignored), for the form and the import. */
export async function teamsForUnits(db: Db, orgId: number) {
  return db
    .selectFrom('teams')
    .select(['id', 'code', 'name', 'closed_on'])
    .where('organisation_id', '=', orgId)
    .orderBy('name')
    .execute();
}

/** Where an organisation counts at each level: an ICB or a region counts in its own area. */
const levelArea = sql`(VALUES ('organisation', o.id),
  ('icb', CASE WHEN o.kind = 'icb' THEN o.id ELSE o.icb_id END),
  ('region', CASE WHEN o.kind = 'region' THEN o.id ELSE o.region_id END),
  ('nation', 0)) AS lv(level, area_id)`;

/**
 * Rebuild the summary per level, area and calendar year: reorganisations, those within three years of the previous
 * one of the same unit (the same rule as withinThreeYears: PostgreSQL adds years as addYears does), staff affected,
 * known cost and how many have no cost recorded; organisations is the number of open providers in the area.
 */
export async function refreshReorganisations(db: Db) {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('leadwell.reorganisation_summary'))`.execute(trx);
    await sql`DELETE FROM reorganisation_summary`.execute(trx);
    await sql`
      WITH r AS (
        SELECT r.organisation_id, r.staff_affected, r.cost, extract(year FROM r.effective_on)::int AS year,
               coalesce(r.effective_on <= (lag(r.effective_on) OVER unit + make_interval(years => ${REPEAT_YEARS}))::date,
                        false) AS repeated
          FROM reorganisations r
        WINDOW unit AS (PARTITION BY r.organisation_id, coalesce(r.team_id, 0) ORDER BY r.effective_on, r.id)
      )
      INSERT INTO reorganisation_summary (level, area_id, year, organisations, reorganisations, repeated,
                                          staff_affected, cost, cost_unknown)
      SELECT lv.level, lv.area_id, r.year, 0, count(*), count(*) FILTER (WHERE r.repeated), sum(r.staff_affected),
             coalesce(sum(r.cost), 0), count(*) FILTER (WHERE r.cost IS NULL)
        FROM r JOIN organisations o ON o.id = r.organisation_id CROSS JOIN LATERAL ${levelArea}
       WHERE lv.area_id IS NOT NULL
       GROUP BY lv.level, lv.area_id, r.year`.execute(trx);
    await sql`
      WITH counted AS (
        SELECT lv.level, lv.area_id, count(*) AS n
          FROM organisations o CROSS JOIN LATERAL ${levelArea}
         WHERE o.kind IN ('trust', 'provider') AND o.closed_on IS NULL AND lv.area_id IS NOT NULL
         GROUP BY lv.level, lv.area_id
      )
      UPDATE reorganisation_summary s SET organisations = counted.n
        FROM counted WHERE s.level = counted.level AND s.area_id = counted.area_id`.execute(trx);
    await sql`UPDATE reorganisation_summary SET organisations = 1 WHERE level = 'organisation' AND organisations = 0`.execute(
      trx,
    );
  });
}

export type Level = 'organisation' | 'icb' | 'region' | 'nation';

export async function summaryOf(db: Db, level: Level, areaId: number) {
  const rows = await db
    .selectFrom('reorganisation_summary')
    .select([
      'year',
      'organisations',
      'reorganisations',
      'repeated',
      'staff_affected',
      'cost',
      'cost_unknown',
      'refreshed_at',
    ])
    .where('level', '=', level)
    .where('area_id', '=', areaId)
    .orderBy('year')
    .execute();
  return rows.map((r) => ({ ...r, cost: Number(r.cost), staff_affected: Number(r.staff_affected) }));
}

/** Totals of the areas one level down, over the years given. */
export async function childSummaries(db: Db, level: Level, areaId: number, fromYear: number) {
  const child: Level = level === 'nation' ? 'region' : level === 'region' ? 'icb' : 'organisation';
  let q = db
    .selectFrom('reorganisation_summary as s')
    .innerJoin('organisations as a', 'a.id', 's.area_id')
    .select([
      'a.id',
      'a.code',
      'a.name',
      sql<number>`max(s.organisations)`.as('organisations'),
      sql<number>`sum(s.reorganisations)::int`.as('reorganisations'),
      sql<number>`sum(s.repeated)::int`.as('repeated'),
      sql<number>`sum(s.staff_affected)::bigint`.as('staff_affected'),
      sql<string>`sum(s.cost)`.as('cost'),
      sql<number>`sum(s.cost_unknown)::int`.as('cost_unknown'),
    ])
    .where('s.level', '=', child)
    .where('s.year', '>=', fromYear)
    .groupBy(['a.id', 'a.code', 'a.name']);
  if (level === 'region') q = q.where('a.region_id', '=', areaId);
  if (level === 'icb') q = q.where('a.icb_id', '=', areaId);
  return { level: child, rows: await q.orderBy('a.name').execute() };
}

/**
 * Claim the reorganisations whose review date has come without an outcome and that were never reminded: marks them
 * reminded and returns them with the recorder's address, inside the caller's transaction (SKIP LOCKED, so two
 * workers never claim the same row).
 */
export async function claimDueReviews(db: Db, today: string, limit = 500) {
  const res = await sql<{
    id: number;
    unit_name: string;
    effective_on: string;
    review_on: string;
    org_code: string;
    org_name: string;
    email: string | null;
  }>`
    WITH due AS (
      SELECT id FROM reorganisations
       WHERE review_on <= ${today}::date AND outcome IS NULL AND review_reminded_at IS NULL AND recorded_by IS NOT NULL
       ORDER BY review_on, id
       LIMIT ${limit}
       FOR UPDATE SKIP LOCKED
    ), marked AS (
      UPDATE reorganisations r SET review_reminded_at = now() FROM due WHERE r.id = due.id
      RETURNING r.id, r.unit_name, r.effective_on, r.review_on, r.organisation_id, r.recorded_by
    )
    SELECT m.id, m.unit_name, m.effective_on::text, m.review_on::text, o.code AS org_code, o.name AS org_name, a.email
      FROM marked m JOIN organisations o ON o.id = m.organisation_id
      LEFT JOIN accounts a ON a.id = m.recorded_by AND a.status = 'active'`.execute(db);
  return res.rows;
}
