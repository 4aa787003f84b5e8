import type { OverallRating } from '../../db/schema.ts';
import { disclosedRate, relativeLikelihood, suppressPartition, suppressTable } from '../../stats/disclosure.ts';
import { formatCount } from '../../web/nunjucks.ts';
import { bands, staffGroups } from '../people/people.ts';
import type { RatingRow, StatusRow } from './summary-queries.ts';
import { overallRatingLabels, overallRatings, TOP_RATING } from './template.ts';

/**
 * The dashboard's figures under disclosure control (docs/standards-appraisal.md, "How every figure is computed").
 * Pure: summary rows in, display strings out, "*" wherever a figure is withheld. No figure built from fewer than
 * `minimum` people is shown, and enough others are withheld with it that it cannot be found by subtraction.
 */

export const HIDDEN = '*';

const count = formatCount;
const percent = (r: number | null) => (r === null ? HIDDEN : `${(r * 100).toFixed(1)}%`);

export interface BreakdownRow {
  key: string;
  label: string;
  people: string;
  notStarted: string;
  inProgress: string;
  completed: string;
  overdue: string;
  completedRate: string;
  /** The whole group is withheld (fewer than the minimum, or hidden so that another cannot be worked out). */
  hidden: boolean;
}

type Counts = Pick<StatusRow, 'people' | 'not_started' | 'in_progress' | 'completed' | 'overdue'>;

const sum = (rows: Counts[]): Counts => ({
  people: rows.reduce((s, r) => s + r.people, 0),
  not_started: rows.reduce((s, r) => s + r.not_started, 0),
  in_progress: rows.reduce((s, r) => s + r.in_progress, 0),
  completed: rows.reduce((s, r) => s + r.completed, 0),
  overdue: rows.reduce((s, r) => s + r.overdue, 0),
});

/**
 * Completion by group (team, band, staff group, organisation), where the groups partition the total that is shown
 * beneath them. 1. The groups' sizes are one partition: a group of fewer than `minimum` people is withheld, and so
 * is the next smallest until the withheld groups cannot be told apart. 2. The withheld groups are added into one
 * unseen row, because their sum can be worked out from the total. 3. The shown groups and that row form a table
 * (status × group) whose row and column totals are shown: suppressTable withholds small cells and their
 * complements. 4. Overdue counts are one more partition of the overdue total. 5. A completion rate is shown only
 * when its group and its completed count are.
 */
export function disclosedBreakdown(rows: StatusRow[], minimum: number): BreakdownRow[] {
  // Light cells, matched to their rows by position: copying every (wide) summary row showed in national pages.
  const sized = suppressPartition(
    rows.map((r) => ({ n: r.people })),
    minimum,
  );
  const shown = rows.filter((_, j) => !sized[j]!.suppressed);
  const withheld = rows.filter((_, j) => sized[j]!.suppressed);
  const unseen = withheld.length ? [sum(withheld)] : [];
  const table = suppressTable(
    [...shown, ...unseen].map((r) => [{ n: r.not_started }, { n: r.in_progress }, { n: r.completed }]),
    minimum,
  );
  const overdue = suppressPartition(
    [...shown, ...unseen].map((r) => ({ n: r.overdue })),
    minimum,
  );
  const cell = (c: { n: number; suppressed: boolean }) => (c.suppressed ? HIDDEN : count(c.n));
  let next = 0;
  return rows.map((r, j) => {
    if (sized[j]!.suppressed) {
      return {
        key: r.key,
        label: r.label,
        people: HIDDEN,
        notStarted: HIDDEN,
        inProgress: HIDDEN,
        completed: HIDDEN,
        overdue: HIDDEN,
        completedRate: HIDDEN,
        hidden: true,
      };
    }
    // Shown rows keep their order, so the i-th shown row is row i of the table.
    const i = next++;
    const [ns, ip, done] = table[i]!;
    return {
      key: r.key,
      label: r.label,
      people: count(r.people),
      notStarted: cell(ns!),
      inProgress: cell(ip!),
      completed: cell(done!),
      overdue: cell(overdue[i]!),
      completedRate: done!.suppressed ? HIDDEN : percent(disclosedRate(r.completed, r.people, minimum)),
      hidden: false,
    };
  });
}

/** The total row: withheld entirely when the whole area has fewer than `minimum` people. */
export function disclosedTotal(total: Counts | undefined, minimum: number): Omit<BreakdownRow, 'key' | 'label'> | null {
  if (!total) return null;
  const small = total.people < minimum;
  const show = (n: number) => (small ? HIDDEN : count(n));
  return {
    people: show(total.people),
    notStarted: show(total.not_started),
    inProgress: show(total.in_progress),
    completed: show(total.completed),
    overdue: show(total.overdue),
    completedRate: small ? HIDDEN : percent(disclosedRate(total.completed, total.people, minimum)),
    hidden: small,
  };
}

export interface RatingShare {
  rating: OverallRating;
  label: string;
  people: string;
  share: string;
  /** For the chart: null when withheld. */
  value: number | null;
}

