import { describe, expect, it } from 'vitest';
import { addYears, repeatedWithinThreeYears, withinThreeYears } from './reorganisations.ts';

describe('the three-year flag', () => {
  it('counts a reorganisation exactly three years after the previous one as within three years', () => {
    expect(withinThreeYears('2021-04-01', '2024-04-01')).toBe(true);
    expect(withinThreeYears('2021-04-01', '2024-04-02')).toBe(false);
    expect(withinThreeYears('2021-04-01', '2024-03-31')).toBe(true);
    expect(withinThreeYears('2021-04-01', '2021-04-01')).toBe(true);
  });

  it('moves 29 February to 28 February in a year without one, as PostgreSQL does', () => {
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(withinThreeYears('2024-02-29', '2027-02-28')).toBe(true);
    expect(withinThreeYears('2024-02-29', '2027-03-01')).toBe(false);
  });

  it('flags the later reorganisation of the same unit only, whatever the order given', () => {
    const flagged = repeatedWithinThreeYears([
      { id: 3, unit: 'team:1', effective_on: '2024-06-01' },
      { id: 1, unit: 'team:1', effective_on: '2020-01-01' },
      { id: 2, unit: 'team:1', effective_on: '2022-05-31' },
      { id: 4, unit: 'team:2', effective_on: '2024-06-01' },
      { id: 5, unit: 'org:9', effective_on: '2019-01-01' },
      { id: 6, unit: 'org:9', effective_on: '2023-01-01' },
    ]);
    expect([...flagged].sort()).toEqual([2, 3]);
  });
});
