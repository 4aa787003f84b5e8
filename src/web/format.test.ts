import { describe, expect, it } from 'vitest';
import { formatCount } from './nunjucks.ts';

describe('formatCount', () => {
  const intl = new Intl.NumberFormat('en-GB');

  it('groups whole numbers in thousands as en-GB does', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(123456)).toBe('123,456');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-1234567)).toBe('-1,234,567');
    // A negative zero is a zero count.
    expect(formatCount(-0)).toBe('0');
  });

  it('agrees with Intl.NumberFormat for every size of whole number, and leaves other numbers to it', () => {
    const values = [0.5, 1234.56, -0.25, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, Number.MAX_SAFE_INTEGER];
    for (let digits = 1; digits <= 16; digits++) {
      const base = 10 ** (digits - 1);
      values.push(base, -base, base * 9 + (base - 1), -(base * 9 + (base - 1)), base + 7);
    }
    for (const v of values) expect(formatCount(v), String(v)).toBe(intl.format(v));
  });
});
