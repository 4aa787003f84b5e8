import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { likeEscape } from '../db/like.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { DB, GrantedRole } from '../db/schema.ts';

/**
 * The access model in one place. Every route asks `authorise`; every query that lists or reads people
 * filters with `personScope`. Nothing else decides who may see whom.
 */

export type Role = 'staff' | 'line_manager' | GrantedRole;

export interface Grant {
  id: number;
  role: GrantedRole;
  organisationId: number | null;
  organisationCode: string | null;
  organisationName: string | null;
  /** A provider_admin grant for a training provider without an organisation (docs/learning-catalogue.md). */
  providerId?: number | null;
}

export interface Viewer {
  accountId: number;
  personId: number | null;
  displayName: string;
  email: string;
  grants: Grant[];
  /** Active assignment ids of the viewer: their reports are assignments whose line manager is one of these. */
  managerAssignmentIds: number[];
  isDemo: boolean;
  via: 'session' | 'token';
  /** The API token in use, when via is 'token'. */
  tokenId?: number;
}

export const roleLabels: Record<Role, string> = {
  staff: 'Staff member',
  line_manager: 'Line manager',
  org_admin: 'Organisation admin',
  icb_lead: 'ICB lead',
  regional_lead: 'Regional lead',
  national_admin: 'National admin',
  provider_admin: 'Training provider admin',
};

export function rolesOf(v: Viewer): Role[] {
  const roles: Role[] = [];
  if (v.personId !== null) roles.push('staff');
  if (v.managerAssignmentIds.length > 0) roles.push('line_manager');
  for (const g of v.grants) if (!roles.includes(g.role)) roles.push(g.role);
  return roles;
}

export function hasRole(v: Viewer, role: Role): boolean {
  return rolesOf(v).includes(role);
}

function grantOrgs(v: Viewer, role: GrantedRole): number[] {
  return v.grants.filter((g) => g.role === role && g.organisationId !== null).map((g) => g.organisationId!);
}

/** Where an organisation sits, enough to decide scope without another query. */
export interface OrgPlace {
  id: number;
  icbId: number | null;
  regionId: number | null;
}

export type Permission =
  | { action: 'signed-in' }
  | { action: 'organisations:browse' }
  | { action: 'people:search' }
  | { action: 'org:admin'; org: OrgPlace }
  | { action: 'org:view-detail'; org: OrgPlace }
  | { action: 'audit:read' }
  | { action: 'outbox:read' }
  | { action: 'national:admin' }
  | { action: 'api-tokens:manage' }
  | { action: 'burden:view' }
  | { action: 'burden:curate-national' }
  | { action: 'burden:curate-regional'; regionId: number }
  | { action: 'burden:manage-local'; org: OrgPlace }
  | { action: 'burden:record-effort'; org: OrgPlace }
  | { action: 'burden:curate-any' }
  | { action: 'frameworks:read' }
  | { action: 'frameworks:author' }
  | { action: 'pulse:respond' }
  | { action: 'pulse:results' }
  | { action: 'pulse:configure'; org: OrgPlace }
  | { action: 'pulse:team-results'; org: OrgPlace; managesTeam: boolean }
  | { action: 'development:own' }
  | { action: 'development:read'; subject: DevelopmentSubject }
  | { action: 'development:team' }
  | { action: 'learning:post-statements' }
  | { action: 'learning:equity'; area: { kind: 'nation' | 'region' | 'icb' | 'organisation'; place: OrgPlace | null } }
  | { action: 'learning:equity-any' }
  | { action: 'feedback:start'; subject: DevelopmentSubject }
  | { action: 'feedback:progress'; subject: DevelopmentSubject; facilitatorAccountId: number | null }
  | {
      action: 'feedback:report';
      subject: DevelopmentSubject;
      round: { released: boolean; shared: boolean; facilitatorAccountId: number | null };
    }
  | { action: 'catalogue:author' }
  | { action: 'catalogue:manage-provider'; provider: { id: number; organisationId: number | null } }
  | { action: 'catalogue:manage-providers' }
  | { action: 'cohorts:supply'; area: { kind: 'nation' | 'region' | 'icb' | 'organisation'; place: OrgPlace | null } }
  | { action: 'cohorts:supply-any' }
  | { action: 'cohorts:approve-funding'; organisationId: number }
  | { action: 'catalogue:review'; regionId: number | null }
  | { action: 'catalogue:review-any' }
  | { action: 'catalogue:coverage' }
  | { action: 'catalogue:recommendations' }
  | { action: 'workload:aggregates' }
  | { action: 'workload:org-detail'; org: OrgPlace }
  | { action: 'priorities:place'; scope: 'national' | 'region' | 'icb' | 'organisation'; area: OrgPlace | null }
  | { action: 'priorities:mark-link'; org: OrgPlace; managesTeamThere: boolean }
  | { action: 'reorganisations:record'; org: OrgPlace }
  | { action: 'appraisals:manage'; org: OrgPlace }
  | { action: 'appraisals:org-figures'; org: OrgPlace }
  | { action: 'appraisals:area-figures'; area: { level: 'icb' | 'region' | 'nation'; id: number } };

