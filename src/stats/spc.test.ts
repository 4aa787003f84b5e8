import { describe, expect, it } from 'vitest';
import { assurance, averageMovingRange, movingRanges, spc } from './spc.ts';

// Figures worked by hand from the definitions in domain.md §5 ("Making Data Count" XmR).

const flat = (n: number, around = 10) => Array.from({ length: n }, (_, i) => around + (i % 2 === 0 ? 1 : -1));

describe('XmR limits', () => {
  it('computes the mean, moving ranges, AMR, process limits and near band', () => {
    const values = [10, 12, 11, 13, 12, 14];
    expect(movingRanges(values)).toEqual([2, 1, 2, 1, 2]);
    const r = spc(values, { screenOutliers: false });
    expect(r.mean).toBe(12);
    expect(r.amr).toBeCloseTo(1.6, 10);
    expect(r.upperLimit).toBeCloseTo(12 + 2.66 * 1.6, 10);
    expect(r.lowerLimit).toBeCloseTo(12 - 2.66 * 1.6, 10);
    expect(r.upperNear).toBeCloseTo(12 + (2 / 3) * 2.66 * 1.6, 10);
    expect(r.lowerNear).toBeCloseTo(12 - (2 / 3) * 2.66 * 1.6, 10);
    expect(r.points[0]!.movingRange).toBeNull();
    expect(r.points[3]!.movingRange).toBe(2);
  });

  it('drops moving ranges of at least 3.267 × AMR and recomputes, only when asked', () => {
    // Moving ranges: nine of 1 and one of 30: AMR 3.9; 30 ≥ 3.267 × 3.9 = 12.74 is dropped → AMR 1.
    const values = [10, 11, 10, 11, 10, 11, 41, 42, 41, 42, 41];
    const mr = movingRanges(values);
    expect(mr.filter((x) => x === 30)).toHaveLength(1);
    expect(averageMovingRange(values, false)).toBeCloseTo(3.9, 10);
    expect(averageMovingRange(values, true)).toBe(1);
    // A moving range just under the screen stays.
    expect(averageMovingRange([0, 1, 0, 1, 0, 3], true)).toBeCloseTo(averageMovingRange([0, 1, 0, 1, 0, 3], false));
  });

  it('needs two points', () => {
    expect(() => spc([1])).toThrow(/at least 2/);
  });
});

