/**
 * Disclosure control for figures about people (domain.md §5): a figure built from fewer than `minimum` people is
 * not shown, and when a set of figures adds up to a total that is shown, enough other figures are hidden with it
 * that the hidden one cannot be found by subtraction (secondary suppression).
 *
 * A cell is a group of people: `n` is how many people the figure is built from (the denominator). Zero cells
 * say nothing about anyone and are shown as zero, but they never protect a hidden cell.
 */
export interface Cell {
  n: number;
}

export type Disclosed<T> = T & { suppressed: boolean };

/**
 * Suppress the cells of one partition (groups that together make the whole, e.g. every ethnic group in one
 * organisation). Primary: 0 < n < minimum. Secondary, because the total is shown elsewhere: while any cell is hidden,
 * keep hiding the smallest shown non-zero cell until at least two cells are hidden and together they hold at least
 * `minimum` people, so neither the hidden cells nor their sum single anyone out. When the whole partition holds
 * fewer than `minimum` people everything is hidden.
 */
export function suppressPartition<T extends Cell>(cells: readonly T[], minimum: number): Disclosed<T>[] {
  const out = cells.map((c) => ({ ...c, suppressed: c.n > 0 && c.n < minimum }));
  protect(out, minimum);
  return out;
}

/** Secondary suppression in place: cells already hidden (for any reason) stay hidden and are protected. */
function protect(line: { n: number; suppressed: boolean }[], minimum: number): void {
  const total = line.reduce((s, c) => s + c.n, 0);
  if (total < minimum) {
    for (const c of line) if (c.n > 0) c.suppressed = true;
    return;
  }
  const hidden = () => line.filter((c) => c.suppressed);
  const hiddenSum = () => hidden().reduce((s, c) => s + c.n, 0);
  while (hidden().length > 0 && (hidden().length < 2 || hiddenSum() < minimum)) {
    const next = line.filter((c) => !c.suppressed && c.n > 0).sort((a, b) => a.n - b.n)[0];
    if (!next) break;
    next.suppressed = true;
  }
}

/**
 * Suppress a two-way table (rows × columns, e.g. team × rating) whose row and column totals are shown: every row
 * and every column is treated as a partition, repeated until nothing changes, so no hidden cell can be recovered
 * from its row or its column.
 */
export function suppressTable<T extends Cell>(rows: readonly (readonly T[])[], minimum: number): Disclosed<T>[][] {
  const grid = rows.map((r) => r.map((c) => ({ ...c, suppressed: c.n > 0 && c.n < minimum })));
  const width = Math.max(0, ...grid.map((r) => r.length));
  let changed = true;
  while (changed) {
    changed = false;
    const columns = Array.from({ length: width }, (_, j) => grid.map((r) => r[j]).filter((c) => c !== undefined));
    for (const line of [...grid, ...columns]) {
      const before = line.filter((c) => c.suppressed).length;
      protect(line, minimum);
      if (line.filter((c) => c.suppressed).length !== before) changed = true;
    }
  }
  return grid;
}

/** A rate shown only when its group is big enough: k of n people, or null when hidden or empty. */
export function disclosedRate(k: number, n: number, minimum: number): number | null {
  if (n < minimum || n === 0) return null;
  return k / n;
}

export interface Likelihood {
  /** People in the group (the denominator). */
  n: number;
  /** People in the group with the outcome (appointed, rated highest, attended a programme…). */
  k: number;
}

/**
 * Relative likelihood as in WRES and WDES (domain.md §6): the likelihood of the outcome in the reference group
 * divided by the likelihood in the comparison group, e.g. (k_White / n_White) ÷ (k_BME / n_BME); above 1 favours
 * the reference group. Null when either group has fewer than `minimum` people or the comparison likelihood is zero.
 */
export function relativeLikelihood(reference: Likelihood, comparison: Likelihood, minimum: number): number | null {
  if (reference.n < minimum || comparison.n < minimum) return null;
  if (reference.n === 0 || comparison.n === 0 || comparison.k === 0) return null;
  return reference.k / reference.n / (comparison.k / comparison.n);
}
