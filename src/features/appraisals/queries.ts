import { sql } from 'kysely';
import type { AppraisalStatus, OverallRating } from '../../db/schema.ts';
import type { developmentScope } from '../../plugins/access.ts';
import type { Party } from './appraisals.ts';
import type { Db } from './cycle-queries.ts';

// Appraisals, addenda and check-ins: reads by primary or indexed keys, writes of one row at a time.

export interface AppraisalRow {
  id: number;
  cycle_id: number;
  cycle_name: string;
  starts_on: string;
  mid_year_on: string;
  ends_on: string;
  organisation_id: number;
  org_code: string;
  org_name: string;
  person_id: number;
  person_name: string;
  person_email: string | null;
  appraiser_person_id: number | null;
  appraiser_name: string | null;
  appraiser_email: string | null;
  appraiser_set_at: Date | null;
  template_key: string;
  template_version: number;
  framework_version_id: number;
  status: AppraisalStatus;
  content: unknown;
  overall_rating: OverallRating | null;
  meeting_on: string | null;
  due_on: string;
  appraisee_signed_at: Date | null;
  appraiser_signed_at: Date | null;
  locked_at: Date | null;
}

/** An appraisal with its cycle, organisation, appraisee (p) and appraiser (m). */
function joined(db: Db) {
  return db
    .selectFrom('appraisals as ap')
    .innerJoin('appraisal_cycles as c', 'c.id', 'ap.cycle_id')
    .innerJoin('organisations as o', 'o.id', 'ap.organisation_id')
    .innerJoin('people as p', 'p.id', 'ap.person_id')
    .leftJoin('people as m', 'm.id', 'ap.appraiser_person_id');
}

function appraisalQuery(db: Db) {
  return joined(db).select([
    'ap.id',
    'ap.cycle_id',
    'c.name as cycle_name',
    sql<string>`c.starts_on::text`.as('starts_on'),
    sql<string>`c.mid_year_on::text`.as('mid_year_on'),
    sql<string>`c.ends_on::text`.as('ends_on'),
    'ap.organisation_id',
    'o.code as org_code',
    'o.name as org_name',
    'ap.person_id',
    sql<string>`p.given_name || ' ' || p.family_name`.as('person_name'),
    'p.email as person_email',
    'ap.appraiser_person_id',
    sql<string | null>`m.given_name || ' ' || m.family_name`.as('appraiser_name'),
    'm.email as appraiser_email',
    'ap.appraiser_set_at',
    'ap.template_key',
    'ap.template_version',
    'ap.framework_version_id',
    'ap.status',
    'ap.content',
    'ap.overall_rating',
    sql<string | null>`ap.meeting_on::text`.as('meeting_on'),
    sql<string>`ap.due_on::text`.as('due_on'),
    'ap.appraisee_signed_at',
    'ap.appraiser_signed_at',
    'ap.locked_at',
  ]);
}

export async function findAppraisal(db: Db, id: number): Promise<AppraisalRow | undefined> {
  return appraisalQuery(db).where('ap.id', '=', id).executeTakeFirst();
}

/** The row, locked for the rest of the transaction, so that two signatures or edits at once queue. */
export async function lockAppraisal(db: Db, id: number): Promise<AppraisalRow | undefined> {
  await db.selectFrom('appraisals').select('id').where('id', '=', id).forUpdate().execute();
  return findAppraisal(db, id);
}

export interface AppraisalListItem {
  id: number;
  cycle_name: string;
  person_id: number;
  person_name: string;
  appraiser_name: string | null;
  status: AppraisalStatus;
  due_on: string;
  org_name: string;
  overall_rating: OverallRating | null;
}

function listQuery(db: Db) {
  return joined(db)
    .select([
      'ap.id',
      'c.name as cycle_name',
      'ap.person_id',
      sql<string>`p.given_name || ' ' || p.family_name`.as('person_name'),
      sql<string | null>`m.given_name || ' ' || m.family_name`.as('appraiser_name'),
      'ap.status',
      sql<string>`ap.due_on::text`.as('due_on'),
      'o.name as org_name',
      'ap.overall_rating',
    ])
    .orderBy('ap.cycle_id', 'desc')
    .orderBy('ap.id', 'desc');
}

/** A person's own appraisals, newest cycle first. */
export async function appraisalsOf(db: Db, personId: number, limit = 50): Promise<AppraisalListItem[]> {
  return listQuery(db).where('ap.person_id', '=', personId).limit(limit).execute();
}

/** Appraisals someone conducts as appraiser, newest first. */
export async function appraisalsConductedBy(db: Db, personId: number, limit = 200): Promise<AppraisalListItem[]> {
  return listQuery(db).where('ap.appraiser_person_id', '=', personId).limit(limit).execute();
}

export async function updateAppraisal(
  db: Db,
  id: number,
  set: {
    status: AppraisalStatus;
    content?: unknown;
    meeting_on?: string | null;
    overall_rating?: OverallRating | null;
    withdraw?: boolean;
  },
) {
  await db
    .updateTable('appraisals')
    .set({
      status: set.status,
      ...(set.content !== undefined && { content: JSON.stringify(set.content) }),
      ...(set.meeting_on !== undefined && { meeting_on: set.meeting_on }),
      ...(set.overall_rating !== undefined && { overall_rating: set.overall_rating }),
      ...(set.withdraw && {
        appraisee_signed_at: null,
        appraisee_signed_by: null,
        appraiser_signed_at: null,
        appraiser_signed_by: null,
      }),
    })
    .where('id', '=', id)
    .execute();
}

