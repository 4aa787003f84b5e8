import { sql } from 'kysely';
import { likeEscape } from '../../db/like.ts';
import type { Db } from './queries.ts';
import { normaliseItemName } from './register.ts';
import type { ItemValues } from './schemas.ts';

// The data item dictionary: names unique once normalised, with the returns that ask for each.

/** A page of the dictionary (names containing the text, through the trigram index), with use counts. */
export async function listItems(db: Db, args: { q?: string; limit: number; offset: number }) {
  const key = args.q ? normaliseItemName(args.q) : '';
  let base = db.selectFrom('burden_data_items as i');
  if (key) base = base.where('i.normalised_name', 'like', `%${likeEscape(key)}%`);
  const [rows, total] = await Promise.all([
    base
      .select([
        'i.id',
        'i.name',
        'i.definition',
        'i.unit',
        (eb) =>
          eb
            .selectFrom('burden_return_items as ri')
            .select(sql<number>`count(*)::int`.as('n'))
            .whereRef('ri.data_item_id', '=', 'i.id')
            .as('returns'),
      ])
      .orderBy('i.normalised_name')
      .limit(args.limit)
      .offset(args.offset)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, returns: Number(r.returns ?? 0) })), total: total.n };
}

export async function findItem(db: Db, id: number) {
  return db
    .selectFrom('burden_data_items')
    .select(['id', 'name', 'normalised_name', 'definition', 'unit', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function returnsOfItem(db: Db, itemId: number) {
  return db
    .selectFrom('burden_return_items as ri')
    .innerJoin('burden_returns as r', 'r.id', 'ri.return_id')
    .leftJoin('organisations as so', 'so.id', 'r.scope_org_id')
    .select(['r.id', 'r.name', 'r.scope', 'r.requesting_body', 'r.sunset_date', 'so.name as scope_org_name'])
    .where('ri.data_item_id', '=', itemId)
    .orderBy('r.name')
    .execute();
}

/** Another item already has this name once normalised. */
export async function itemNameTaken(db: Db, name: string, exceptId?: number) {
  let q = db.selectFrom('burden_data_items').select('id').where('normalised_name', '=', normaliseItemName(name));
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertItem(db: Db, v: ItemValues): Promise<number> {
  const row = await db
    .insertInto('burden_data_items')
    .values({ name: v.name, normalised_name: normaliseItemName(v.name), definition: v.definition, unit: v.unit })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateItem(db: Db, id: number, v: ItemValues): Promise<void> {
  await db
    .updateTable('burden_data_items')
    .set({
      name: v.name,
      normalised_name: normaliseItemName(v.name),
      definition: v.definition,
      unit: v.unit,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}