/** The one authorisation decision for every route. */
export function authorise(v: Viewer | null, p: Permission, opts: { demoMode?: boolean } = {}): boolean {
  if (!v) return false;
  const national = hasRole(v, 'national_admin');
  switch (p.action) {
    case 'signed-in':
    case 'organisations:browse':
    case 'api-tokens:manage':
      return true;
    case 'people:search':
      // Anyone who can see more than themselves.
      return rolesOf(v).some((r) => r !== 'staff' && r !== 'provider_admin');
    case 'org:admin':
      return national || grantOrgs(v, 'org_admin').includes(p.org.id);
    case 'org:view-detail':
      return (
        national ||
        grantOrgs(v, 'org_admin').includes(p.org.id) ||
        (p.org.icbId !== null && grantOrgs(v, 'icb_lead').includes(p.org.icbId)) ||
        (p.org.regionId !== null && grantOrgs(v, 'regional_lead').includes(p.org.regionId)) ||
        grantOrgs(v, 'icb_lead').includes(p.org.id) ||
        grantOrgs(v, 'regional_lead').includes(p.org.id)
      );
    case 'audit:read':
      return national || grantOrgs(v, 'org_admin').length > 0;
    case 'outbox:read':
      // In demo mode the demo personas may read it (it holds their password-reset links); never real accounts.
      return national || (opts.demoMode === true && v.isDemo && v.grants.length > 0);
    case 'national:admin':
      return national;
    // The reporting-burden register (docs/burden.md): national admins curate national returns, regional
    // leads their region's, ICB leads and organisation admins the ICB and local requests of their area.
    case 'burden:view':
      return true;
    case 'burden:curate-national':
      return national;
    case 'burden:curate-regional':
      return national || grantOrgs(v, 'regional_lead').includes(p.regionId);
    case 'burden:manage-local':
      return (
        national ||
        grantOrgs(v, 'org_admin').includes(p.org.id) ||
        grantOrgs(v, 'icb_lead').includes(p.org.id) ||
        (p.org.icbId !== null && grantOrgs(v, 'icb_lead').includes(p.org.icbId))
      );
    case 'burden:record-effort':
      return national || grantOrgs(v, 'org_admin').includes(p.org.id) || grantOrgs(v, 'icb_lead').includes(p.org.id);
    case 'burden:curate-any':
      return national || v.grants.some((g) => ['regional_lead', 'icb_lead', 'org_admin'].includes(g.role));
    case 'frameworks:read':
      return true;
    case 'frameworks:author':
      return national;
    // The manager time-use pulse (docs/burden.md): anyone with a person record may open it (whether they are a
    // manager is read from their assignments); results are aggregates under disclosure control for anyone signed
    // in; an organisation's admins choose monthly or quarterly rounds.
    case 'pulse:respond':
      return v.personId !== null;
    case 'pulse:results':
      return true;
    case 'pulse:configure':
      return national || grantOrgs(v, 'org_admin').includes(p.org.id);
    // A team's pulse figures (aggregates under disclosure control): the organisation's admins, and line managers
    // for the teams they manage and those under them. Not regional or national roles: they see areas.
    case 'pulse:team-results':
      return grantOrgs(v, 'org_admin').includes(p.org.id) || p.managesTeam;
    // Self-assessments and development plans (docs/standards-assessment.md): one's own, and those of the people
    // developmentAccess allows (line managers, organisation admins); never regional or national roles.
    case 'development:own':
      return v.personId !== null;
    case 'development:read':
      return developmentAccess(v, p.subject) !== null;
    case 'development:team':
      return v.managerAssignmentIds.length > 0;
    // The learning record (docs/learning-record.md): learning platforms post xAPI statements with a provider or
    // organisation admin token; equity figures are aggregates for organisation admins and ICB, regional and
    // national leads, each for their own area and the areas inside it.
    case 'learning:post-statements':
      return national || v.grants.some((g) => g.role === 'org_admin' || g.role === 'provider_admin');
    case 'learning:equity': {
      const { kind, place } = p.area;
      if (national) return true;
      if (!place) return false;
      const regional = grantOrgs(v, 'regional_lead');
      if (kind === 'region') return regional.includes(place.id);
      const inRegion = place.regionId !== null && regional.includes(place.regionId);
      if (kind === 'icb') return inRegion || grantOrgs(v, 'icb_lead').includes(place.id);
      if (kind === 'organisation') {
        return (
          inRegion ||
          grantOrgs(v, 'org_admin').includes(place.id) ||
          (place.icbId !== null && grantOrgs(v, 'icb_lead').includes(place.icbId))
        );
      }
      return false;
    }
    case 'learning:equity-any':
      return national || v.grants.some((g) => ['org_admin', 'icb_lead', 'regional_lead'].includes(g.role));
    // 360 feedback (docs/standards-feedback.md): the person or their line manager starts a round; the person,
    // their line managers, their organisation's admins and the named facilitator follow its progress (counts
    // only). The released report is the person's and the facilitator's; line managers and admins read it only
    // when the person shares it.
    case 'feedback:start': {
      const access = developmentAccess(v, p.subject);
      return access === 'self' || access === 'line_manager';
    }
    case 'feedback:progress':
      return developmentAccess(v, p.subject) !== null || p.facilitatorAccountId === v.accountId;
    case 'feedback:report': {
      if (!p.round.released) return false;
      const access = developmentAccess(v, p.subject);
      return access === 'self' || p.round.facilitatorAccountId === v.accountId || (access !== null && p.round.shared);
    }
    // The standard appraisal (docs/standards-appraisal.md): admins of an organisation run its cycles and see its
    // overdue people; ICB, regional and national roles see the same figures for their area, aggregated only.
    case 'appraisals:manage':
      return grantOrgs(v, 'org_admin').includes(p.org.id);
    case 'appraisals:org-figures':
      return (
        national ||
        grantOrgs(v, 'org_admin').includes(p.org.id) ||
        (p.org.icbId !== null && grantOrgs(v, 'icb_lead').includes(p.org.icbId)) ||
        (p.org.regionId !== null && grantOrgs(v, 'regional_lead').includes(p.org.regionId))
      );
    case 'appraisals:area-figures':
      if (p.area.level === 'nation') return national;
      return national || grantOrgs(v, p.area.level === 'icb' ? 'icb_lead' : 'regional_lead').includes(p.area.id);
    // The training catalogue (docs/learning-catalogue.md): provider admins manage their own provider's
    // programmes (a grant naming the provider, or the organisation the provider is); national admins any.
    // Regional leads review accreditation of their region's programmes, national admins of all.
    case 'catalogue:author':
      return national || v.grants.some((g) => g.role === 'provider_admin');
    case 'catalogue:manage-provider':
      return (
        national ||
        v.grants.some((g) => g.role === 'provider_admin' && g.providerId === p.provider.id) ||
        (p.provider.organisationId !== null && grantOrgs(v, 'provider_admin').includes(p.provider.organisationId))
      );
    case 'catalogue:manage-providers':
      return national;
    // Cohorts and booking (docs/learning-cohorts.md): supply and demand are aggregates for the same areas as the
    // learning equity figures; funding is approved by the admins of the applicant's organisation.
    case 'cohorts:supply':
      return authorise(v, { action: 'learning:equity', area: p.area });
    case 'cohorts:supply-any':
      return authorise(v, { action: 'learning:equity-any' });
    case 'cohorts:approve-funding':
      return national || grantOrgs(v, 'org_admin').includes(p.organisationId);
    case 'catalogue:review':
      return national || (p.regionId !== null && grantOrgs(v, 'regional_lead').includes(p.regionId));
    case 'catalogue:review-any':
      return national || grantOrgs(v, 'regional_lead').length > 0;
    case 'catalogue:coverage':
      return national || grantOrgs(v, 'regional_lead').length > 0 || grantOrgs(v, 'icb_lead').length > 0;
    case 'catalogue:recommendations':
      return v.personId !== null;
    // Management workload (docs/workload-priorities.md): an organisation's own priorities, notes, owners and
    // reorganisations are seen by its admins only; ICB, regional and national roles see aggregates.
    case 'workload:aggregates':
      return rolesOf(v).some((r) => r !== 'staff' && r !== 'provider_admin');
    case 'workload:org-detail':
    case 'reorganisations:record':
      return grantOrgs(v, 'org_admin').includes(p.org.id);
    case 'priorities:place': {
      if (national) return true;
      const a = p.area;
      if (!a || p.scope === 'national') return false;
      const regional = a.regionId !== null && grantOrgs(v, 'regional_lead').includes(a.regionId);
      if (p.scope === 'region') return grantOrgs(v, 'regional_lead').includes(a.id);
      if (p.scope === 'icb') return grantOrgs(v, 'icb_lead').includes(a.id) || regional;
      return (
        grantOrgs(v, 'org_admin').includes(a.id) ||
        (a.icbId !== null && grantOrgs(v, 'icb_lead').includes(a.icbId)) ||
        regional
      );
    }
    case 'priorities:mark-link':
      return grantOrgs(v, 'org_admin').includes(p.org.id) || p.managesTeamThere;
  }
}

