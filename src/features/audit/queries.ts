import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { likeEscape } from '../../db/like.ts';
import type { DB } from '../../db/schema.ts';
import { hasRole, personScope, type Viewer } from '../../plugins/access.ts';
import type { AuditFilter } from './audit.ts';

type AuditEB = ExpressionBuilder<DB & { a: DB['audit_log'] }, 'a'>;

/** A position in the log: entries are ordered newest first by (at, id). `at` is ISO UTC to the microsecond (a JS Date loses them). */
export interface AuditKey {
  at: string;
  id: number;
}

function orgAdminOrganisations(v: Viewer): number[] {
  return v.grants.filter((g) => g.role === 'org_admin' && g.organisationId !== null).map((g) => g.organisationId!);
}

/**
 * The audit entries a viewer may read, as a condition on `a` (an alias of audit_log). National admins:
 * all. Organisation admins: entries about one of their organisations, or about a person who holds (or
 * held) an assignment there — so that an admin sees who looked at their staff, wherever it was recorded.
 * The person test is a hashed sub-plan built once per query, so a backward scan of an (at, id) index
 * stays a single pass.
 */
export function auditScope(v: Viewer) {
  return (eb: AuditEB) => {
    if (hasRole(v, 'national_admin')) return sql<SqlBool>`true`;
    const orgs = orgAdminOrganisations(v);
    if (orgs.length === 0) return sql<SqlBool>`false`;
    return eb.or([
      eb('a.organisation_id', 'in', orgs),
      eb(
        'a.person_id',
        'in',
        eb.selectFrom('assignments as sa').select('sa.person_id').where('sa.organisation_id', 'in', orgs),
      ),
    ]);
  };
}

const likeFragment = (s: string) => `%${likeEscape(s.toLowerCase())}%`;

function filterConditions(eb: AuditEB, f: AuditFilter, organisationId: number | undefined): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (f.actor) {
    // Same expression as the trigram index accounts_search_trgm.
    where.push(
      eb(
        'a.actor_account_id',
        'in',
        eb
          .selectFrom('accounts as fa')
          .select('fa.id')
          .where(sql<string>`lower(fa.email) || ' ' || lower(fa.display_name)`, 'like', likeFragment(f.actor)),
      ),
    );
  }
  if (f.person) {
    const asId = /^\d{1,15}$/.test(f.person) ? Number(f.person) : undefined;
    where.push(
      eb(
        'a.person_id',
        'in',
        eb
          .selectFrom('people as fp')
          .select('fp.id')
          .where((w) =>
            w.or([w('fp.staff_number', '=', f.person!), ...(asId !== undefined ? [w('fp.id', '=', asId)] : [])]),
          ),
      ),
    );
  }
  if (f.action) where.push(eb('a.action', '=', f.action));
  if (f.organisation) where.push(eb('a.organisation_id', '=', organisationId ?? -1));
  if (f.from) where.push(eb('a.at', '>=', new Date(`${f.from}T00:00:00Z`)));
  if (f.to) where.push(eb('a.at', '<', new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000)));
  return where;
}

