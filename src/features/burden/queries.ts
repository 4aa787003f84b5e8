import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import { likeEscape } from '../../db/like.ts';
import type { DB, RequestingBody, ReturnFrequency, ReturnScope } from '../../db/schema.ts';
import { normaliseItemName } from './register.ts';
import type { RegisterFilters, ReturnValues } from './schemas.ts';

// The register's SQL: returns, the data item dictionary and the links between them. The register is
// small (hundreds of returns, thousands of items), but every list is still paged and indexed.

export type Db = Kysely<DB> | Transaction<DB>;

export interface ReturnRow {
  id: number;
  name: string;
  requesting_body: RequestingBody;
  legal_basis: string;
  mandatory: boolean;
  approval_ref: string | null;
  frequency: ReturnFrequency;
  ad_hoc_cycles: number | null;
  deadline_rule: string;
  submission_route: string;
  start_date: string;
  sunset_date: string | null;
  scope: ReturnScope;
  scope_org_id: number | null;
  scope_org_code: string | null;
  scope_org_name: string | null;
  scope_org_icb_id: number | null;
  scope_org_region_id: number | null;
  owner_org_code: string | null;
  owner_org_name: string | null;
  updated_at: Date;
}

type ReturnQuery = SelectQueryBuilder<
  DB & { r: DB['burden_returns']; so: DB['organisations']; oo: DB['organisations'] },
  'r' | 'so' | 'oo',
  ReturnRow
>;

function returnsWithOrgs(db: Db): ReturnQuery {
  return db
    .selectFrom('burden_returns as r')
    .leftJoin('organisations as so', 'so.id', 'r.scope_org_id')
    .leftJoin('organisations as oo', 'oo.id', 'r.owner_org_id')
    .select([
      'r.id',
      'r.name',
      'r.requesting_body',
      'r.legal_basis',
      'r.mandatory',
      'r.approval_ref',
      'r.frequency',
      'r.ad_hoc_cycles',
      'r.deadline_rule',
      'r.submission_route',
      'r.start_date',
      'r.sunset_date',
      'r.scope',
      'r.scope_org_id',
      'so.code as scope_org_code',
      'so.name as scope_org_name',
      'so.icb_id as scope_org_icb_id',
      'so.region_id as scope_org_region_id',
      'oo.code as owner_org_code',
      'oo.name as owner_org_name',
      'r.updated_at',
    ]) as unknown as ReturnQuery;
}

type ReturnEB = ExpressionBuilder<DB & { r: DB['burden_returns'] }, 'r'>;

/** The register's filters as one condition on `r` (an alias of burden_returns). */
function matching(f: Omit<RegisterFilters, 'page'>, today: string) {
  return (eb: ReturnEB) => {
    const and: Expression<SqlBool>[] = [];
    if (f.scope) and.push(eb('r.scope', '=', f.scope));
    if (f.body) and.push(eb('r.requesting_body', '=', f.body));
    if (f.mandatory) and.push(eb('r.mandatory', '=', f.mandatory === 'yes'));
    if (f.approval === 'yes') and.push(eb('r.approval_ref', 'is not', null));
    if (f.approval === 'no') and.push(eb('r.approval_ref', 'is', null));
    if (f.sunset === 'past') and.push(eb('r.sunset_date', '<', today));
    if (f.sunset === 'current') and.push(eb.or([eb('r.sunset_date', 'is', null), eb('r.sunset_date', '>=', today)]));
    if (f.q) and.push(eb('r.name', 'ilike', `%${likeEscape(f.q)}%`));
    return eb.and(and);
  };
}

