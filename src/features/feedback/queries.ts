import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, RaterGroup } from '../../db/schema.ts';
import type { RatingCell } from './anonymity.ts';

// 360 rounds, their raters and answers. Every look-up is by primary key, by a round or by a person (indexed): a
// round holds tens of raters, so a report reads at most a few thousand rating rows.

export type Db = Kysely<DB> | Transaction<DB>;

export interface RoundRow {
  id: number;
  person_id: number;
  framework_version_id: number;
  domain_ids: number[] | null;
  closes_on: string;
  min_peer: number;
  min_direct_report: number;
  min_other: number;
  facilitator_account_id: number | null;
  status: 'open' | 'closed';
  closed_at: Date | null;
  released_at: Date | null;
  shared_at: Date | null;
  created_by: number | null;
  created_at: Date;
  given_name: string;
  family_name: string;
}

const roundColumns = [
  'r.id',
  'r.person_id',
  'r.framework_version_id',
  'r.domain_ids',
  sql<string>`to_char(r.closes_on, 'YYYY-MM-DD')`.as('closes_on'),
  'r.min_peer',
  'r.min_direct_report',
  'r.min_other',
  'r.facilitator_account_id',
  'r.status',
  'r.closed_at',
  'r.released_at',
  'r.shared_at',
  'r.created_by',
  'r.created_at',
  // The subject's name only, for headings: the people feature owns the rest of their record.
  'p.given_name',
  'p.family_name',
] as const;

/** Rounds with their subject's name (the columns of RoundRow). */
export function rounds(db: Db) {
  return db.selectFrom('feedback_rounds as r').innerJoin('people as p', 'p.id', 'r.person_id').select(roundColumns);
}

export async function findRound(db: Db, id: number): Promise<RoundRow | undefined> {
  return (await rounds(db).where('r.id', '=', id).executeTakeFirst()) as RoundRow | undefined;
}