export async function signAppraisal(db: Db, id: number, party: Party, accountId: number, lock: boolean) {
  const now = new Date();
  await db
    .updateTable('appraisals')
    .set({
      ...(party === 'appraisee'
        ? { appraisee_signed_at: now, appraisee_signed_by: accountId }
        : { appraiser_signed_at: now, appraiser_signed_by: accountId }),
      ...(lock && { status: 'locked' as const, locked_at: now }),
    })
    .where('id', '=', id)
    .execute();
}

export interface AddendumRow {
  id: number;
  body: string;
  created_by_name: string | null;
  created_at: Date;
  appraisee_signed_at: Date | null;
  appraiser_signed_at: Date | null;
  locked_at: Date | null;
}

export async function addendaOf(db: Db, appraisalId: number): Promise<AddendumRow[]> {
  return db
    .selectFrom('appraisal_addenda as ad')
    .leftJoin('accounts as acc', 'acc.id', 'ad.created_by')
    .select([
      'ad.id',
      'ad.body',
      'acc.display_name as created_by_name',
      'ad.created_at',
      'ad.appraisee_signed_at',
      'ad.appraiser_signed_at',
      'ad.locked_at',
    ])
    .where('ad.appraisal_id', '=', appraisalId)
    .orderBy('ad.id')
    .execute();
}

export async function insertAddendum(db: Db, appraisalId: number, body: string, accountId: number) {
  const row = await db
    .insertInto('appraisal_addenda')
    .values({ appraisal_id: appraisalId, body, created_by: accountId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function lockAddendum(db: Db, appraisalId: number, id: number) {
  return db
    .selectFrom('appraisal_addenda')
    .select(['id', 'appraisee_signed_at', 'appraiser_signed_at', 'locked_at'])
    .where('id', '=', id)
    .where('appraisal_id', '=', appraisalId)
    .forUpdate()
    .executeTakeFirst();
}

export async function signAddendumRow(db: Db, id: number, party: Party, accountId: number, lock: boolean) {
  const now = new Date();
  await db
    .updateTable('appraisal_addenda')
    .set({
      ...(party === 'appraisee'
        ? { appraisee_signed_at: now, appraisee_signed_by: accountId }
        : { appraiser_signed_at: now, appraiser_signed_by: accountId }),
      ...(lock && { locked_at: now }),
    })
    .where('id', '=', id)
    .execute();
}

export interface CheckinRow {
  id: number;
  author_name: string;
  author_role: 'appraisee' | 'line_manager';
  noted_on: string;
  body: string;
}

export async function checkinsOf(db: Db, personId: number, limit = 100): Promise<CheckinRow[]> {
  return db
    .selectFrom('appraisal_checkins')
    .select(['id', 'author_name', 'author_role', sql<string>`noted_on::text`.as('noted_on'), 'body'])
    .where('person_id', '=', personId)
    .orderBy('noted_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function insertCheckin(
  db: Db,
  c: {
    personId: number;
    accountId: number;
    authorName: string;
    role: 'appraisee' | 'line_manager';
    on: string;
    body: string;
  },
) {
  await db
    .insertInto('appraisal_checkins')
    .values({
      person_id: c.personId,
      author_account_id: c.accountId,
      author_name: c.authorName,
      author_role: c.role,
      noted_on: c.on,
      body: c.body,
    })
    .execute();
}

export interface OverdueRow {
  id: number;
  person_id: number;
  person_name: string;
  appraiser_name: string | null;
  status: AppraisalStatus;
  due_on: string;
}

/**
 * Open appraisals of an organisation's cycle past their due date, oldest first, a page at a time (keyset on due
 * date and id), limited to the people the viewer's development scope allows (`scope`, a condition on `p`).
 */
export async function overdueAppraisals(
  db: Db,
  cycleId: number,
  organisationId: number,
  today: string,
  scope: ReturnType<typeof developmentScope>,
  after: { due_on: string; id: number } | undefined,
  limit: number,
): Promise<OverdueRow[]> {
  let q = db
    .selectFrom('appraisals as ap')
    .innerJoin('people as p', 'p.id', 'ap.person_id')
    .leftJoin('people as m', 'm.id', 'ap.appraiser_person_id')
    .select([
      'ap.id',
      'ap.person_id',
      sql<string>`p.given_name || ' ' || p.family_name`.as('person_name'),
      sql<string | null>`m.given_name || ' ' || m.family_name`.as('appraiser_name'),
      'ap.status',
      sql<string>`ap.due_on::text`.as('due_on'),
    ])
    .where('ap.organisation_id', '=', organisationId)
    .where('ap.cycle_id', '=', cycleId)
    .where('ap.status', '<>', 'locked')
    .where('ap.due_on', '<', today)
    // The scope helper is typed for `people as p` alone; here p is joined to the appraisal.
    .where((eb) => scope(eb as never));
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('ap.due_on', '>', after.due_on),
        eb.and([eb('ap.due_on', '=', after.due_on), eb('ap.id', '>', after.id)]),
      ]),
    );
  }
  return q.orderBy('ap.due_on').orderBy('ap.id').limit(limit).execute();
}

export async function personName(db: Db, personId: number): Promise<string> {
  const p = await db
    .selectFrom('people')
    .select(['given_name', 'family_name'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  return `${p.given_name} ${p.family_name}`;
}