type PeopleEB = ExpressionBuilder<DB & { p: DB['people'] }, 'p'>;

/**
 * The people a viewer may see, as a condition on `p` (an alias of `people`).
 * Staff: themselves. Line managers: plus their direct reports. Organisation admins: anyone with an
 * assignment (current or past) in their organisation. ICB and regional leads: anyone with a current
 * assignment in an organisation of their ICB or region. National admins: everyone.
 */
export function personScope(v: Viewer) {
  // Each EXISTS ends in OFFSET 0, which keeps PostgreSQL from turning it into a semi-join: every use is a lookup
  // or a page of a list, where the check runs for a few dozen rows, and planning the semi-join (weighing the
  // assignments table's indexes for each join order) took a millisecond or more, longer than running the list.
  return (eb: PeopleEB) => {
    if (hasRole(v, 'national_admin')) return sql<SqlBool>`true`;
    const ors = [];
    if (v.personId !== null) ors.push(eb('p.id', '=', v.personId));
    if (v.managerAssignmentIds.length > 0) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('assignments as sa')
            .select(sql`1`.as('one'))
            .whereRef('sa.person_id', '=', 'p.id')
            .where('sa.end_date', 'is', null)
            .where('sa.line_manager_assignment_id', 'in', v.managerAssignmentIds)
            .offset(0),
        ),
      );
    }
    const orgAdmin = grantOrgs(v, 'org_admin');
    if (orgAdmin.length > 0) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('assignments as sa')
            .select(sql`1`.as('one'))
            .whereRef('sa.person_id', '=', 'p.id')
            .where('sa.organisation_id', 'in', orgAdmin)
            .offset(0),
        ),
      );
    }
    const icb = grantOrgs(v, 'icb_lead');
    const region = grantOrgs(v, 'regional_lead');
    if (icb.length > 0 || region.length > 0) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('assignments as sa')
            .innerJoin('organisations as so', 'so.id', 'sa.organisation_id')
            .select(sql`1`.as('one'))
            .whereRef('sa.person_id', '=', 'p.id')
            .where('sa.end_date', 'is', null)
            .where((w) =>
              w.or([
                ...(icb.length ? [w('so.icb_id', 'in', icb)] : []),
                ...(region.length ? [w('so.region_id', 'in', region)] : []),
              ]),
            )
            .offset(0),
        ),
      );
    }
    return ors.length ? eb.or(ors) : sql<SqlBool>`false`;
  };
}

