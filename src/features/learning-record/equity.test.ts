import { describe, expect, it } from 'vitest';
import { suppressTable } from '../../stats/disclosure.ts';
import { likelihoods, periodsFor, type RawCell, suppressEquity } from './equity.ts';

const cell = (
  areaKind: RawCell['areaKind'],
  areaId: number,
  parent: string | null,
  grp: string,
  staff: number,
  accessed = 0,
): RawCell => ({
  areaKind,
  areaId,
  parent,
  period: '2024/25',
  dimension: 'ethnic_group',
  grp,
  staff,
  accessed,
  hours: 0,
});

describe('the periods', () => {
  it('are the last three financial years and their quarters so far, the current ones to date', () => {
    const p = periodsFor('2025-11-26');
    expect(p.filter((x) => x.kind === 'year').map((x) => [x.period, x.start, x.end])).toEqual([
      ['2023/24', '2023-04-01', '2024-03-31'],
      ['2024/25', '2024-04-01', '2025-03-31'],
      ['2025/26', '2025-04-01', '2025-11-26'],
    ]);
    const quarters = p.filter((x) => x.kind === 'quarter');
    expect(quarters).toHaveLength(11);
    expect(quarters.find((q) => q.period === '2024/25 Q4')).toMatchObject({ start: '2025-01-01', end: '2025-03-31' });
    expect(quarters.at(-1)).toMatchObject({ period: '2025/26 Q3', start: '2025-10-01', end: '2025-11-26' });
  });
});

describe('disclosure control of the equity cells', () => {
  // An ICB of two trusts; trust 1 has 3 BME staff.
  const cells = [
    cell('organisation', 1, 'icb:10', 'White', 50),
    cell('organisation', 1, 'icb:10', 'BME', 3),
    cell('organisation', 1, 'icb:10', 'Not stated', 10),
    cell('organisation', 2, 'icb:10', 'White', 40),
    cell('organisation', 2, 'icb:10', 'BME', 20),
    cell('organisation', 2, 'icb:10', 'Not stated', 9),
    cell('icb', 10, 'nation:0', 'White', 90),
    cell('icb', 10, 'nation:0', 'BME', 23),
    cell('icb', 10, 'nation:0', 'Not stated', 19),
    cell('nation', 0, null, 'White', 90),
    cell('nation', 0, null, 'BME', 23),
    cell('nation', 0, null, 'Not stated', 19),
  ];
  const hidden = suppressEquity(cells, 8);
  const shown = (i: number) => !hidden[i];

  it('hides the group of 3, and enough others that it cannot be found by differencing', () => {
    expect(hidden[1]).toBe(true);
    // Trust 1 = its total minus the others in its row: a second cell of the row is hidden with it.
    expect(hidden[2]).toBe(true);
    // The ICB's BME figure (shown) minus trust 2's BME: trust 2's BME is hidden too.
    expect(hidden[4]).toBe(true);
    // Which makes trust 2's "not stated" the next to hide in its column and row.
    expect(hidden[5]).toBe(true);
    expect([0, 3, 6, 7, 8, 9, 10, 11].every(shown)).toBe(true);
    // No row or column of the ICB's table has exactly one hidden cell, and hidden cells hold at least 8 people.
    const grid = [
      [0, 1, 2],
      [3, 4, 5],
    ];
    const lines = [...grid, [0, 3], [1, 4], [2, 5]];
    for (const line of lines) {
      const h = line.filter((i) => hidden[i]);
      expect(h.length === 0 || h.length >= 2).toBe(true);
      if (h.length) expect(h.reduce((s, i) => s + cells[i].staff, 0)).toBeGreaterThanOrEqual(8);
    }
  });

  it('agrees with the shared suppressTable for one table', () => {
    const table = suppressTable(
      [
        [{ n: 50 }, { n: 3 }, { n: 10 }],
        [{ n: 40 }, { n: 20 }, { n: 9 }],
      ],
      8,
    );
    expect(table.flat().map((c) => c.suppressed)).toEqual(hidden.slice(0, 6));
  });

  it('hides everything in an area of fewer than 8 staff', () => {
    const small = suppressEquity([cell('nation', 0, null, 'White', 5), cell('nation', 0, null, 'BME', 2)], 8);
    expect(small).toEqual([true, true]);
  });
});

describe('relative likelihood', () => {
  const group = (grp: string, staff: number, accessed: number, suppressed = false) => ({
    grp,
    staff,
    accessed,
    hours: 0,
    suppressed,
  });

  it('is the reference group’s likelihood over the comparison group’s', () => {
    // White: 20 of 40 (0.5); BME: 3 of 12 (0.25) → 2.
    expect(likelihoods([group('White', 40, 20), group('BME', 12, 3)], 'ethnic_group', 8)).toBe(2);
    // Non-disabled: 30 of 100 (0.3); disabled: 12 of 20 (0.6) → 0.5, favouring disabled staff.
    expect(likelihoods([group('Not disabled', 100, 30), group('Disabled', 20, 12)], 'disability', 8)).toBe(0.5);
  });

  it('is not shown when a group is hidden, small, or nobody in the comparison group took part', () => {
    expect(likelihoods([group('White', 40, 20), group('BME', 12, 3, true)], 'ethnic_group', 8)).toBeNull();
    expect(likelihoods([group('White', 40, 20), group('BME', 7, 3)], 'ethnic_group', 8)).toBeNull();
    expect(likelihoods([group('White', 40, 20), group('BME', 12, 0)], 'ethnic_group', 8)).toBeNull();
    expect(likelihoods([group('White', 40, 20)], 'ethnic_group', 8)).toBeNull();
  });
});
