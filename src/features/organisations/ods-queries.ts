import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, OrgKind } from '../../db/schema.ts';

// The SQL of the ODS import (kept apart from queries.ts, which serves the pages and the API).

type Db = Kysely<DB> | Transaction<DB>;

export interface StoredOrg {
  id: number;
  code: string;
  name: string;
  kind: OrgKind;
  parent_id: number | null;
  ons_code: string | null;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  opened_on: string | null;
  closed_on: string | null;
  source: string;
}

/** The fields an import may set; anything left undefined is kept as stored. */
export type OrgFields = Partial<Omit<StoredOrg, 'id' | 'code'>>;

export async function orgsByCode(db: Db, codes: string[]): Promise<Map<string, StoredOrg>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select([
      'id',
      'code',
      'name',
      'kind',
      'parent_id',
      'ons_code',
      'address',
      'postcode',
      'phone',
      'opened_on',
      'closed_on',
      'source',
    ])
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, r]));
}

export async function insertOrgs(
  db: Db,
  rows: (OrgFields & { code: string; name: string; kind: OrgKind })[],
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const inserted = await db
    .insertInto('organisations')
    .values(
      rows.map((r) => ({
        code: r.code,
        name: r.name,
        kind: r.kind,
        parent_id: r.parent_id ?? null,
        ons_code: r.ons_code ?? null,
        address: r.address ?? null,
        postcode: r.postcode ?? null,
        phone: r.phone ?? null,
        opened_on: r.opened_on ?? null,
        closed_on: r.closed_on ?? null,
        source: r.source ?? 'ods',
      })),
    )
    .returning(['id', 'code'])
    .execute();
  return new Map(inserted.map((r) => [r.code, r.id]));
}

export async function updateOrg(db: Db, id: number, fields: OrgFields): Promise<void> {
  await db
    .updateTable('organisations')
    .set({ ...fields, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/**
 * Recompute the denormalised icb_id and region_id from the parent chain: the nearest ancestor-or-self
 * of kind 'icb' and of kind 'region'. So an ICB's icb_id is itself and a region's region_id is itself,
 * and a scope check "in this ICB" includes the ICB. Rows with no parent keep manual values unless they
 * came from ODS. Only changed rows are written.
 */
export async function refreshPlaces(db: Db): Promise<number> {
  const result = await sql`
    WITH RECURSIVE chain AS (
      SELECT o.id AS org_id, o.id AS anc_id, o.kind AS anc_kind, o.parent_id AS next_id, 0 AS depth
        FROM organisations o
       WHERE o.parent_id IS NOT NULL OR o.kind IN ('icb', 'region') OR o.source LIKE 'ods%'
      UNION ALL
      SELECT c.org_id, p.id, p.kind, p.parent_id, c.depth + 1
        FROM chain c JOIN organisations p ON p.id = c.next_id
       WHERE c.depth < 12
    ), places AS (
      SELECT org_id,
             (array_agg(anc_id ORDER BY depth) FILTER (WHERE anc_kind = 'icb'))[1] AS icb_id,
             (array_agg(anc_id ORDER BY depth) FILTER (WHERE anc_kind = 'region'))[1] AS region_id
        FROM chain GROUP BY org_id
    )
    UPDATE organisations o SET icb_id = p.icb_id, region_id = p.region_id
      FROM places p
     WHERE o.id = p.org_id
       AND (o.icb_id IS DISTINCT FROM p.icb_id OR o.region_id IS DISTINCT FROM p.region_id)
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
