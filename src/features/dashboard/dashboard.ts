import type { Database } from '../../db/database.ts';
import { hasRole, type Viewer } from '../../plugins/access.ts';
import {
  type AreaRow,
  areasWithTotals,
  directReportCount,
  lastStaffImport,
  myAssignments,
  organisationsWithStats,
  providersOfIcb,
} from './queries.ts';

export interface AreaPanel {
  kind: 'organisation' | 'icb' | 'region' | 'nation';
  heading: string;
  code: string | null;
  caption: string;
  rows: AreaRow[];
  totals: Omit<AreaRow, 'code' | 'name' | 'closed_on'>;
  lastImport?: Awaited<ReturnType<typeof lastStaffImport>>;
}

/**
 * The home dashboard: what the viewer's roles give them, each figure read from summary tables
 * (organisation_stats) or from small indexed lookups, so the page is fast at national scale.
 */
export async function dashboardFor(db: Database, viewer: Viewer) {
  const assignments = viewer.personId !== null ? await myAssignments(db, viewer.personId) : [];
  const reports = hasRole(viewer, 'line_manager') ? await directReportCount(db, viewer.managerAssignmentIds) : 0;
  const areas: AreaPanel[] = [];
  for (const g of viewer.grants) {
    if (g.organisationId === null && g.role !== 'national_admin') continue;
    if (g.role === 'org_admin') {
      const [rows, lastImport] = await Promise.all([
        organisationsWithStats(db, [g.organisationId!]),
        lastStaffImport(db, g.organisationId!),
      ]);
      areas.push({
        ...panel('organisation', g.organisationName ?? '', g.organisationCode, `Staff in ${g.organisationName}`, rows),
        lastImport,
      });
    } else if (g.role === 'icb_lead') {
      const rows = await providersOfIcb(db, g.organisationId!);
      areas.push(
        panel('icb', g.organisationName ?? '', g.organisationCode, `Organisations in ${g.organisationName}`, rows),
      );
    } else if (g.role === 'regional_lead') {
      const rows = await areasWithTotals(db, g.organisationId!);
      areas.push(
        panel(
          'region',
          g.organisationName ?? '',
          g.organisationCode,
          `Integrated care boards in ${g.organisationName}`,
          rows,
        ),
      );
    } else if (g.role === 'national_admin') {
      const rows = await areasWithTotals(db, null);
      areas.push(panel('nation', 'England', null, 'NHS England regions', rows));
    }
  }
  return { assignments, reports, areas };
}

function panel(
  kind: AreaPanel['kind'],
  heading: string,
  code: string | null,
  caption: string,
  rows: AreaRow[],
): AreaPanel {
  const totals = rows.reduce(
    (t, r) => ({
      staff: t.staff + r.staff,
      managers: t.managers + r.managers,
      joiners: t.joiners + r.joiners,
      leavers: t.leavers + r.leavers,
      refreshed_at: latest(t.refreshed_at, r.refreshed_at),
    }),
    { staff: 0, managers: 0, joiners: 0, leavers: 0, refreshed_at: null as Date | null },
  );
  return { kind, heading, code, caption, rows, totals };
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
