import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Db } from './document-queries.ts';

// Edits of one row of a draft. Every function takes the draft's version id and touches only rows of that
// version, so an id from another version (or a published one) simply matches nothing.

type Trx = Transaction<DB>;

export async function updateDetails(
  trx: Trx,
  versionId: number,
  d: { title: string; description: string; owner: string; notes: string; source: string },
) {
  await trx.updateTable('framework_versions').set(d).where('id', '=', versionId).execute();
}

export type Ordered =
  | 'framework_domains'
  | 'framework_competencies'
  | 'framework_indicators'
  | 'framework_scale_levels';
const scopeOf: Record<Ordered, string> = {
  framework_domains: 'version_id',
  framework_competencies: 'domain_id',
  framework_indicators: 'competency_id',
  framework_scale_levels: 'version_id',
};

/** Swap a row with its neighbour above or below (one statement; the position constraints are deferred). */
export async function moveRow(trx: Trx, table: Ordered, versionId: number, id: number, direction: 'up' | 'down') {
  const t = sql.table(table);
  const scope = sql.ref(scopeOf[table]);
  const cmp = direction === 'up' ? sql`<` : sql`>`;
  const order = direction === 'up' ? sql`DESC` : sql`ASC`;
  const result = await sql`
    WITH me AS (SELECT id, position, ${scope} AS scope FROM ${t} WHERE id = ${id} AND version_id = ${versionId}),
    other AS (
      SELECT o.id, o.position FROM ${t} o, me
       WHERE o.${scope} = me.scope AND o.position ${cmp} me.position
       ORDER BY o.position ${order} LIMIT 1
    )
    UPDATE ${t} x SET position = CASE WHEN x.id = me.id THEN other.position ELSE me.position END
      FROM me, other
     WHERE x.id IN (me.id, other.id)
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export const nextPosition = (table: Ordered, column: string, scopeId: number) =>
  sql<number>`(SELECT coalesce(max(position), 0) + 1 FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${scopeId})`;

export async function codesOf(db: Db, versionId: number, table: 'framework_domains' | 'framework_competencies') {
  return (await db.selectFrom(table).select('code').where('version_id', '=', versionId).execute()).map((r) => r.code);
}

export async function codeTaken(
  db: Db,
  versionId: number,
  table: 'framework_domains' | 'framework_competencies',
  code: string,
  exceptId?: number,
) {
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('version_id', '=', versionId)
    .where(sql<boolean>`lower(code) = lower(${code})`)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
  return row !== undefined;
}

// Domains

export async function findDomain(db: Db, versionId: number, id: number) {
  return db
    .selectFrom('framework_domains')
    .select(['id', 'code', 'title', 'description', 'position'])
    .where('version_id', '=', versionId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function addDomain(trx: Trx, versionId: number, d: { code: string; title: string; description: string }) {
  const row = await trx
    .insertInto('framework_domains')
    .values({ version_id: versionId, position: nextPosition('framework_domains', 'version_id', versionId), ...d })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDomain(
  trx: Trx,
  versionId: number,
  id: number,
  d: { code: string; title: string; description: string },
) {
  await trx.updateTable('framework_domains').set(d).where('version_id', '=', versionId).where('id', '=', id).execute();
}

export async function removeDomain(trx: Trx, versionId: number, id: number) {
  await trx.deleteFrom('framework_domains').where('version_id', '=', versionId).where('id', '=', id).execute();
}

// Competencies

export async function findCompetency(db: Db, versionId: number, id: number) {
  return db
    .selectFrom('framework_competencies as c')
    .innerJoin('framework_domains as d', 'd.id', 'c.domain_id')
    .select([
      'c.id',
      'c.code',
      'c.title',
      'c.description',
      'c.domain_id',
      'd.code as domain_code',
      'd.title as domain_title',
    ])
    .where('c.version_id', '=', versionId)
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function addCompetency(
  trx: Trx,
  versionId: number,
  domainId: number,
  c: { code: string; title: string; description: string; indicators: string[] },
) {
  const { indicators, ...fields } = c;
  const row = await trx
    .insertInto('framework_competencies')
    .values({
      version_id: versionId,
      domain_id: domainId,
      position: nextPosition('framework_competencies', 'domain_id', domainId),
      ...fields,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (indicators.length) {
    await trx
      .insertInto('framework_indicators')
      .values(indicators.map((text, i) => ({ version_id: versionId, competency_id: row.id, position: i + 1, text })))
      .execute();
  }
  return row.id;
}

export async function updateCompetency(
  trx: Trx,
  versionId: number,
  id: number,
  c: { code: string; title: string; description: string; domain_id: number },
) {
  const current = await findCompetency(trx, versionId, id);
  if (!current) return;
  const moved = current.domain_id !== c.domain_id;
  await trx
    .updateTable('framework_competencies')
    .set({
      ...c,
      // Into another domain: at its end.
      ...(moved ? { position: nextPosition('framework_competencies', 'domain_id', c.domain_id) } : {}),
    })
    .where('version_id', '=', versionId)
    .where('id', '=', id)
    .execute();
}

export async function removeCompetency(trx: Trx, versionId: number, id: number) {
  await trx.deleteFrom('framework_competencies').where('version_id', '=', versionId).where('id', '=', id).execute();
}

// Indicators

export async function findIndicator(db: Db, versionId: number, id: number) {
  return db
    .selectFrom('framework_indicators')
    .select(['id', 'competency_id', 'text', 'position'])
    .where('version_id', '=', versionId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function addIndicator(trx: Trx, versionId: number, competencyId: number, text: string) {
  await trx
    .insertInto('framework_indicators')
    .values({
      version_id: versionId,
      competency_id: competencyId,
      position: nextPosition('framework_indicators', 'competency_id', competencyId),
      text,
    })
    .execute();
}

export async function updateIndicator(trx: Trx, versionId: number, id: number, text: string) {
  await trx
    .updateTable('framework_indicators')
    .set({ text })
    .where('version_id', '=', versionId)
    .where('id', '=', id)
    .execute();
}

export async function removeIndicator(trx: Trx, versionId: number, id: number) {
  await trx.deleteFrom('framework_indicators').where('version_id', '=', versionId).where('id', '=', id).execute();
}

export async function countIndicators(db: Db, competencyId: number) {
  const row = await db
    .selectFrom('framework_indicators')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('competency_id', '=', competencyId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Replace a competency's level descriptors: an empty text removes that level's descriptor. */
export async function setDescriptors(
  trx: Trx,
  versionId: number,
  competencyId: number,
  texts: { scaleLevelId: number; text: string }[],
) {
  await trx
    .deleteFrom('framework_level_descriptors')
    .where('version_id', '=', versionId)
    .where('competency_id', '=', competencyId)
    .execute();
  const rows = texts
    .filter((t) => t.text !== '')
    .map((t) => ({ version_id: versionId, competency_id: competencyId, scale_level_id: t.scaleLevelId, text: t.text }));
  if (rows.length) await trx.insertInto('framework_level_descriptors').values(rows).execute();
}
