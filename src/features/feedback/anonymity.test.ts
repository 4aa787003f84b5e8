import { describe, expect, it } from 'vitest';
import type { RaterGroup } from '../../db/schema.ts';
import { discloseReport, mayShow, type RatingCell, unattributed } from './anonymity.ts';
import { buildReport, type RoundContent } from './feedback.ts';

const thresholds = { peer: 3, direct_report: 3, other: 3 };
// Two domains: competencies 1 and 2 in domain 10, competency 3 in domain 20.
const competencies = [
  { id: 1, domainId: 10 },
  { id: 2, domainId: 10 },
  { id: 3, domainId: 20 },
];

/** Cells from individual scores: scores[group] is one array per rater of [competency, value] (value null: not able to say). */
function cellsOf(scores: Partial<Record<RaterGroup, [number, number | null][][]>>): {
  cells: RatingCell[];
  responses: Partial<Record<RaterGroup, number>>;
} {
  const cells: RatingCell[] = [];
  const responses: Partial<Record<RaterGroup, number>> = {};
  for (const [group, raters] of Object.entries(scores) as [RaterGroup, [number, number | null][][]][]) {
    responses[group] = raters.length;
    for (const c of competencies) {
      const values = raters.flatMap((r) => r.filter(([id, v]) => id === c.id && v !== null).map(([, v]) => v!));
      if (values.length)
        cells.push({ group, competencyId: c.id, n: values.length, sum: values.reduce((a, b) => a + b, 0) });
    }
  }
  return { cells, responses };
}

const rater = (a: number | null, b: number | null, c: number | null): [number, number | null][] => [
  [1, a],
  [2, b],
  [3, c],
];

const base = {
  self: [rater(4, 4, 4)],
  line_manager: [rater(2, 3, 3)],
  direct_report: [rater(3, 3, 2), rater(4, 3, 2), rater(2, 3, 2)],
};

describe('the anonymity rule', () => {
  it('never shows an anonymous group below 3, whatever the round says', () => {
    expect(mayShow('peer', 2, thresholds)).toBe(false);
    expect(mayShow('peer', 3, thresholds)).toBe(true);
    expect(mayShow('peer', 2, { ...thresholds, peer: 1 })).toBe(false);
    expect(mayShow('other', 3, { ...thresholds, other: 4 })).toBe(false);
    expect(mayShow('line_manager', 1, thresholds)).toBe(true);
    expect(mayShow('self', 1, thresholds)).toBe(true);
    expect(mayShow('self', 0, thresholds)).toBe(false);
  });

  it('a group of 2 peers reveals nothing: no figure, no count, and no effect on any total', () => {
    const withPeers = cellsOf({ ...base, peer: [rater(1, 1, 1), rater(1, 2, 1)] });
    const without = cellsOf(base);
    const a = discloseReport({ thresholds, competencies, ...withPeers });
    const b = discloseReport({ thresholds, competencies, ...without });
    const peers = a.groups.find((g) => g.group === 'peer')!;
    expect(peers).toMatchObject({ disclosed: false, responses: null, minimum: 3, anonymous: true });
    for (const c of competencies) expect(a.competencies.get(c.id)!.byGroup.peer).toBeNull();
    for (const d of [10, 20]) expect(a.domains.get(d)!.byGroup.peer).toBeNull();
    // Every figure of every view is what it would be had the two peers never answered: nothing to subtract.
    expect(a.competencies).toEqual(b.competencies);
    expect(a.domains).toEqual(b.domains);
    expect(a.commentGroups).toEqual(b.commentGroups);
    expect(a.commentGroups).not.toContain('peer');
  });

  it('"all except self" is pooled from the shown groups only, by competency and by domain', () => {
    const r = discloseReport({
      thresholds,
      competencies,
      ...cellsOf({ ...base, peer: [rater(1, 1, 1), rater(1, 1, 1)] }),
    });
    // Competency 1: line manager 2, direct reports 3, 4, 2 → (2 + 9) / 4.
    expect(r.competencies.get(1)!.others).toEqual({ mean: 11 / 4, n: 4 });
    expect(r.competencies.get(1)!.byGroup.direct_report).toEqual({ mean: 3, n: 3 });
    expect(r.competencies.get(1)!.byGroup.self).toEqual({ mean: 4, n: 1 });
    // Domain 10 pools competencies 1 and 2: line manager 2 + 3, direct reports 9 + 9 → 23 / 8.
    expect(r.domains.get(10)!.others).toEqual({ mean: 23 / 8, n: 8 });
    expect(r.domains.get(10)!.byGroup.line_manager).toEqual({ mean: 2.5, n: 2 });
    // The line manager group is shown with one response and said not to be anonymous.
    expect(r.groups.find((g) => g.group === 'line_manager')).toMatchObject({
      disclosed: true,
      responses: 1,
      anonymous: false,
    });
  });

  it('hides a competency when fewer than 3 of a group scored it, in every view that would include it', () => {
    // Three direct reports responded, but one could not say on competency 1: two scores are a group of two.
    const scores = {
      line_manager: [rater(2, 3, 3)],
      direct_report: [rater(null, 3, 2), rater(4, 3, 2), rater(2, 3, 2)],
    };
    const r = discloseReport({ thresholds, competencies, ...cellsOf(scores) });
    expect(r.groups.find((g) => g.group === 'direct_report')).toMatchObject({ disclosed: true, responses: 3 });
    expect(r.competencies.get(1)!.byGroup.direct_report).toBeNull();
    expect(r.competencies.get(1)!.others).toEqual({ mean: 2, n: 1 });
    // The domain keeps only the shown cell of competency 2 for direct reports: domain minus competency 2 reveals nothing.
    expect(r.domains.get(10)!.byGroup.direct_report).toEqual({ mean: 3, n: 3 });
    expect(r.domains.get(10)!.others).toEqual({ mean: (2 + 3 + 9) / 5, n: 5 });
  });

  it('follows the round’s own higher minimum', () => {
    const r = discloseReport({ thresholds: { ...thresholds, direct_report: 4 }, competencies, ...cellsOf(base) });
    expect(r.groups.find((g) => g.group === 'direct_report')).toMatchObject({
      disclosed: false,
      responses: null,
      minimum: 4,
    });
    expect(r.competencies.get(1)!.others).toEqual({ mean: 2, n: 1 });
  });

  it('puts comments in an order that does not follow submission', () => {
    expect(unattributed(['  zebra ', '', 'apple', 'Mango'])).toEqual(['apple', 'Mango', 'zebra']);
  });
});