/**
 * For viewers whose scope is bounded (themselves, their direct reports, the organisations or the ICB they
 * look after: at most some tens of thousands of people): exactly the people of personScope, as an array of
 * ids a list can start from (scope-seed.test.ts holds the two equal for every kind of bounded viewer). A list
 * that starts from it is therefore already scoped and need not check personScope per row as well; with a
 * family-name prefix it holds only the people in scope with that name. Without it, a line manager's list
 * walks the name index over all 1.35M people to find their ten reports, and a filter that matches few people
 * in an ICB walks it all. Undefined for regional and national scopes, where the name index finds a page of
 * people quickly. Keep in step with personScope.
 */
export function personScopeSeed(v: Viewer, opts: { familyPrefix?: string } = {}) {
  if (hasRole(v, 'national_admin') || hasRole(v, 'regional_lead')) return undefined;
  const orgAdmin = grantOrgs(v, 'org_admin');
  const icb = grantOrgs(v, 'icb_lead');
  // With a family-name prefix the organisation parts read only the matching names from the
  // (organisation_id, family_key) index instead of everyone in the organisation.
  const prefix = opts.familyPrefix;
  const named = (alias: string) =>
    prefix === undefined ? sql`` : sql` AND ${sql.ref(`${alias}.family_key`)} LIKE ${`${likeEscape(prefix)}%`}`;
  return (eb: PeopleEB) => {
    const parts = [];
    if (v.personId !== null) parts.push(sql`SELECT ${v.personId}::bigint`);
    if (v.managerAssignmentIds.length > 0) {
      parts.push(sql`SELECT person_id FROM assignments
        WHERE end_date IS NULL AND line_manager_assignment_id = ANY(${v.managerAssignmentIds}::bigint[])`);
    }
    if (orgAdmin.length > 0) {
      parts.push(
        sql`SELECT oa.person_id FROM assignments oa WHERE oa.organisation_id = ANY(${orgAdmin}::int[])${named('oa')}`,
      );
    }
    if (icb.length > 0) {
      parts.push(sql`SELECT sa.person_id FROM assignments sa JOIN organisations so ON so.id = sa.organisation_id
        WHERE sa.end_date IS NULL AND so.icb_id = ANY(${icb}::int[])${named('sa')}`);
    }
    if (parts.length === 0) return sql<SqlBool>`false`;
    return sql<SqlBool>`${eb.ref('p.id')} = ANY(ARRAY(${sql.join(parts, sql` UNION ALL `)}))`;
  };
}

