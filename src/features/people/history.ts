import { formatDate } from '../../web/nunjucks.ts';
import { bandLabel, staffGroupName } from './people.ts';

/** What changed in an assignment at one moment, ready to show: "Band: Band 6 → Band 7". */
export interface HistoryEntry {
  at: Date;
  assignmentNumber: string;
  changes: { label: string; from: string; to: string }[];
}

export interface Labels {
  teams: Map<number, string>;
  orgs: Map<number, string>;
  managers: Map<number, string>;
}

const tracked: [string, string][] = [
  ['position_title', 'Position'],
  ['organisation_id', 'Organisation'],
  ['team_id', 'Team'],
  ['band', 'Band'],
  ['staff_group', 'Staff group'],
  ['occupation_code', 'Occupation code'],
  ['wte', 'Whole-time equivalent'],
  ['line_manager_assignment_id', 'Line manager'],
  ['is_manager', 'Manages people'],
  ['start_date', 'Start date'],
  ['end_date', 'End date'],
];

/** Ids of teams, organisations and manager assignments mentioned anywhere in these versions. */
export function idsIn(versions: Record<string, unknown>[]) {
  const teams = new Set<number>();
  const orgs = new Set<number>();
  const managers = new Set<number>();
  for (const v of versions) {
    if (typeof v.team_id === 'number') teams.add(v.team_id);
    if (typeof v.organisation_id === 'number') orgs.add(v.organisation_id);
    if (typeof v.line_manager_assignment_id === 'number') managers.add(v.line_manager_assignment_id);
  }
  return { teams: [...teams], orgs: [...orgs], managers: [...managers] };
}

function show(field: string, value: unknown, labels: Labels): string {
  if (value === null || value === undefined || value === '') return 'none';
  switch (field) {
    case 'team_id':
      return labels.teams.get(Number(value)) ?? `team ${value}`;
    case 'organisation_id':
      return labels.orgs.get(Number(value)) ?? `organisation ${value}`;
    case 'line_manager_assignment_id':
      return labels.managers.get(Number(value)) ?? `assignment ${value}`;
    case 'band':
      return bandLabel(String(value));
    case 'staff_group':
      return staffGroupName(String(value));
    case 'is_manager':
      return value ? 'yes' : 'no';
    case 'wte':
      return Number(value).toFixed(2);
    case 'start_date':
    case 'end_date':
      return formatDate(String(value));
    default:
      return String(value);
  }
}

const same = (field: string, a: unknown, b: unknown) =>
  field === 'wte' && a != null && b != null ? Number(a) === Number(b) : (a ?? null) === (b ?? null);

/**
 * Turn assignment_history rows (each the version before a change) into the changes themselves, newest
 * first. The version after the newest change is the assignment as it is now.
 */
export function describeHistory(
  rows: { assignment_id: number; valid_to: Date; previous: Record<string, unknown> }[],
  current: Map<number, { assignment_number: string } & Record<string, unknown>>,
  labels: Labels,
): HistoryEntry[] {
  const byAssignment = new Map<number, typeof rows>();
  for (const r of rows) byAssignment.set(r.assignment_id, [...(byAssignment.get(r.assignment_id) ?? []), r]);
  const entries: HistoryEntry[] = [];
  for (const [assignmentId, versions] of byAssignment) {
    const now = current.get(assignmentId);
    if (!now) continue;
    versions.sort((a, b) => a.valid_to.getTime() - b.valid_to.getTime());
    versions.forEach((v, i) => {
      const after = i + 1 < versions.length ? versions[i + 1].previous : now;
      const changes = tracked
        .filter(([field]) => !same(field, v.previous[field], after[field]))
        .map(([field, label]) => ({
          label,
          from: show(field, v.previous[field], labels),
          to: show(field, after[field], labels),
        }));
      if (changes.length) entries.push({ at: v.valid_to, assignmentNumber: now.assignment_number, changes });
    });
  }
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime());
}
