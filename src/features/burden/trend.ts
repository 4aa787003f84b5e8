import { spcChart, spcSummary } from '../../stats/spc-chart.ts';
import { hoursPerManager } from './burden.ts';
import { costText, hours } from './present.ts';
import type { Db } from './queries.ts';
import type { Level } from './summary-queries.ts';
import { type TrendPoint, trendOf } from './trend-queries.ts';

/** The burden trend of an area as the analysis pages and the report show it: an XmR chart of hours a year and its table. */

const monthLabel = (d: string) =>
  new Date(`${d}T00:00:00Z`).toLocaleString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function showTrend(points: TrendPoint[], areaName: string, managers: number | null | undefined) {
  const chart =
    points.length >= 2
      ? spcChart(
          points.map((p) => ({ label: monthLabel(p.monthEnd), value: p.hoursYear })),
          {
            title: `Hours a year of upward reporting in ${areaName}, month by month`,
            yLabel: 'Hours a year',
            improvement: 'lower',
            format: hours,
          },
        )
      : undefined;
  return {
    chart: chart && { svg: chart.svg, caption: `${chart.key} ${spcSummary(chart.result, hours)}`, table: chart.table },
    head: ['Month end', 'Hours a year', 'Cost a year', 'Organisations', 'Hours a year per manager in post now'],
    rows: points.map((p) => {
      const per = hoursPerManager(p.hoursYear, managers);
      return [
        monthLabel(p.monthEnd),
        hours(p.hoursYear),
        costText(p),
        p.organisations.toLocaleString('en-GB'),
        per === undefined ? 'Not available' : hours(per),
      ];
    }),
  };
}

export async function trendView(
  db: Db,
  level: Level,
  areaId: number,
  areaName: string,
  managers: number | null | undefined,
) {
  return showTrend(await trendOf(db, level, areaId), areaName, managers);
}
