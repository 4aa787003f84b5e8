import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import { likeEscape } from '../../db/like.ts';
import type { DB, OrgKind } from '../../db/schema.ts';
import type { SearchTerm, TeamRow } from './organisations.ts';

// The SQL of the organisation pages and API, and the reads other features may use.
// Organisations are few (hundreds); teams are many (~100k nationally) and always read per organisation.

type Db = Kysely<DB> | Transaction<DB>;
type OrgEB = ExpressionBuilder<DB & { o: DB['organisations'] }, 'o'>;

export interface OrgDetail {
  id: number;
  code: string;
  name: string;
  kind: OrgKind;
  parent_id: number | null;
  icb_id: number | null;
  region_id: number | null;
  ons_code: string | null;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  opened_on: string | null;
  closed_on: string | null;
}

/** One organisation by its ODS code (codes are stored in capitals). */
export async function findOrganisation(db: Db, code: string): Promise<OrgDetail | undefined> {
  return db
    .selectFrom('organisations')
    .select([
      'id',
      'code',
      'name',
      'kind',
      'parent_id',
      'icb_id',
      'region_id',
      'ons_code',
      'address',
      'postcode',
      'phone',
      'opened_on',
      'closed_on',
    ])
    .where('code', '=', code.toUpperCase())
    .executeTakeFirst();
}

export interface OrgLink {
  code: string;
  name: string;
  kind: OrgKind;
  closed_on: string | null;
}

/** The ancestors of an organisation, the top (region) first. */
export async function parentChain(db: Db, orgId: number): Promise<OrgLink[]> {
  const result = await sql<OrgLink & { depth: number }>`
    WITH RECURSIVE up AS (
      SELECT p.id, p.code, p.name, p.kind, p.closed_on, p.parent_id, 1 AS depth
        FROM organisations o JOIN organisations p ON p.id = o.parent_id
       WHERE o.id = ${orgId}
      UNION ALL
      SELECT p.id, p.code, p.name, p.kind, p.closed_on, p.parent_id, up.depth + 1
        FROM up JOIN organisations p ON p.id = up.parent_id
       WHERE up.depth < 12
    )
    SELECT code, name, kind, closed_on, depth FROM up ORDER BY depth DESC
  `.execute(db);
  return result.rows.map(({ depth: _d, ...link }) => link);
}

/** Direct children, open ones first, then by name. */
export async function childrenOf(db: Db, orgId: number): Promise<OrgLink[]> {
  return db
    .selectFrom('organisations')
    .select(['code', 'name', 'kind', 'closed_on'])
    .where('parent_id', '=', orgId)
    .orderBy(sql`closed_on IS NOT NULL`)
    .orderBy('name')
    .execute();
}

export async function parentHistory(db: Db, orgId: number) {
  return db
    .selectFrom('organisation_parent_history as h')
    .leftJoin('organisations as p', 'p.id', 'h.parent_id')
    .select(['p.code as parent_code', 'p.name as parent_name', 'h.valid_from', 'h.valid_to'])
    .where('h.organisation_id', '=', orgId)
    .orderBy('h.valid_from')
    .orderBy('h.id')
    .execute();
}

