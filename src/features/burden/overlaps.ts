/**
 * Overlaps between returns, pure. Exact overlaps: one dictionary item asked for by more than one
 * return. Near overlaps: dictionary items whose names are similar (PostgreSQL pg_trgm similarity at
 * least NEAR_MATCH_THRESHOLD) and mention the same numbers. Items joined by either are grouped into
 * consolidation candidates. docs/burden.md explains the threshold and the savings estimate.
 */

/**
 * pg_trgm similarity (shared trigrams ÷ all trigrams of the two names) from which two names count as a
 * near match. Measured on sample names: rewordings such as "patients waiting over 52 weeks" / "…more than
 * 52 weeks" score 0.73 and "total bed days" / "total occupied bed days" 0.65, while unrelated names score
 * below 0.5 ("agency spend" / "bank spend" 0.33).
 */
export const NEAR_MATCH_THRESHOLD = 0.6;

/** The numbers a name mentions, in order: "cancer 62 day" and "cancer 31 day" are not the same item. */
export function numbersIn(name: string): string[] {
  return (name.match(/\d+(?:\.\d+)?/g) ?? []).map((n) => String(Number(n)));
}

export function sameNumbers(a: string, b: string): boolean {
  return numbersIn(a).join(' ') === numbersIn(b).join(' ');
}

export interface NearPair {
  a: number;
  b: number;
  aName: string;
  bName: string;
  similarity: number;
}

export interface OverlapGroup {
  kind: 'exact' | 'near';
  itemIds: number[];
  returnIds: number[];
  /** The weakest similarity among the near matches that joined the group; null for exact groups. */
  minSimilarity: number | null;
}

/** Near pairs that count: similar enough and mentioning the same numbers. */
export function acceptedPairs(pairs: readonly NearPair[], threshold = NEAR_MATCH_THRESHOLD): NearPair[] {
  return pairs.filter((p) => p.a !== p.b && p.similarity >= threshold && sameNumbers(p.aName, p.bName));
}

/**
 * Group items into consolidation candidates: items connected by near matches form one group; a group
 * is a candidate when more than one return asks for its items. `itemReturns` maps each item to the
 * returns that ask for it.
 */
export function groupOverlaps(
  itemReturns: ReadonlyMap<number, readonly number[]>,
  pairs: readonly NearPair[],
): OverlapGroup[] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    let node = x;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const id of itemReturns.keys()) parent.set(id, id);
  const weakest = new Map<number, number>();
  for (const p of pairs) {
    if (!itemReturns.has(p.a) || !itemReturns.has(p.b)) continue;
    const [ra, rb] = [find(p.a), find(p.b)];
    const w = Math.min(p.similarity, weakest.get(ra) ?? 1, weakest.get(rb) ?? 1);
    if (ra !== rb) parent.set(rb, ra);
    weakest.set(ra, w);
  }
  const members = new Map<number, number[]>();
  for (const id of itemReturns.keys()) {
    const root = find(id);
    members.set(root, [...(members.get(root) ?? []), id]);
  }
  const groups: OverlapGroup[] = [];
  for (const [root, items] of members) {
    const returns = new Set(items.flatMap((i) => itemReturns.get(i) ?? []));
    if (returns.size < 2) continue;
    const near = items.length > 1;
    groups.push({
      kind: near ? 'near' : 'exact',
      itemIds: [...items].sort((x, y) => x - y),
      returnIds: [...returns].sort((x, y) => x - y),
      minSimilarity: near ? (weakest.get(root) ?? null) : null,
    });
  }
  return groups.sort((x, y) => x.itemIds[0] - y.itemIds[0]);
}

export interface ReturnBurden {
  hoursYear: number;
  /** Data items the return asks for in all. */
  itemCount: number;
  /** Of those, the items in the group. */
  groupItems: number;
}

/**
 * Hours a year that consolidating a group would save. Each return's effort is assumed to spread evenly
 * over its data items, so its share for the group is hours × group items ÷ all its items. Collected once,
 * the largest share remains and the others are saved: Σ shares − the largest share.
 */
export function consolidationSaving(returns: readonly ReturnBurden[]): number {
  const shares = returns.filter((r) => r.itemCount > 0).map((r) => (r.hoursYear * r.groupItems) / r.itemCount);
  if (shares.length < 2) return 0;
  const total = shares.reduce((s, x) => s + x, 0);
  return Math.round((total - Math.max(...shares)) * 100) / 100;
}

/**
 * Regional, ICB and local returns that duplicate a national return: every data item of the return is
 * asked for by that one (current) national return. Returns without items duplicate nothing.
 */
export function duplicatesOfNational(
  returnItems: ReadonlyMap<number, readonly number[]>,
  nationalIds: ReadonlySet<number>,
  candidates: readonly number[],
): { returnId: number; nationalReturnId: number }[] {
  const itemsOf = new Map<number, Set<number>>();
  for (const [id, items] of returnItems) itemsOf.set(id, new Set(items));
  const out: { returnId: number; nationalReturnId: number }[] = [];
  for (const id of candidates) {
    if (nationalIds.has(id)) continue;
    const mine = itemsOf.get(id);
    if (!mine || mine.size === 0) continue;
    for (const n of nationalIds) {
      const theirs = itemsOf.get(n);
      if (theirs && [...mine].every((i) => theirs.has(i))) out.push({ returnId: id, nationalReturnId: n });
    }
  }
  return out;
}
