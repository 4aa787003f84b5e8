import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, PulseCadence } from '../../db/schema.ts';
import { categories, type Hours, type ReminderKind, type Sums } from './pulse.ts';

// The pulse's SQL. Responses are read back only for their own person; everything else is sums per round.

export type Db = Kysely<DB> | Transaction<DB>;

/**
 * Where a person answers as a manager: the organisation of a current assignment that line-manages someone's
 * current assignment, or else one marked as a management post. Reads the person's own assignments (the same
 * test the session uses for the line-manager role), one indexed lookup.
 */
export async function managerSeat(db: Db, personId: number, managerAssignmentIds: number[], today: string) {
  const row = await sql<{
    organisation_id: number;
    team_id: number | null;
    code: string;
    name: string;
    icb_id: number | null;
    region_id: number | null;
    round_id: number | null;
    cadence: PulseCadence | null;
    opens_on: string | null;
    closes_on: string | null;
  }>`
    SELECT a.organisation_id, a.team_id, o.code, o.name, o.icb_id, o.region_id,
           r.id AS round_id, r.cadence, r.opens_on::text AS opens_on, r.closes_on::text AS closes_on
      FROM assignments a
      JOIN organisations o ON o.id = a.organisation_id
      LEFT JOIN LATERAL (
        SELECT id, cadence, opens_on, closes_on FROM pulse_rounds
         WHERE organisation_id = a.organisation_id AND opens_on <= ${today}::date AND closes_on >= ${today}::date
         ORDER BY opens_on DESC LIMIT 1) r ON true
     WHERE a.person_id = ${personId} AND a.end_date IS NULL
       AND (a.is_manager OR a.id = ANY(${managerAssignmentIds}::bigint[]))
     ORDER BY (a.id = ANY(${managerAssignmentIds}::bigint[])) DESC, a.start_date, a.id
     LIMIT 1`.execute(db);
  const r = row.rows[0];
  if (!r) return undefined;
  const { round_id, cadence, opens_on, closes_on, ...seat } = r;
  const round: Round | undefined =
    round_id === null
      ? undefined
      : {
          id: round_id,
          organisationId: r.organisation_id,
          cadence: cadence!,
          opensOn: opens_on!,
          closesOn: closes_on!,
        };
  return { seat, round };
}

/**
 * Open the round that covers `today` for every open organisation (or those given) that has none yet, with the
 * organisation's cadence (monthly unless set). Safe to run twice or at once on several instances: the unique
 * (organisation, opens_on) key and the "none covers today" test decide.
 */