export async function roundsOfPerson(db: Db, personId: number, limit = 50): Promise<RoundRow[]> {
  return (await rounds(db)
    .where('r.person_id', '=', personId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute()) as RoundRow[];
}

export async function roundsFacilitatedBy(db: Db, accountId: number, limit = 50): Promise<RoundRow[]> {
  return (await rounds(db)
    .where('r.facilitator_account_id', '=', accountId)
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute()) as RoundRow[];
}

export interface NewRound {
  personId: number;
  frameworkVersionId: number;
  domainIds: number[] | null;
  closesOn: string;
  minimums: { peer: number; direct_report: number; other: number };
  facilitatorAccountId: number | null;
  createdBy: number | null;
  selfName: string;
  /** Where the person's own reminders go, and the hash of their link when they cannot sign in. */
  selfEmail: string | null;
  selfTokenHash: string | null;
}

/** A round and the person's own (self) rater row, together. */
export async function insertRound(trx: Transaction<DB>, r: NewRound): Promise<number> {
  const row = await trx
    .insertInto('feedback_rounds')
    .values({
      person_id: r.personId,
      framework_version_id: r.frameworkVersionId,
      domain_ids: r.domainIds,
      closes_on: r.closesOn,
      min_peer: r.minimums.peer,
      min_direct_report: r.minimums.direct_report,
      min_other: r.minimums.other,
      facilitator_account_id: r.facilitatorAccountId,
      created_by: r.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('feedback_raters')
    .values({
      round_id: row.id,
      rater_group: 'self',
      person_id: r.personId,
      name: r.selfName,
      email: r.selfEmail,
      token_hash: r.selfTokenHash,
    })
    .returning('id')
    .execute();
  return row.id;
}

export interface RaterRow {
  id: number;
  round_id: number;
  rater_group: RaterGroup;
  person_id: number | null;
  email: string | null;
  name: string;
  invited_at: Date | null;
  saved_at: Date | null;
  submitted_at: Date | null;
  strengths: string;
  development: string;
}

const raterColumns = [
  'id',
  'round_id',
  'rater_group',
  'person_id',
  'email',
  'name',
  'invited_at',
  'saved_at',
  'submitted_at',
  'strengths',
  'development',
] as const;

/** The nominations of a round (for the people who manage it: names, never who has answered). */
export async function nominations(db: Db, roundId: number) {
  return db
    .selectFrom('feedback_raters')
    .select(['id', 'rater_group', 'person_id', 'email', 'name', 'invited_at'])
    .where('round_id', '=', roundId)
    .where('rater_group', '<>', 'self')
    .orderBy('rater_group')
    .orderBy('name')
    .execute();
}

export async function raterById(db: Db, id: number): Promise<RaterRow | undefined> {
  return db.selectFrom('feedback_raters').select(raterColumns).where('id', '=', id).executeTakeFirst();
}

export async function raterByToken(db: Db, tokenHash: string): Promise<RaterRow | undefined> {
  return db.selectFrom('feedback_raters').select(raterColumns).where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function addRater(
  db: Db,
  r: {
    roundId: number;
    group: RaterGroup;
    personId: number | null;
    email: string | null;
    name: string;
    tokenHash: string | null;
  },
): Promise<number | 'duplicate'> {
  try {
    const row = await db
      .insertInto('feedback_raters')
      .values({
        round_id: r.roundId,
        rater_group: r.group,
        person_id: r.personId,
        email: r.email,
        name: r.name,
        token_hash: r.tokenHash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return 'duplicate';
    throw err;
  }
}

export async function markInvited(db: Db, raterId: number, at: Date): Promise<void> {
  await db.updateTable('feedback_raters').set({ invited_at: at }).where('id', '=', raterId).execute();
}

/**
 * Remove a nomination while nobody in its group has responded; false otherwise. The condition is on the group, not
 * the rater: refusing only answered raters would tell the nominator who has answered, where the group's count of
 * responses is shown on the progress page anyway.
 */
export async function removeRater(db: Db, roundId: number, raterId: number): Promise<boolean> {
  const res = await db
    .deleteFrom('feedback_raters as fr')
    .where('fr.id', '=', raterId)
    .where('fr.round_id', '=', roundId)
    .where('fr.rater_group', '<>', 'self')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('feedback_raters as o')
            .select('o.id')
            .whereRef('o.round_id', '=', 'fr.round_id')
            .whereRef('o.rater_group', '=', 'fr.rater_group')
            .where('o.submitted_at', 'is not', null),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Nominated and submitted raters per group: what the progress page shows (counts only). */
export async function progress(db: Db, roundId: number) {
  return db
    .selectFrom('feedback_raters')
    .select([
      'rater_group',
      sql<number>`count(*)::int`.as('nominated'),
      sql<number>`count(submitted_at)::int`.as('submitted'),
    ])
    .where('round_id', '=', roundId)
    .groupBy('rater_group')
    .execute();
}

/** A rater's saved ratings, by competency. */
export async function ratingsOf(db: Db, raterId: number) {
  return db
    .selectFrom('feedback_ratings')
    .select(['competency_id', 'scale_level_id'])
    .where('rater_id', '=', raterId)
    .execute();
}

export type SaveOutcome = 'saved' | 'submitted' | 'already-submitted' | 'closed';

/**
 * Save a rater's answers (replacing what they saved before), and submit them when asked. The rater row is locked
 * so that a double click cannot submit twice, and the round must still be open.
 */
export async function saveResponse(
  db: Database,
  a: {
    raterId: number;
    ratings: { competencyId: number; levelId: number; value: number | null }[];
    strengths: string;
    development: string;
    submit: boolean;
    at: Date;
  },
): Promise<SaveOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('feedback_raters as fr')
      .innerJoin('feedback_rounds as r', 'r.id', 'fr.round_id')
      .select(['fr.submitted_at', 'r.status'])
      .where('fr.id', '=', a.raterId)
      .forUpdate('fr')
      .executeTakeFirstOrThrow();
    if (row.submitted_at) return 'already-submitted';
    if (row.status !== 'open') return 'closed';
    await trx.deleteFrom('feedback_ratings').where('rater_id', '=', a.raterId).execute();
    if (a.ratings.length) {
      await trx
        .insertInto('feedback_ratings')
        .values(
          a.ratings.map((r) => ({
            rater_id: a.raterId,
            competency_id: r.competencyId,
            scale_level_id: r.levelId,
            value: r.value,
          })),
        )
        .execute();
    }
    await trx
      .updateTable('feedback_raters')
      .set({
        strengths: a.strengths,
        development: a.development,
        saved_at: a.at,
        ...(a.submit && { submitted_at: a.at, token_hash: null }),
      })
      .where('id', '=', a.raterId)
      .execute();
    return a.submit ? 'submitted' : 'saved';
  });
}

/**
 * The raw aggregates of a round, from submitted responses only: responses per group, scored ratings per group
 * and competency, and comments per group. Only `discloseReport` may turn these into anything shown.
 */
export async function reportAggregates(db: Db, roundId: number) {
  const [responses, cells, comments] = await Promise.all([
    db
      .selectFrom('feedback_raters')
      .select(['rater_group', sql<number>`count(*)::int`.as('n')])
      .where('round_id', '=', roundId)
      .where('submitted_at', 'is not', null)
      .groupBy('rater_group')
      .execute(),
    db
      .selectFrom('feedback_ratings as fg')
      .innerJoin('feedback_raters as fr', 'fr.id', 'fg.rater_id')
      .select([
        'fr.rater_group',
        'fg.competency_id',
        sql<number>`count(*)::int`.as('n'),
        sql<number>`sum(fg.value)::int`.as('sum'),
      ])
      .where('fr.round_id', '=', roundId)
      .where('fr.submitted_at', 'is not', null)
      .where('fg.value', 'is not', null)
      .groupBy(['fr.rater_group', 'fg.competency_id'])
      .execute(),
    db
      .selectFrom('feedback_raters')
      .select(['rater_group', 'strengths', 'development'])
      .where('round_id', '=', roundId)
      .where('submitted_at', 'is not', null)
      .execute(),
  ]);
  return {
    responses: Object.fromEntries(responses.map((r) => [r.rater_group, r.n])) as Partial<Record<RaterGroup, number>>,
    cells: cells.map((c): RatingCell => ({ group: c.rater_group, competencyId: c.competency_id, n: c.n, sum: c.sum })),
    comments,
  };
}

/** Rounds a person is asked to rate (signed in): open requests first. */
export async function requestsFor(db: Db, personId: number, limit = 50) {
  return db
    .selectFrom('feedback_raters as fr')
    .innerJoin('feedback_rounds as r', 'r.id', 'fr.round_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .select([
      'fr.id',
      'fr.rater_group',
      'fr.saved_at',
      'fr.submitted_at',
      'r.id as round_id',
      'r.status',
      sql<string>`to_char(r.closes_on, 'YYYY-MM-DD')`.as('closes_on'),
      'p.given_name',
      'p.family_name',
    ])
    .where('fr.person_id', '=', personId)
    .where('fr.rater_group', '<>', 'self')
    .orderBy(sql`r.status = 'open'`, 'desc')
    .orderBy('r.closes_on', 'desc')
    .limit(limit)
    .execute();
}

export async function closeRound(db: Db, roundId: number, at: Date, release: boolean): Promise<boolean> {
  const res = await db
    .updateTable('feedback_rounds')
    .set({ status: 'closed', closed_at: at, ...(release && { released_at: at }) })
    .where('id', '=', roundId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Close every open round whose closing date has passed. Rounds without a facilitator are released as they close;
 * a facilitated round waits for its facilitator (or the line manager) to release it.
 */
export async function closeDueRounds(db: Db, today: string, at: Date) {
  return db
    .updateTable('feedback_rounds')
    .set({
      status: 'closed',
      closed_at: at,
      released_at: sql`CASE WHEN facilitator_account_id IS NULL THEN ${at}::timestamptz END`,
    })
    .where('status', '=', 'open')
    .where('closes_on', '<', today)
    .returning(['id', 'person_id', 'released_at'])
    .execute();
}

export async function releaseRound(db: Db, roundId: number, by: number, at: Date): Promise<boolean> {
  const res = await db
    .updateTable('feedback_rounds')
    .set({ released_at: at, released_by: by })
    .where('id', '=', roundId)
    .where('status', '=', 'closed')
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function setShared(db: Db, roundId: number, shared: boolean, at: Date): Promise<void> {
  await db
    .updateTable('feedback_rounds')
    .set({ shared_at: shared ? at : null })
    .where('id', '=', roundId)
    .execute();
}

/**
 * Record the reminders now due (`days` before closing, for raters who have not submitted) and return them, in the
 * caller's transaction: the primary key of feedback_reminders lets each go once, whichever worker gets there.
 * A reminder missed on its day (worker down) still goes later, unless a later one is already due.
 */
export async function claimReminders(trx: Transaction<DB>, today: string, days: number, nextDays: number) {
  const rows = await sql<{ rater_id: number }>`
    INSERT INTO feedback_reminders (rater_id, days_before)
    SELECT fr.id, ${days}::int
      FROM feedback_rounds r
      JOIN feedback_raters fr ON fr.round_id = r.id
     WHERE r.status = 'open'
       AND r.closes_on - ${today}::date <= ${days}::int
       AND r.closes_on - ${today}::date > ${nextDays}::int
       AND r.closes_on >= ${today}::date
       AND fr.submitted_at IS NULL
    ON CONFLICT DO NOTHING
    RETURNING rater_id`.execute(trx);
  if (rows.rows.length === 0) return [];
  return trx
    .selectFrom('feedback_raters as fr')
    .innerJoin('feedback_rounds as r', 'r.id', 'fr.round_id')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .select([
      'fr.id',
      'fr.rater_group',
      'fr.email',
      'fr.person_id',
      'fr.name',
      sql<boolean>`fr.token_hash IS NOT NULL`.as('by_link'),
      'r.id as round_id',
      sql<string>`to_char(r.closes_on, 'YYYY-MM-DD')`.as('closes_on'),
      'p.given_name',
      'p.family_name',
    ])
    .where(
      'fr.id',
      'in',
      rows.rows.map((r) => r.rater_id),
    )
    .execute();
}

/** Rotate a rater's link token (a reminder carries a fresh link; the old one stops working). */
export async function setToken(db: Db, raterId: number, tokenHash: string): Promise<void> {
  await db.updateTable('feedback_raters').set({ token_hash: tokenHash }).where('id', '=', raterId).execute();
}

/** Whether a person can sign in (then they answer signed in, not through an emailed link), and where to write. */
export async function accountOfPerson(db: Db, personId: number) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email'])
    .where('person_id', '=', personId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** The person's own (self-assessment) rater row of a round. */
export async function selfRaterOf(db: Db, roundId: number) {
  return db
    .selectFrom('feedback_raters')
    .select(['id', 'saved_at', 'submitted_at'])
    .where('round_id', '=', roundId)
    .where('rater_group', '=', 'self')
    .executeTakeFirst();
}
