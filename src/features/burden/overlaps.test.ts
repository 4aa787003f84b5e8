import { describe, expect, it } from 'vitest';
import {
  acceptedPairs,
  consolidationSaving,
  duplicatesOfNational,
  groupOverlaps,
  NEAR_MATCH_THRESHOLD,
  numbersIn,
  sameNumbers,
} from './overlaps.ts';
import { returnLines } from './transfer-format.ts';

const pair = (a: number, b: number, aName: string, bName: string, similarity: number) => ({
  a,
  b,
  aName,
  bName,
  similarity,
});

describe('near matches', () => {
  it('need the threshold and the same numbers', () => {
    expect(NEAR_MATCH_THRESHOLD).toBe(0.6);
    expect(numbersIn('cancer 62 day performance 2.50')).toEqual(['62', '2.5']);
    expect(sameNumbers('waiting over 52 weeks', 'waiting more than 52 weeks')).toBe(true);
    expect(sameNumbers('cancer 62 day', 'cancer 31 day')).toBe(false);
    const kept = acceptedPairs([
      pair(1, 2, 'waiting over 52 weeks', 'waiting more than 52 weeks', 0.73),
      pair(3, 4, 'cancer 62 day performance', 'cancer 31 day performance', 0.78),
      pair(5, 6, 'agency spend', 'bank spend', 0.33),
      pair(7, 7, 'beds', 'beds', 1),
    ]);
    expect(kept.map((p) => [p.a, p.b])).toEqual([[1, 2]]);
  });
});

describe('consolidation candidates', () => {
  // Items → returns: 1 in A and B (exact); 2 in C, 3 in D (near pair 2–3); 4 only in A; 5 in E, 6 in E (near, one return).
  const itemReturns = new Map<number, number[]>([
    [1, [10, 11]],
    [2, [12]],
    [3, [13]],
    [4, [10]],
    [5, [14]],
    [6, [14]],
  ]);

  it('groups exact and near overlaps and leaves unrelated items and single-return pairs out', () => {
    const groups = groupOverlaps(itemReturns, [pair(2, 3, 'x', 'y', 0.7), pair(5, 6, 'p', 'q', 0.9)]);
    expect(groups).toEqual([
      { kind: 'exact', itemIds: [1], returnIds: [10, 11], minSimilarity: null },
      { kind: 'near', itemIds: [2, 3], returnIds: [12, 13], minSimilarity: 0.7 },
    ]);
  });

  it('joins chains of near matches into one group with its weakest link', () => {
    const m = new Map<number, number[]>([
      [1, [10]],
      [2, [11]],
      [3, [12]],
    ]);
    const groups = groupOverlaps(m, [pair(1, 2, 'a', 'b', 0.8), pair(2, 3, 'b', 'c', 0.65)]);
    expect(groups).toEqual([{ kind: 'near', itemIds: [1, 2, 3], returnIds: [10, 11, 12], minSimilarity: 0.65 }]);
  });

  it('estimates the saving as the shares beyond the largest', () => {
    // A: 120 h over 4 items, 1 in the group → 30. B: 40 h over 1 item → 40. Saving 30.
    expect(
      consolidationSaving([
        { hoursYear: 120, itemCount: 4, groupItems: 1 },
        { hoursYear: 40, itemCount: 1, groupItems: 1 },
      ]),
    ).toBe(30);
    expect(consolidationSaving([{ hoursYear: 120, itemCount: 4, groupItems: 1 }])).toBe(0);
    expect(
      consolidationSaving([
        { hoursYear: 0, itemCount: 2, groupItems: 1 },
        { hoursYear: 0, itemCount: 2, groupItems: 1 },
      ]),
    ).toBe(0);
  });
});

describe('local requests that duplicate a national return', () => {
  it('are those whose every item one national return asks for', () => {
    const returnItems = new Map<number, number[]>([
      [1, [100, 101, 102]],
      [2, [100, 101]],
      [3, [100, 999]],
      [4, []],
      [5, [100]],
      [6, [100]],
    ]);
    // 1 and 5 are national; 3 asks for an item no national return has; 4 asks for nothing.
    expect(duplicatesOfNational(returnItems, new Set([1, 5]), [1, 2, 3, 4, 5, 6])).toEqual([
      { returnId: 2, nationalReturnId: 1 },
      { returnId: 6, nationalReturnId: 1 },
      { returnId: 6, nationalReturnId: 5 },
    ]);
  });
});

describe('JSON line numbers', () => {
  it('finds the line each return starts on, in an object or a bare list', () => {
    const doc =
      '{\n  "format": "x",\n  "returns": [\n    {\n      "name": "A [1]"\n    },\n    { "name": "B" }\n  ]\n}';
    expect(returnLines(doc)).toEqual([4, 7]);
    expect(returnLines('[{"name":"a"},\n{"name":"b, \\"c\\""},\n\n{}]')).toEqual([1, 2, 4]);
  });
});