export async function openRounds(db: Db, today: string, orgIds?: number[]): Promise<number> {
  const only = orgIds ? sql`AND o.id = ANY(${orgIds}::int[])` : sql``;
  const res = await sql`
    INSERT INTO pulse_rounds (organisation_id, cadence, opens_on, closes_on)
    SELECT o.id, c.cadence,
           -- After a change of cadence the new period may start inside the last round: start the day after it.
           greatest(c.period_start, coalesce((SELECT max(r.closes_on) + 1 FROM pulse_rounds r
                                               WHERE r.organisation_id = o.id AND r.closes_on < ${today}::date),
                                             c.period_start)),
           (c.period_start + c.length - interval '1 day')::date
      FROM organisations o
      LEFT JOIN pulse_settings s ON s.organisation_id = o.id
      CROSS JOIN LATERAL (
        SELECT coalesce(s.cadence, 'monthly') AS cadence,
               date_trunc(CASE WHEN s.cadence = 'quarterly' THEN 'quarter' ELSE 'month' END, ${today}::date)::date AS period_start,
               CASE WHEN s.cadence = 'quarterly' THEN interval '3 months' ELSE interval '1 month' END AS length
      ) c
     WHERE o.kind <> 'nation' AND (o.closed_on IS NULL OR o.closed_on > ${today}::date) ${only}
       AND NOT EXISTS (SELECT 1 FROM pulse_rounds r WHERE r.organisation_id = o.id
                         AND r.opens_on <= ${today}::date AND r.closes_on >= ${today}::date)
    ON CONFLICT (organisation_id, opens_on) DO NOTHING`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

export interface Round {
  id: number;
  organisationId: number;
  cadence: PulseCadence;
  opensOn: string;
  closesOn: string;
}

export async function openRoundOf(db: Db, orgId: number, today: string): Promise<Round | undefined> {
  const r = await db
    .selectFrom('pulse_rounds')
    .select(['id', 'organisation_id', 'cadence', 'opens_on', 'closes_on'])
    .where('organisation_id', '=', orgId)
    .where('opens_on', '<=', today)
    .where('closes_on', '>=', today)
    .orderBy('opens_on', 'desc')
    .executeTakeFirst();
  return (
    r && { id: r.id, organisationId: r.organisation_id, cadence: r.cadence, opensOn: r.opens_on, closesOn: r.closes_on }
  );
}

/** Rounds open on a day (for reminders). */
export async function roundsOpenOn(db: Db, today: string): Promise<Round[]> {
  const rows = await db
    .selectFrom('pulse_rounds')
    .select(['id', 'organisation_id', 'cadence', 'opens_on', 'closes_on'])
    .where('opens_on', '<=', today)
    .where('closes_on', '>=', today)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    cadence: r.cadence,
    opensOn: r.opens_on,
    closesOn: r.closes_on,
  }));
}

/** The person's own answer in a round (shown only to them). */
export async function ownResponse(
  db: Db,
  roundId: number,
  personId: number,
): Promise<(Hours & { updatedAt: Date }) | undefined> {
  const r = await db
    .selectFrom('pulse_responses')
    .select([...categories, 'updated_at'])
    .where('round_id', '=', roundId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!r) return undefined;
  const out = { updatedAt: r.updated_at } as Hours & { updatedAt: Date };
  for (const c of categories) out[c] = Number(r[c]);
  return out;
}

/**
 * Save a person's answer for a round and move the round's sums by the difference, in one transaction: the
 * summary is never recomputed from the responses. An advisory lock on the person serialises their own double
 * submissions, so the old answer read (in the next statement's snapshot) is the one replaced; the read, the
 * upsert and the sums are one statement, to keep a submission to a few round trips.
 */
