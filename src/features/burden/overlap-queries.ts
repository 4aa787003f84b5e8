import { sql } from 'kysely';
import type { NearPair, OverlapGroup } from './overlaps.ts';
import type { Db } from './queries.ts';

// The SQL behind overlaps: which current returns ask for which items, near matches by pg_trgm, and the
// stored consolidation candidates and duplicate flags.

/** Links of returns not past their sunset: item, return, and whether the return is national. */
export async function currentLinks(db: Db, today: string) {
  return db
    .selectFrom('burden_return_items as ri')
    .innerJoin('burden_returns as r', 'r.id', 'ri.return_id')
    .select(['ri.return_id', 'ri.data_item_id', 'r.scope'])
    .where((eb) => eb.or([eb('r.sunset_date', 'is', null), eb('r.sunset_date', '>=', today)]))
    .execute();
}

const setThreshold = (db: Db, threshold: number) =>
  sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(threshold)}, true)`.execute(db);

type PairRow = { a: number; b: number; a_name: string; b_name: string; similarity: number };
const toPair = (r: PairRow): NearPair => ({
  a: r.a,
  b: r.b,
  aName: r.a_name,
  bName: r.b_name,
  similarity: r.similarity,
});

/**
 * Dictionary items whose normalised names are at least `threshold` similar (pg_trgm) to the items given,
 * or, without items, every such pair in the dictionary (slow on a large dictionary: the refresh command
 * only). The `%` operator lets the trigram index find candidates; it reads the similarity_threshold
 * setting, set here for the current transaction only, so call this inside a transaction.
 */
export async function findNearPairs(db: Db, threshold: number, itemIds?: number[]): Promise<NearPair[]> {
  await setThreshold(db, threshold);
  // Each pair once in a full pass; from both ends when probing given items (either may be new).
  const only = itemIds ? sql`WHERE a.id = ANY(${itemIds}::int[])` : sql``;
  const other = itemIds ? sql`b.id <> a.id` : sql`b.id > a.id`;
  const res = await sql<PairRow>`
    SELECT a.id AS a, b.id AS b, a.normalised_name AS a_name, b.normalised_name AS b_name,
           similarity(a.normalised_name, b.normalised_name)::float8 AS similarity
      FROM burden_data_items a
      JOIN burden_data_items b ON b.normalised_name % a.normalised_name AND ${other}
      ${only}`.execute(db);
  return res.rows.map(toPair);
}

/**
 * Store the accepted near pairs: all of them (itemIds undefined), or those of the items given, whose
 * earlier pairs are replaced (a renamed item loses the matches of its old name).
 */
export async function storePairs(db: Db, pairs: NearPair[], itemIds?: number[]) {
  let del = db.deleteFrom('burden_item_pairs');
  if (itemIds) {
    const ids = itemIds.length ? itemIds : [0];
    del = del.where((eb) => eb.or([eb('item_a', 'in', ids), eb('item_b', 'in', ids)]));
  }
  await del.execute();
  const unique = new Map<string, { item_a: number; item_b: number; similarity: string }>();
  for (const p of pairs) {
    const [x, y] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
    unique.set(`${x} ${y}`, { item_a: x, item_b: y, similarity: p.similarity.toFixed(3) });
  }
  const rows = [...unique.values()];
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('burden_item_pairs')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}

/** The stored near pairs, with names (for the grouping). */
export async function storedPairs(db: Db): Promise<NearPair[]> {
  const res = await sql<PairRow>`
    SELECT p.item_a AS a, p.item_b AS b, a.normalised_name AS a_name, b.normalised_name AS b_name,
           p.similarity::float8 AS similarity
      FROM burden_item_pairs p
      JOIN burden_data_items a ON a.id = p.item_a
      JOIN burden_data_items b ON b.id = p.item_b`.execute(db);
  return res.rows.map(toPair);
}

/** Items similar to one item (its page), most similar first. */
export async function similarItems(db: Db, itemId: number, threshold: number) {
  await setThreshold(db, threshold);
  const res = await sql<{ id: number; name: string; normalised_name: string; similarity: number }>`
    SELECT b.id, b.name, b.normalised_name, similarity(a.normalised_name, b.normalised_name)::float8 AS similarity
      FROM burden_data_items a
      JOIN burden_data_items b ON b.normalised_name % a.normalised_name AND b.id <> a.id
     WHERE a.id = ${itemId}
     ORDER BY similarity DESC, b.name
     LIMIT 20`.execute(db);
  return res.rows;
}

export async function replaceOverlapGroups(db: Db, groups: OverlapGroup[]) {
  await db.deleteFrom('burden_overlap_groups').execute();
  if (groups.length === 0) return;
  await db
    .insertInto('burden_overlap_groups')
    .values(
      groups.map((g) => ({
        kind: g.kind,
        item_ids: sql<number[]>`${g.itemIds}::int[]` as unknown as number[],
        return_ids: sql<number[]>`${g.returnIds}::int[]` as unknown as number[],
        min_similarity: g.minSimilarity === null ? null : g.minSimilarity.toFixed(3),
      })),
    )
    .execute();
}

export async function replaceDuplicates(db: Db, pairs: { returnId: number; nationalReturnId: number }[]) {
  await db.deleteFrom('burden_return_duplicates').execute();
  if (pairs.length === 0) return;
  await db
    .insertInto('burden_return_duplicates')
    .values(pairs.map((p) => ({ return_id: p.returnId, national_return_id: p.nationalReturnId })))
    .execute();
}

/** The stored candidates with what a page needs: names, links, national hours and item counts. */
export async function overlapGroupsWithDetail(db: Db) {
  const groups = await db
    .selectFrom('burden_overlap_groups')
    .select(['id', 'kind', 'item_ids', 'return_ids', 'min_similarity', 'refreshed_at'])
    .orderBy('id')
    .execute();
  const itemIds = [...new Set(groups.flatMap((g) => g.item_ids))];
  const returnIds = [...new Set(groups.flatMap((g) => g.return_ids))];
  const [items, returns, links, hours] = await Promise.all([
    itemIds.length
      ? db.selectFrom('burden_data_items').select(['id', 'name']).where('id', 'in', itemIds).execute()
      : [],
    returnIds.length
      ? db.selectFrom('burden_returns').select(['id', 'name', 'scope']).where('id', 'in', returnIds).execute()
      : [],
    returnIds.length
      ? db
          .selectFrom('burden_return_items')
          .select(['return_id', 'data_item_id'])
          .where('return_id', 'in', returnIds)
          .execute()
      : [],
    returnIds.length
      ? db
          .selectFrom('burden_area_summary')
          .select(['key', 'hours_year'])
          .where('level', '=', 'nation')
          .where('dimension', '=', 'return')
          .where('key', 'in', returnIds.map(String))
          .execute()
      : [],
  ]);
  return { groups, items, returns, links, hours };
}
