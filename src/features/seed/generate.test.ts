import { describe, expect, it } from 'vitest';
import { dayOf, generateTrust } from './generate.ts';
import { Random } from './random.ts';
import { allocate } from './structure.ts';
import { demoSize, nationalSizes, type TrustInfo, trustKind } from './trusts.ts';
import { nationalGroupShares } from './workforce.ts';

// The generator without a database: distributions checked on a national-like sample of trusts.

const today = dayOf(new Date('2026-11-26T00:00:00Z'));
const options = (first: number) => ({
  seed: 1,
  today,
  firstTeamId: first,
  firstPersonId: first,
  firstAssignmentId: first,
  staffOrdinal: first,
});

describe('Random', () => {
  it('repeats a stream for the same name and seed, and differs otherwise', () => {
    const draw = (r: Random) => Array.from({ length: 5 }, () => r.next());
    expect(draw(new Random(1, 'RA9'))).toEqual(draw(new Random(1, 'RA9')));
    expect(draw(new Random(1, 'RA9'))).not.toEqual(draw(new Random(2, 'RA9')));
    expect(draw(new Random(1, 'RA9'))).not.toEqual(draw(new Random(1, 'RH8')));
    const r = new Random(9);
    const xs = Array.from({ length: 10_000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('draws by weight', () => {
    const r = new Random(3);
    const weights = { a: 1, b: 3 } as const;
    let b = 0;
    for (let i = 0; i < 20_000; i++) if (r.weighted(weights) === 'b') b++;
    expect(b / 20_000).toBeCloseTo(0.75, 1);
  });
});

describe('allocate', () => {
  it('shares a total in proportion, honouring a minimum', () => {
    expect(allocate(10, [1, 1, 2])).toEqual([3, 2, 5]);
    const shares = allocate(100, [1, 2, 7], 5);
    expect(shares.reduce((x, y) => x + y, 0)).toBe(100);
    expect(shares).toEqual([10, 20, 70]);
    const floored = allocate(10, [1, 100], 3);
    expect(floored).toEqual([3, 7]);
  });
});

describe('trusts', () => {
  it('tells acute, mental health and community, and ambulance trusts apart by name', () => {
    expect(trustKind('UNIVERSITY HOSPITALS PLYMOUTH NHS TRUST')).toBe('acute');
    expect(trustKind('DEVON PARTNERSHIP NHS TRUST')).toBe('mental_health_community');
    expect(trustKind('OXFORD HEALTH NHS FOUNDATION TRUST')).toBe('mental_health_community');
    expect(trustKind('SOUTH WESTERN AMBULANCE SERVICE NHS FOUNDATION TRUST')).toBe('ambulance');
  });

  it('shares 1.35M staff across trusts nationally and keeps demo trusts small', () => {
    const trusts = Array.from({ length: 200 }, (_, i) => ({
      id: i,
      code: `R${i}`,
      name: 'A HOSPITAL NHS TRUST',
      regionCode: null,
    }));
    const sizes = [...nationalSizes(trusts, 1).values()];
    expect(sizes.reduce((x, y) => x + y, 0)).toBeCloseTo(1_350_000, -2);
    expect(Math.min(...sizes.map(demoSize))).toBeGreaterThanOrEqual(800);
    expect(Math.max(...sizes.map(demoSize))).toBeLessThanOrEqual(1500);
  });
});

describe('generateTrust', () => {
  // Roughly the national mix of trusts: mostly acute, some mental health and community, one ambulance service.
  const sample: (TrustInfo & { size: number })[] = [
    ...Array.from({ length: 9 }, (_, i) => ({
      id: i + 1,
      code: `RA${i}`,
      name: 'GENERAL HOSPITALS NHS TRUST',
      regionCode: 'Y60',
      size: 7000,
    })),
    ...Array.from({ length: 4 }, (_, i) => ({
      id: i + 20,
      code: `RM${i}`,
      name: 'MENTAL HEALTH NHS TRUST',
      regionCode: 'Y60',
      size: 3500,
    })),
    { id: 30, code: 'RYZ', name: 'COUNTY AMBULANCE SERVICE NHS TRUST', regionCode: 'Y60', size: 4500 },
  ];
  let next = 1;
  const data = sample.map((t) => {
    const d = generateTrust(t, t.size, options(next));
    next += d.people.length + 1000;
    return d;
  });
  const assignments = data.flatMap((d) => d.assignments);
  const people = data.flatMap((d) => d.people);
  const active = assignments.filter((a) => a.endDate === null);
  const share = (n: number, of = active.length) => n / of;

  it('gives staff groups near the national shares', () => {
    for (const [group, pct] of Object.entries(nationalGroupShares)) {
      const got = share(active.filter((a) => a.staffGroup === group).length) * 100;
      expect(Math.abs(got - pct), `staff group ${group}: ${got.toFixed(1)}%`).toBeLessThan(4);
    }
  });

  it('bands staff by group: doctors Medical, managers 7 and above', () => {
    // Doctors are on medical pay scales; only a medical director (VSM) is not.
    expect(active.filter((a) => a.staffGroup === '01' && !a.isManager).every((a) => a.band === 'Medical')).toBe(true);
    expect(active.filter((a) => a.band === 'Medical').every((a) => a.staffGroup === '01')).toBe(true);
    const managerBands = active.filter((a) => a.isManager).map((a) => a.band);
    const senior = managerBands.filter((b) => ['7', '8a', '8b', '8c', '8d', '9', 'VSM', 'Medical'].includes(b));
    expect(share(senior.length, managerBands.length)).toBeGreaterThan(0.9);
    const nonManagers = active.filter((a) => !a.isManager);
    const twoToSix = nonManagers.filter((a) => ['2', '3', '4', '5', '6'].includes(a.band));
    expect(share(twoToSix.length, nonManagers.length)).toBeGreaterThan(0.7);
  });

  it('keeps managers near 3% and leavers near 10% a year', () => {
    expect(share(active.filter((a) => a.isManager).length)).toBeCloseTo(0.03, 2);
    expect(share(assignments.length - active.length)).toBeGreaterThan(0.08);
    expect(share(assignments.length - active.length)).toBeLessThan(0.12);
  });

  it('records equality fields with realistic shares', () => {
    const bme = people.filter((p) => !/^[ABCZ] /.test(p.ethnicity)).length;
    expect(share(bme, people.length)).toBeGreaterThan(0.22);
    expect(share(bme, people.length)).toBeLessThan(0.4);
    const disabled = share(people.filter((p) => p.disability === 'Yes').length, people.length);
    expect(disabled).toBeGreaterThan(0.025);
    expect(disabled).toBeLessThan(0.055);
    const female = share(people.filter((p) => p.sex === 'Female').length, people.length);
    expect(female).toBeGreaterThan(0.7);
    expect(female).toBeLessThan(0.82);
  });

  it('has a higher BME share in London than in the South West', () => {
    const bmeShare = (regionCode: string) => {
      const d = generateTrust({ id: 1, code: 'RLX', name: 'CITY HOSPITALS NHS TRUST', regionCode }, 5000, options(1));
      return share(d.people.filter((p) => !/^[ABCZ] /.test(p.ethnicity)).length, d.people.length);
    };
    expect(bmeShare('Y56')).toBeGreaterThan(0.4);
    expect(bmeShare('Y58')).toBeLessThan(0.2);
  });

  it('starts people within the last 20 years and ends leavers within the last year', () => {
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    const [twentyYearsAgo, yearAgo, now] = [iso(today - 20 * 366), iso(today - 365), iso(today)];
    expect(assignments.every((a) => a.startDate >= twentyYearsAgo && a.startDate <= now)).toBe(true);
    const leavers = assignments.filter((a) => a.endDate !== null);
    expect(leavers.every((a) => a.endDate! >= a.startDate && a.endDate! >= yearAgo && a.endDate! < now)).toBe(true);
  });
});