export async function saveResponse(
  trx: Transaction<DB>,
  round: Round,
  personId: number,
  h: Hours,
  teamId: number | null = null,
): Promise<{ created: boolean }> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('leadwell.pulse'), ${Number(personId) | 0}::int)`.execute(trx);
  const cols = sql.join(categories.map((c) => sql.ref(c)));
  const values = sql.join(categories.map((c) => sql`${h[c]}::numeric`));
  const sums = sql.join(categories.map((c) => sql`sum(d.${sql.ref(c)})`));
  // The team sums move by the answer's difference too: +1 and the hours on the new team, -1 and the old hours
  // on the old one (the same team nets to the change of hours), grouped so each team's row is touched once.
  const res = await sql<{ existed: boolean }>`
    WITH old AS (
      SELECT team_id, ${cols} FROM pulse_responses WHERE round_id = ${round.id} AND person_id = ${personId}
    ), saved AS (
      INSERT INTO pulse_responses (round_id, person_id, team_id, ${cols})
      VALUES (${round.id}, ${personId}, ${teamId}::int, ${values})
      ON CONFLICT (round_id, person_id) DO UPDATE
        SET ${sql.join(categories.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}, team_id = excluded.team_id,
            updated_at = now()
    ), moved AS (
      INSERT INTO pulse_round_summary (round_id, organisation_id, opens_on, responses, ${cols})
      SELECT ${round.id}, ${round.organisationId}, ${round.opensOn}::date,
             CASE WHEN EXISTS (SELECT 1 FROM old) THEN 0 ELSE 1 END,
             ${sql.join(categories.map((c) => sql`${h[c]}::numeric - coalesce((SELECT ${sql.ref(c)} FROM old), 0)`))}
      ON CONFLICT (round_id) DO UPDATE
        SET responses = pulse_round_summary.responses + excluded.responses,
            ${sql.join(categories.map((c) => sql`${sql.ref(c)} = pulse_round_summary.${sql.ref(c)} + excluded.${sql.ref(c)}`))}
    ), team_moved AS (
      INSERT INTO pulse_team_summary (round_id, team_id, organisation_id, opens_on, responses, ${cols})
      SELECT ${round.id}, d.team_id, ${round.organisationId}, ${round.opensOn}::date, sum(d.n), ${sums}
        FROM (SELECT ${teamId}::int AS team_id, 1 AS n,
                     ${sql.join(categories.map((c) => sql`${h[c]}::numeric AS ${sql.ref(c)}`))}
              UNION ALL
              SELECT team_id, -1, ${sql.join(categories.map((c) => sql`-${sql.ref(c)}`))} FROM old) d
       WHERE d.team_id IS NOT NULL
       GROUP BY d.team_id
      ON CONFLICT (round_id, team_id) DO UPDATE
        SET responses = pulse_team_summary.responses + excluded.responses,
            ${sql.join(categories.map((c) => sql`${sql.ref(c)} = pulse_team_summary.${sql.ref(c)} + excluded.${sql.ref(c)}`))}
    )
    SELECT EXISTS (SELECT 1 FROM old) AS existed`.execute(trx);
  return { created: !res.rows[0]!.existed };
}

export async function cadenceOf(db: Db, orgId: number): Promise<PulseCadence | undefined> {
  const r = await db
    .selectFrom('pulse_settings')
    .select('cadence')
    .where('organisation_id', '=', orgId)
    .executeTakeFirst();
  return r?.cadence;
}

export async function setCadence(db: Db, orgId: number, cadence: PulseCadence, accountId: number) {
  await db
    .insertInto('pulse_settings')
    .values({ organisation_id: orgId, cadence, updated_by: accountId })
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({ cadence, updated_by: accountId, updated_at: sql`now()` }),
    )
    .execute();
}

export type AreaLevel = 'nation' | 'region' | 'icb' | 'organisation';

/** The area an organisation counts in at each level (an ICB or a region counts in its own area), as in burden. */
const areaExpr: Record<AreaLevel, ReturnType<typeof sql>> = {
  organisation: sql`o.id`,
  icb: sql`CASE WHEN o.kind = 'icb' THEN o.id ELSE o.icb_id END`,
  region: sql`CASE WHEN o.kind = 'region' THEN o.id ELSE o.region_id END`,
  nation: sql`0`,
};

/**
 * The same test as areaExpr, implied by it, in a form the organisations' indexes answer: an ICB's or a region's
 * page (and the team view's check of its ICB) then reads only that area's rounds, not every round since.
 */
const within: Record<AreaLevel, (id: number) => ReturnType<typeof sql>> = {
  organisation: () => sql``,
  icb: (id) => sql`AND (o.id = ${id} OR o.icb_id = ${id})`,
  region: (id) => sql`AND (o.id = ${id} OR o.region_id = ${id})`,
  nation: () => sql``,
};

const childLevel: Record<AreaLevel, AreaLevel | undefined> = {
  nation: 'region',
  region: 'icb',
  icb: 'organisation',
  organisation: undefined,
};

export interface PeriodSums extends Sums {
  opensOn: string;
  /** The child area (region of England, ICB of a region, organisation of an ICB); null: none at that level. */
  childId: number | null;
}

/**
 * Sums of the closed rounds of an area per period (the month a round opened) and per child area, from the
 * per-round summaries: a few thousand rows at national scale, read through the (opens_on) index.
 */
export async function closedSums(
  db: Db,
  level: AreaLevel,
  areaId: number,
  today: string,
  since: string,
): Promise<PeriodSums[]> {
  const child = childLevel[level];
  const childSql = child ? areaExpr[child] : sql`NULL::int`;
  const res = await sql<
    Record<string, string | number | null> & { opens_on: string; child_id: number | null; responses: number }
  >`
    SELECT s.opens_on::text AS opens_on, ${childSql} AS child_id, sum(s.responses)::int AS responses,
           ${sql.join(categories.map((c) => sql`sum(s.${sql.ref(c)}) AS ${sql.ref(c)}`))}
      FROM pulse_round_summary s
      JOIN pulse_rounds r ON r.id = s.round_id
      JOIN organisations o ON o.id = s.organisation_id
     WHERE r.closes_on < ${today}::date AND s.opens_on >= ${since}::date
       AND ${areaExpr[level]} = ${areaId} ${within[level](areaId)}
     GROUP BY 1, 2`.execute(db);
  return res.rows.map((r) => {
    const out = {
      opensOn: r.opens_on,
      childId: r.child_id === null ? null : Number(r.child_id),
      responses: Number(r.responses),
    } as PeriodSums;
    for (const c of categories) out[c] = Number(r[c]);
    return out;
  });
}

/** The answers per period and child area only (what deciding the parent's partition needs), as closedSums. */
export async function closedCounts(db: Db, level: AreaLevel, areaId: number, today: string, since: string) {
  const child = childLevel[level];
  const res = await sql<{ opens_on: string; child_id: number | null; responses: number }>`
    SELECT s.opens_on::text AS opens_on, ${child ? areaExpr[child] : sql`NULL::int`} AS child_id,
           sum(s.responses)::int AS responses
      FROM pulse_round_summary s
      JOIN pulse_rounds r ON r.id = s.round_id
      JOIN organisations o ON o.id = s.organisation_id
     WHERE r.closes_on < ${today}::date AND s.opens_on >= ${since}::date
       AND ${areaExpr[level]} = ${areaId} ${within[level](areaId)}
     GROUP BY 1, 2`.execute(db);
  return res.rows.map((r) => ({
    opensOn: r.opens_on,
    childId: r.child_id === null ? null : Number(r.child_id),
    responses: Number(r.responses),
  }));
}

export async function areaNames(db: Db, ids: number[]) {
  if (ids.length === 0) return new Map<number, { code: string; name: string }>();
  const rows = await db.selectFrom('organisations').select(['id', 'code', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
}

/**
 * Record a reminder for every manager of the rounds given who has not answered and has not had this kind of
 * reminder, and return whom to write to. The primary key makes each reminder happen once, whichever instance or
 * run gets there first. Reads the organisations' current assignments (who manages) and people's work emails.
 */
export async function claimReminders(db: Db, roundIds: number[], kind: ReminderKind) {
  if (roundIds.length === 0) return [];
  const res = await sql<{ round_id: number; person_id: number; email: string | null; given_name: string }>`
    WITH claimed AS (
      INSERT INTO pulse_reminders (round_id, person_id, kind)
      SELECT DISTINCT r.id, a.person_id, ${kind}
        FROM pulse_rounds r
        JOIN assignments a ON a.organisation_id = r.organisation_id AND a.end_date IS NULL
       WHERE r.id = ANY(${roundIds}::int[])
         AND (a.is_manager OR EXISTS (SELECT 1 FROM assignments x
                                       WHERE x.line_manager_assignment_id = a.id AND x.end_date IS NULL))
         AND NOT EXISTS (SELECT 1 FROM pulse_responses p WHERE p.round_id = r.id AND p.person_id = a.person_id)
      ON CONFLICT DO NOTHING
      RETURNING round_id, person_id
    )
    SELECT c.round_id, c.person_id, coalesce(p.email, acc.email) AS email, p.given_name
      FROM claimed c JOIN people p ON p.id = c.person_id
      LEFT JOIN accounts acc ON acc.person_id = c.person_id`.execute(db);
  return res.rows;
}
