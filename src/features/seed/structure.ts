import {
  catalogues,
  corporateServices,
  type DepartmentSpec,
  type DirectorateSpec,
  type TrustKind,
} from './catalogue.ts';
import type { Random } from './random.ts';
import { type ManagerSpec, type TeamKind, type TeamTemplate, teamTemplates } from './teams.ts';

// Plans one trust's organisation: how many directorates, departments and teams, and how many staff in each team.
// The number of teams is chosen so that managers (chief executive, directors, heads of department and team managers,
// everyone with reports) are about 3% of staff, as in the NHS (~40k managers in ~1.35M staff).

export const MANAGER_SHARE = 0.03;
/** Below this headcount the corporate directorates become departments of one Corporate Services directorate. */
const SMALL_TRUST = 2500;
/** Staff per department, roughly, when deciding how many of a directorate's departments a trust has. */
const STAFF_PER_DEPARTMENT = 250;

export interface PlanTeam {
  code: string;
  name: string;
  template: TeamTemplate;
  /** Active staff in the team, not counting its manager. */
  members: number;
}

export interface PlanDepartment {
  code: string;
  name: string;
  spec: DepartmentSpec;
  teams: PlanTeam[];
}

export interface PlanDirectorate {
  code: string;
  name: string;
  director: ManagerSpec;
  corporate: boolean;
  chiefExecutive: boolean;
  departments: PlanDepartment[];
}

function mergeCorporate(specs: readonly DirectorateSpec[]): DirectorateSpec[] {
  const corporate = specs.filter((s) => s.corporate && !s.chiefExecutive);
  if (corporate.length < 2) return [...specs];
  const merged: DirectorateSpec = {
    name: corporateServices.name,
    weight: corporate.reduce((a, s) => a + s.weight, 0),
    director: corporateServices.director,
    corporate: true,
    // Even a small trust has its own finance, HR and IT, if only a team each.
    staffPerDepartment: 90,
    departments: corporate.map((s) => ({
      name: s.name,
      weight: s.weight,
      teams: [...new Set(s.departments.flatMap((dep) => dep.teams))],
      noun: s.departments.find((dep) => dep.noun)?.noun ?? s.name,
      head: corporateServices.departmentHead,
    })),
  };
  const firstCorporate = specs.findIndex((s) => s.corporate && !s.chiefExecutive);
  const rest = specs.filter((s) => !s.corporate || s.chiefExecutive);
  rest.splice(Math.min(firstCorporate, rest.length), 0, merged);
  return rest;
}

/** Integers proportional to `weights`, each at least `min`, summing to `total` when the minimums allow it. */
export function allocate(total: number, weights: readonly number[], min = 0): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map((x) => Math.max(min, Math.floor(x)));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  // The minimums may overshoot: take back from the largest entries that can spare it.
  while (left < 0) {
    let biggest = -1;
    for (let i = 0; i < out.length; i++) if (out[i] > min && (biggest < 0 || out[i] > out[biggest])) biggest = i;
    if (biggest < 0) break;
    out[biggest]--;
    left++;
  }
  return out;
}

function chooseDepartments(spec: DirectorateSpec, staff: number): DepartmentSpec[] {
  const per = spec.staffPerDepartment ?? STAFF_PER_DEPARTMENT;
  const k = Math.max(1, Math.min(spec.departments.length, Math.round(staff / per)));
  const ranked = spec.departments
    .map((dep, i) => ({ dep, i }))
    .sort((a, b) => b.dep.weight - a.dep.weight || a.i - b.i);
  return ranked
    .slice(0, k)
    .sort((a, b) => a.i - b.i)
    .map((r) => r.dep);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Fill `{d}` (department), `{s}` (specialty) and `{n}` (function noun) in a title or name. */
export function fill(text: string, dep: { name: string; specialty?: string; noun?: string }): string {
  return text
    .replace('{d}', dep.name)
    .replace('{s}', dep.specialty ?? dep.name)
    .replace('{n}', dep.noun ?? dep.name);
}

export function planTrust(kind: TrustKind, size: number, rng: Random): PlanDirectorate[] {
  const specs = size < SMALL_TRUST ? mergeCorporate(catalogues[kind]) : [...catalogues[kind]];
  const dirStaff = allocate(
    size,
    specs.map((s) => s.weight),
  );
  const chosen = specs.map((s, i) => chooseDepartments(s, dirStaff[i]));
  const depStaff = chosen.flatMap((deps, i) =>
    allocate(
      dirStaff[i],
      deps.map((dep) => dep.weight),
    ),
  );
  const departments = depStaff.length;
  const fixedManagers = specs.length + departments; // chief executive, directors, heads of department
  const teamCount = Math.max(departments, Math.round(MANAGER_SHARE * size) - fixedManagers);
  const teamsPerDep = allocate(teamCount, depStaff, 1);
  const memberTotal = Math.max(size - fixedManagers - teamCount, 2 * teamCount);
  const membersPerDep = allocate(memberTotal, depStaff, 0).map((n, i) => Math.max(n, 2 * teamsPerDep[i]));

  const nameCounters = new Map<string, number>();
  const teamName = (kindName: TeamKind, template: TeamTemplate, dep: DepartmentSpec) => {
    // Lists with placeholders restart in each department; plain lists (ward names) run across the trust.
    const perDepartment = template.names.some((n) => n.includes('{'));
    const key = perDepartment ? `${kindName}|${dep.name}` : kindName;
    const c = nameCounters.get(key) ?? 0;
    nameCounters.set(key, c + 1);
    const base = fill(template.names[c % template.names.length], dep);
    return c >= template.names.length ? `${base} ${Math.floor(c / template.names.length) + 1}` : base;
  };

  let depIndex = 0;
  return specs.map((spec, i) => {
    const dirCode = `D${pad(i + 1)}`;
    return {
      code: dirCode,
      name: spec.name,
      director: spec.director,
      corporate: spec.corporate,
      chiefExecutive: spec.chiefExecutive ?? false,
      departments: chosen[i].map((dep, j) => {
        const nTeams = teamsPerDep[depIndex];
        const members = membersPerDep[depIndex];
        depIndex++;
        const depCode = `${dirCode}-${pad(j + 1)}`;
        const jitter = Array.from({ length: nTeams }, () => 0.75 + 0.5 * rng.next());
        const sizes = allocate(members, jitter, 2);
        return {
          code: depCode,
          name: dep.name,
          spec: dep,
          teams: sizes.map((n, k) => {
            const kindName = dep.teams[k % dep.teams.length];
            const template: TeamTemplate = teamTemplates[kindName];
            return { code: `${depCode}-${pad(k + 1)}`, name: teamName(kindName, template, dep), template, members: n };
          }),
        };
      }),
    };
  });
}
