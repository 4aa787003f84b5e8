import { describe, expect, it } from 'vitest';
import {
  costStatus,
  cyclesPerYear,
  HOURS_PER_YEAR,
  hourlyRate,
  hoursPerManager,
  isPastSunset,
  type PayScale,
  priceEffort,
  scaleOn,
} from './burden.ts';
import { parsePayScales } from './pay-scales.ts';
import { appliesToOrg, curatePermission, itemNamesFromText, normaliseItemName } from './register.ts';

const band7of2425: PayScale = {
  scale: 'AfC 2024/25',
  band: '7',
  validFrom: '2024-04-01',
  validTo: '2025-03-31',
  annualMin: 46148,
  annualMax: 52809,
  onCostPercent: 35,
};
const band7of2526: PayScale = {
  scale: 'AfC 2025/26',
  band: '7',
  validFrom: '2025-04-01',
  validTo: null,
  annualMin: 47810,
  annualMax: 54710,
  onCostPercent: 37.32,
};
const band8a: PayScale = { ...band7of2526, band: '8a', annualMin: 55690, annualMax: 62682, onCostPercent: 37.51 };
const scales = [band7of2425, band7of2526, band8a];

describe('cycles a year', () => {
  it('follows the frequency, and the register’s estimate for ad hoc returns', () => {
    expect(cyclesPerYear('weekly', null)).toBe(52);
    expect(cyclesPerYear('monthly', null)).toBe(12);
    expect(cyclesPerYear('quarterly', null)).toBe(4);
    expect(cyclesPerYear('annual', null)).toBe(1);
    expect(cyclesPerYear('ad_hoc', 3)).toBe(3);
    expect(cyclesPerYear('monthly', 3)).toBe(12);
  });
});

describe('the pay scale valid on a date', () => {
  it('takes the older scale on its last day and the newer one from its first', () => {
    expect(scaleOn(scales, '7', '2025-03-31')?.scale).toBe('AfC 2024/25');
    expect(scaleOn(scales, '7', '2025-04-01')?.scale).toBe('AfC 2025/26');
    expect(scaleOn(scales, '7', '2027-01-01')?.scale).toBe('AfC 2025/26');
  });

  it('finds nothing before the first scale or for a band without one', () => {
    expect(scaleOn(scales, '7', '2024-03-31')).toBeUndefined();
    expect(scaleOn(scales, 'VSM', '2025-06-01')).toBeUndefined();
    expect(scaleOn(scales, '8a', '2025-03-31')).toBeUndefined();
  });

  it('lets a newer scale win over an open-ended older one from its start', () => {
    const open2425 = { ...band7of2425, validTo: null };
    expect(scaleOn([open2425, band7of2526], '7', '2025-05-01')?.scale).toBe('AfC 2025/26');
    expect(scaleOn([band7of2526, open2425], '7', '2025-05-01')?.scale).toBe('AfC 2025/26');
  });
});

describe('cost of an hour', () => {
  it('is the band midpoint over 37.5 × 52.143 hours, plus on-costs', () => {
    expect(HOURS_PER_YEAR).toBeCloseTo(1955.3625, 6);
    // Band 7 2025/26: midpoint 51,260; 51,260 ÷ 1,955.3625 = 26.2152…; × 1.3732 = 35.999…
    expect(hourlyRate(band7of2526)).toBeCloseTo((51260 / 1955.3625) * 1.3732, 9);
    expect(hourlyRate(band7of2526)).toBeCloseTo(36.0, 1);
    expect(hourlyRate({ annualMin: 1955.3625, annualMax: 1955.3625, onCostPercent: 0 })).toBeCloseTo(1, 12);
  });
});

