import type { ReturnFrequency } from '../../db/schema.ts';

/**
 * The rules of the measured burden, pure: how often a return is made in a year, which pay scale prices
 * an hour on a date, and what a version of an organisation's effort costs a year. docs/burden.md
 * states every figure; keep the two in step.
 */

/** Full-time hours a year under Agenda for Change: 37.5 hours a week × 52.143 weeks (365 ÷ 7). */
export const WEEKLY_HOURS = 37.5;
export const WEEKS_PER_YEAR = 52.143;
export const HOURS_PER_YEAR = WEEKLY_HOURS * WEEKS_PER_YEAR;

const fixedCycles: Record<Exclude<ReturnFrequency, 'ad_hoc'>, number> = {
  weekly: 52,
  monthly: 12,
  quarterly: 4,
  annual: 1,
};

/** Submissions a year: fixed for scheduled returns, the register's own estimate for ad hoc ones. */
export function cyclesPerYear(frequency: ReturnFrequency, adHocCycles: number | null): number {
  if (frequency === 'ad_hoc') return adHocCycles ?? 0;
  return fixedCycles[frequency];
}

export interface PayScale {
  scale: string;
  band: string;
  validFrom: string;
  validTo: string | null;
  annualMin: number;
  annualMax: number;
  onCostPercent: number;
}

/**
 * The scale of a band valid on a date (ISO dates compare as strings). When a newer scale starts while
 * an older one is still open-ended, the newer one wins from its first day.
 */
export function scaleOn(scales: readonly PayScale[], band: string, date: string): PayScale | undefined {
  let best: PayScale | undefined;
  for (const s of scales) {
    if (s.band !== band || s.validFrom > date || (s.validTo !== null && s.validTo < date)) continue;
    if (!best || s.validFrom > best.validFrom) best = s;
  }
  return best;
}

/** Cost of one hour to the employer: the midpoint of the band ÷ full-time hours a year, plus on-costs. */
export function hourlyRate(s: Pick<PayScale, 'annualMin' | 'annualMax' | 'onCostPercent'>): number {
  const midpoint = (s.annualMin + s.annualMax) / 2;
  return (midpoint / HOURS_PER_YEAR) * (1 + s.onCostPercent / 100);
}

export interface EffortLine {
  role: string;
  band: string;
  hoursPerCycle: number;
}

export interface PricedEffort {
  hoursPerCycle: number;
  cyclesPerYear: number;
  hoursYear: number;
  /** Cost of the hours that could be priced; the rest are in uncostedHoursYear. */
  costYear: number;
  /** Hours of bands without a pay scale on the date (VSM, medical, other, or a band not loaded). */
  uncostedHoursYear: number;
  scales: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A version of an organisation's effort on a return, a year: hours per cycle × cycles a year, each
 * line priced with the scale of its band valid on `date` (the version's effective-from date).
 */
export function priceEffort(
  lines: readonly EffortLine[],
  ret: { frequency: ReturnFrequency; adHocCycles: number | null },
  scales: readonly PayScale[],
  date: string,
): PricedEffort {
  const cycles = cyclesPerYear(ret.frequency, ret.adHocCycles);
  let hoursPerCycle = 0;
  let cost = 0;
  let uncosted = 0;
  const used = new Set<string>();
  for (const line of lines) {
    hoursPerCycle += line.hoursPerCycle;
    const hours = line.hoursPerCycle * cycles;
    const scale = scaleOn(scales, line.band, date);
    if (!scale) {
      uncosted += hours;
      continue;
    }
    cost += hours * hourlyRate(scale);
    used.add(scale.scale);
  }
  return {
    hoursPerCycle: round2(hoursPerCycle),
    cyclesPerYear: cycles,
    hoursYear: round2(hoursPerCycle * cycles),
    costYear: round2(cost),
    uncostedHoursYear: round2(uncosted),
    scales: [...used].sort(),
  };
}

/** Hours a year per manager; undefined when the organisations have no managers recorded. */
export function hoursPerManager(hoursYear: number, managers: number | null | undefined): number | undefined {
  if (!managers || managers <= 0) return undefined;
  return round2(hoursYear / managers);
}

/** A cost figure as shown: complete, partial (some hours have no scale) or not available at all. */
export function costStatus(f: { hoursYear: number; costYear: number; uncostedHoursYear: number }) {
  if (f.hoursYear > 0 && f.uncostedHoursYear >= f.hoursYear) return 'not-available' as const;
  if (f.uncostedHoursYear > 0) return 'partial' as const;
  return 'complete' as const;
}

/** A return is past its sunset once the day after its sunset date has come. */
export function isPastSunset(sunsetDate: string | null, today: string): boolean {
  return sunsetDate !== null && sunsetDate < today;
}
