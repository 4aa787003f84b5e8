import type { Band } from '../../db/schema.ts';
import type { PoolName } from './names.ts';
import type { Random } from './random.ts';
import type { Group } from './workforce.ts';

// Equality fields in ESR categories with approximate NHS shares. Sources (approximate, see docs/data-generator.md):
// NHS England WRES 2023 data analysis (BME share nationally and by region, lower at senior bands, higher among
// doctors); NHS Digital workforce statistics (sex by staff group, age profile); WDES (about 4% record a disability).

/** NHS Data Dictionary ethnic categories, written as our factories write them. */
export const ethnicities = {
  A: 'A - White - British',
  B: 'B - White - Irish',
  C: 'C - White - Any other White background',
  D: 'D - Mixed - White and Black Caribbean',
  E: 'E - Mixed - White and Black African',
  F: 'F - Mixed - White and Asian',
  G: 'G - Mixed - Any other mixed background',
  H: 'H - Asian or Asian British - Indian',
  J: 'J - Asian or Asian British - Pakistani',
  K: 'K - Asian or Asian British - Bangladeshi',
  L: 'L - Asian or Asian British - Any other Asian background',
  M: 'M - Black or Black British - Caribbean',
  N: 'N - Black or Black British - African',
  P: 'P - Black or Black British - Any other Black background',
  R: 'R - Chinese',
  S: 'S - Any other ethnic group',
  Z: 'Z - Not stated',
} as const;

type EthnicCode = keyof typeof ethnicities;

const white = { A: 85, B: 2.5, C: 12.5 } as const;
const bme = { H: 28, J: 7, K: 2.5, L: 21, N: 19, M: 5.5, P: 2, D: 1.5, E: 1, F: 1.5, G: 2.5, R: 2.5, S: 6 } as const;
const notStated = 0.035;

/** Share of staff from Black and minority ethnic backgrounds by NHS England region (WRES 2023, rounded). */
const regionBme: Record<string, number> = {
  Y56: 0.5, // London
  Y60: 0.3, // Midlands
  Y61: 0.28, // East of England
  Y59: 0.24, // South East
  Y62: 0.21, // North West
  Y63: 0.17, // North East and Yorkshire
  Y58: 0.15, // South West
};
const defaultBme = 0.26;

/** BME representation falls with seniority and is high among doctors (WRES indicator 1). */
const bandBme: Partial<Record<Band, number>> = {
  '2': 0.9,
  '3': 0.95,
  '4': 0.95,
  '5': 1.3,
  '6': 1.0,
  '7': 0.8,
  '8a': 0.7,
  '8b': 0.6,
  '8c': 0.55,
  '8d': 0.5,
  '9': 0.4,
  VSM: 0.4,
  Medical: 1.7,
};

export function drawEthnicity(rng: Random, regionCode: string | null, band: Band): EthnicCode {
  if (rng.chance(notStated)) return 'Z';
  const base = (regionCode ? regionBme[regionCode] : undefined) ?? defaultBme;
  const p = Math.min(0.85, base * (bandBme[band] ?? 1));
  return rng.chance(p) ? rng.weighted(bme) : rng.weighted(white);
}

const givenPools: Record<EthnicCode, readonly PoolName[]> = {
  A: ['british'],
  B: ['irish'],
  C: ['european'],
  D: ['british', 'caribbean'],
  E: ['british', 'african'],
  F: ['british', 'indian'],
  G: ['british', 'european', 'middleEastern'],
  H: ['indian'],
  J: ['pakistani'],
  K: ['bangladeshi'],
  L: ['otherAsian'],
  M: ['caribbean', 'british'],
  N: ['african'],
  P: ['african', 'caribbean'],
  R: ['chinese'],
  S: ['middleEastern'],
  Z: ['british', 'british', 'british', 'indian', 'african', 'european', 'otherAsian'],
};

const familyPools: Record<EthnicCode, readonly PoolName[]> = {
  ...givenPools,
  D: ['british', 'caribbean'],
  M: ['caribbean'],
};

export function namePools(code: EthnicCode): { given: readonly PoolName[]; family: readonly PoolName[] } {
  return { given: givenPools[code], family: familyPools[code] };
}

export function ethnicityLabel(code: EthnicCode): string {
  return ethnicities[code];
}

/** Share of women by staff group (NHS Digital, headcount by gender; approximate). */
export const femaleShare: Record<Group, number> = {
  '01': 0.48,
  '03': 0.89,
  '04': 0.83,
  '05': 0.75,
  '06': 0.6,
  '07': 0.8,
  '08': 0.79,
  '09': 0.45,
};

export const ageBands = {
  general: {
    '<=20': 1,
    '21-25': 7,
    '26-30': 11,
    '31-35': 12.5,
    '36-40': 12.5,
    '41-45': 11.5,
    '46-50': 11,
    '51-55': 12,
    '56-60': 11,
    '61-65': 7,
    '66-70': 2.5,
    '>=71': 1,
  },
  manager: {
    '26-30': 2,
    '31-35': 8,
    '36-40': 14,
    '41-45': 18,
    '46-50': 19,
    '51-55': 20,
    '56-60': 14,
    '61-65': 4.5,
    '66-70': 0.5,
  },
  executive: { '36-40': 3, '41-45': 14, '46-50': 25, '51-55': 30, '56-60': 22, '61-65': 6 },
  foundation: { '21-25': 60, '26-30': 35, '31-35': 5 },
  trainee: { '26-30': 45, '31-35': 40, '36-40': 15 },
} as const;

export type AgeProfile = keyof typeof ageBands;

/** An age in years inside a band, for keeping start dates after the person's 18th birthday. */
export function ageInBand(rng: Random, band: string): number {
  const [lo, hi] = ageRanges[band] ?? [18, 65];
  return rng.int(lo, hi);
}

const ageRanges: Record<string, readonly [number, number]> = Object.fromEntries(
  Object.keys(ageBands.general).map((band) => {
    if (band === '<=20') return [band, [18, 20]];
    if (band === '>=71') return [band, [71, 74]];
    const [lo, hi] = band.split('-').map(Number);
    return [band, [lo, hi]];
  }),
);

export const disability = { Yes: 4, No: 76, 'Not declared': 20 } as const;