describe('pricing a version of effort', () => {
  const monthly = { frequency: 'monthly' as const, adHocCycles: null };

  it('multiplies hours by cycles and prices each line with its band’s scale on the date', () => {
    const p = priceEffort(
      [
        { role: 'Analyst', band: '7', hoursPerCycle: 3 },
        { role: 'Head of performance', band: '8a', hoursPerCycle: 1 },
      ],
      monthly,
      scales,
      '2025-06-01',
    );
    expect(p.hoursPerCycle).toBe(4);
    expect(p.cyclesPerYear).toBe(12);
    expect(p.hoursYear).toBe(48);
    const expected = 36 * hourlyRate(band7of2526) + 12 * hourlyRate(band8a);
    expect(p.costYear).toBeCloseTo(expected, 2);
    expect(p.uncostedHoursYear).toBe(0);
    expect(p.scales).toEqual(['AfC 2025/26']);
  });

  it('prices the same hours differently either side of the boundary between two scales', () => {
    const lines = [{ role: 'Analyst', band: '7', hoursPerCycle: 10 }];
    const before = priceEffort(lines, monthly, scales, '2025-03-31');
    const after = priceEffort(lines, monthly, scales, '2025-04-01');
    expect(before.costYear).toBeCloseTo(120 * hourlyRate(band7of2425), 2);
    expect(after.costYear).toBeCloseTo(120 * hourlyRate(band7of2526), 2);
    expect(after.costYear).toBeGreaterThan(before.costYear);
    expect(before.scales).toEqual(['AfC 2024/25']);
  });

  it('counts hours of bands without a scale but never prices them', () => {
    const p = priceEffort(
      [
        { role: 'Director', band: 'VSM', hoursPerCycle: 2 },
        { role: 'Analyst', band: '7', hoursPerCycle: 1 },
      ],
      { frequency: 'quarterly', adHocCycles: null },
      scales,
      '2025-06-01',
    );
    expect(p.hoursYear).toBe(12);
    expect(p.uncostedHoursYear).toBe(8);
    expect(p.costYear).toBeCloseTo(4 * hourlyRate(band7of2526), 2);
    expect(costStatus(p)).toBe('partial');
    const none = priceEffort([{ role: 'Director', band: 'VSM', hoursPerCycle: 2 }], monthly, scales, '2025-06-01');
    expect(costStatus(none)).toBe('not-available');
    expect(none.costYear).toBe(0);
  });
});

describe('small rules', () => {
  it('divides hours by managers only when there are managers', () => {
    expect(hoursPerManager(100, 8)).toBe(12.5);
    expect(hoursPerManager(100, 0)).toBeUndefined();
    expect(hoursPerManager(100, null)).toBeUndefined();
  });

  it('puts a return past its sunset from the day after the sunset date', () => {
    expect(isPastSunset('2026-03-31', '2026-03-31')).toBe(false);
    expect(isPastSunset('2026-03-31', '2026-04-01')).toBe(true);
    expect(isPastSunset(null, '2099-01-01')).toBe(false);
  });

  it('normalises data item names so spellings of one item match', () => {
    expect(normaliseItemName('A&E  Attendances')).toBe('a e attendances');
    expect(normaliseItemName(' a & e attendances. ')).toBe('a e attendances');
    expect(normaliseItemName('Nº of beds')).toBe('no of beds');
    expect(itemNamesFromText('Beds\n\n beds \nCots\r\nA & E')).toEqual(['Beds', 'Cots', 'A & E']);
  });

  it('applies returns by scope: regions and ICBs do not report to themselves', () => {
    const trust = { id: 30, icbId: 20, regionId: 10 };
    const icb = { id: 20, icbId: 20, regionId: 10 };
    expect(appliesToOrg({ scope: 'national', scopeOrgId: null }, trust)).toBe(true);
    expect(appliesToOrg({ scope: 'regional', scopeOrgId: 10 }, trust)).toBe(true);
    expect(appliesToOrg({ scope: 'regional', scopeOrgId: 10 }, icb)).toBe(true);
    expect(appliesToOrg({ scope: 'regional', scopeOrgId: 11 }, trust)).toBe(false);
    expect(appliesToOrg({ scope: 'icb', scopeOrgId: 20 }, trust)).toBe(true);
    expect(appliesToOrg({ scope: 'icb', scopeOrgId: 20 }, icb)).toBe(false);
    expect(appliesToOrg({ scope: 'local', scopeOrgId: 30 }, trust)).toBe(true);
    expect(appliesToOrg({ scope: 'local', scopeOrgId: 31 }, trust)).toBe(false);
  });

  it('maps a return’s scope to the permission that curates it', () => {
    const place = { id: 5, icbId: 4, regionId: 3 };
    expect(curatePermission('national', null)).toEqual({ action: 'burden:curate-national' });
    expect(curatePermission('regional', place)).toEqual({ action: 'burden:curate-regional', regionId: 5 });
    expect(curatePermission('local', place)).toEqual({ action: 'burden:manage-local', org: place });
  });
});

describe('pay scale files', () => {
  it('reads the bundled format and reports each bad line', () => {
    const text = [
      'scale,band,valid_from,valid_to,annual_min,annual_max,on_cost_percent,source',
      'AfC 2025/26,7,2025-04-01,,47810,54710,37.32,NHS Employers',
      'AfC 2025/26,8z,2025-04-01,,1,2,3,x',
      'AfC 2025/26,8a,2025-04-31,,55690,62682,37.51,x',
      'AfC 2025/26,8b,2025-04-01,,74896,64455,37.7,x',
      'AfC 2025/26,7,2025-04-01,,1,2,3,x',
    ].join('\n');
    const { scales: read, errors } = parsePayScales(text);
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ band: '7', validTo: null, annualMin: 47810, onCostPercent: 37.32 });
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(errors[0].message).toContain('"8z" is not an Agenda for Change band');
    expect(errors[3].message).toBe('band 7 from 2025-04-01 is already on line 2');
  });
});
