import { hourlyRate, hoursPerManager, isPastSunset } from './burden.ts';
import { consolidationCandidates } from './candidates.ts';
import { payScales } from './effort-queries.ts';
import { topReturnsOf } from './national-queries.ts';
import { duplicatesOf } from './queries.ts';
import { areaSummary, areaTotals, type Level, orgReturnFigures } from './summary-queries.ts';
import { trendOf } from './trend-queries.ts';

/**
 * The tables of the burden pages as plain figures (no formatting), for the CSV and JSON downloads. Each is the
 * same query the page uses; `area` is the area of the page (England, a region, an ICB or an organisation).
 */

export const downloadTables = [
  'returns',
  'bodies',
  'areas',
  'trend',
  'organisation-returns',
  'overlaps',
  'pay-scales',
  'top-returns',
] as const;
export type DownloadTable = (typeof downloadTables)[number];

export interface Table {
  columns: string[];
  rows: (string | number | boolean | null)[][];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export async function downloadTable(
  db: Parameters<typeof payScales>[0],
  table: DownloadTable,
  area: { level: Level; id: number },
  today: string,
): Promise<Table> {
  switch (table) {
    case 'returns': {
      const s = await areaSummary(db, area.level, area.id);
      return {
        columns: [
          'return_id',
          'name',
          'requesting_body',
          'scope',
          'hours_year',
          'cost_year',
          'uncosted_hours_year',
          'organisations',
        ],
        rows: s.returns.map((r) => [
          r.id,
          r.name,
          r.body,
          r.scope,
          r.hoursYear,
          r.costYear,
          r.uncostedHoursYear,
          r.organisations,
        ]),
      };
    }
    case 'bodies': {
      const s = await areaSummary(db, area.level, area.id, 0);
      return {
        columns: ['requesting_body', 'hours_year', 'cost_year', 'uncosted_hours_year', 'organisations'],
        rows: s.bodies.map((b) => [b.body, b.hoursYear, b.costYear, b.uncostedHoursYear, b.organisations]),
      };
    }
    case 'areas': {
      const rows = await areaTotals(
        db,
        area.level === 'nation' ? 'region' : 'icb',
        area.level === 'nation' ? undefined : area.id,
      );
      return {
        columns: [
          'code',
          'name',
          'hours_year',
          'cost_year',
          'uncosted_hours_year',
          'organisations',
          'managers',
          'hours_year_per_manager',
        ],
        rows: rows.map((a) => [
          a.code,
          a.name,
          a.figures?.hoursYear ?? null,
          a.figures?.costYear ?? null,
          a.figures?.uncostedHoursYear ?? null,
          a.figures?.organisations ?? 0,
          a.figures?.managers ?? null,
          a.figures ? (hoursPerManager(a.figures.hoursYear, a.figures.managers) ?? null) : null,
        ]),
      };
    }
    case 'trend': {
      const points = await trendOf(db, area.level, area.id);
      return {
        columns: ['month_end', 'hours_year', 'cost_year', 'uncosted_hours_year', 'organisations'],
        rows: points.map((p) => [p.monthEnd, p.hoursYear, p.costYear, p.uncostedHoursYear, p.organisations]),
      };
    }
    case 'organisation-returns': {
      const rows = await orgReturnFigures(db, area.id);
      return {
        columns: [
          'return_id',
          'name',
          'requesting_body',
          'frequency',
          'effort_from',
          'hours_per_cycle',
          'cycles_per_year',
          'hours_year',
          'cost_year',
          'uncosted_hours_year',
          'scales',
        ],
        rows: rows.map((r) => [
          r.id,
          r.name,
          r.body,
          r.frequency,
          r.effortFrom,
          r.hoursPerCycle,
          r.cyclesPerYear,
          r.hoursYear,
          r.costYear,
          r.uncostedHoursYear,
          r.scales,
        ]),
      };
    }
    case 'overlaps': {
      const { groups } = await consolidationCandidates(db);
      return {
        columns: ['group_id', 'kind', 'min_similarity', 'data_items', 'returns', 'saving_hours_year'],
        rows: groups.map((g) => [
          g.id,
          g.kind,
          g.similarity,
          g.items.map((i) => i.name).join(' | '),
          g.returns.map((r) => r.name).join(' | '),
          round2(g.saving),
        ]),
      };
    }
    case 'pay-scales': {
      const scales = await payScales(db);
      return {
        columns: [
          'scale',
          'band',
          'valid_from',
          'valid_to',
          'annual_min',
          'annual_max',
          'on_cost_percent',
          'cost_of_an_hour',
          'source',
        ],
        rows: scales.map((s) => [
          s.scale,
          s.band,
          s.validFrom,
          s.validTo,
          s.annualMin,
          s.annualMax,
          s.onCostPercent,
          round2(hourlyRate(s)),
          s.source,
        ]),
      };
    }
    case 'top-returns': {
      const rows = await topReturnsOf(db, area.level, area.id, 'hours', 50);
      const dups = await duplicatesOf(
        db,
        rows.map((r) => r.id),
      );
      return {
        columns: [
          'rank',
          'return_id',
          'name',
          'requesting_body',
          'scope',
          'mandatory',
          'approval_ref',
          'hours_year',
          'cost_year',
          'uncosted_hours_year',
          'organisations',
          'past_sunset',
          'no_approval_ref',
          'duplicates_national',
        ],
        rows: rows.map((r, i) => [
          i + 1,
          r.id,
          r.name,
          r.requesting_body,
          r.scope,
          r.mandatory,
          r.approval_ref,
          r.hoursYear,
          r.costYear,
          r.uncostedHoursYear,
          r.organisations,
          isPastSunset(r.sunset_date, today),
          r.approval_ref === null,
          (dups.get(r.id) ?? []).map((d) => d.name).join(' | '),
        ]),
      };
    }
  }
}
