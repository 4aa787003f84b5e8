import { suppressPartition } from '../../stats/disclosure.ts';
import { type Aggregate, addSums, aggregate, emptySums, type Sums } from './pulse.ts';

/**
 * Pulse results by team, under disclosure control (docs/burden.md, "Results by team"). Pure.
 *
 * An organisation's teams form a tree (teams.parent_team_id). A team's figure counts the answers of managers
 * whose post is in the team or in any team under it. Every figure a viewer can see about the organisation —
 * its total (shown to anyone signed in), each team's and each team's parts — is decided once, top down, so
 * that no figure can be worked out by subtracting shown ones:
 *
 * - at each shown unit (the organisation, then each shown team) its parts are one partition: the teams directly
 *   under it, and "the rest" (managers in the unit itself, or for the organisation in no team). Primary
 *   suppression hides a part of fewer than the minimum; secondary suppression (suppressPartition) hides the next
 *   smallest parts until at least two are hidden and together hold at least the minimum. So unit − shown parts
 *   is always either nothing or a group of at least the minimum, never a small group;
 * - a hidden unit hides everything under it: if its parts were shown, adding them up would give it back;
 * - the organisation's own total is hidden when it is hidden in its ICB's partition (`orgHidden`), so the team
 *   tree cannot undo the ICB view's secondary suppression either.
 *
 * The decision depends on the figures only, never on who is looking, so an organisation admin and a line manager
 * see the same cells hidden, and comparing their views gives nothing more.
 */

export interface TeamNode {
  id: number;
  parentId: number | null;
  name: string;
}

export interface TeamFigure {
  /** Answers of managers in the team and every team under it. */
  aggregate: Aggregate;
  /** The sums behind `aggregate`, whether shown or not (stored by the job, never shown as such). */
  sums: Sums;
  /** Answers of managers in the team itself, not in a team under it (one part of the team's partition). */
  own: Aggregate;
}

export function teamFigures(
  teams: readonly TeamNode[],
  orgSums: Sums,
  direct: ReadonlyMap<number, Sums>,
  minimum: number,
  orgHidden = false,
  /** Only the figures one team's page needs: the units on the way down to it, their parts, and its own parts. */
  focus?: number,
): { org: Aggregate; rest: Aggregate; teams: Map<number, TeamFigure> } {
  const ids = new Set(teams.map((t) => t.id));
  const children = new Map<number | null, number[]>();
  const parentOf = new Map<number, number | null>();
  for (const t of teams) {
    const parent = t.parentId !== null && ids.has(t.parentId) ? t.parentId : null;
    parentOf.set(t.id, parent);
    const list = children.get(parent);
    if (list) list.push(t.id);
    else children.set(parent, [t.id]);
  }
  // The same decisions are taken whatever the focus: it only skips deciding parts no page here will show.
  const onPath = new Set<number>();
  for (let id: number | null | undefined = focus; id !== undefined && id !== null; id = parentOf.get(id))
    onPath.add(id);
  const wanted = (id: number) => focus === undefined || onPath.has(id);
  const subtree = new Map<number, Sums>();
  const sumOf = (id: number): Sums => {
    const known = subtree.get(id);
    if (known) return known;
    let s = direct.get(id) ?? emptySums();
    for (const c of children.get(id) ?? []) s = addSums(s, sumOf(c));
    subtree.set(id, s);
    return s;
  };
  const out = new Map<number, TeamFigure>();
  const hidden = (id: number) => ({
    aggregate: aggregate(sumOf(id), minimum, true),
    sums: sumOf(id),
    own: aggregate(direct.get(id) ?? emptySums(), minimum, true),
  });
  /** Hide everything under a unit (null: the organisation). */
  const hideAll = (id: number | null) => {
    for (const c of children.get(id) ?? []) {
      out.set(c, hidden(c));
      hideAll(c);
    }
  };
  /** Decide the parts of a shown unit (null: the organisation); returns its own part, "the rest". */
  const visit = (unit: number | null, total: Sums): Aggregate => {
    const parts = (children.get(unit) ?? []).map((id) => ({ id, n: sumOf(id).responses }));
    const partsSum = parts.reduce((s, p) => addSums(s, sumOf(p.id)), emptySums());
    const restSums = minus(total, partsSum);
    const cells = suppressPartition([...parts, { id: -1, n: restSums.responses }], minimum);
    let rest = aggregate(restSums, minimum);
    for (const c of cells) {
      if (c.id === -1) {
        rest = aggregate(restSums, minimum, c.suppressed);
        continue;
      }
      const s = sumOf(c.id);
      if (c.suppressed || s.responses < minimum) {
        out.set(c.id, hidden(c.id));
        if (wanted(c.id)) hideAll(c.id);
      } else if (wanted(c.id)) {
        out.set(c.id, { aggregate: aggregate(s, minimum), sums: s, own: visit(c.id, s) });
      } else {
        out.set(c.id, { aggregate: aggregate(s, minimum), sums: s, own: { responses: 0, suppressed: true } });
      }
    }
    return rest;
  };
  const org = aggregate(orgSums, minimum, orgHidden);
  if (org.suppressed) {
    hideAll(null);
    return { org, rest: aggregate(orgSums, minimum, true), teams: out };
  }
  const rest = visit(null, orgSums);
  return { org, rest, teams: out };
}

/** a − b, to the tenth of an hour the answers are given in (so float error never shows). */
export function minus(a: Sums, b: Sums): Sums {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof Sums)[]) out[k] = Math.round((a[k] - b[k]) * 10) / 10;
  return out;
}