/**
 * Equality fields (ethnicity, disability, sex, age band) are special-category data: shown to the person
 * and to admins of an organisation where the person holds an assignment. Never to ICB, regional or
 * national roles, and not to line managers.
 */
export function canSeeEqualityFields(v: Viewer, person: { id: number; organisationIds: number[] }): boolean {
  if (v.personId === person.id) return true;
  const orgAdmin = grantOrgs(v, 'org_admin');
  return person.organisationIds.some((o) => orgAdmin.includes(o));
}

/**
 * The account, its grants with their organisations, and the current assignments through which it manages
 * someone, in one query (this runs on every signed-in request). `from` adds the table the account is
 * reached through: the session row, or nothing for an account id.
 */
function viewerQuery(db: Database) {
  return db.selectFrom('accounts as acc').select([
    'acc.id',
    'acc.person_id',
    'acc.display_name',
    'acc.email',
    'acc.is_demo',
    'acc.status',
    sql<Grant[]>`(SELECT coalesce(json_agg(json_build_object(
        'id', g.id, 'role', g.role, 'organisationId', g.organisation_id,
        'organisationCode', o.code, 'organisationName', o.name, 'providerId', g.provider_id) ORDER BY g.id), '[]'::json)
       FROM role_grants g LEFT JOIN organisations o ON o.id = g.organisation_id
      WHERE g.account_id = acc.id)`.as('grants'),
    sql<number[]>`ARRAY(SELECT ma.id FROM assignments ma
      WHERE ma.person_id = acc.person_id AND ma.end_date IS NULL
        AND EXISTS (SELECT 1 FROM assignments r WHERE r.line_manager_assignment_id = ma.id AND r.end_date IS NULL)
      ORDER BY ma.id)`.as('manager_ids'),
  ]);
}

