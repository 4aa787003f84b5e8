import { sql, type Transaction } from 'kysely';
import type { DB, FrameworkStatus } from '../../db/schema.ts';
import type { Db } from './document-queries.ts';

// Frameworks and their versions: lists, look-ups and the lifecycle (create, publish, retire, discard).
// Frameworks are few (tens); every list here is small and read by indexed keys.

export interface FrameworkRow {
  id: number;
  key: string;
  title: string;
  description: string;
  owner: string;
}

export async function findFramework(db: Db, key: string): Promise<FrameworkRow | undefined> {
  return db
    .selectFrom('frameworks')
    .select(['id', 'key', 'title', 'description', 'owner'])
    .where('key', '=', key.toLowerCase())
    .executeTakeFirst();
}

export async function anyFramework(db: Db): Promise<boolean> {
  return (await db.selectFrom('frameworks').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export interface FrameworkSummary extends FrameworkRow {
  latest_version: number | null;
  latest_status: FrameworkStatus | null;
  published_version: number | null;
  published_at: Date | null;
  has_draft: boolean;
}

/**
 * Frameworks by key, each with its latest version and latest published version. Drafts are left out
 * for readers who may not see them. `after`/`limit` page by key for the API.
 */
export async function listFrameworks(
  db: Db,
  opts: { includeDrafts: boolean; after?: string; limit?: number },
): Promise<FrameworkSummary[]> {
  let q = db
    .selectFrom('frameworks as f')
    .select([
      'f.id',
      'f.key',
      'f.title',
      'f.description',
      'f.owner',
      sql<number | null>`latest.version`.as('latest_version'),
      sql<FrameworkStatus | null>`latest.status`.as('latest_status'),
      sql<number | null>`pub.version`.as('published_version'),
      sql<Date | null>`pub.published_at`.as('published_at'),
      sql<boolean>`EXISTS (SELECT 1 FROM framework_versions d WHERE d.framework_id = f.id AND d.status = 'draft')`.as(
        'has_draft',
      ),
    ])
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('framework_versions as v')
          .select(['v.version', 'v.status'])
          .whereRef('v.framework_id', '=', 'f.id')
          .$if(!opts.includeDrafts, (qb) => qb.where('v.status', '<>', 'draft'))
          .orderBy('v.version', 'desc')
          .limit(1)
          .as('latest'),
      (j) => j.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('framework_versions as p')
          .select(['p.version', 'p.published_at'])
          .whereRef('p.framework_id', '=', 'f.id')
          .where('p.status', '=', 'published')
          .orderBy('p.version', 'desc')
          .limit(1)
          .as('pub'),
      (j) => j.onTrue(),
    )
    .orderBy('f.key');
  // Readers who cannot see drafts do not see frameworks that have nothing else.
  if (!opts.includeDrafts) q = q.where(sql<boolean>`latest.version IS NOT NULL`);
  if (opts.after !== undefined) q = q.where('f.key', '>', opts.after);
  if (opts.limit !== undefined) q = q.limit(opts.limit);
  return q.execute();
}

export interface VersionRow {
  id: number;
  version: number;
  status: FrameworkStatus;
  title: string;
  created_at: Date;
  published_at: Date | null;
  retired_at: Date | null;
  based_on: number | null;
}

export async function versionsOf(db: Db, frameworkId: number): Promise<VersionRow[]> {
  return db
    .selectFrom('framework_versions as v')
    .leftJoin('framework_versions as b', 'b.id', 'v.based_on_version_id')
    .select([
      'v.id',
      'v.version',
      'v.status',
      'v.title',
      'v.created_at',
      'v.published_at',
      'v.retired_at',
      'b.version as based_on',
    ])
    .where('v.framework_id', '=', frameworkId)
    .orderBy('v.version', 'desc')
    .execute();
}

/** Create a framework row; its content arrives with its first draft. */
export async function insertFramework(
  trx: Transaction<DB>,
  f: { key: string; title: string; description: string; owner: string },
): Promise<number> {
  const row = await trx.insertInto('frameworks').values(f).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The framework row shows the latest published version's title, description and owner (or, before
 * anything is published, the draft's), so that lists need no join.
 */
export async function syncFramework(trx: Db, frameworkId: number): Promise<void> {
  await sql`
    UPDATE frameworks f SET title = v.title, description = v.description, owner = v.owner, updated_at = now()
      FROM (SELECT title, description, owner FROM framework_versions
             WHERE framework_id = ${frameworkId}
             ORDER BY (status = 'published') DESC, version DESC LIMIT 1) v
     WHERE f.id = ${frameworkId}
  `.execute(trx);
}

export async function publishVersion(trx: Transaction<DB>, versionId: number, accountId: number | null) {
  const row = await trx
    .updateTable('framework_versions')
    .set({ status: 'published', published_at: new Date(), published_by: accountId })
    .where('id', '=', versionId)
    .where('status', '=', 'draft')
    .returning('framework_id')
    .executeTakeFirst();
  if (row) await syncFramework(trx, row.framework_id);
  return row !== undefined;
}

export async function retireVersion(trx: Transaction<DB>, versionId: number, accountId: number | null) {
  const row = await trx
    .updateTable('framework_versions')
    .set({ status: 'retired', retired_at: new Date(), retired_by: accountId })
    .where('id', '=', versionId)
    .where('status', '=', 'published')
    .returning('framework_id')
    .executeTakeFirst();
  if (row) await syncFramework(trx, row.framework_id);
  return row !== undefined;
}

/** Delete a draft; a framework left with no versions at all goes with it. True when the framework went. */
export async function discardDraft(trx: Transaction<DB>, versionId: number, frameworkId: number): Promise<boolean> {
  await trx.deleteFrom('framework_versions').where('id', '=', versionId).where('status', '=', 'draft').execute();
  const left = await trx
    .selectFrom('framework_versions')
    .select('id')
    .where('framework_id', '=', frameworkId)
    .limit(1)
    .executeTakeFirst();
  if (left) {
    await syncFramework(trx, frameworkId);
    return false;
  }
  await trx.deleteFrom('frameworks').where('id', '=', frameworkId).execute();
  return true;
}

/** Lock the framework row so that two admins starting a draft at once queue instead of racing. */
export async function lockFramework(trx: Transaction<DB>, frameworkId: number): Promise<void> {
  await trx.selectFrom('frameworks').select('id').where('id', '=', frameworkId).forUpdate().execute();
}
