import { describe, expect, it } from 'vitest';
import { disclosedRate, relativeLikelihood, suppressPartition, suppressTable } from './disclosure.ts';

const cells = (...ns: number[]) => ns.map((n, i) => ({ key: `g${i}`, n }));
const hiddenKeys = (out: { key: string; suppressed: boolean }[]) => out.filter((c) => c.suppressed).map((c) => c.key);

describe('suppressPartition', () => {
  it('shows every group when all have at least the minimum', () => {
    expect(hiddenKeys(suppressPartition(cells(8, 20, 100), 8))).toEqual([]);
  });

  it('hides a small group and the next smallest, so the total cannot reveal it', () => {
    // Total 123 is shown elsewhere: hiding only the 3 would let 123 − 20 − 100 give it back.
    const out = suppressPartition(cells(3, 20, 100), 8);
    expect(hiddenKeys(out)).toEqual(['g0', 'g1']);
  });

  it('keeps hiding until the hidden groups hold at least the minimum together', () => {
    // 1 + 2 = 3 would tell a reader that two small groups share 3 people: add the 9 as well.
    expect(hiddenKeys(suppressPartition(cells(1, 2, 9, 50), 8))).toEqual(['g0', 'g1', 'g2']);
  });

  it('shows zero groups and never uses them to protect a hidden one', () => {
    const out = suppressPartition(cells(0, 4, 30, 40), 8);
    expect(hiddenKeys(out)).toEqual(['g1', 'g2']);
    expect(out[0]).toMatchObject({ n: 0, suppressed: false });
  });

  it('hides everything when the whole partition is below the minimum', () => {
    expect(hiddenKeys(suppressPartition(cells(3, 4, 0), 8))).toEqual(['g0', 'g1']);
  });

  it('never lets a hidden group be found by subtraction, for any small partition', () => {
    for (let a = 0; a < 12; a++)
      for (let b = 0; b < 12; b++)
        for (let c = 0; c < 12; c++) {
          const out = suppressPartition(cells(a, b, c), 8);
          const hidden = out.filter((x) => x.suppressed);
          if (hidden.length === 0) continue;
          // Total minus the shown groups is the hidden sum: it must not single out one group or be small.
          const total = a + b + c;
          if (total < 8) continue;
          expect(hidden.length).toBeGreaterThanOrEqual(2);
          expect(hidden.reduce((s, x) => s + x.n, 0)).toBeGreaterThanOrEqual(8);
        }
  });
});

describe('suppressTable', () => {
  it('protects a small cell through both its row and its column', () => {
    const table = [cells(3, 20, 30), cells(25, 40, 50), cells(30, 35, 45)];
    const out = suppressTable(table, 8);
    const hidden = out.map((r) => r.map((c): number => (c.suppressed ? 1 : 0)));
    // The 3 is hidden; its row and its column each hide at least one more cell.
    expect(hidden[0]![0]).toBe(1);
    for (const row of hidden) {
      const n = row.reduce((a, b) => a + b, 0);
      expect(n === 0 || n >= 2).toBe(true);
    }
    for (let j = 0; j < 3; j++) {
      const n = hidden.reduce((s, r) => s + r[j]!, 0);
      expect(n === 0 || n >= 2).toBe(true);
    }
  });
  it('hides the same cells as visiting every row and column in every pass, on random tables', () => {
    // The rule as first written: all rows, then all columns, again and again until a pass hides nothing; in each
    // line, while a cell is hidden and fewer than two are or they hold fewer than the minimum, hide the smallest
    // shown non-zero cell (the first of equal ones). suppressTable visits only lines that lost a cell since.
    const reference = (table: number[][], minimum: number): boolean[][] => {
      const grid = table.map((r) => r.map((n) => ({ n, suppressed: n > 0 && n < minimum })));
      const columns = grid[0]!.map((_, j) => grid.map((r) => r[j]!));
      const protectLine = (line: { n: number; suppressed: boolean }[]) => {
        if (line.reduce((s, c) => s + c.n, 0) < minimum) {
          for (const c of line) if (c.n > 0) c.suppressed = true;
          return;
        }
        const hidden = () => line.filter((c) => c.suppressed);
        while (hidden().length > 0 && (hidden().length < 2 || hidden().reduce((s, c) => s + c.n, 0) < minimum)) {
          const next = line.filter((c) => !c.suppressed && c.n > 0).sort((a, b) => a.n - b.n)[0];
          if (!next) break;
          next.suppressed = true;
        }
      };
      let changed = true;
      while (changed) {
        const before = JSON.stringify(grid);
        for (const line of [...grid, ...columns]) protectLine(line);
        changed = JSON.stringify(grid) !== before;
      }
      return grid.map((r) => r.map((c) => c.suppressed));
    };
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let tablesWithHiding = 0;
    for (let t = 0; t < 300; t++) {
      const rows = 1 + Math.floor(random() * 12);
      const width = 1 + Math.floor(random() * 5);
      // Mostly small counts, so that many tables need secondary suppression.
      const table = Array.from({ length: rows }, () =>
        Array.from({ length: width }, () => (random() < 0.2 ? 0 : Math.floor(random() * (random() < 0.5 ? 12 : 60)))),
      );
      const got = suppressTable(
        table.map((r) => r.map((n) => ({ n }))),
        8,
      ).map((r) => r.map((c) => c.suppressed));
      expect(got, JSON.stringify(table)).toEqual(reference(table, 8));
      if (got.some((r) => r.some(Boolean))) tablesWithHiding++;
    }
    expect(tablesWithHiding).toBeGreaterThan(100);
  });

  it("keeps the cells' own fields beside the flag", () => {
    const out = suppressTable(
      [
        [
          { n: 3, key: 'a' },
          { n: 40, key: 'b' },
        ],
      ],
      8,
    );
    expect(out[0]).toEqual([
      { n: 3, key: 'a', suppressed: true },
      { n: 40, key: 'b', suppressed: true },
    ]);
  });
});

describe('relative likelihood (WRES indicator 2 arithmetic)', () => {
  it('divides the reference likelihood by the comparison likelihood', () => {
    // 60 of 200 White and 30 of 200 BME: 0.3 ÷ 0.15 = 2.
    expect(relativeLikelihood({ n: 200, k: 60 }, { n: 200, k: 30 }, 8)).toBeCloseTo(2);
  });

  it('is null when a group is below the minimum or the comparison likelihood is zero', () => {
    expect(relativeLikelihood({ n: 200, k: 60 }, { n: 7, k: 3 }, 8)).toBeNull();
    expect(relativeLikelihood({ n: 200, k: 60 }, { n: 20, k: 0 }, 8)).toBeNull();
  });
});

describe('disclosedRate', () => {
  it('gives the rate only for groups of at least the minimum', () => {
    expect(disclosedRate(2, 8, 8)).toBe(0.25);
    expect(disclosedRate(2, 7, 8)).toBeNull();
  });
});