type ViewerRow = Awaited<ReturnType<ReturnType<typeof viewerQuery>['executeTakeFirstOrThrow']>>;

function toViewer(row: ViewerRow | undefined, via: Viewer['via']): Viewer | null {
  if (row?.status !== 'active') return null;
  return {
    accountId: row.id,
    personId: row.person_id,
    displayName: row.display_name,
    email: row.email,
    isDemo: row.is_demo,
    grants: row.grants,
    managerAssignmentIds: row.manager_ids.map(Number),
    via,
  };
}

/** Load the viewer for an account: grants with their organisations, and whether they manage anyone. */
export async function loadViewer(db: Database, accountId: number, via: Viewer['via']): Promise<Viewer | null> {
  return toViewer(await viewerQuery(db).where('acc.id', '=', accountId).executeTakeFirst(), via);
}

// Every signed-in request runs this, so it is compiled once (src/db/prepared.ts).
const sessionViewerQuery = preparedQuery(['sessionId'], (db, v) =>
  viewerQuery(db)
    .innerJoin('sessions as s', 's.account_id', 'acc.id')
    .select(['s.data', 's.last_seen_at', 's.expires_at'])
    .where('s.id', '=', v.sessionId),
);

/** A session row and its viewer in one round trip; undefined when there is no such session. */
export async function loadSessionViewer(db: Database, sessionId: string) {
  const [row] = await sessionViewerQuery(db, { sessionId });
  if (!row) return undefined;
  return { data: row.data, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at, viewer: toViewer(row, 'session') };
}

/**
 * Narrow a viewer to the one role of an API token. null: the personal role (their own record and their
 * direct reports). A grant id: exactly that grant, without the personal powers, so that a token made for
 * organisation admin work cannot also read the owner's team. Null result: the account no longer holds it.
 */
export function restrictToGrant(v: Viewer, grantId: number | null): Viewer | null {
  if (grantId === null) return { ...v, grants: [] };
  const grant = v.grants.find((g) => g.id === grantId);
  if (!grant) return null;
  return { ...v, personId: null, managerAssignmentIds: [], grants: [grant] };
}

/** Who a person is, for deciding access to their development records. */
export interface DevelopmentSubject {
  personId: number;
  /** The line-manager assignment ids of the person's current assignments. */
  lineManagerAssignmentIds: number[];
  /** Organisations where the person holds a current assignment. */
  organisationIds: number[];
}

