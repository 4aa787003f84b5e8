import type { Database } from '../src/db/database.ts';
import type { Band, GrantedRole, OrgKind } from '../src/db/schema.ts';

let seq = 0;
const next = () => ++seq;

/** Factories insert real rows through the same tables the product uses. */
export async function makeOrg(
  db: Database,
  o: {
    code?: string;
    name?: string;
    kind?: OrgKind;
    parentId?: number | null;
    icbId?: number | null;
    regionId?: number | null;
    closedOn?: string | null;
  } = {},
) {
  const n = next();
  return db
    .insertInto('organisations')
    .values({
      code: o.code ?? `T${n}X`,
      name: o.name ?? `Test Organisation ${n}`,
      kind: o.kind ?? 'trust',
      parent_id: o.parentId ?? null,
      icb_id: o.icbId ?? null,
      region_id: o.regionId ?? null,
      closed_on: o.closedOn ?? null,
      ons_code: null,
      postcode: null,
      address: null,
      phone: null,
      opened_on: '2020-04-01',
    })
    .returning(['id', 'code', 'name', 'icb_id', 'region_id'])
    .executeTakeFirstOrThrow();
}

/** A team of an organisation, under another team or at the top; returns its id. */
export async function makeTeam(db: Database, orgId: number, name: string, parentId: number | null = null) {
  const row = await db
    .insertInto('teams')
    .values({ organisation_id: orgId, name, code: name.slice(0, 4).toUpperCase(), parent_team_id: parentId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A region → ICB → trust chain. */
export async function makeHierarchy(db: Database, suffix = String(next())) {
  const region = await makeOrg(db, { code: `Y9${suffix}`, name: `Test Region ${suffix}`, kind: 'region' });
  const icb = await makeOrg(db, {
    code: `Q${suffix}I`,
    name: `Test ICB ${suffix}`,
    kind: 'icb',
    parentId: region.id,
    regionId: region.id,
  });
  const trust = await makeOrg(db, {
    code: `R${suffix}T`,
    name: `Test Trust ${suffix}`,
    kind: 'trust',
    parentId: icb.id,
    icbId: icb.id,
    regionId: region.id,
  });
  return { region, icb, trust };
}

export async function makePerson(
  db: Database,
  p: {
    orgId: number;
    given?: string;
    family?: string;
    email?: string | null;
    band?: Band | null;
    managerAssignmentId?: number | null;
    staffGroup?: string;
    ethnicity?: string | null;
    disability?: string | null;
    endDate?: string | null;
    isManager?: boolean;
  },
) {
  const n = next();
  const person = await db
    .insertInto('people')
    .values({
      staff_number: `S${String(n).padStart(7, '0')}`,
      given_name: p.given ?? `Given${n}`,
      family_name: p.family ?? `Family${n}`,
      email: p.email === undefined ? `person${n}@example.nhs.uk` : p.email,
      ethnicity: p.ethnicity === undefined ? 'A - White - British' : p.ethnicity,
      disability: p.disability === undefined ? 'No' : p.disability,
      sex: 'Female',
      age_band: '41-45',
    })
    .returning(['id', 'given_name', 'family_name', 'email'])
    .executeTakeFirstOrThrow();
  const assignment = await db
    .insertInto('assignments')
    .values({
      person_id: person.id,
      organisation_id: p.orgId,
      assignment_number: `${String(n).padStart(8, '0')}-1`,
      position_title: p.isManager ? 'Service Manager' : 'Staff Nurse',
      band: p.band === undefined ? '6' : p.band,
      staff_group: p.staffGroup ?? '03',
      wte: '1.00',
      line_manager_assignment_id: p.managerAssignmentId ?? null,
      is_manager: p.isManager ?? false,
      start_date: '2020-01-01',
      end_date: p.endDate ?? null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return { ...person, assignmentId: assignment.id };
}

export async function makeAccount(
  db: Database,
  a: {
    personId?: number | null;
    email?: string;
    name?: string;
    grants?: { role: GrantedRole; orgId: number | null }[];
    passwordHash?: string | null;
  } = {},
) {
  const n = next();
  const account = await db
    .insertInto('accounts')
    .values({
      person_id: a.personId ?? null,
      email: a.email ?? `account${n}@example.nhs.uk`,
      display_name: a.name ?? `Account ${n}`,
      password_hash: a.passwordHash ?? null,
    })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
  for (const g of a.grants ?? []) {
    await db
      .insertInto('role_grants')
      .values({ account_id: account.id, role: g.role, organisation_id: g.orgId })
      .execute();
  }
  return account;
}
