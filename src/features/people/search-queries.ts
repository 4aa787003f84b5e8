import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { likeEscape } from '../../db/like.ts';
import { executeNamed } from '../../db/prepared.ts';
import type { Band, DB } from '../../db/schema.ts';
import { hasRole, personScope, personScopeSeed, type Viewer } from '../../plugins/access.ts';
import type { PeopleCursor, SearchKind } from './people.ts';

type PeopleEB = ExpressionBuilder<DB & { p: DB['people'] }, 'p'>;

export interface PeopleQuery {
  search: SearchKind;
  organisationId?: number;
  staffGroup?: string;
  band?: Band;
  managersOnly: boolean;
  includeLeavers: boolean;
  after?: PeopleCursor;
  limit: number;
}

export interface PersonListRow {
  id: number;
  given_name: string;
  family_name: string;
  position_title: string;
  band: Band | null;
  staff_group: string | null;
  end_date: string | null;
  organisation_code: string;
  organisation_name: string;
  sort_family: string;
  sort_given: string;
}

/**
 * A search stopped by its time limit: rather than let one request hold the database for a minute, it
 * stops, and the viewer is asked to narrow it.
 */
export class SearchTooSlow extends Error {
  constructor() {
    super('The search took too long: add a name or an organisation to narrow it');
  }
}

/**
 * Where a page of people starts. The answer is always in name order; what differs is the set the database
 * walks to find it: an organisation's assignments, the viewer's bounded scope (personScopeSeed), the
 * people a band / staff group / manager filter matches, or the name index itself.
 */
type Start = 'organisation' | 'scope' | 'filters' | 'names';

const attributeFilter = (q: PeopleQuery) => q.staffGroup !== undefined || q.band !== undefined || q.managersOnly;

function startFor(viewer: Viewer, q: PeopleQuery): Start {
  if (q.organisationId !== undefined) return 'organisation';
  if (!personScopeSeed(viewer)) return 'names';
  // An ICB lead's scope holds tens of thousands of people: worth starting from when a search or filter may
  // match few of them, not for a plain list, which the name index serves in about a thousand rows.
  if (hasRole(viewer, 'icb_lead') && q.search.kind === 'none' && !attributeFilter(q)) return 'names';
  return 'scope';
}

/**
 * One page of the people a viewer may see, in name order, one row per person with the assignment that
 * matches the filters (an open one first). Keyset pagination on (family, given, id), which the
 * people_family_order_idx index serves. Name keys compare in code-point order (COLLATE "C", see
 * `familyKey`), so a family-name prefix is one range of that index.
 *
 * Walking the name index with a band, staff group or manager filter finds a page at once when the filter
 * is common and takes minutes when it is rare nationally (band 9, VSM): the walk gets a short time limit,
 * then the search starts again from the people the filter matches. Every attempt has a time limit.
 */
