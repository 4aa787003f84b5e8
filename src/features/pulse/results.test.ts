import { describe, expect, it } from 'vitest';
import type { PeriodSums } from './queries.ts';
import { areaResults } from './results.ts';

const sums = (opensOn: string, childId: number | null, responses: number, upward: number): PeriodSums => ({
  opensOn,
  childId,
  responses,
  upward: upward * responses,
  meetings: 10 * responses,
  people_mgmt: 8 * responses,
  improvement: 2 * responses,
  operational: 12 * responses,
  other: 1 * responses,
});

describe('an area’s pulse results', () => {
  it('give the latest period by child area with secondary suppression, and every period for the trend', () => {
    const rows = [
      sums('2026-08-01', 1, 20, 5),
      sums('2026-08-01', 2, 3, 9),
      sums('2026-09-01', 1, 20, 4),
      sums('2026-09-01', 2, 9, 6),
      // Counted in the area but in no child area: a cell of its own, so it cannot be found by subtraction.
      sums('2026-09-01', null, 4, 8),
      sums('2026-10-01', 1, 3, 4),
    ];
    const r = areaResults(rows, 8);
    expect(r.latest).toBe('2026-10-01');
    expect(r.trend.map((t) => [t.opensOn, t.aggregate.responses, t.aggregate.suppressed])).toEqual([
      ['2026-08-01', 23, false],
      ['2026-09-01', 33, false],
      ['2026-10-01', 3, true],
    ]);
    expect(r.trend[1]!.aggregate.means!.upward).toBeCloseTo((20 * 4 + 9 * 6 + 4 * 8) / 33, 10);
    expect(r.total).toEqual({ responses: 3, suppressed: true });
    // The latest period has one child with 3 answers: hidden.
    expect(r.children).toEqual([{ childId: 1, aggregate: { responses: 3, suppressed: true } }]);

    const sept = areaResults(
      rows.filter((x) => x.opensOn <= '2026-09-01'),
      8,
    );
    const byChild = new Map(sept.children.map((c) => [c.childId, c.aggregate]));
    expect(byChild.get(null)?.suppressed).toBe(true); // 4 answers: primary
    expect(byChild.get(2)?.suppressed).toBe(true); // 9 answers: secondary, the next smallest
    expect(byChild.get(1)?.suppressed).toBe(false);
    expect(byChild.get(1)?.means?.upward).toBe(4);
  });
});