/** A page of the register, by name, with the total for the filters. */
export async function listReturns(
  db: Db,
  f: Omit<RegisterFilters, 'page'>,
  today: string,
  page: { limit: number; offset: number },
) {
  const [rows, total] = await Promise.all([
    returnsWithOrgs(db)
      .where(matching(f, today))
      .orderBy('r.name')
      .orderBy('r.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('burden_returns as r')
      .select(sql<number>`count(*)::int`.as('n'))
      .where(matching(f, today))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.n };
}

/** The API list: the same filters, keyset pagination on id. */
export async function listReturnsAfter(
  db: Db,
  f: Omit<RegisterFilters, 'page'>,
  today: string,
  after: number | undefined,
  limit: number,
) {
  let q = returnsWithOrgs(db).where(matching(f, today));
  if (after !== undefined) q = q.where('r.id', '>', after);
  return q.orderBy('r.id').limit(limit).execute();
}

/** Every return, for exports and the analysis. */
export async function allReturns(db: Db): Promise<ReturnRow[]> {
  return returnsWithOrgs(db).orderBy('r.id').execute();
}

export async function findReturn(db: Db, id: number): Promise<ReturnRow | undefined> {
  return returnsWithOrgs(db).where('r.id', '=', id).executeTakeFirst();
}

export interface ItemRow {
  id: number;
  name: string;
  definition: string | null;
  unit: string | null;
}

export async function itemsOfReturns(db: Db, returnIds: number[]): Promise<Map<number, ItemRow[]>> {
  const out = new Map<number, ItemRow[]>();
  if (returnIds.length === 0) return out;
  const rows = await db
    .selectFrom('burden_return_items as ri')
    .innerJoin('burden_data_items as i', 'i.id', 'ri.data_item_id')
    .select(['ri.return_id', 'i.id', 'i.name', 'i.definition', 'i.unit'])
    .where('ri.return_id', 'in', returnIds)
    .orderBy('i.normalised_name')
    .execute();
  for (const { return_id, ...item } of rows) out.set(return_id, [...(out.get(return_id) ?? []), item]);
  return out;
}

/** Another return of the same scope and area already has this name (the import's identity). */
export async function returnNamed(
  db: Db,
  name: string,
  scope: ReturnScope,
  scopeOrgId: number | null,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('burden_returns')
    .select('id')
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .where('scope', '=', scope)
    .where(sql`coalesce(scope_org_id, 0)`, '=', scopeOrgId ?? 0)
    .executeTakeFirst();
  return row?.id;
}

export interface ReturnPlaces {
  scopeOrgId: number | null;
  ownerOrgId: number | null;
}

function returnColumns(v: ReturnValues, places: ReturnPlaces) {
  return {
    name: v.name,
    requesting_body: v.requesting_body,
    legal_basis: v.legal_basis,
    mandatory: v.mandatory,
    approval_ref: v.approval_ref,
    frequency: v.frequency,
    ad_hoc_cycles: v.ad_hoc_cycles,
    deadline_rule: v.deadline_rule,
    submission_route: v.submission_route,
    start_date: v.start_date,
    sunset_date: v.sunset_date,
    scope: v.scope,
    scope_org_id: places.scopeOrgId,
    owner_org_id: places.ownerOrgId,
  };
}

export async function insertReturn(
  db: Db,
  v: ReturnValues,
  places: ReturnPlaces,
  accountId: number | null,
): Promise<number> {
  const row = await db
    .insertInto('burden_returns')
    .values({ ...returnColumns(v, places), created_by: accountId, updated_by: accountId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateReturn(
  db: Db,
  id: number,
  v: ReturnValues,
  places: ReturnPlaces,
  accountId: number | null,
): Promise<void> {
  await db
    .updateTable('burden_returns')
    .set({ ...returnColumns(v, places), updated_by: accountId, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteReturn(db: Db, id: number): Promise<void> {
  await db.deleteFrom('burden_returns').where('id', '=', id).execute();
}

export async function returnHasEffort(db: Db, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('burden_efforts')
    .select('id')
    .where('return_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface ItemInput {
  name: string;
  definition?: string | null;
  unit?: string | null;
}

/**
 * Make the return ask for exactly these items. Names new to the dictionary are added to it; an
 * existing item keeps its definition and unit, except that blanks are filled from the input.
 * Returns the ids of the items new to the dictionary (their near matches are still to be found).
 */
export async function setReturnItems(db: Db, returnId: number, items: ItemInput[]): Promise<number[]> {
  await db.deleteFrom('burden_return_items').where('return_id', '=', returnId).execute();
  if (items.length === 0) return [];
  const { ids, newIds } = await ensureItems(db, items);
  await db
    .insertInto('burden_return_items')
    .values(ids.map((id) => ({ return_id: returnId, data_item_id: id })))
    .execute();
  return newIds;
}

async function ensureItems(db: Db, items: ItemInput[]) {
  const byKey = new Map<string, ItemInput>();
  for (const i of items) {
    const key = normaliseItemName(i.name);
    if (!byKey.has(key)) byKey.set(key, i);
  }
  const keys = [...byKey.keys()];
  const known = new Set(
    (
      await db.selectFrom('burden_data_items').select('normalised_name').where('normalised_name', 'in', keys).execute()
    ).map((r) => r.normalised_name),
  );
  await db
    .insertInto('burden_data_items')
    .values(
      [...byKey].map(([key, i]) => ({
        name: i.name,
        normalised_name: key,
        definition: i.definition ?? null,
        unit: i.unit ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.column('normalised_name').doUpdateSet({
        definition: sql`coalesce(burden_data_items.definition, excluded.definition)`,
        unit: sql`coalesce(burden_data_items.unit, excluded.unit)`,
      }),
    )
    .execute();
  const rows = await db
    .selectFrom('burden_data_items')
    .select(['id', 'normalised_name'])
    .where('normalised_name', 'in', keys)
    .execute();
  return { ids: rows.map((r) => r.id), newIds: rows.filter((r) => !known.has(r.normalised_name)).map((r) => r.id) };
}

/** Regional, ICB and local returns found to repeat a national return (written by the analysis). */
export async function duplicatesOf(db: Db, returnIds: number[]) {
  if (returnIds.length === 0) return new Map<number, { id: number; name: string }[]>();
  const rows = await db
    .selectFrom('burden_return_duplicates as d')
    .innerJoin('burden_returns as n', 'n.id', 'd.national_return_id')
    .select(['d.return_id', 'n.id', 'n.name'])
    .where('d.return_id', 'in', returnIds)
    .orderBy('n.name')
    .execute();
  const out = new Map<number, { id: number; name: string }[]>();
  for (const { return_id, ...n } of rows) out.set(return_id, [...(out.get(return_id) ?? []), n]);
  return out;
}

/** How many returns carry each flag (the register is small: one pass). */
export async function flagCounts(db: Db, today: string) {
  const row = await db
    .selectFrom('burden_returns as r')
    .select([
      sql<number>`count(*)::int`.as('returns'),
      sql<number>`count(*) FILTER (WHERE r.sunset_date < ${today}::date)::int`.as('past_sunset'),
      sql<number>`count(*) FILTER (WHERE r.approval_ref IS NULL)::int`.as('no_approval'),
      sql<number>`count(*) FILTER (WHERE EXISTS (SELECT 1 FROM burden_return_duplicates d WHERE d.return_id = r.id))::int`.as(
        'duplicates',
      ),
    ])
    .executeTakeFirstOrThrow();
  return row;
}