/** Current staff (assignments without an end date): an index-only count on assignments_org_active_idx. */
export async function countCurrentStaff(db: Db, orgId: number): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('organisation_id', '=', orgId)
    .where('end_date', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The regions, each with its open ICBs and open trusts counted (one grouped pass over organisations). */
export async function regionSummaries(db: Db) {
  return db
    .selectFrom('organisations as r')
    .leftJoin('organisations as o', (j) => j.onRef('o.region_id', '=', 'r.id').on('o.closed_on', 'is', null))
    .select([
      'r.code',
      'r.name',
      sql<number>`count(*) FILTER (WHERE o.kind = 'icb')::int`.as('icbs'),
      sql<number>`count(*) FILTER (WHERE o.kind = 'trust')::int`.as('trusts'),
    ])
    .where('r.kind', '=', 'region')
    .where('r.closed_on', 'is', null)
    .groupBy(['r.id', 'r.code', 'r.name'])
    .orderBy('r.name')
    .execute();
}

function matches(term: SearchTerm) {
  return (eb: OrgEB) =>
    eb.or([
      eb('o.name', 'ilike', `%${likeEscape(term.text)}%`),
      ...(term.code ? [eb('o.code', 'like', `${likeEscape(term.code)}%`)] : []),
    ]);
}

/** The search page: name fragment or code prefix, exact code first, 50 a page. */
export async function searchOrganisations(
  db: Db,
  args: { term: SearchTerm; includeClosed: boolean; limit: number; offset: number },
) {
  let q = db.selectFrom('organisations as o').where(matches(args.term));
  if (!args.includeClosed) q = q.where('o.closed_on', 'is', null);
  const [rows, total] = await Promise.all([
    q
      .leftJoin('organisations as p', 'p.id', 'o.parent_id')
      .select(['o.code', 'o.name', 'o.kind', 'o.closed_on', 'o.postcode', 'p.name as parent_name'])
      // Best matches first: the exact code, the exact name, names starting with the text.
      .orderBy(sql`o.code = ${args.term.code ?? ''}`, 'desc')
      .orderBy(sql`lower(o.name) = lower(${args.term.text})`, 'desc')
      .orderBy(sql`o.name ILIKE ${`${likeEscape(args.term.text)}%`}`, 'desc')
      .orderBy(sql`o.closed_on IS NOT NULL`)
      .orderBy('o.name')
      .orderBy('o.code')
      .limit(args.limit)
      .offset(args.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.n };
}

/** Organisations as the API shows them: parent, ICB and region as codes. */
function apiItems(db: Db) {
  return db
    .selectFrom('organisations as o')
    .leftJoin('organisations as p', 'p.id', 'o.parent_id')
    .leftJoin('organisations as i', 'i.id', 'o.icb_id')
    .leftJoin('organisations as r', 'r.id', 'o.region_id')
    .select([
      'o.code',
      'o.name',
      'o.kind',
      'p.code as parent_code',
      'i.code as icb_code',
      'r.code as region_code',
      'o.opened_on',
      'o.closed_on',
      'o.postcode',
    ]);
}

export async function apiItem(db: Db, orgId: number) {
  return apiItems(db).where('o.id', '=', orgId).executeTakeFirstOrThrow();
}

/** The API list: filters, then keyset pagination on code. */
export async function listOrganisations(
  db: Db,
  args: {
    kind?: OrgKind;
    parentId?: number;
    term: SearchTerm | null;
    includeClosed: boolean;
    after?: string;
    limit: number;
  },
) {
  let q = apiItems(db);
  if (args.kind) q = q.where('o.kind', '=', args.kind);
  if (args.parentId !== undefined) q = q.where('o.parent_id', '=', args.parentId);
  if (args.term) q = q.where(matches(args.term));
  if (!args.includeClosed) q = q.where('o.closed_on', 'is', null);
  if (args.after !== undefined) q = q.where('o.code', '>', args.after);
  return q.orderBy('o.code').limit(args.limit).execute();
}

/** Codes of the direct children, for the API. */
export async function childCodes(db: Db, orgId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('organisations')
    .select('code')
    .where('parent_id', '=', orgId)
    .orderBy('code')
    .execute();
  return rows.map((r) => r.code);
}

/** Every team of an organisation in one indexed fetch (teams_org_idx); the tree is assembled in memory. */
export async function teamsOf(db: Db, orgId: number): Promise<TeamRow[]> {
  return db
    .selectFrom('teams')
    .select(['id', 'parent_team_id', 'code', 'name', 'kind', 'closed_on'])
    .where('organisation_id', '=', orgId)
    .execute();
}

export async function teamCodeTaken(db: Db, orgId: number, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('organisation_id', '=', orgId)
    .where(sql`upper(code)`, '=', code.toUpperCase())
    .executeTakeFirst();
  return row !== undefined;
}

export async function openTeamInOrg(db: Db, orgId: number, teamId: number): Promise<boolean> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('id', '=', teamId)
    .where('organisation_id', '=', orgId)
    .where('closed_on', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertTeam(
  db: Db,
  t: { organisationId: number; parentTeamId: number | null; code: string | null; name: string; kind: TeamRow['kind'] },
): Promise<number> {
  const row = await db
    .insertInto('teams')
    .values({
      organisation_id: t.organisationId,
      parent_team_id: t.parentTeamId,
      code: t.code,
      name: t.name,
      kind: t.kind,
      closed_on: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
