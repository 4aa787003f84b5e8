import type { RaterGroup } from '../../db/schema.ts';

/**
 * The 360 anonymity rule (design.md: a rater group's answers are shown only as an aggregate, and only when the group
 * has at least 3 responses). Every figure of a report (pages, printable report, API) comes out of `discloseReport`,
 * so the rule is decided here once. docs/standards-feedback.md explains it figure by figure.
 *
 * 1. A group is disclosed when it has enough submitted responses: the person themselves (self) and the line
 *    manager group need one, and the line manager group is labelled as not anonymous; peers, direct reports and
 *    others need at least the round's minimum for that group, which is never below 3.
 * 2. A cell (one group, one competency) is shown only when its group is disclosed and, for an anonymous group, at
 *    least that many of its raters gave a score: a rater may answer "not able to say", and two scores out of
 *    three responses are a group of two.
 * 3. Every combined figure (a group's domain average, "all raters except you" by competency or by domain) is
 *    pooled only from shown cells. A hidden group never enters a total, so no total minus the visible groups, and
 *    no difference between two views, can give it away.
 * 4. A hidden group's response count is not given either (only "fewer than N"), nor are its comments.
 */

export const ABSOLUTE_MINIMUM = 3;

export const anonymousGroups = ['peer', 'direct_report', 'other'] as const;
export type AnonymousGroup = (typeof anonymousGroups)[number];
export const reportGroups: RaterGroup[] = ['self', 'line_manager', 'peer', 'direct_report', 'other'];

export type Thresholds = Record<AnonymousGroup, number>;

const isAnonymous = (g: RaterGroup): g is AnonymousGroup => (anonymousGroups as readonly string[]).includes(g);

/** How many responses (or scores) a group needs before anything of it is shown. */
export function groupMinimum(group: RaterGroup, thresholds: Thresholds): number {
  return isAnonymous(group) ? Math.max(ABSOLUTE_MINIMUM, thresholds[group]) : 1;
}

/** Whether `n` answers of a group may be shown as an aggregate. */
export function mayShow(group: RaterGroup, n: number, thresholds: Thresholds): boolean {
  return n > 0 && n >= groupMinimum(group, thresholds);
}

/** Scored ratings of one group for one competency: how many, and their sum. */
export interface RatingCell {
  group: RaterGroup;
  competencyId: number;
  n: number;
  sum: number;
}

export interface Figure {
  mean: number;
  n: number;
}

export interface GroupSummary {
  group: RaterGroup;
  anonymous: boolean;
  disclosed: boolean;
  /** Submitted responses; null when the group is not disclosed (then only "fewer than `minimum`" is said). */
  responses: number | null;
  minimum: number;
}

export interface DisclosedReport {
  groups: GroupSummary[];
  /** By competency id: each group's figure (null: hidden or no scores), and all raters except self. */
  competencies: Map<number, { byGroup: Partial<Record<RaterGroup, Figure | null>>; others: Figure | null }>;
  /** By domain id: the same, pooled from the shown cells of the domain's competencies. */
  domains: Map<number, { byGroup: Partial<Record<RaterGroup, Figure | null>>; others: Figure | null }>;
  /** Groups whose comments may be shown. */
  commentGroups: RaterGroup[];
}

const pool = (cells: { n: number; sum: number }[]): Figure | null => {
  const n = cells.reduce((s, c) => s + c.n, 0);
  return n === 0 ? null : { mean: cells.reduce((s, c) => s + c.sum, 0) / n, n };
};

/**
 * Apply the rule to a round's raw aggregates: submitted responses per group, and scored ratings per group and
 * competency. `competencies` maps each competency in the report to its domain. Nothing hidden leaves this
 * function: callers render what it returns and never the raw cells.
 */
export function discloseReport(input: {
  thresholds: Thresholds;
  responses: Partial<Record<RaterGroup, number>>;
  cells: RatingCell[];
  competencies: { id: number; domainId: number }[];
}): DisclosedReport {
  const { thresholds } = input;
  const groups = reportGroups.map((group): GroupSummary => {
    const responses = input.responses[group] ?? 0;
    const disclosed = mayShow(group, responses, thresholds);
    return {
      group,
      anonymous: isAnonymous(group),
      disclosed,
      responses: disclosed || responses === 0 ? responses : null,
      minimum: groupMinimum(group, thresholds),
    };
  });
  const disclosed = new Set(groups.filter((g) => g.disclosed).map((g) => g.group));
  const shown = input.cells.filter((c) => disclosed.has(c.group) && mayShow(c.group, c.n, thresholds));

  const figures = (cells: RatingCell[]) => {
    const byGroup: Partial<Record<RaterGroup, Figure | null>> = {};
    for (const g of reportGroups) byGroup[g] = pool(cells.filter((c) => c.group === g));
    return { byGroup, others: pool(cells.filter((c) => c.group !== 'self')) };
  };
  const competencies = new Map(
    input.competencies.map((c) => [c.id, figures(shown.filter((s) => s.competencyId === c.id))]),
  );
  const domainOf = new Map(input.competencies.map((c) => [c.id, c.domainId]));
  const domainIds = [...new Set(input.competencies.map((c) => c.domainId))];
  const domains = new Map(domainIds.map((d) => [d, figures(shown.filter((s) => domainOf.get(s.competencyId) === d))]));
  return { groups, competencies, domains, commentGroups: [...disclosed] };
}

/** Free-text comments in an order that says nothing about who wrote what or when: sorted by their text. */
export function unattributed(comments: string[]): string[] {
  return comments
    .map((c) => c.trim())
    .filter(Boolean)
    .sort((a, b) => a.localeCompare(b, 'en-GB'));
}
