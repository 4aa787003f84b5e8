import type { Band } from '../../db/schema.ts';
import {
  type AgeProfile,
  ageBands,
  ageInBand,
  disability,
  drawEthnicity,
  ethnicityLabel,
  femaleShare,
  namePools,
} from './equality.ts';
import { emailPart, pools } from './names.ts';
import { Random } from './random.ts';
import { fill, type PlanDepartment, planTrust } from './structure.ts';
import type { ManagerSpec, TeamTemplate } from './teams.ts';
import { type TrustInfo, trustKind } from './trusts.ts';
import { type Group, medicalGrades, professions } from './workforce.ts';

// Turns a trust's plan into rows: teams, people and one assignment each, with ids decided here so that line
// managers can be set in the same pass and everything can be bulk-loaded with COPY.

export interface TeamRow {
  id: number;
  organisationId: number;
  parentId: number | null;
  code: string;
  name: string;
  kind: 'directorate' | 'department' | 'team';
}

export interface PersonRow {
  id: number;
  staffNumber: string;
  given: string;
  family: string;
  email: string;
  ethnicity: string;
  disability: string;
  sex: 'Female' | 'Male';
  ageBand: string;
}

export interface AssignmentRow {
  id: number;
  personId: number;
  organisationId: number;
  assignmentNumber: string;
  teamId: number;
  title: string;
  band: Band;
  staffGroup: Group;
  wte: string;
  lineManagerId: number | null;
  isManager: boolean;
  startDate: string;
  endDate: string | null;
  /** The person's family name, lower-cased (assignments.family_key); null: the database computes it. */
  familyKey: string | null;
}

/** People the demo personas are linked to. */
export interface NotablePerson {
  personId: number;
  name: string;
  email: string;
}

export interface Notable {
  lineManager?: NotablePerson & { reports: number };
  staffMember?: NotablePerson;
  orgAdmin?: NotablePerson;
}

export interface TrustData {
  teams: TeamRow[];
  people: PersonRow[];
  assignments: AssignmentRow[];
  notable: Notable;
}

export interface GenerateOptions {
  seed: number;
  /** Days since 1970-01-01 of the day the data is generated for; joiners and leavers are relative to it. */
  today: number;
  firstTeamId: number;
  /** First id for people; assignment ids run in step (one assignment per person). */
  firstPersonId: number;
  firstAssignmentId: number;
  /** Staff numbers continue from here, so they are unique across trusts. */
  staffOrdinal: number;
}

const LEAVER_RATE = 0.1;
const JOINER_SHARE = 0.11;
const MANAGER_JOINER_SHARE = 0.04;
const PART_TIME = { '0.40': 2, '0.50': 3, '0.60': 3, '0.75': 2, '0.80': 3 } as const;
const DAY_MS = 86_400_000;
const seniorBands = new Set<Band>(['7', '8a', '8b', '8c', '8d', '9']);

const isoDays = new Map<number, string>();
/** 'YYYY-MM-DD' of a day number; only a few thousand distinct days occur, so they are cached. */
export function isoDay(day: number): string {
  let iso = isoDays.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoDays.set(day, iso);
  }
  return iso;
}
export const dayOf = (date: Date) => Math.floor(date.getTime() / DAY_MS);

type Role = 'chief' | 'director' | 'head' | 'manager' | 'member' | 'leaver';