/** Why a viewer may see a development record, which the audit entry and the page can say. */
export type DevelopmentAccess = 'self' | 'line_manager' | 'org_admin';

/**
 * Development records (self-assessments, 360 reports, appraisals, development plans, talent ratings): the person,
 * their current line managers and admins of an organisation where they hold a current assignment (design.md,
 * access model). ICB, regional and national roles see aggregates only, never a person's record. Null: no access.
 * Every read by someone other than the person is audited by the caller.
 */
export function developmentAccess(v: Viewer, s: DevelopmentSubject): DevelopmentAccess | null {
  if (v.personId !== null && v.personId === s.personId) return 'self';
  if (s.lineManagerAssignmentIds.some((id) => v.managerAssignmentIds.includes(id))) return 'line_manager';
  const orgAdmin = grantOrgs(v, 'org_admin');
  if (s.organisationIds.some((o) => orgAdmin.includes(o))) return 'org_admin';
  return null;
}

/**
 * What developmentAccess needs about a person, as two columns over `personId` (a column reference such as
 * 'p.id'), for a statement that reads a record together with its subject in one round trip. Turn the row's
 * columns into the subject with developmentSubjectOf.
 */
export function developmentSubjectColumns(personId: string) {
  const ref = sql.ref(personId);
  return [
    sql<number[]>`ARRAY(SELECT a.line_manager_assignment_id FROM assignments a
        WHERE a.person_id = ${ref} AND a.end_date IS NULL AND a.line_manager_assignment_id IS NOT NULL)`.as(
      'subject_managers',
    ),
    sql<number[]>`ARRAY(SELECT DISTINCT a.organisation_id FROM assignments a
        WHERE a.person_id = ${ref} AND a.end_date IS NULL)`.as('subject_orgs'),
  ] as const;
}

export const developmentSubjectOf = (
  personId: number | string,
  row: { subject_managers: (number | string)[]; subject_orgs: (number | string)[] },
): DevelopmentSubject => ({
  personId: Number(personId),
  lineManagerAssignmentIds: row.subject_managers.map(Number),
  organisationIds: row.subject_orgs.map(Number),
});

/** Load what developmentAccess needs about a person; undefined when there is no such person. */
export async function loadDevelopmentSubject(db: Database, personId: number): Promise<DevelopmentSubject | undefined> {
  const row = await db
    .selectFrom('people as p')
    .select(['p.id', ...developmentSubjectColumns('p.id')])
    .where('p.id', '=', personId)
    .executeTakeFirst();
  return row && developmentSubjectOf(row.id, row);
}

/**
 * The people whose development records a viewer may see, as a condition on `p` (an alias of `people`): the same
 * rule as developmentAccess, for lists (a manager's team, an organisation's overdue appraisals). Keep in step.
 */
export function developmentScope(v: Viewer) {
  return (eb: PeopleEB) => {
    const ors = [];
    if (v.personId !== null) ors.push(eb('p.id', '=', v.personId));
    if (v.managerAssignmentIds.length > 0) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('assignments as da')
            .select(sql`1`.as('one'))
            .whereRef('da.person_id', '=', 'p.id')
            .where('da.end_date', 'is', null)
            .where('da.line_manager_assignment_id', 'in', v.managerAssignmentIds),
        ),
      );
    }
    const orgAdmin = grantOrgs(v, 'org_admin');
    if (orgAdmin.length > 0) {
      ors.push(
        eb.exists(
          eb
            .selectFrom('assignments as da')
            .select(sql`1`.as('one'))
            .whereRef('da.person_id', '=', 'p.id')
            .where('da.end_date', 'is', null)
            .where('da.organisation_id', 'in', orgAdmin),
        ),
      );
    }
    return ors.length ? eb.or(ors) : sql<SqlBool>`false`;
  };
}
