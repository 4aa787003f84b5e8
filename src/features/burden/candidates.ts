import { overlapGroupsWithDetail } from './overlap-queries.ts';
import { consolidationSaving } from './overlaps.ts';
import { hours } from './present.ts';
import type { Db } from './queries.ts';
import { scopeLabels } from './register.ts';

/**
 * The consolidation candidates with their saving (overlaps.ts consolidationSaving), largest first, as the overlaps
 * page, the report and the downloads show them. `hoursOf` prices each return's share: England's hours by default,
 * or an area's (the report of an organisation or ICB).
 */
export async function consolidationCandidates(db: Db, hoursOf?: Map<number, number>) {
  const d = await overlapGroupsWithDetail(db);
  const itemName = new Map(d.items.map((i) => [i.id, i.name]));
  const ret = new Map(d.returns.map((r) => [r.id, r]));
  const hoursBy = hoursOf ?? new Map(d.hours.map((h) => [Number(h.key), Number(h.hours_year)]));
  const itemsOf = new Map<number, Set<number>>();
  for (const l of d.links) itemsOf.set(l.return_id, (itemsOf.get(l.return_id) ?? new Set()).add(l.data_item_id));
  const groups = d.groups
    .map((g) => {
      const burdens = g.return_ids.map((id) => {
        const mine = itemsOf.get(id) ?? new Set<number>();
        return {
          hoursYear: hoursBy.get(id) ?? 0,
          itemCount: mine.size,
          groupItems: g.item_ids.filter((i) => mine.has(i)).length,
        };
      });
      const saving = consolidationSaving(burdens);
      return {
        id: g.id,
        kind: g.kind,
        similarity: g.min_similarity === null ? null : Number(g.min_similarity).toFixed(2),
        items: g.item_ids.map((id) => ({ id, name: itemName.get(id) ?? `Item ${id}` })),
        returns: g.return_ids.map((id) => ({
          id,
          name: ret.get(id)?.name ?? `Return ${id}`,
          scope: ret.get(id) ? scopeLabels[ret.get(id)!.scope] : '',
          hours: hoursBy.has(id) ? hours(hoursBy.get(id)!) : 'No effort recorded',
        })),
        saving,
        savingText: hours(saving),
      };
    })
    .sort((a, b) => b.saving - a.saving || a.id - b.id);
  return { groups, refreshedAt: d.groups[0]?.refreshed_at ?? null };
}
