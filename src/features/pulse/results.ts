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
