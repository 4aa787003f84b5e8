import type { Database } from '../../db/database.ts';
import { organisationsWithStats } from '../dashboard/queries.ts';
import { priceEffort } from './burden.ts';
import { currentEfforts, payScales } from './effort-queries.ts';
import {
  currentLinks,
  findNearPairs,
  replaceDuplicates,
  replaceOverlapGroups,
  storedPairs,
  storePairs,
} from './overlap-queries.ts';
import { acceptedPairs, duplicatesOfNational, groupOverlaps, NEAR_MATCH_THRESHOLD } from './overlaps.ts';
import {
  areasOf,
  type Level,
  lockSummaries,
  type OrgReturnFigures,
  rebuildLevel,
  replaceOrgReturns,
} from './summary-queries.ts';
import { rebuildTrend } from './trend-queries.ts';

/**
 * The burden analysis, written into summary tables so that pages never compute it per request.
 * refreshBurden prices the effort in effect on `asAt` per organisation and return, then rebuilds the
 * organisation, ICB, region and national summaries: for everything, or incrementally for the
 * organisations given (and the areas they count in). refreshRegisterAnalysis recomputes overlaps and
 * duplicate flags from the register alone.
 */

const levels: Level[] = ['organisation', 'icb', 'region', 'nation'];

export interface RefreshResult {
  organisations: number;
  returns: number;
}

export async function refreshBurden(db: Database, asAt: string, orgIds?: number[]): Promise<RefreshResult> {
  return db.transaction().execute(async (trx) => {
    await lockSummaries(trx);
    const [scales, efforts] = await Promise.all([payScales(trx), currentEfforts(trx, asAt, orgIds)]);
    const rows: OrgReturnFigures[] = efforts.map((e) => {
      const ret = { frequency: e.frequency, adHocCycles: e.adHocCycles };
      return {
        orgId: e.orgId,
        returnId: e.returnId,
        effortFrom: e.effectiveFrom,
        ...priceEffort(e.lines, ret, scales, e.effectiveFrom),
      };
    });
    const reporting = [...new Set(efforts.map((e) => e.orgId))];
    const managers = await managersOf(trx, reporting, efforts);
    const areas = orgIds ? await areasOf(trx, orgIds) : undefined;
    await replaceOrgReturns(trx, orgIds, rows);
    for (const level of levels) await rebuildLevel(trx, level, areas?.[level], managers);
    await rebuildTrend(trx, asAt, orgIds, areas);
    return { organisations: reporting.length, returns: new Set(rows.map((r) => r.returnId)).size };
  });
}

/** Managers per organisation from the dashboard's head counts (organisation_stats), read through its queries. */
async function managersOf(db: Database, orgIds: number[], efforts: { orgId: number; orgCode: string }[]) {
  const idOfCode = new Map(efforts.map((e) => [e.orgCode, e.orgId]));
  const out = new Map<number, number>();
  for (let i = 0; i < orgIds.length; i += 500) {
    for (const row of await organisationsWithStats(db, orgIds.slice(i, i + 500))) {
      const id = idOfCode.get(row.code);
      if (id !== undefined) out.set(id, row.managers);
    }
  }
  return out;
}

export async function refreshRegisterAnalysis(db: Database, today: string) {
  return db.transaction().execute(async (trx) => {
    const links = await currentLinks(trx, today);
    const itemReturns = new Map<number, number[]>();
    const returnItems = new Map<number, number[]>();
    const national = new Set<number>();
    for (const l of links) {
      itemReturns.set(l.data_item_id, [...(itemReturns.get(l.data_item_id) ?? []), l.return_id]);
      returnItems.set(l.return_id, [...(returnItems.get(l.return_id) ?? []), l.data_item_id]);
      if (l.scope === 'national') national.add(l.return_id);
    }
    const pairs = await storedPairs(trx);
    const groups = groupOverlaps(itemReturns, pairs);
    const duplicates = duplicatesOfNational(returnItems, national, [...returnItems.keys()]);
    await replaceOverlapGroups(trx, groups);
    await replaceDuplicates(trx, duplicates);
    return { groups: groups.length, duplicates: duplicates.length };
  });
}

/**
 * Find and store the near matches of the items given (new or renamed ones: a few probes of the trigram
 * index), or of the whole dictionary (the refresh command; minutes on a very large dictionary).
 */
export async function refreshItemPairs(db: Database, itemIds?: number[]): Promise<number> {
  if (itemIds?.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const pairs = acceptedPairs(await findNearPairs(trx, NEAR_MATCH_THRESHOLD, itemIds));
    await storePairs(trx, pairs, itemIds);
    return pairs.length;
  });
}