export async function searchPeople(db: Database, viewer: Viewer, q: PeopleQuery): Promise<PersonListRow[]> {
  const start = startFor(viewer, q);
  // Without a band, staff group or manager filter every start is bounded: the name walk stops after a page and
  // the other starts are arrays of at most one organisation's or ICB's people. Those run as one statement;
  // a time limit needs a transaction (three more round trips) and is kept for the filtered walks.
  if (!attributeFilter(q)) return peoplePage(db, viewer, q, start);
  const attempts: [Start, number][] =
    start === 'names'
      ? [
          ['names', 1500],
          ['filters', 5000],
        ]
      : [[start, 5000]];
  for (const [i, [how, ms]] of attempts.entries()) {
    try {
      return await db.transaction().execute(async (trx) => {
        await sql`SET LOCAL statement_timeout = ${sql.lit(`${ms}ms`)}`.execute(trx);
        return peoplePage(trx, viewer, q, how);
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '57014') throw err;
      if (i === attempts.length - 1) throw new SearchTooSlow();
    }
  }
  throw new SearchTooSlow();
}

/**
 * Name order: lower-cased names in code-point order, whatever the database's collation. The index
 * people_family_order_idx is on exactly these expressions, and assignments.family_key is stored in the same
 * collation, so a prefix is one index range in both (migration 20261128_0500).
 */
export const familyKey = sql<string>`lower(p.family_name) COLLATE "C"`;
export const givenKey = sql<string>`lower(p.given_name) COLLATE "C"`;

function peoplePage(db: Database, viewer: Viewer, q: PeopleQuery, start: Start): Promise<PersonListRow[]> {
  let query = db
    .selectFrom('people as p')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('assignments as a')
          .select(['a.organisation_id', 'a.position_title', 'a.band', 'a.staff_group', 'a.end_date'])
          .whereRef('a.person_id', '=', 'p.id')
          .$if(!q.includeLeavers, (s) => s.where('a.end_date', 'is', null))
          .$if(q.organisationId !== undefined, (s) => s.where('a.organisation_id', '=', q.organisationId!))
          .$if(q.staffGroup !== undefined, (s) => s.where('a.staff_group', '=', q.staffGroup!))
          .$if(q.band !== undefined, (s) => s.where('a.band', '=', q.band!))
          .$if(q.managersOnly, (s) => s.where('a.is_manager', '=', true))
          .orderBy(sql`a.end_date IS NULL`, 'desc')
          .orderBy('a.start_date', 'desc')
          .orderBy('a.id', 'desc')
          .limit(1)
          .as('a'),
      (join) => join.onTrue(),
    )
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select([
      'p.id',
      'p.given_name',
      'p.family_name',
      'a.position_title',
      'a.band',
      'a.staff_group',
      'a.end_date',
      'o.code as organisation_code',
      'o.name as organisation_name',
      sql<string>`${familyKey}`.as('sort_family'),
      sql<string>`${givenKey}`.as('sort_given'),
    ])
    // Starting from the viewer's scope (personScopeSeed, exactly personScope), every row is already in scope:
    // checking personScope as well cost an index probe per candidate, a fifth of an organisation admin's search.
    .$if(start !== 'scope', (qb) => qb.where((eb) => personScope(viewer)(eb as unknown as PeopleEB)));

  // An array of candidate ids (= ANY(ARRAY(…))) makes the planner look them up by primary key rather
  // than guess between that and a scan of the whole table.
  const current = q.includeLeavers ? sql`true` : sql`end_date IS NULL`;
  // A family-name prefix narrows an organisation's people through the (organisation_id, family_key) index.
  const familyPrefix = q.search.kind === 'name' ? q.search.family : undefined;
  const named = familyPrefix === undefined ? sql`` : sql` AND family_key LIKE ${`${likeEscape(familyPrefix)}%`}`;
  if (start === 'organisation') {
    query = query.where(
      sql<SqlBool>`p.id = ANY(ARRAY(SELECT person_id FROM assignments WHERE organisation_id = ${q.organisationId!}::int AND ${current}${named}))`,
    );
  } else if (start === 'scope') {
    const seed = personScopeSeed(viewer, { familyPrefix })!;
    query = query.where((eb) => seed(eb as unknown as PeopleEB));
  } else if (start === 'filters') {
    const conditions = [current];
    if (q.band !== undefined) conditions.push(sql`band = ${q.band}`);
    if (q.staffGroup !== undefined) conditions.push(sql`staff_group = ${q.staffGroup}`);
    if (q.managersOnly) conditions.push(sql`is_manager`);
    query = query.where(
      sql<SqlBool>`p.id = ANY(ARRAY(SELECT person_id FROM assignments WHERE ${sql.join(conditions, sql` AND `)}))`,
    );
  }

  const s = q.search;
  if (s.kind === 'email') query = query.where(sql<SqlBool>`lower(p.email) = ${s.value}`);
  else if (s.kind === 'staff_number') query = query.where('p.staff_number', '=', s.value);
  else if (s.kind === 'name') {
    // In code-point order the planner turns the prefix into one range of the name index and walks it in order.
    query = query.where(sql<SqlBool>`${familyKey} LIKE ${`${likeEscape(s.family)}%`}`);
    if (s.given) query = query.where(sql<SqlBool>`${givenKey} LIKE ${`${likeEscape(s.given)}%`}`);
  }
  if (q.after) {
    const [family, given, id] = q.after;
    query = query.where(sql<SqlBool>`(${familyKey}, ${givenKey}, p.id) > (${family}, ${given}, ${id}::bigint)`);
  }
  // Named: the search runs on nearly every visit to the people pages, and its text has a few dozen shapes.
  return executeNamed(
    db,
    query
      .orderBy(familyKey)
      .orderBy(givenKey)
      .orderBy('p.id')
      .limit(q.limit + 1),
  ) as Promise<PersonListRow[]>;
}
