import type { LearningOutcome, LearningSource } from '../../db/schema.ts';

// Rules of the learning record, pure: labels, totals, and the checks of one imported row.

export const outcomes: readonly LearningOutcome[] = ['completed', 'passed', 'failed', 'attended'];
export const outcomeLabels: Record<LearningOutcome, string> = {
  completed: 'Completed',
  passed: 'Passed',
  failed: 'Not passed',
  attended: 'Attended',
};
export const sourceLabels: Record<LearningSource, string> = {
  cohort: 'Leadwell programme',
  import: 'Imported',
  xapi: 'Learning platform',
  manual: 'Added by hand',
};

export interface YearTotal {
  year: string;
  records: number;
  hours: number;
}

/** Records and hours per calendar year, newest first. Hours unknown count as none. */
export function totalsByYear(records: readonly { completedOn: string; hours: number | null }[]): YearTotal[] {
  const by = new Map<string, YearTotal>();
  for (const r of records) {
    const year = r.completedOn.slice(0, 4);
    const t = by.get(year) ?? { year, records: 0, hours: 0 };
    t.records += 1;
    t.hours = Math.round((t.hours + (r.hours ?? 0)) * 100) / 100;
    by.set(year, t);
  }
  return [...by.values()].sort((a, b) => b.year.localeCompare(a.year));
}

export function totalHours(records: readonly { hours: number | null }[]): number {
  return Math.round(records.reduce((s, r) => s + (r.hours ?? 0), 0) * 100) / 100;
}

/**
 * Hours from an ISO 8601 duration as xAPI writes it (PT1H30M, P1DT2H, PT45.5S). Days count as 24 hours, weeks as
 * 7 days; years and months are refused, having no fixed length. Undefined when the text is not a duration.
 */
export function durationHours(text: string): number | undefined {
  const m =
    /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text,
    );
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const hours = w * 168 + d * 24 + h + min / 60 + s / 3600;
  return Math.round(hours * 100) / 100;
}

export const MAX_HOURS = 10_000;
export const MAX_TITLE = 300;
export const MAX_PROVIDER = 200;
export const EARLIEST = '1950-01-01';