export function generateTrust(trust: TrustInfo, size: number, o: GenerateOptions): TrustData {
  const rng = new Random(o.seed, trust.code);
  const plan = planTrust(trustKind(trust.name), size, rng);
  const teams: TeamRow[] = [];
  const people: PersonRow[] = [];
  const assignments: AssignmentRow[] = [];
  const notable: Notable = {};
  const domain = `${trust.code.toLowerCase()}.nhs.example`;

  const addTeam = (parentId: number | null, code: string, name: string, kind: TeamRow['kind']) => {
    const id = o.firstTeamId + teams.length;
    teams.push({ id, organisationId: trust.id, parentId, code, name, kind });
    return id;
  };

  /** One person and their assignment; returns the assignment id (what line managers point at). */
  const addPerson = (
    role: Role,
    teamId: number,
    lineManagerId: number | null,
    job: { title: string; band: Band; group: Group; age: AgeProfile },
  ) => {
    const n = people.length;
    const id = o.firstPersonId + n;
    const assignmentId = o.firstAssignmentId + n;
    const senior = role !== 'member' && role !== 'leaver';
    const female = rng.chance(femaleShare[job.group] * (role === 'chief' || role === 'director' ? 0.8 : 1));
    const code = drawEthnicity(rng, trust.regionCode, job.band);
    const names = namePools(code);
    const given = rng.pick(pools[rng.pick(names.given)][female ? 'female' : 'male']);
    const family = rng.pick(pools[rng.pick(names.family)].family);
    const ageBand: string = rng.weighted<string>(ageBands[job.age]);
    const maxYears = Math.max(0, Math.min(20, ageInBand(rng, ageBand) - 18));
    let start: number;
    let end: number | null = null;
    if (role === 'leaver') {
      end = o.today - rng.int(1, 365);
      // Leavers too started within the 20 years the data covers.
      start = end - tenureDays(rng, Math.max(0, maxYears - 1), 0.25);
    } else {
      start = o.today - tenureDays(rng, maxYears, senior ? MANAGER_JOINER_SHARE : JOINER_SHARE);
    }
    const fullTime = senior ? 0.95 : job.group === '03' || job.group === '07' ? 0.62 : 0.72;
    const staffNumber = `9${String(o.staffOrdinal + n + 1).padStart(7, '0')}`;
    people.push({
      id,
      staffNumber,
      given,
      family,
      email: `${emailPart(given)}.${emailPart(family)}${n + 1}@${domain}`,
      ethnicity: ethnicityLabel(code),
      disability: rng.weighted(disability),
      sex: female ? 'Female' : 'Male',
      ageBand,
    });
    assignments.push({
      id: assignmentId,
      personId: id,
      organisationId: trust.id,
      assignmentNumber: `${staffNumber}-1`,
      teamId,
      title: job.title,
      band: job.band,
      staffGroup: job.group,
      wte: rng.chance(fullTime) ? '1.00' : rng.weighted(PART_TIME),
      lineManagerId,
      isManager: senior,
      startDate: isoDay(start),
      endDate: end === null ? null : isoDay(end),
      // Left to the database trigger when not plain ASCII, so that it is exactly PostgreSQL's lower().
      familyKey: /^[\x20-\x7e]*$/.test(family) ? family.toLowerCase() : null,
    });
    return { assignmentId, personId: id, name: `${given} ${family}`, email: people[n].email };
  };

  const managerJob = (
    spec: ManagerSpec,
    dep: { name: string; specialty?: string; noun?: string },
    age: AgeProfile,
  ) => ({
    title: fill(spec.title, dep),
    band: rng.weighted(spec.bands) as Band,
    group: spec.group,
    age,
  });

  let chiefId = 0;
  let hrAdmin = false;
  for (const dir of plan) {
    const dirTeam = addTeam(null, dir.code, dir.name, 'directorate');
    let directorId: number;
    if (dir.chiefExecutive) {
      chiefId = addPerson('chief', dirTeam, null, managerJob(dir.director, dir, 'executive')).assignmentId;
      directorId = chiefId;
    } else {
      directorId = addPerson('director', dirTeam, chiefId, managerJob(dir.director, dir, 'executive')).assignmentId;
    }
    for (const dep of dir.departments) {
      const depTeam = addTeam(dirTeam, dep.code, dep.name, 'department');
      const head = addPerson('head', depTeam, directorId, managerJob(dep.spec.head, dep.spec, 'manager'));
      // The organisation admin persona: someone in HR or OD, else the first head of a corporate department.
      if (!hrAdmin && /Organisational Development|^People$/.test(dep.name)) {
        notable.orgAdmin = head;
        hrAdmin = true;
      } else if (!notable.orgAdmin && dir.corporate && !dir.chiefExecutive) notable.orgAdmin = head;
      for (const team of dep.teams) {
        const teamId = addTeam(depTeam, team.code, team.name, 'team');
        const manager = addPerson(
          'manager',
          teamId,
          head.assignmentId,
          managerJob(team.template.manager, dep.spec, 'manager'),
        );
        let first: NotablePerson | undefined;
        for (let i = 0; i < team.members; i++) {
          const added = addPerson('member', teamId, manager.assignmentId, memberJob(rng, team.template, dep));
          first ??= added;
        }
        for (let i = 0; i < team.members; i++) {
          if (rng.chance(LEAVER_RATE))
            addPerson('leaver', teamId, manager.assignmentId, memberJob(rng, team.template, dep));
        }
        // The line manager persona: a clinical team manager with a real team to manage.
        if (!notable.lineManager && !dir.corporate && team.members >= 6 && first) {
          notable.lineManager = { ...manager, reports: team.members };
          notable.staffMember = first;
        }
      }
    }
  }
  return { teams, people, assignments, notable };
}

function memberJob(rng: Random, template: TeamTemplate, dep: PlanDepartment) {
  const key = rng.weighted(template.mix as Record<string, number>) as keyof typeof professions;
  const prof = professions[key];
  const band = rng.weighted(prof.bands as Record<string, number>) as Band;
  if (key === 'doctor') {
    const grade = rng.weighted(medicalGrades);
    const age: AgeProfile = grade.startsWith('Foundation')
      ? 'foundation'
      : /Registrar|Core/.test(grade)
        ? 'trainee'
        : 'general';
    return { title: fill(grade, dep.spec), band, group: prof.group as Group, age };
  }
  const titles = (prof.titles as Partial<Record<Band, readonly string[]>>)[band] ?? ['Staff'];
  // Senior bands take years of experience: their ages follow the managers' profile.
  const age: AgeProfile = seniorBands.has(band) ? 'manager' : 'general';
  return { title: fill(rng.pick(titles), dep.spec), band, group: prof.group as Group, age };
}

/** Years of service: some joined in the last year, the rest spread over up to 20 years, never before age 18. */
function tenureDays(rng: Random, maxYears: number, joinerShare: number): number {
  if (maxYears < 1 || rng.chance(joinerShare))
    return rng.int(0, Math.max(0, Math.min(364, Math.floor(maxYears * 365))));
  let years = 1 - 6.5 * Math.log(1 - rng.next());
  if (years > maxYears) years = 1 + rng.next() * (maxYears - 1);
  return Math.floor(years * 365.25);
}