describe('the report', () => {
  const content: RoundContent = {
    domains: [
      { id: 10, position: 1, code: 'A', title: 'Alpha', description: '' },
      { id: 20, position: 2, code: 'B', title: 'Beta', description: '' },
    ],
    competencies: [
      { id: 1, domain_id: 10, position: 1, code: 'A1', title: 'One', description: '' },
      { id: 2, domain_id: 10, position: 2, code: 'A2', title: 'Two', description: '' },
      { id: 3, domain_id: 20, position: 1, code: 'B1', title: 'Three', description: '' },
    ],
    levels: [],
    scaleMin: 1,
    scaleMax: 4,
  };

  it('finds strengths, blind spots and hidden strengths from shown figures, and hides a small group’s comments', () => {
    const { cells, responses } = cellsOf({
      self: [rater(4, 1, 3)],
      direct_report: [rater(2, 3, 3), rater(2, 3, 4), rater(2, 3, 2)],
      peer: [rater(4, 1, 4), rater(4, 1, 4)],
    });
    const report = buildReport(content, thresholds, {
      responses,
      cells,
      comments: [
        { rater_group: 'direct_report', strengths: 'Listens well', development: '' },
        { rater_group: 'direct_report', strengths: 'Clear priorities', development: 'Delegate more' },
        { rater_group: 'peer', strengths: 'A peer secret', development: 'Peer advice' },
        { rater_group: 'self', strengths: 'I plan', development: 'I rush' },
      ],
    });
    // Others (direct reports only: the 2 peers are hidden): One 2, Two 3, Three 3.
    expect(report.strengths.map((l) => l.title)).toEqual(['Two', 'Three', 'One']);
    expect(report.blindSpots.map((l) => [l.title, l.gap])).toEqual([['One', -2]]);
    expect(report.hiddenStrengths.map((l) => [l.title, l.gap])).toEqual([['Two', 2]]);
    expect(report.comments.strengths).toEqual(['Clear priorities', 'Listens well']);
    expect(report.comments.development).toEqual(['Delegate more']);
    expect(JSON.stringify(report)).not.toMatch(/peer secret|Peer advice/);
    expect(report.selfComments).toEqual({ strengths: 'I plan', development: 'I rush' });
  });
});