/** The distribution of overall ratings of locked appraisals: one partition of everyone rated. */
export function disclosedRatings(rows: RatingRow[], minimum: number): { rated: string; shares: RatingShare[] } {
  const totals = rows.filter((r) => r.dimension === 'total');
  const cells = overallRatings.map((rating) => ({
    rating,
    n: totals.find((r) => r.rating === rating)?.people ?? 0,
  }));
  const rated = cells.reduce((s, c) => s + c.n, 0);
  const disclosed = suppressPartition(cells, minimum);
  return {
    rated: rated < minimum && rated > 0 ? HIDDEN : count(rated),
    shares: disclosed.map((c) => {
      const rate = c.suppressed ? null : disclosedRate(c.n, rated, minimum);
      return {
        rating: c.rating,
        label: overallRatingLabels[c.rating],
        people: c.suppressed ? HIDDEN : count(c.n),
        share: percent(rate),
        value: rate === null ? null : rate * 100,
      };
    }),
  };
}

export interface LensGroup {
  key: string;
  label: string;
  rated: string;
  topRate: string;
}

export interface Lens {
  title: string;
  reference: string;
  comparison: string;
  groups: LensGroup[];
  /** Relative likelihood of the top rating, reference ÷ comparison, two decimals; null when not shown. */
  likelihood: string | null;
  meaning: string;
}

const lensDefinitions = {
  ethnicity: {
    title: 'By ethnicity (as WRES)',
    groups: [
      ['white', 'White'],
      ['bme', 'Black and minority ethnic (BME)'],
      ['unknown', 'Not stated'],
    ],
    reference: 'white',
    comparison: 'bme',
  },
  disability: {
    title: 'By disability (as WDES)',
    groups: [
      ['not_disabled', 'Non-disabled'],
      ['disabled', 'Disabled'],
      ['unknown', 'Not declared'],
    ],
    reference: 'not_disabled',
    comparison: 'disabled',
  },
} as const;

/**
 * The equality lens: for each group, how many were rated and the likelihood of the top rating (exceptional); then
 * the relative likelihood reference ÷ comparison (White vs BME as WRES; non-disabled vs Disabled as WDES). Above 1
 * the reference group is more likely to be rated exceptional. Group sizes are one partition under suppression.
 */
export function equalityLens(rows: RatingRow[], dimension: 'ethnicity' | 'disability', minimum: number): Lens {
  const def = lensDefinitions[dimension];
  const groups = def.groups.map(([key, label]) => {
    const of = rows.filter((r) => r.dimension === dimension && r.key === key);
    return {
      key,
      label,
      n: of.reduce((s, r) => s + r.people, 0),
      k: of.find((r) => r.rating === TOP_RATING)?.people ?? 0,
    };
  });
  const disclosed = suppressPartition(groups, minimum);
  const ref = groups.find((g) => g.key === def.reference)!;
  const cmp = groups.find((g) => g.key === def.comparison)!;
  const refShown = !disclosed.find((g) => g.key === def.reference)!.suppressed;
  const cmpShown = !disclosed.find((g) => g.key === def.comparison)!.suppressed;
  const rl = refShown && cmpShown ? relativeLikelihood(ref, cmp, minimum) : null;
  const refLabel = def.groups.find(([k]) => k === def.reference)![1];
  const cmpLabel = def.groups.find(([k]) => k === def.comparison)![1];
  return {
    title: def.title,
    reference: refLabel,
    comparison: cmpLabel,
    groups: disclosed.map((g) => ({
      key: g.key,
      label: g.label,
      rated: g.suppressed ? HIDDEN : count(g.n),
      topRate: g.suppressed ? HIDDEN : percent(disclosedRate(g.k, g.n, minimum)),
    })),
    likelihood: rl === null ? null : rl.toFixed(2),
    meaning:
      rl === null
        ? `Not shown: one of the groups has fewer than ${minimum} people rated, or no one in the ${cmpLabel.toLowerCase()} group was rated exceptional.`
        : rl > 1
          ? `${refLabel} staff were ${rl.toFixed(2)} times as likely as ${cmpLabel.toLowerCase()} staff to be rated exceptional.`
          : rl < 1
            ? `${refLabel} staff were less likely than ${cmpLabel.toLowerCase()} staff to be rated exceptional (${rl.toFixed(2)}).`
            : `${refLabel} and ${cmpLabel.toLowerCase()} staff were equally likely to be rated exceptional.`,
  };
}

/** Labels of the summary keys that are codes. */
export const staffGroupLabels: Record<string, string> = { ...staffGroups, unknown: 'Not recorded' };

export function dimensionLabel(dimension: string, key: string, stored: string): string {
  if (dimension === 'band') return key === 'unknown' ? 'Band not recorded' : /^\d/.test(key) ? `Band ${key}` : key;
  if (dimension === 'staff_group') return staffGroupLabels[key] ?? key;
  return stored;
}

/** Bands in pay order, not text order. */
const bandOrder: string[] = [...bands, 'unknown'];
// One collator for every sort rather than localeCompare per comparison, which looks up the locale each time.
const byText = new Intl.Collator().compare;
export function sortRows(dimension: string, rows: StatusRow[]): StatusRow[] {
  if (dimension === 'band') return [...rows].sort((a, b) => bandOrder.indexOf(a.key) - bandOrder.indexOf(b.key));
  return [...rows].sort((a, b) => byText(a.label, b.label));
}
