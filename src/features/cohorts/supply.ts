import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { CohortSupplySummaryTable } from '../../db/schema.ts';
import { competencyLinks, programmesByIds } from '../catalogue/queries.ts';
import {
  demandFigures,
  interestFigures,
  loadProgrammeFacts,
  managersByOrganisation,
  offeredFigures,
  programmesInPlay,
  recordRefresh,
  replaceSummary,
  stageApplications,
} from './supply-queries.ts';

/**
 * Supply against demand, computed by a refresh (job cohorts.refresh-supply, command `leadwell cohorts refresh`) into
 * cohort_supply_summary, one row per area (organisation, ICB, region, nation) and breakdown ('' = all): staff group,
 * competency domain, programme level, domain × level. Pages read only that table. How each figure is computed is in
 * docs/learning-cohorts.md. The window is cohorts starting from a year before to a year after the refresh.
 */

export const WINDOW_DAYS = 365;

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export function supplyWindow(today: string) {
  return { from: addDays(today, -WINDOW_DAYS), to: addDays(today, WINDOW_DAYS) };
}

type Row = CohortSupplySummaryTable;
const keyOf = (r: Pick<Row, 'area_kind' | 'area_id' | 'staff_group' | 'domain' | 'level'>) =>
  `${r.area_kind}|${r.area_id}|${r.staff_group}|${r.domain}|${r.level}`;

function blank(k: Pick<Row, 'area_kind' | 'area_id' | 'staff_group' | 'domain' | 'level'>): Row {
  return {
    area_kind: k.area_kind,
    area_id: Number(k.area_id),
    staff_group: k.staff_group,
    domain: k.domain,
    level: k.level,
    managers: 0,
    programmes: 0,
    places: 0,
    offered: null,
    applications: 0,
    waitlisted: 0,
    interest: 0,
    wait_n: 0,
    wait_median: null,
    wait_p90: null,
  };
}

export async function refreshSupply(db: Database, now: Date) {
  const started = Date.now();
  const today = now.toISOString().slice(0, 10);
  const { from, to } = supplyWindow(today);
  const ids = await programmesInPlay(db, from, to);
  const programmes: Awaited<ReturnType<typeof programmesByIds>> = [];
  const domains: { programme_id: number; domain: string }[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    programmes.push(...(await programmesByIds(db, chunk)));
    domains.push(
      ...(await competencyLinks(db, chunk)).map((l) => ({ programme_id: l.programme_id, domain: l.domain_title })),
    );
  }
  const managers = await managersByOrganisation(db);
  return db.transaction().execute(async (trx) => {
    // The grouping below sorts a few million short rows: in memory rather than in temporary files.
    await sql`SET LOCAL work_mem = '256MB'`.execute(trx);
    await loadProgrammeFacts(
      trx,
      programmes.map((p) => ({
        programme_id: p.id,
        level: p.level,
        scope: p.scope,
        scope_org_id: p.scope_org_id,
        region_id: p.area_region_id,
        icb_id: p.area_icb_id,
      })),
      domains,
    );
    await stageApplications(trx, from, to);
    const rows = new Map<string, Row>();
    const at = (k: Parameters<typeof blank>[0]) => {
      const key = keyOf(k);
      const found = rows.get(key);
      if (found) return found;
      const row = blank(k);
      rows.set(key, row);
      return row;
    };
    for (const byDomain of [false, true]) {
      for (const d of await demandFigures(trx, byDomain)) {
        Object.assign(at(d), {
          programmes: d.programmes,
          places: d.places,
          applications: d.applications,
          waitlisted: d.waitlisted,
          wait_n: d.wait_n,
          wait_median: d.wait_median === null ? null : String(d.wait_median),
          wait_p90: d.wait_p90 === null ? null : String(d.wait_p90),
        });
      }
      for (const o of await offeredFigures(trx, from, to, byDomain)) at(o).offered = o.offered;
    }
    for (const i of await interestFigures(trx)) at(i).interest = i.interest;
    // Managers are the denominator of every row of an area; staff group rows use that group's managers.
    const totals = rollUpManagers(managers);
    for (const row of rows.values()) {
      row.managers = totals.get(`${row.area_kind}|${row.area_id}|${row.staff_group}`) ?? 0;
    }
    for (const [key, n] of totals) {
      const [kind, id, group] = key.split('|');
      if (group === '')
        at({
          area_kind: kind as Row['area_kind'],
          area_id: Number(id),
          staff_group: '',
          domain: '',
          level: '',
        }).managers = n;
    }
    const list = [...rows.values()];
    await replaceSummary(trx, list);
    const millis = Date.now() - started;
    await recordRefresh(trx, { window_from: from, window_to: to, rows: list.length, millis });
    return { rows: list.length, millis, from, to };
  });
}

/** Managers by organisation and staff group, added up to ICBs, regions and the nation, with all-group totals. */
export function rollUpManagers(
  rows: {
    organisation_id: number;
    staff_group: string;
    managers: number;
    icb_id: number | null;
    region_id: number | null;
  }[],
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, n: number) => out.set(k, (out.get(k) ?? 0) + n);
  for (const r of rows) {
    const areas: [string, number | null][] = [
      ['organisation', r.organisation_id],
      ['icb', r.icb_id],
      ['region', r.region_id],
      ['nation', 0],
    ];
    for (const [kind, id] of areas) {
      if (id === null) continue;
      add(`${kind}|${id}|${r.staff_group}`, r.managers);
      add(`${kind}|${id}|`, r.managers);
    }
  }
  return out;
}