describe('special-cause rules', () => {
  it('flags a point outside the limits, high or low', () => {
    const values = [...flat(12), 30, ...flat(4)];
    const r = spc(values, { improvement: 'lower' });
    const p = r.points[12]!;
    expect(p.rules).toContain('outside-limits');
    expect(p.direction).toBe('high');
    expect(p.variation).toBe('concern');
    expect(r.points.filter((x) => x.rules.includes('outside-limits'))).toHaveLength(1);
    const low = spc([...flat(12), -10, ...flat(4)], { improvement: 'lower' });
    expect(low.points[12]!.rules).toContain('outside-limits');
    expect(low.points[12]!.variation).toBe('improvement');
  });

  it('flags a shift of 7 points on one side of the mean, but not 6, and a point on the mean breaks it', () => {
    // 20 points, ten 9s and ten 11s: mean 10. Six above then a point below: no shift.
    const six = [9, 9, 9, 9, 9, 9, 9, 11, 11, 11, 11, 11, 11, 9, 9, 9, 11, 11, 11, 11];
    // Seven in a row above (indexes 7..13) — and the first seven below are also a shift.
    const seven = [9, 9, 9, 9, 9, 9, 9, 11, 11, 11, 11, 11, 11, 11, 9, 9, 9, 11, 11, 11];
    const r6 = spc(six, { improvement: 'higher', screenOutliers: false });
    expect(r6.mean).toBe(10);
    expect(r6.points.slice(7, 13).some((p) => p.rules.includes('shift'))).toBe(false);
    expect(r6.points.slice(0, 7).every((p) => p.rules.includes('shift'))).toBe(true);
    const r7 = spc(seven, { improvement: 'higher', screenOutliers: false });
    expect(r7.points.slice(7, 14).every((p) => p.rules.includes('shift') && p.variation === 'improvement')).toBe(true);
    expect(r7.points[0]!.variation).toBe('concern');
    expect(r7.points.slice(14).some((p) => p.rules.includes('shift'))).toBe(false);
    // The same seven with the middle point exactly on the mean: two runs of three, no shift.
    // (index 16 moves from 9 to 10 too, so that the mean stays 10)
    const broken = [...seven];
    broken[10] = 10;
    broken[16] = 10;
    const rb = spc(broken, { screenOutliers: false });
    expect(rb.mean).toBe(10);
    expect(rb.points.slice(7, 14).some((p) => p.rules.includes('shift'))).toBe(false);
  });

  it('flags a trend of 7 points each above (or below) the one before, but not 6; a repeat breaks it', () => {
    const base = [5, 6, 5, 6, 5, 6, 5, 6];
    const rising7 = [...base, 1, 2, 3, 4, 5, 6, 7, 5, 6, 5];
    const r = spc(rising7, { improvement: 'lower', screenOutliers: false });
    const trendPoints = r.points.map((p, i) => (p.rules.includes('trend') ? i : -1)).filter((i) => i >= 0);
    expect(trendPoints).toEqual([8, 9, 10, 11, 12, 13, 14]);
    // Point 11 (4) is below the mean (4.89) and only in the trend: its direction is the trend's.
    expect(r.points[11]!.rules).toEqual(['trend']);
    expect(r.points[11]!.direction).toBe('high');
    expect(r.points[11]!.variation).toBe('concern');
    const rising6 = [...base, 1, 2, 3, 4, 5, 6, 5, 6, 5, 6];
    expect(spc(rising6).points.some((p) => p.rules.includes('trend'))).toBe(false);
    const repeat = [...base, 1, 2, 3, 3, 4, 5, 6, 5, 6, 5];
    expect(spc(repeat).points.some((p) => p.rules.includes('trend'))).toBe(false);
    const falling = spc([...base, 9, 8, 7, 6, 5, 4, 3, 5, 6, 5], { improvement: 'lower', screenOutliers: false });
    expect(falling.points[10]!.rules).toContain('trend');
    // 8 is falling but also 2 of 3 above the near band: a side rule applies, so it is judged by its side.
    expect(falling.points[9]!.rules).toEqual(['trend', 'two-of-three']);
    expect(falling.points[9]!.direction).toBe('high');
  });

  it('flags 2 of 3 points beyond the near band on the same side, not on opposite sides', () => {
    // 16 quiet points (9.5, 10.5, …) and the probes 13, 10, 13: mean 10.32, AMR 1.44, near band to 12.88, limit 14.16.
    const quiet = Array.from({ length: 16 }, (_, i) => (i % 2 ? 10.5 : 9.5));
    const same = [...quiet.slice(0, 8), 13, 10, 13, ...quiet.slice(8)];
    const r = spc(same, { screenOutliers: false, improvement: 'higher' });
    expect(r.upperNear).toBeLessThan(13);
    expect(r.upperLimit).toBeGreaterThan(13);
    expect(r.points[8]!.rules).toEqual(['two-of-three']);
    expect(r.points[10]!.rules).toEqual(['two-of-three']);
    expect(r.points[9]!.rules).toEqual([]);
    expect(r.points[8]!.variation).toBe('improvement');
    const opposite = [...quiet.slice(0, 8), 13, 10, 7, ...quiet.slice(8)];
    expect(spc(opposite, { screenOutliers: false }).lowerNear).toBeGreaterThan(7);
    const ro = spc(opposite, { screenOutliers: false });
    expect(ro.points.some((p) => p.rules.includes('two-of-three'))).toBe(false);
  });

  it('calls everything common cause in a stable process, and special cause neutral with no direction of improvement', () => {
    const r = spc(flat(20), { improvement: 'higher' });
    expect(r.points.every((p) => p.variation === 'common-cause' && p.rules.length === 0)).toBe(true);
    const n = spc([...flat(12), 30, ...flat(4)]);
    expect(n.points[12]!.variation).toBe('neutral');
  });
});

describe('assurance against a target', () => {
  it('is consistent when the target is outside the limits and inconsistent inside', () => {
    // Limits 5 to 15.
    expect(assurance(4, 'higher', 5, 15)).toBe('consistently-pass');
    expect(assurance(5, 'higher', 5, 15)).toBe('consistently-pass');
    expect(assurance(16, 'higher', 5, 15)).toBe('consistently-fail');
    expect(assurance(10, 'higher', 5, 15)).toBe('inconsistent');
    expect(assurance(16, 'lower', 5, 15)).toBe('consistently-pass');
    expect(assurance(4, 'lower', 5, 15)).toBe('consistently-fail');
    expect(assurance(10, 'lower', 5, 15)).toBe('inconsistent');
  });

  it('is given by spc only with a target and a direction of improvement', () => {
    const values = flat(20);
    expect(spc(values, { improvement: 'lower', target: 100 }).assurance).toBe('consistently-pass');
    expect(spc(values, { improvement: 'lower', target: 10 }).assurance).toBe('inconsistent');
    expect(spc(values, { target: 100 }).assurance).toBeUndefined();
  });
});
