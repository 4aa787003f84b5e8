/**
 * Statistical process control, XmR charts as in NHS England's "Making Data Count" (domain.md §5; the reference
 * implementation is NHS-R NHSRplotthedots). Pure: values in, limits and the special-cause reading of each point out.
 *
 * - mean of the values; moving ranges mR_t = |y_t − y_{t−1}|; AMR = mean of the moving ranges, optionally after
 *   dropping those ≥ 3.267 × AMR (screening one-off jumps) and recomputing;
 * - process limits mean ± 2.66 × AMR; the "near" band mean ± (2/3) × 2.66 × AMR;
 * - special cause: a point outside the limits; a shift of 7 consecutive points on one side of the mean (a point on
 *   the mean breaks the run); a trend of 7 consecutive points each higher than the one before (or each lower; an
 *   equal value breaks it); 2 of 3 consecutive points beyond the near band on the same side of the mean.
 */

export const LIMIT_FACTOR = 2.66;
export const MR_SCREEN_FACTOR = 3.267;
export const SHIFT_RUN = 7;
export const TREND_RUN = 7;

export type Improvement = 'higher' | 'lower' | 'neither';
export type Rule = 'outside-limits' | 'shift' | 'trend' | 'two-of-three';
export type Variation = 'common-cause' | 'improvement' | 'concern' | 'neutral';
export type Assurance = 'consistently-pass' | 'consistently-fail' | 'inconsistent';

export interface SpcPoint {
  value: number;
  /** Moving range from the previous point; null for the first. */
  movingRange: number | null;
  /** The special-cause rules this point is part of (empty: common cause). */
  rules: Rule[];
  /** Which way the special cause points: above/rising ('high') or below/falling ('low'); null for common cause. */
  direction: 'high' | 'low' | null;
  variation: Variation;
}

export interface SpcResult {
  mean: number;
  amr: number;
  upperLimit: number;
  lowerLimit: number;
  upperNear: number;
  lowerNear: number;
  points: SpcPoint[];
  /** Only with a target and a direction of improvement. */
  assurance?: Assurance;
}

export interface SpcOptions {
  improvement?: Improvement;
  /** Drop moving ranges ≥ 3.267 × AMR and recompute AMR (default true, as NHSRplotthedots). */
  screenOutliers?: boolean;
  target?: number;
}

const average = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export function movingRanges(values: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) out.push(Math.abs(values[i]! - values[i - 1]!));
  return out;
}

/** The average moving range, after screening out moving ranges ≥ 3.267 × AMR when asked. */
export function averageMovingRange(values: readonly number[], screenOutliers = true): number {
  const mr = movingRanges(values);
  if (mr.length === 0) return 0;
  const amr = average(mr);
  if (!screenOutliers) return amr;
  const kept = mr.filter((r) => r < MR_SCREEN_FACTOR * amr);
  return kept.length ? average(kept) : amr;
}

/** Mark every index of runs of at least `length` consecutive indexes where `test(i)` holds. */
function markRuns(n: number, length: number, test: (i: number) => boolean): boolean[] {
  const marked = new Array<boolean>(n).fill(false);
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && test(i)) continue;
    if (i - start >= length) for (let j = start; j < i; j++) marked[j] = true;
    start = i + 1;
  }
  return marked;
}

/**
 * Points that take part in a trend: a run of TREND_RUN points, each strictly above (or below) the one before.
 * Returns the direction per point (null when not in a trend).
 */
function trends(values: readonly number[]): ('high' | 'low' | null)[] {
  const out: ('high' | 'low' | null)[] = values.map(() => null);
  for (const dir of ['high', 'low'] as const) {
    let start = 0;
    for (let i = 1; i <= values.length; i++) {
      const continues =
        i < values.length && (dir === 'high' ? values[i]! > values[i - 1]! : values[i]! < values[i - 1]!);
      if (continues) continue;
      if (i - start >= TREND_RUN) for (let j = start; j < i; j++) out[j] = out[j] ?? dir;
      start = i;
    }
  }
  return out;
}

