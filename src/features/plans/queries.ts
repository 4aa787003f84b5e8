import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, PlanItemSource, PlanItemStatus } from '../../db/schema.ts';

// Development plan items: SQL only. A person's plan is read by person_id (indexed) and is small (tens of items).

type Db = Database | Transaction<DB>;

export interface NewPlanItem {
  frameworkVersionId: number;
  competencyId: number;
  title: string;
  source: PlanItemSource;
  /** The assessment, 360 or appraisal the item came from (its id as text); null for manual items. */
  sourceId: string | null;
  dueOn?: string | null;
}

/**
 * Add items to a person's development plan. An item with a source id is added once per source and competency:
 * adding the same gap (feedback theme, appraisal objective) again is skipped, not duplicated. Returns the ids of
 * the items created. Used by the 360, appraisal and training features: keep the signature stable. Callers audit.
 */
export async function addPlanItems(db: Db, personId: number, items: NewPlanItem[]): Promise<number[]> {
  if (!items.length) return [];
  const rows = await db
    .insertInto('development_plan_items')
    .values(
      items.map((i) => ({
        person_id: personId,
        framework_version_id: i.frameworkVersionId,
        competency_id: i.competencyId,
        title: i.title.slice(0, 300),
        source: i.source,
        source_id: i.sourceId,
        due_on: i.dueOn ?? null,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['person_id', 'source', 'source_id', 'competency_id'])
        .where('source_id', 'is not', null)
        .where('competency_id', 'is not', null)
        .where('import_id', 'is', null)
        .doNothing(),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** A manual item, linked to a competency or not. */
export async function addManualItem(
  db: Db,
  personId: number,
  i: { title: string; competency: { versionId: number; id: number } | null; dueOn: string | null; support: string },
): Promise<number> {
  const row = await db
    .insertInto('development_plan_items')
    .values({
      person_id: personId,
      framework_version_id: i.competency?.versionId ?? null,
      competency_id: i.competency?.id ?? null,
      title: i.title,
      source: 'manual',
      source_id: null,
      due_on: i.dueOn,
      support: i.support,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PlanItemRow {
  id: number;
  person_id: number;
  framework_version_id: number | null;
  competency_id: number | null;
  title: string;
  status: PlanItemStatus;
  due_on: string | null;
  support: string;
  source: PlanItemSource;
  source_id: string | null;
  imported_from: string | null;
  imported_at: Date | null;
  imported_competency: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

function itemQuery(db: Db) {
  return db
    .selectFrom('development_plan_items as i')
    .leftJoin('development_imports as di', 'di.id', 'i.import_id')
    .select([
      'i.id',
      'i.person_id',
      'i.framework_version_id',
      'i.competency_id',
      'i.title',
      'i.status',
      'i.due_on',
      'i.support',
      'i.source',
      'i.source_id',
      'di.source_organisation as imported_from',
      'di.imported_at',
      sql<Record<string, unknown> | null>`i.imported_competency`.as('imported_competency'),
      'i.created_at',
      'i.updated_at',
    ]);
}

/** A person's plan: open items first (by due date), then done and dropped. */
export async function planOf(db: Db, personId: number): Promise<PlanItemRow[]> {
  return itemQuery(db)
    .where('i.person_id', '=', personId)
    .orderBy(sql`i.status IN ('done','dropped')`)
    .orderBy(sql`i.due_on ASC NULLS LAST`)
    .orderBy('i.id')
    .limit(500)
    .execute();
}

export async function findPlanItem(db: Db, id: number): Promise<PlanItemRow | undefined> {
  return itemQuery(db).where('i.id', '=', id).executeTakeFirst();
}

export async function updatePlanItem(
  db: Db,
  id: number,
  patch: { title: string; status: PlanItemStatus; dueOn: string | null; support: string },
): Promise<void> {
  await db
    .updateTable('development_plan_items')
    .set({
      title: patch.title,
      status: patch.status,
      due_on: patch.dueOn,
      support: patch.support,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Open and finished item counts for a list of people (a manager's reports). */
export async function planCounts(db: Db, personIds: number[]) {
  if (!personIds.length) return new Map<number, { open: number; done: number }>();
  const rows = await db
    .selectFrom('development_plan_items')
    .select([
      'person_id',
      sql<number>`count(*) FILTER (WHERE status IN ('not_started','in_progress'))::int`.as('open'),
      sql<number>`count(*) FILTER (WHERE status = 'done')::int`.as('done'),
    ])
    .where('person_id', 'in', personIds)
    .groupBy('person_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.person_id), { open: r.open, done: r.done }]));
}

/** A plan item from an imported record: marked with its import; a competency not held here is kept as it came. */
export async function insertImportedPlanItem(
  db: Db,
  p: {
    importId: number;
    personId: number;
    item: {
      title: string;
      status: PlanItemStatus;
      due_on: string | null;
      support: string;
      source: PlanItemSource;
      source_reference: string | null;
      competency: Record<string, unknown> | null;
      created_at: string;
      updated_at: string;
    };
    competency: { versionId: number; id: number } | null;
  },
): Promise<void> {
  await db
    .insertInto('development_plan_items')
    .values({
      person_id: p.personId,
      framework_version_id: p.competency?.versionId ?? null,
      competency_id: p.competency?.id ?? null,
      title: p.item.title,
      status: p.item.status,
      due_on: p.item.due_on,
      support: p.item.support,
      source: p.item.source,
      source_id: p.item.source_reference,
      import_id: p.importId,
      imported_competency: p.competency || !p.item.competency ? null : JSON.stringify(p.item.competency),
      created_at: p.item.created_at,
      updated_at: p.item.updated_at,
    })
    .execute();
}

export type ImportedSection = 'feedback' | 'appraisals' | 'learning';

/**
 * Items of foreign sections from imported records, kept as they came (read-only). Each goes in once per person:
 * an item already held (same section and key) is skipped. Returns how many were new.
 */
export async function insertImportedItems(
  db: Db,
  p: { importId: number; personId: number; items: { section: ImportedSection; key: string; content: unknown }[] },
): Promise<number> {
  if (!p.items.length) return 0;
  let added = 0;
  // A record holds at most some thousands of learning records: a thousand rows per statement.
  for (let i = 0; i < p.items.length; i += 1000) {
    const rows = await db
      .insertInto('imported_record_items')
      .values(
        p.items.slice(i, i + 1000).map((x) => ({
          import_id: p.importId,
          person_id: p.personId,
          section: x.section,
          item_key: x.key,
          content: JSON.stringify(x.content),
        })),
      )
      .onConflict((oc) => oc.columns(['person_id', 'section', 'item_key']).doNothing())
      .returning('id')
      .execute();
    added += rows.length;
  }
  return added;
}

/** A person's imported items of one section, in the order they were imported. */
export async function importedItemsOf(db: Db, personId: number, section: ImportedSection): Promise<unknown[]> {
  const rows = await db
    .selectFrom('imported_record_items')
    .select('content')
    .where('person_id', '=', personId)
    .where('section', '=', section)
    .orderBy('id')
    .limit(10_000)
    .execute();
  return rows.map((r) => r.content);
}
