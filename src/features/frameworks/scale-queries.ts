import type { Transaction } from 'kysely';
import type { DB, ManagementLevel } from '../../db/schema.ts';
import type { Db } from './document-queries.ts';
import { nextPosition } from './draft-queries.ts';

// Edits of a draft's rating scale and required levels. Like draft-queries.ts, every function is scoped to
// the draft's version id.

type Trx = Transaction<DB>;

// Scale

export async function findLevel(db: Db, versionId: number, id: number) {
  return db
    .selectFrom('framework_scale_levels')
    .select(['id', 'value', 'label', 'descriptor', 'position'])
    .where('version_id', '=', versionId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function levelClash(
  db: Db,
  versionId: number,
  l: { value: number | null; label: string },
  exceptId?: number,
) {
  const rows = await db
    .selectFrom('framework_scale_levels')
    .select(['value', 'label'])
    .where('version_id', '=', versionId)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
    .execute();
  return {
    label: rows.some((r) => r.label.trim().toLowerCase() === l.label.trim().toLowerCase()),
    value: l.value !== null && rows.some((r) => r.value === l.value),
  };
}

export async function addLevel(
  trx: Trx,
  versionId: number,
  l: { value: number | null; label: string; descriptor: string },
) {
  await trx
    .insertInto('framework_scale_levels')
    .values({ version_id: versionId, position: nextPosition('framework_scale_levels', 'version_id', versionId), ...l })
    .execute();
}

/** Change a level; required levels and the threshold that used its old value follow it. */
export async function updateLevel(
  trx: Trx,
  versionId: number,
  id: number,
  l: { value: number | null; label: string; descriptor: string },
) {
  const before = await findLevel(trx, versionId, id);
  if (!before) return;
  await trx
    .updateTable('framework_scale_levels')
    .set(l)
    .where('version_id', '=', versionId)
    .where('id', '=', id)
    .execute();
  if (before.value === null || before.value === l.value) return;
  if (l.value === null) {
    await forgetValue(trx, versionId, before.value);
    return;
  }
  await trx
    .updateTable('framework_required_levels')
    .set({ required_value: l.value })
    .where('version_id', '=', versionId)
    .where('required_value', '=', before.value)
    .execute();
  await trx
    .updateTable('framework_versions')
    .set({ proficient_value: l.value })
    .where('id', '=', versionId)
    .where('proficient_value', '=', before.value)
    .execute();
}

/** A value leaves the scale: requirements on it go, and so does the threshold if it was that value. */
async function forgetValue(trx: Trx, versionId: number, value: number) {
  await trx
    .deleteFrom('framework_required_levels')
    .where('version_id', '=', versionId)
    .where('required_value', '=', value)
    .execute();
  await trx
    .updateTable('framework_versions')
    .set({ proficient_value: null })
    .where('id', '=', versionId)
    .where('proficient_value', '=', value)
    .execute();
}

export async function removeLevel(trx: Trx, versionId: number, id: number) {
  const before = await findLevel(trx, versionId, id);
  if (!before) return;
  await trx.deleteFrom('framework_scale_levels').where('version_id', '=', versionId).where('id', '=', id).execute();
  if (before.value !== null) await forgetValue(trx, versionId, before.value);
}

export async function updateScaleRules(
  trx: Trx,
  versionId: number,
  r: { proficient_value: number | null; green_within: number; amber_within: number },
) {
  await trx.updateTable('framework_versions').set(r).where('id', '=', versionId).execute();
}

// Required levels

export interface RequiredCell {
  management_level: ManagementLevel;
  domain_id: number | null;
  competency_id: number | null;
  required_value: number;
}

/** Replace every required level of the draft with the grid as submitted. */
export async function replaceRequired(trx: Trx, versionId: number, cells: RequiredCell[]) {
  await trx.deleteFrom('framework_required_levels').where('version_id', '=', versionId).execute();
  if (cells.length) {
    await trx
      .insertInto('framework_required_levels')
      .values(cells.map((c) => ({ version_id: versionId, ...c })))
      .execute();
  }
}
