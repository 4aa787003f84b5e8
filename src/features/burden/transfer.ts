import type { Database } from '../../db/database.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import type { OrgDetail } from '../organisations/queries.ts';
import { allReturns, insertReturn, itemsOfReturns, returnNamed, setReturnItems, updateReturn } from './queries.ts';
import { refreshBurden, refreshItemPairs, refreshRegisterAnalysis } from './refresh.ts';
import { type Actor, curateRefusal, mayCurate, type Placed, placeOf, placeReturn } from './returns.ts';
import { checkReturn, type ReturnValues } from './schemas.ts';
import {
  detectFormat,
  type ExportReturn,
  type LineError,
  parseRegister,
  type RawItem,
  registerCsv,
  registerJson,
} from './transfer-format.ts';

/**
 * Importing the register, the same way as every Leadwell import: the whole file is checked first and
 * every bad return is reported with its line; if there is any, nothing is written. Otherwise one
 * transaction creates or updates each return, matched on its name within its scope and area.
 */

/**
 * Near matches of up to this many new dictionary items are found during the import (about 12 ms each on
 * a 10,000-item dictionary); beyond it they wait for the next `leadwell burden refresh`.
 */
export const IMPORT_PROBE_LIMIT = 500;

export type ImportResult =
  | { ok: true; created: number; updated: number; returns: number; newItems: number; nearMatchesPending: boolean }
  | { ok: false; errors: LineError[] };

interface Checked {
  line: number;
  values: ReturnValues;
  placed: Placed;
  items: RawItem[];
}

export async function importRegister(
  deps: { db: Database; clock: { now(): Date } },
  input: { text: string; filename?: string; format?: 'csv' | 'json' },
  actor: Actor,
): Promise<ImportResult> {
  const format = input.format ?? detectFormat(input.text, input.filename);
  const parsed = parseRegister(input.text, format);
  const errors = [...parsed.errors];
  // The command line acts for the installation; a signed-in person only for the returns they may curate.
  const viewer: Viewer | null | undefined = 'viewer' in actor ? actor.viewer : undefined;
  const cache = new Map<string, OrgDetail | undefined>();
  const checked: Checked[] = [];
  const seen = new Map<string, number>();
  for (const rec of parsed.records) {
    const result = checkReturn(rec.fields);
    if (!result.ok) {
      for (const p of result.problems) errors.push({ line: rec.line, message: `${p.field}: ${p.message}` });
      continue;
    }
    const values = result.values;
    const placed = await placeReturn(deps.db, values, cache);
    if ('field' in placed) {
      errors.push({ line: rec.line, message: `${placed.field}: ${placed.message}` });
      continue;
    }
    const scopePlace = placed.scopeOrg ? placeOf(placed.scopeOrg) : null;
    if (viewer !== undefined && !mayCurate(viewer, values.scope, scopePlace)) {
      errors.push({ line: rec.line, message: curateRefusal(values.scope, placed.scopeOrg) });
      continue;
    }
    const key = `${values.name.toLowerCase()}\u0000${values.scope}\u0000${placed.places.scopeOrgId ?? 0}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({ line: rec.line, message: `the return “${values.name}” is already on line ${earlier}` });
      continue;
    }
    seen.set(key, rec.line);
    checked.push({ line: rec.line, values, placed, items: rec.items });
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const accountId = viewer?.accountId ?? null;
  const counts = await deps.db.transaction().execute(async (trx) => {
    let created = 0;
    let updated = 0;
    const newItems: number[] = [];
    for (const c of checked) {
      const existing = await returnNamed(trx, c.values.name, c.values.scope, c.placed.places.scopeOrgId);
      let id: number;
      if (existing === undefined) {
        id = await insertReturn(trx, c.values, c.placed.places, accountId);
        created++;
      } else {
        id = existing;
        await updateReturn(trx, id, c.values, c.placed.places, accountId);
        updated++;
      }
      newItems.push(...(await setReturnItems(trx, id, c.items)));
    }
    await audit(trx, actor, {
      action: 'burden.register.import',
      subjectType: 'burden_return',
      details: { filename: input.filename ?? null, format, returns: checked.length, created, updated },
    });
    return { created, updated, newItems };
  });
  const pending = counts.newItems.length > IMPORT_PROBE_LIMIT;
  if (!pending) await refreshItemPairs(deps.db, counts.newItems);
  const today = deps.clock.now().toISOString().slice(0, 10);
  await refreshRegisterAnalysis(deps.db, today);
  // Imports may change any return's frequency: recompute every organisation's figures.
  await refreshBurden(deps.db, today);
  return {
    ok: true,
    created: counts.created,
    updated: counts.updated,
    returns: checked.length,
    newItems: counts.newItems.length,
    nearMatchesPending: pending,
  };
}

export async function exportRegister(db: Database, format: 'csv' | 'json', now: Date): Promise<string> {
  const returns = await allReturns(db);
  const items = await itemsOfReturns(
    db,
    returns.map((r) => r.id),
  );
  const full: ExportReturn[] = returns.map((r) => ({ ...r, items: items.get(r.id) ?? [] }));
  return format === 'csv' ? registerCsv(full) : registerJson(full, now);
}