export function spc(values: readonly number[], opts: SpcOptions = {}): SpcResult {
  if (values.length < 2) throw new Error('an XmR chart needs at least 2 points');
  const improvement = opts.improvement ?? 'neither';
  const mean = average(values);
  const amr = averageMovingRange(values, opts.screenOutliers ?? true);
  const half = LIMIT_FACTOR * amr;
  const upperLimit = mean + half;
  const lowerLimit = mean - half;
  const upperNear = mean + (2 / 3) * half;
  const lowerNear = mean - (2 / 3) * half;
  const n = values.length;
  const side = (v: number) => (v > mean ? 1 : v < mean ? -1 : 0);

  const outside = values.map((v) => v > upperLimit || v < lowerLimit);
  const above = markRuns(n, SHIFT_RUN, (i) => side(values[i]!) === 1);
  const below = markRuns(n, SHIFT_RUN, (i) => side(values[i]!) === -1);
  const trend = trends(values);
  const beyondNear = (i: number, s: 1 | -1) => (s === 1 ? values[i]! > upperNear : values[i]! < lowerNear);
  const twoOfThree = new Array<boolean>(n).fill(false);
  for (let i = 0; i + 2 < n; i++) {
    for (const s of [1, -1] as const) {
      const hits = [i, i + 1, i + 2].filter((j) => beyondNear(j, s));
      if (hits.length >= 2) for (const j of hits) twoOfThree[j] = true;
    }
  }

  const points = values.map((value, i): SpcPoint => {
    const rules: Rule[] = [];
    if (outside[i]) rules.push('outside-limits');
    if (above[i] || below[i]) rules.push('shift');
    if (trend[i]) rules.push('trend');
    if (twoOfThree[i]) rules.push('two-of-three');
    // A point's side of the mean says which way it points; a trend alone says it by its direction.
    const sided = rules.some((r) => r !== 'trend');
    const direction = rules.length === 0 ? null : sided ? (value > mean ? 'high' : 'low') : trend[i]!;
    let variation: Variation = 'common-cause';
    if (direction) {
      if (improvement === 'neither') variation = 'neutral';
      else variation = (direction === 'high') === (improvement === 'higher') ? 'improvement' : 'concern';
    }
    return { value, movingRange: i === 0 ? null : Math.abs(value - values[i - 1]!), rules, direction, variation };
  });

  const result: SpcResult = { mean, amr, upperLimit, lowerLimit, upperNear, lowerNear, points };
  if (opts.target !== undefined && improvement !== 'neither') {
    result.assurance = assurance(opts.target, improvement, lowerLimit, upperLimit);
  }
  return result;
}

/**
 * Will the process meet the target? The limits hold where nearly every future point will fall: a target beyond
 * them on the good side is always met, on the bad side never; a target between them is sometimes met.
 */
export function assurance(
  target: number,
  improvement: Exclude<Improvement, 'neither'>,
  lowerLimit: number,
  upperLimit: number,
): Assurance {
  if (improvement === 'higher') {
    if (target <= lowerLimit) return 'consistently-pass';
    if (target > upperLimit) return 'consistently-fail';
  } else {
    if (target >= upperLimit) return 'consistently-pass';
    if (target < lowerLimit) return 'consistently-fail';
  }
  return 'inconsistent';
}

export const variationLabels: Record<Variation, string> = {
  'common-cause': 'Common cause',
  improvement: 'Special cause: improvement',
  concern: 'Special cause: concern',
  neutral: 'Special cause: neither improvement nor concern',
};

export const ruleLabels: Record<Rule, string> = {
  'outside-limits': 'outside the process limits',
  shift: `${SHIFT_RUN} or more points on one side of the mean`,
  trend: `${TREND_RUN} or more points rising or falling`,
  'two-of-three': '2 of 3 points beyond the near band',
};

export const assuranceLabels: Record<Assurance, string> = {
  'consistently-pass': 'Will consistently meet the target',
  'consistently-fail': 'Will consistently fail the target',
  inconsistent: 'Will sometimes meet and sometimes fail the target',
};
