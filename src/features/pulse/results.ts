import { suppressPartition } from '../../stats/disclosure.ts';
import { type Aggregate, addSums, aggregate, emptySums, type Sums } from './pulse.ts';
import type { PeriodSums } from './queries.ts';

/**
 * An area's pulse results under disclosure control, from the sums of its closed rounds: the latest period's
 * figures for the area and for each area one level down, and the area's figure per period for the trend.
 *
 * Primary suppression hides any group of fewer than `minimum` responses. Because the area's own figure is shown
 * beside its parts, the parts are one partition: secondary suppression hides the next smallest parts until the
 * hidden ones together hold at least `minimum` responses (suppressPartition), so no part can be found by
 * subtracting the others from the whole. Only closed rounds are shown, so that no one can watch a figure move as
 * one more person answers.
 */

export interface ChildResult {
  childId: number | null;
  aggregate: Aggregate;
}

export interface AreaResults {
  latest?: string;
  total?: Aggregate;
  children: ChildResult[];
  trend: { opensOn: string; aggregate: Aggregate }[];
}

export function areaResults(rows: readonly PeriodSums[], minimum: number): AreaResults {
  const periods = [...new Set(rows.map((r) => r.opensOn))].sort();
  const trend = periods.map((p) => {
    const s = rows.filter((r) => r.opensOn === p).reduce<Sums>((acc, r) => addSums(acc, r), emptySums());
    return { opensOn: p, aggregate: aggregate(s, minimum) };
  });
  const latest = periods[periods.length - 1];
  if (!latest) return { children: [], trend };
  const ofLatest = new Map<number | null, Sums>();
  for (const r of rows.filter((x) => x.opensOn === latest)) {
    ofLatest.set(r.childId, addSums(ofLatest.get(r.childId) ?? emptySums(), r));
  }
  const cells = [...ofLatest].map(([childId, s]) => ({ childId, s, n: s.responses }));
  const disclosed = suppressPartition(cells, minimum);
  return {
    latest,
    total: trend[trend.length - 1]!.aggregate,
    children: disclosed.map((c) => ({ childId: c.childId, aggregate: aggregate(c.s, minimum, c.suppressed) })),
    trend,
  };
}

/**
 * The periods in which an area is hidden among its parent's parts (an organisation among its ICB's, an ICB among
 * its region's, a region among England's), where secondary suppression may hide a part big enough on its own.
 * The area's own page must hide its total then too, or the parent page's hidden part could be read off it.
 */
export function periodsHiddenIn(
  parentRows: readonly Pick<PeriodSums, 'opensOn' | 'childId' | 'responses'>[],
  childId: number,
  minimum: number,
): Set<string> {
  const byPeriod = new Map<string, Map<number | null, number>>();
  for (const r of parentRows) {
    const cells = byPeriod.get(r.opensOn) ?? new Map<number | null, number>();
    cells.set(r.childId, (cells.get(r.childId) ?? 0) + r.responses);
    byPeriod.set(r.opensOn, cells);
  }
  const hidden = new Set<string>();
  for (const [period, cells] of byPeriod) {
    const disclosed = suppressPartition(
      [...cells].map(([id, n]) => ({ id, n })),
      minimum,
    );
    if (disclosed.some((c) => c.id === childId && c.suppressed)) hidden.add(period);
  }
  return hidden;
}

/** Hide an area's figures in the periods its parent hides it, and its parts with it (they would add up to it). */
export function hideWithParent(
  r: AreaResults,
  hidden: ReadonlySet<string>,
  sums: readonly PeriodSums[],
  minimum: number,
) {
  if (!hidden.size) return r;
  const totalOf = (p: string) =>
    sums.filter((x) => x.opensOn === p).reduce<Sums>((acc, x) => addSums(acc, x), emptySums());
  const trend = r.trend.map((t) =>
    hidden.has(t.opensOn) ? { opensOn: t.opensOn, aggregate: aggregate(totalOf(t.opensOn), minimum, true) } : t,
  );
  if (!r.latest || !hidden.has(r.latest)) return { ...r, trend };
  return {
    ...r,
    trend,
    total: trend[trend.length - 1]!.aggregate,
    children: r.children.map((c) => ({ ...c, aggregate: { responses: c.aggregate.responses, suppressed: true } })),
  };
}
