import { type Kysely, sql, type Transaction } from 'kysely';
import type {
  DB,
  ManagementLevel,
  ProgrammeFormat,
  ProgrammeFunding,
  ProgrammeScope,
  ProgrammeStatus,
  ProviderKind,
} from '../../db/schema.ts';
import type { EligibilityRules } from './eligibility.ts';

// Providers and programmes: look-ups, writes and the lifecycle. Providers are hundreds and programmes thousands;
// every read here is by primary key or an indexed provider id.

export type Db = Kysely<DB> | Transaction<DB>;

export interface ProviderRow {
  id: number;
  name: string;
  kind: ProviderKind;
  organisation_id: number | null;
  organisation_name: string | null;
  region_id: number | null;
  region_name: string | null;
  website: string | null;
  contact_email: string | null;
}

const providerColumns = [
  'pr.id',
  'pr.name',
  'pr.kind',
  'pr.organisation_id',
  'po.name as organisation_name',
  'pr.region_id',
  'prr.name as region_name',
  'pr.website',
  'pr.contact_email',
] as const;

function providers(db: Db) {
  return db
    .selectFrom('providers as pr')
    .leftJoin('organisations as po', 'po.id', 'pr.organisation_id')
    .leftJoin('organisations as prr', 'prr.id', 'pr.region_id')
    .select(providerColumns);
}

export async function findProvider(db: Db, id: number): Promise<ProviderRow | undefined> {
  return providers(db).where('pr.id', '=', id).executeTakeFirst();
}

export async function listProviders(db: Db): Promise<ProviderRow[]> {
  return providers(db).orderBy(sql`lower(pr.name)`).execute();
}

/** The providers an account administers: grants naming the provider, or the organisation the provider is. */
export async function providersAdministeredBy(db: Db, accountId: number): Promise<ProviderRow[]> {
  return providers(db)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('role_grants as g')
          .select(sql`1`.as('one'))
          .where('g.account_id', '=', accountId)
          .where('g.role', '=', 'provider_admin')
          .where((w) =>
            w.or([w('g.provider_id', '=', w.ref('pr.id')), w('g.organisation_id', '=', w.ref('pr.organisation_id'))]),
          ),
      ),
    )
    .orderBy(sql`lower(pr.name)`)
    .execute();
}