export interface AuditRow {
  id: number;
  at: Date;
  atKey: string;
  actorAccountId: number | null;
  actorLabel: string | null;
  actorEmail: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  personId: number | null;
  organisationId: number | null;
  organisationCode: string | null;
  organisationName: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditSearch {
  filter: AuditFilter;
  /** Resolved from filter.organisation by the caller (unknown codes are a validation error). */
  organisationId?: number;
  limit: number;
  /** Entries older than this key (the next page); or newer than `after` (the previous page). */
  before?: AuditKey;
  after?: AuditKey;
  /** How an organisation admin's page is found (see scopedPage); tests pin one to compare them. */
  strategy?: 'auto' | 'newest-first' | 'by-people';
}

/** Filters and the page boundary, on `a`. */
function pageConditions(eb: AuditEB, s: AuditSearch): Expression<SqlBool>[] {
  const all = filterConditions(eb, s.filter, s.organisationId);
  if (s.before) all.push(sql<SqlBool>`(a.at, a.id) < (${s.before.at}::timestamptz, ${s.before.id}::bigint)`);
  if (s.after) all.push(sql<SqlBool>`(a.at, a.id) > (${s.after.at}::timestamptz, ${s.after.id}::bigint)`);
  return all;
}

const direction = (s: AuditSearch) => (s.after ? 'asc' : 'desc');

function pageQuery(db: Database, s: AuditSearch, scope: (eb: AuditEB) => Expression<SqlBool>) {
  const dir = direction(s);
  return db
    .selectFrom('audit_log as a')
    .leftJoin('accounts as ac', 'ac.id', 'a.actor_account_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'a.id',
      'a.at',
      sql<string>`to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('atKey'),
      'a.actor_account_id as actorAccountId',
      'a.actor_label as actorLabel',
      'ac.email as actorEmail',
      'a.action',
      'a.subject_type as subjectType',
      'a.subject_id as subjectId',
      'a.person_id as personId',
      'a.organisation_id as organisationId',
      'o.code as organisationCode',
      'o.name as organisationName',
      'a.ip',
      'a.details',
    ])
    .where((eb) => eb.and([scope(eb), ...pageConditions(eb, s)]))
    .orderBy('a.at', dir)
    .orderBy('a.id', dir)
    .limit(s.limit + 1);
}

/**
 * An organisation admin's page found from the organisation's side: its own entries (audit_log_org_idx)
 * and the latest entries of each of its people (audit_log_person_idx, one probe per person). The cost
 * follows the organisation's size, not the log's.
 */
function byPeopleScope(db: Database, orgs: number[], s: AuditSearch) {
  const dir = direction(s);
  const n = s.limit + 1;
  const own = db
    .selectFrom('audit_log as a')
    .select(['a.id', 'a.at'])
    .where((eb) => eb.and([eb('a.organisation_id', 'in', orgs), ...pageConditions(eb, s)]))
    .orderBy('a.at', dir)
    .orderBy('a.id', dir)
    .limit(n);
  const latestOfOne = db
    .selectFrom('audit_log as a')
    .select(['a.id', 'a.at'])
    .where((eb) => eb.and([sql<SqlBool>`a.person_id = sp.person_id`, ...pageConditions(eb, s)]))
    .orderBy('a.at', dir)
    .orderBy('a.id', dir)
    .limit(n);
  const staff = db
    .selectFrom(
      db.selectFrom('assignments').select('person_id').distinct().where('organisation_id', 'in', orgs).as('sp'),
    )
    .innerJoinLateral(latestOfOne.as('pa'), (j) => j.onTrue())
    .select(['pa.id', 'pa.at'])
    .orderBy('pa.at', dir)
    .orderBy('pa.id', dir)
    .limit(n);
  return () => sql<SqlBool>`a.id IN (SELECT c.id FROM (${own} UNION ${staff}) AS c)`;
}

/** How long the newest-first scan may run before an organisation admin's search is answered by people instead. */
const NEWEST_FIRST_BUDGET_MS = 1000;
/** Up to this many people, finding a page by people costs a few tens of milliseconds at most. */
const SMALL_ORGANISATION = 2000;

async function peopleUpTo(db: Database, orgs: number[], max: number): Promise<number> {
  const row = await db
    .selectFrom(
      db.selectFrom('assignments').select('person_id').where('organisation_id', 'in', orgs).limit(max).as('x'),
    )
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * An organisation admin's page. For a large organisation the newest-first scan with the scope as a filter
 * is fastest: it stops as soon as the page is full. It reads most of the log only when the organisation has
 * (almost) no entries in the searched range — an old date range, a rare action — so it gets a time budget,
 * and past it the page is found from the organisation's people. A small (or new) organisation goes by people
 * straight away.
 */
async function scopedPage(db: Database, viewer: Viewer, orgs: number[], s: AuditSearch) {
  const strategy = s.strategy ?? 'auto';
  if (strategy === 'by-people') return pageQuery(db, s, byPeopleScope(db, orgs, s)).execute();
  if (strategy === 'newest-first') return pageQuery(db, s, auditScope(viewer)).execute();
  if ((await peopleUpTo(db, orgs, SMALL_ORGANISATION + 1)) <= SMALL_ORGANISATION) {
    return pageQuery(db, s, byPeopleScope(db, orgs, s)).execute();
  }
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL statement_timeout = ${sql.lit(NEWEST_FIRST_BUDGET_MS)}`.execute(trx);
      return pageQuery(trx, s, auditScope(viewer)).execute();
    });
  } catch (err) {
    if ((err as { code?: string }).code !== '57014') throw err;
  }
  return pageQuery(db, s, byPeopleScope(db, orgs, s)).execute();
}

/**
 * One page of the log, newest first, with keyset pagination on (at, id): no OFFSET, so page 1,000 costs
 * what page 1 costs. Fetches one extra row to know whether another page exists in the direction of travel.
 */
export async function searchAudit(db: Database, viewer: Viewer, s: AuditSearch) {
  const orgs = orgAdminOrganisations(viewer);
  const rows =
    hasRole(viewer, 'national_admin') || orgs.length === 0
      ? await pageQuery(db, s, auditScope(viewer)).execute()
      : await scopedPage(db, viewer, orgs, s);
  const backwards = s.after !== undefined;
  const more = rows.length > s.limit;
  const page = (more ? rows.slice(0, s.limit) : rows) as AuditRow[];
  if (backwards) page.reverse();
  return {
    rows: page,
    /** Whether entries exist beyond this page, older and newer. */
    hasOlder: backwards ? true : more,
    hasNewer: backwards ? more : s.before !== undefined,
  };
}

export const keyOf = (r: AuditRow): AuditKey => ({ at: r.atKey, id: r.id });

/** Names of the people on a page of entries, but only of people the viewer may see. */
export async function visiblePeopleNames(
  db: Database,
  viewer: Viewer,
  personIds: (number | null)[],
): Promise<Map<number, string>> {
  const ids = [...new Set(personIds.filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('people as p')
    .select(['p.id', 'p.given_name', 'p.family_name'])
    .where('p.id', 'in', ids)
    .where(personScope(viewer))
    .execute();
  return new Map(rows.map((r) => [r.id, `${r.given_name} ${r.family_name}`]));
}

/**
 * Every distinct action ever recorded, by a loose index scan of audit_log_action_idx: one index probe
 * per action, however many millions of entries there are. Actions are code names, not personal data.
 */
export async function knownActions(db: Database): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`
    WITH RECURSIVE t(action) AS (
      (SELECT action FROM audit_log ORDER BY action LIMIT 1)
      UNION ALL
      SELECT (SELECT action FROM audit_log WHERE action > t.action ORDER BY action LIMIT 1)
        FROM t WHERE t.action IS NOT NULL
    )
    SELECT action FROM t WHERE action IS NOT NULL`.execute(db);
  return rows.map((r) => r.action);
}

/** The latest messages of the mail outbox (newest first, by primary key). */
export async function latestOutbox(db: Database, limit = 100) {
  return db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'subject', 'created_at', 'sent_at', 'error'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function outboxMessage(db: Database, id: number) {
  return db
    .selectFrom('mail_outbox')
    .select(['id', 'to_address', 'subject', 'body_text', 'created_at', 'sent_at', 'error'])
    .where('id', '=', id)
    .executeTakeFirst();
}
