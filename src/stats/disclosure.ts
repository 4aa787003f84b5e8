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
 * A copy of the cell, hidden when it holds fewer than `minimum` people (but some). Object.assign rather than
 * `{ ...c, suppressed }`: on Node 20 a spread that adds a property costs about a microsecond, several times as
 * much, and national tables copy thousands of cells per page.
 */
const primary = <T extends Cell>(c: T, minimum: number): Disclosed<T> =>
  Object.assign({}, c, { suppressed: c.n > 0 && c.n < minimum });

/**
 * Suppress the cells of one partition (groups that together make the whole, e.g. every ethnic group in one
 * organisation). Primary: 0 < n < minimum. Secondary, because the total is shown elsewhere: while any cell is hidden,
 * keep hiding the smallest shown non-zero cell until at least two cells are hidden and together they hold at least
 * `minimum` people, so neither the hidden cells nor their sum single anyone out. When the whole partition holds
 * fewer than `minimum` people everything is hidden.
 */
export function suppressPartition<T extends Cell>(cells: readonly T[], minimum: number): Disclosed<T>[] {
  const out = cells.map((c) => primary(c, minimum));
  protect(out, minimum);
  return out;
}

/**
 * Secondary suppression in place: cells already hidden (for any reason) stay hidden and are protected. Returns the
 * cells it hid. The smallest shown non-zero cells are hidden first (the earlier of equal cells first). Calling it
 * again on a line it has just protected hides nothing.
 */
function protect<C extends { n: number; suppressed: boolean }>(line: C[], minimum: number): C[] {
  let total = 0;
  let hidden = 0;
  let hiddenSum = 0;
  for (const c of line) {
    total += c.n;
    if (c.suppressed) {
      hidden++;
      hiddenSum += c.n;
    }
  }
  const hid: C[] = [];
  if (total < minimum) {
    for (const c of line) {
      if (c.n > 0 && !c.suppressed) {
        c.suppressed = true;
        hid.push(c);
      }
    }
    return hid;
  }
  if (hidden === 0 || (hidden >= 2 && hiddenSum >= minimum)) return hid;
  // A stable sort keeps equal cells in their order, so one sorted list serves every round.
  const candidates = line.filter((c) => !c.suppressed && c.n > 0).sort((a, b) => a.n - b.n);
  for (const next of candidates) {
    if (hidden >= 2 && hiddenSum >= minimum) break;
    next.suppressed = true;
    hidden++;
    hiddenSum += next.n;
    hid.push(next);
  }
  return hid;
}

/**
 * Suppress a two-way table (rows × columns, e.g. team × rating) whose row and column totals are shown: every row
 * and every column is treated as a partition, repeated until nothing changes, so no hidden cell can be recovered
 * from its row or its column.
 */
export function suppressTable<T extends Cell>(rows: readonly (readonly T[])[], minimum: number): Disclosed<T>[][] {
  const grid = rows.map((r) => r.map((c) => primary(c, minimum)));
  const width = Math.max(0, ...grid.map((r) => r.length));
  const columns = Array.from({ length: width }, (_, j) => grid.map((r) => r[j]).filter((c) => c !== undefined));
  const place = new Map<Disclosed<T>, [number, number]>();
  for (const [i, r] of grid.entries()) for (const [j, c] of r.entries()) place.set(c, [i, j]);
  // Rows, then columns, in passes until nothing changes. A line that nothing has touched since it was last
  // protected would hide nothing, so only lines that lost a cell to a crossing line are visited again: the same
  // cells end up hidden as when every line is visited in every pass (a national table has hundreds of rows).
  // A side's lines, which of them to visit, and which coordinate of a cell (row, column) names its line there.
  const rowSide = { lines: grid, dirty: grid.map(() => true), at: 0 };
  const columnSide = { lines: columns, dirty: columns.map(() => true), at: 1 };
  const sides = [
    { side: rowSide, crossing: columnSide },
    { side: columnSide, crossing: rowSide },
  ];
  let changed = true;
  while (changed) {
    changed = false;
    for (const { side, crossing } of sides) {
      for (let k = 0; k < side.lines.length; k++) {
        if (!side.dirty[k]) continue;
        side.dirty[k] = false;
        for (const c of protect(side.lines[k]!, minimum)) {
          crossing.dirty[place.get(c)![crossing.at]] = true;
          changed = true;
        }
      }
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