export async function providerNameTaken(db: Db, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('providers')
    .select('id')
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertProvider(
  db: Db,
  p: {
    name: string;
    kind: ProviderKind;
    organisationId: number | null;
    regionId: number | null;
    website: string | null;
    contactEmail: string | null;
  },
): Promise<number> {
  const row = await db
    .insertInto('providers')
    .values({
      name: p.name,
      kind: p.kind,
      organisation_id: p.organisationId,
      region_id: p.regionId,
      website: p.website,
      contact_email: p.contactEmail,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Grant an existing account provider-admin rights for a provider; false when no account has that email. */
export async function grantProviderAdmin(db: Db, providerId: number, email: string, grantedBy: number) {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  if (!account) return undefined;
  await db
    .insertInto('role_grants')
    .values({
      account_id: account.id,
      role: 'provider_admin',
      organisation_id: null,
      provider_id: providerId,
      created_by: grantedBy,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return account;
}

export async function providerAdmins(db: Db, providerId: number) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('accounts as a', 'a.id', 'g.account_id')
    .select(['a.id', 'a.display_name', 'a.email'])
    .where('g.role', '=', 'provider_admin')
    .where('g.provider_id', '=', providerId)
    .orderBy('a.display_name')
    .execute();
}

export interface ProgrammeValues {
  title: string;
  summary: string;
  outcomes: string;
  level: ManagementLevel;
  format: ProgrammeFormat;
  hours: number;
  durationWeeks: number;
  costPounds: number;
  funding: ProgrammeFunding;
  fundingNote: string;
  eligibility: EligibilityRules;
  scope: ProgrammeScope;
  localVersionOf: number | null;
}

/** Where a programme's owning area sits, resolved from the scope organisation. */
export interface ProgrammeArea {
  scopeOrgId: number | null;
  regionId: number | null;
  icbId: number | null;
}

export interface ProgrammeRow {
  id: number;
  provider_id: number;
  provider_name: string;
  provider_kind: ProviderKind;
  provider_organisation_id: number | null;
  title: string;
  summary: string;
  outcomes: string;
  level: ManagementLevel;
  format: ProgrammeFormat;
  hours: number;
  duration_weeks: number;
  cost_pounds: number;
  funding: ProgrammeFunding;
  funding_note: string;
  elig_bands: string[];
  elig_management_levels: string[];
  elig_staff_groups: string[];
  elig_organisation_ids: number[];
  elig_region_ids: number[];
  scope: ProgrammeScope;
  scope_org_id: number | null;
  scope_org_code: string | null;
  scope_org_name: string | null;
  area_region_id: number | null;
  area_icb_id: number | null;
  local_version_of: number | null;
  local_version_title: string | null;
  status: ProgrammeStatus;
  published_at: Date | null;
  next_cohort_start: string | null;
  accreditation_status: DB['programmes']['accreditation_status']['__select__'];
  accredited_until: string | null;
  updated_at: Date;
}

function programmes(db: Db) {
  return db
    .selectFrom('programmes as p')
    .innerJoin('providers as pr', 'pr.id', 'p.provider_id')
    .leftJoin('organisations as so', 'so.id', 'p.scope_org_id')
    .leftJoin('programmes as nv', 'nv.id', 'p.local_version_of')
    .select([
      'p.id',
      'p.provider_id',
      'pr.name as provider_name',
      'pr.kind as provider_kind',
      'pr.organisation_id as provider_organisation_id',
      'p.title',
      'p.summary',
      'p.outcomes',
      'p.level',
      'p.format',
      'p.hours',
      'p.duration_weeks',
      'p.cost_pounds',
      'p.funding',
      'p.funding_note',
      'p.elig_bands',
      'p.elig_management_levels',
      'p.elig_staff_groups',
      'p.elig_organisation_ids',
      'p.elig_region_ids',
      'p.scope',
      'p.scope_org_id',
      'so.code as scope_org_code',
      'so.name as scope_org_name',
      'p.area_region_id',
      'p.area_icb_id',
      'p.local_version_of',
      'nv.title as local_version_title',
      'p.status',
      'p.published_at',
      'p.next_cohort_start',
      'p.accreditation_status',
      'p.accredited_until',
      'p.updated_at',
    ]);
}

export async function findProgramme(db: Db, id: number): Promise<ProgrammeRow | undefined> {
  return programmes(db).where('p.id', '=', id).executeTakeFirst();
}

export async function programmesOfProvider(db: Db, providerId: number) {
  return db
    .selectFrom('programmes')
    .select(['id', 'title', 'level', 'status', 'accreditation_status', 'accredited_until', 'next_cohort_start'])
    .where('provider_id', '=', providerId)
    .orderBy('status')
    .orderBy('title')
    .execute();
}

/** Programmes fetched by id, for pages that list a known set (recommendations, the register's details). */
export async function programmesByIds(db: Db, ids: number[]): Promise<ProgrammeRow[]> {
  if (!ids.length) return [];
  return programmes(db).where('p.id', 'in', ids).execute();
}

export const eligibilityOf = (
  p: Pick<
    ProgrammeRow,
    'elig_bands' | 'elig_management_levels' | 'elig_staff_groups' | 'elig_organisation_ids' | 'elig_region_ids'
  >,
): EligibilityRules => ({
  bands: p.elig_bands,
  managementLevels: p.elig_management_levels,
  staffGroups: p.elig_staff_groups,
  organisationIds: p.elig_organisation_ids,
  regionIds: p.elig_region_ids,
});

function columnsOf(v: ProgrammeValues, area: ProgrammeArea) {
  return {
    title: v.title,
    summary: v.summary,
    outcomes: v.outcomes,
    level: v.level,
    format: v.format,
    hours: v.hours,
    duration_weeks: v.durationWeeks,
    cost_pounds: v.costPounds,
    funding: v.funding,
    funding_note: v.fundingNote,
    elig_bands: v.eligibility.bands,
    elig_management_levels: v.eligibility.managementLevels,
    elig_staff_groups: v.eligibility.staffGroups,
    elig_organisation_ids: v.eligibility.organisationIds,
    elig_region_ids: v.eligibility.regionIds,
    scope: v.scope,
    scope_org_id: area.scopeOrgId,
    area_region_id: area.regionId,
    area_icb_id: area.icbId,
    local_version_of: v.localVersionOf,
  };
}

export async function insertProgramme(
  trx: Transaction<DB>,
  providerId: number,
  v: ProgrammeValues,
  area: ProgrammeArea,
  accountId: number | null,
): Promise<number> {
  const row = await trx
    .insertInto('programmes')
    .values({ provider_id: providerId, ...columnsOf(v, area), created_by: accountId, updated_by: accountId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProgramme(
  trx: Transaction<DB>,
  id: number,
  v: ProgrammeValues,
  area: ProgrammeArea,
  accountId: number | null,
): Promise<void> {
  await trx
    .updateTable('programmes')
    .set({ ...columnsOf(v, area), updated_by: accountId, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Replace a programme's competency links and refresh the words search finds besides its own text. */
export async function setCompetencies(
  trx: Transaction<DB>,
  programmeId: number,
  links: { versionId: number; competencyId: number }[],
): Promise<void> {
  await trx.deleteFrom('programme_competencies').where('programme_id', '=', programmeId).execute();
  if (links.length) {
    await trx
      .insertInto('programme_competencies')
      .values(links.map((l) => ({ programme_id: programmeId, version_id: l.versionId, competency_id: l.competencyId })))
      .execute();
  }
  await refreshSearchExtra(trx, [programmeId]);
}

/** Provider name and competency titles into search_extra (weighted C in the search column). */
export async function refreshSearchExtra(db: Db, programmeIds: number[]): Promise<void> {
  if (!programmeIds.length) return;
  await sql`
    UPDATE programmes p SET search_extra = pr.name || ' ' || coalesce((
        SELECT string_agg(c.title, ' ' ORDER BY c.id) FROM programme_competencies pc
          JOIN framework_competencies c ON c.id = pc.competency_id
         WHERE pc.programme_id = p.id), '')
      FROM providers pr
     WHERE pr.id = p.provider_id AND p.id = ANY(${programmeIds}::bigint[])`.execute(db);
}

export async function competencyLinks(db: Db, programmeIds: number[]) {
  if (!programmeIds.length) return [];
  return db
    .selectFrom('programme_competencies as pc')
    .innerJoin('framework_competencies as c', 'c.id', 'pc.competency_id')
    .innerJoin('framework_domains as d', 'd.id', 'c.domain_id')
    .select(['pc.programme_id', 'pc.version_id', 'pc.competency_id', 'c.code', 'c.title', 'd.title as domain_title'])
    .where('pc.programme_id', 'in', programmeIds)
    .orderBy('d.position')
    .orderBy('c.position')
    .execute();
}

export async function setProgrammeStatus(db: Db, id: number, status: ProgrammeStatus, accountId: number | null) {
  await db
    .updateTable('programmes')
    .set({
      status,
      published_at: status === 'draft' ? null : sql`coalesce(published_at, now())`,
      withdrawn_at: status === 'withdrawn' ? sql`now()` : null,
      updated_by: accountId,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** National programmes a local version may point at (published ones, by title). */
export async function nationalProgrammes(db: Db) {
  return db
    .selectFrom('programmes')
    .select(['id', 'title'])
    .where('scope', '=', 'national')
    .where('status', '=', 'published')
    .orderBy('title')
    .limit(500)
    .execute();
}

export async function isPublishedNational(db: Db, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('programmes')
    .select('id')
    .where('id', '=', id)
    .where('scope', '=', 'national')
    .where('status', '=', 'published')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The date the next cohort of a programme starts, or null when none is planned. Owned by the catalogue (it is a
 * search filter); the cohorts feature calls this whenever cohorts change.
 */
export async function setNextCohortStart(db: Db, programmeId: number, date: string | null): Promise<void> {
  await db.updateTable('programmes').set({ next_cohort_start: date }).where('id', '=', programmeId).execute();
}

/** Organisations (by id) with names and places, for eligibility display and the scope of a programme. */
export async function organisationsByIds(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('organisations')
    .select(['id', 'code', 'name', 'kind', 'icb_id', 'region_id'])
    .where('id', 'in', ids)
    .orderBy('name')
    .execute();
}

export async function organisationsByCodes(db: Db, codes: string[]) {
  if (!codes.length) return [];
  return db
    .selectFrom('organisations')
    .select(['id', 'code', 'name', 'kind', 'icb_id', 'region_id'])
    .where(
      'code',
      'in',
      codes.map((c) => c.toUpperCase()),
    )
    .execute();
}

export async function regions(db: Db) {
  return db
    .selectFrom('organisations')
    .select(['id', 'code', 'name'])
    .where('kind', '=', 'region')
    .where('closed_on', 'is', null)
    .orderBy('name')
    .execute();
}

/** Ids of the published programmes, for other features' data generators (added by the cohorts feature). */
export async function publishedProgrammeIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('programmes').select('id').where('status', '=', 'published').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}
