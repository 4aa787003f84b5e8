import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { DB, PriorityScope, PrioritySource, PriorityStatus } from '../../db/schema.ts';
import { hasRole, type Viewer } from '../../plugins/access.ts';
import type { LinkKind, PriorityInput } from './priorities.ts';

// The SQL of the priorities register: priorities, their targets and the links people mark between them.
// The thicket figures are in summary-queries.ts (written by the refresh only).

export type Db = Kysely<DB> | Transaction<DB>;

export interface OrgRef {
  id: number;
  code: string;
  name: string;
  kind: string;
  icb_id: number | null;
  region_id: number | null;
}

const orgColumns = ['id', 'code', 'name', 'kind', 'icb_id', 'region_id'] as const;

export async function orgByCode(db: Db, code: string): Promise<OrgRef | undefined> {
  return db.selectFrom('organisations').select(orgColumns).where('code', '=', code.toUpperCase()).executeTakeFirst();
}

export async function orgsById(db: Db, ids: number[]): Promise<OrgRef[]> {
  if (!ids.length) return [];
  return db.selectFrom('organisations').select(orgColumns).where('id', 'in', ids).orderBy('name').execute();
}

/** Open organisations of an ICB or region (its providers), for placing a priority on some of them. */
export async function orgsWithin(db: Db, level: 'icb' | 'region', areaId: number): Promise<OrgRef[]> {
  return db
    .selectFrom('organisations')
    .select(orgColumns)
    .where(level === 'icb' ? 'icb_id' : 'region_id', '=', areaId)
    .where('kind', 'in', ['trust', 'provider', 'other'])
    .where('closed_on', 'is', null)
    .orderBy('name')
    .execute();
}

export async function openTeams(db: Db, orgId: number) {
  return db
    .selectFrom('teams')
    .select(['id', 'name', 'code'])
    .where('organisation_id', '=', orgId)
    .where('closed_on', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** The teams a line manager manages: those of their own current assignments and of their direct reports'. */
export async function managedTeams(db: Db, managerAssignmentIds: number[]) {
  if (!managerAssignmentIds.length) return [];
  const res = await sql<{ team_id: number; organisation_id: number; name: string }>`
    SELECT DISTINCT t.id AS team_id, t.organisation_id, t.name
      FROM assignments a JOIN teams t ON t.id = a.team_id
     WHERE a.end_date IS NULL AND t.closed_on IS NULL
       AND (a.id = ANY(${managerAssignmentIds}::bigint[]) OR a.line_manager_assignment_id = ANY(${managerAssignmentIds}::bigint[]))
     ORDER BY t.name`.execute(db);
  return res.rows;
}

/** The areas whose priorities a viewer may read in detail (docs/workload-priorities.md, "who sees what"). */
export interface ViewerAreas {
  national: boolean;
  regions: number[];
  icbs: number[];
  orgs: number[];
  accountId: number;
}

export async function viewerAreas(db: Db, v: Viewer): Promise<ViewerAreas> {
  const granted = v.grants.filter((g) => g.organisationId !== null).map((g) => g.organisationId!);
  const managerOrgs = (await managedTeams(db, v.managerAssignmentIds)).map((t) => t.organisation_id);
  const places = await orgsById(db, [...new Set([...granted, ...managerOrgs])]);
  const byId = new Map(places.map((o) => [o.id, o]));
  const regions = new Set<number>();
  const icbs = new Set<number>();
  const orgs = new Set<number>();
  const add = (id: number | null, set: Set<number>) => id !== null && set.add(id);
  for (const g of v.grants) {
    const o = g.organisationId === null ? undefined : byId.get(g.organisationId);
    if (!o) continue;
    if (g.role === 'regional_lead') add(o.id, regions);
    if (g.role === 'icb_lead') {
      add(o.id, icbs);
      add(o.region_id, regions);
    }
    if (g.role === 'org_admin') {
      add(o.id, orgs);
      add(o.icb_id, icbs);
      add(o.region_id, regions);
    }
  }
  for (const id of managerOrgs) {
    const o = byId.get(id)!;
    add(o.id, orgs);
    add(o.icb_id, icbs);
    add(o.region_id, regions);
  }
  return {
    national: hasRole(v, 'national_admin'),
    regions: [...regions],
    icbs: [...icbs],
    orgs: [...orgs],
    accountId: v.accountId,
  };
}

/** The condition "the viewer may read this priority (alias p) in detail". */
function visibleTo(a: ViewerAreas) {
  const int = (xs: number[]) => sql`${xs}::int[]`;
  return sql<SqlBool>`(p.scope = 'national'
    OR (p.scope = 'region' AND (${a.national} OR p.scope_org_id = ANY(${int(a.regions)})))
    OR (p.scope = 'icb' AND (${a.national} OR p.scope_org_id = ANY(${int(a.icbs)})
        OR EXISTS (SELECT 1 FROM organisations io WHERE io.id = p.scope_org_id AND io.region_id = ANY(${int(a.regions)}))))
    OR (p.scope = 'organisation' AND p.scope_org_id = ANY(${int(a.orgs)}))
    OR p.created_by = ${a.accountId})`;
}

export interface PriorityRow {
  id: number;
  title: string;
  source: PrioritySource;
  set_on: string;
  measure: string;
  target_date: string | null;
  funded: boolean;
  funding_amount: string | null;
  owner: string;
  scope: PriorityScope;
  scope_org_id: number | null;
  scope_org_code: string | null;
  scope_org_name: string | null;
  targeted: boolean;
  status: PriorityStatus;
  ended_on: string | null;
  created_by: number | null;
}

function prioritySelect(db: Db) {
  return db
    .selectFrom('priorities as p')
    .leftJoin('organisations as so', 'so.id', 'p.scope_org_id')
    .select([
      'p.id',
      'p.title',
      'p.source',
      'p.set_on',
      'p.measure',
      'p.target_date',
      'p.funded',
      'p.funding_amount',
      'p.owner',
      'p.scope',
      'p.scope_org_id',
      'so.code as scope_org_code',
      'so.name as scope_org_name',
      'p.targeted',
      'p.status',
      'p.ended_on',
      'p.created_by',
    ]);
}

export interface ListFilters {
  status?: PriorityStatus;
  source?: PrioritySource;
  scope?: PriorityScope;
}

/** The priorities a viewer may read, newest id first, a page after the cursor id. */
export async function listVisible(
  db: Db,
  areas: ViewerAreas,
  f: ListFilters,
  before: number | undefined,
  limit: number,
): Promise<PriorityRow[]> {
  let q = prioritySelect(db).where(visibleTo(areas));
  if (f.status) q = q.where('p.status', '=', f.status);
  if (f.source) q = q.where('p.source', '=', f.source);
  if (f.scope) q = q.where('p.scope', '=', f.scope);
  if (before !== undefined) q = q.where('p.id', '<', before);
  return q.orderBy('p.id', 'desc').limit(limit).execute();
}

export async function findPriority(db: Db, id: number): Promise<PriorityRow | undefined> {
  return prioritySelect(db).where('p.id', '=', id).executeTakeFirst();
}

export async function mayRead(db: Db, areas: ViewerAreas, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('priorities as p')
    .select('p.id')
    .where('p.id', '=', id)
    .where(visibleTo(areas))
    .executeTakeFirst();
  return row !== undefined;
}

export interface TargetRow {
  priority_id: number;
  organisation_id: number;
  org_code: string;
  org_name: string;
  team_id: number | null;
  team_name: string | null;
}

export async function targetsOf(db: Db, ids: number[]): Promise<TargetRow[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('priority_targets as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .leftJoin('teams as tm', 'tm.id', 't.team_id')
    .select([
      't.priority_id',
      't.organisation_id',
      'o.code as org_code',
      'o.name as org_name',
      't.team_id',
      'tm.name as team_name',
    ])
    .where('t.priority_id', 'in', ids)
    .orderBy('o.name')
    .orderBy('tm.name')
    .execute();
}

export interface NewPriority extends PriorityInput {
  scope: PriorityScope;
  scopeOrgId: number | null;
  /** Whole organisations (team null) or teams; empty: the whole area. */
  targets: { organisationId: number; teamId: number | null }[];
}

export async function insertPriority(db: Db, p: NewPriority, accountId: number | null): Promise<number> {
  const row = await db
    .insertInto('priorities')
    .values({
      title: p.title,
      source: p.source,
      set_on: p.set_on,
      measure: p.measure,
      target_date: p.target_date ?? null,
      funded: p.funded,
      funding_amount: p.funding_amount ?? null,
      owner: p.owner,
      scope: p.scope,
      scope_org_id: p.scopeOrgId,
      targeted: p.targets.length > 0,
      created_by: accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (p.targets.length) {
    await db
      .insertInto('priority_targets')
      .values(p.targets.map((t) => ({ priority_id: row.id, organisation_id: t.organisationId, team_id: t.teamId })))
      .execute();
  }
  return row.id;
}

export async function setStatus(db: Db, id: number, status: PriorityStatus, endedOn: string | null) {
  await db
    .updateTable('priorities')
    .set({ status, ended_on: endedOn, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** What an edit may change: everything but where it is placed and its status. */
export async function updatePriority(db: Db, id: number, p: PriorityInput) {
  await db
    .updateTable('priorities')
    .set({
      title: p.title,
      source: p.source,
      set_on: p.set_on,
      measure: p.measure,
      target_date: p.target_date ?? null,
      funded: p.funded,
      funding_amount: p.funding_amount ?? null,
      owner: p.owner,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Ask the job to recompute some organisations' figures (null: every organisation). */
export async function requestRefresh(db: Db, orgIds: number[] | null, reason: string) {
  await db.insertInto('priority_refresh_requests').values({ organisation_ids: orgIds, reason }).execute();
}

/** The requests not yet done (oldest first), locked so that a second job run waits rather than repeats them. */
export async function claimRefreshRequests(db: Db) {
  const res = await sql<{ id: number; organisation_ids: number[] | null }>`
    SELECT id, organisation_ids FROM priority_refresh_requests WHERE done_at IS NULL ORDER BY id
       FOR UPDATE SKIP LOCKED`.execute(db);
  return res.rows.map((r) => ({ id: Number(r.id), organisationIds: r.organisation_ids }));
}

export async function markRefreshDone(db: Db, ids: number[] | 'all-before', before?: Date) {
  if (ids === 'all-before') {
    await sql`UPDATE priority_refresh_requests SET done_at = now()
               WHERE done_at IS NULL AND requested_at <= ${before!}`.execute(db);
    return;
  }
  if (ids.length) {
    await sql`UPDATE priority_refresh_requests SET done_at = now() WHERE id = ANY(${ids}::bigint[])`.execute(db);
  }
}

/** When the oldest change not yet counted was made, if any (pages say their figures update shortly). */
export async function pendingSince(db: Db): Promise<Date | undefined> {
  const r = await db
    .selectFrom('priority_refresh_requests')
    .select('requested_at')
    .where('done_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return r?.requested_at;
}

/** Organisations a priority applies to, for refreshing them after a change: every organisation when it cascades. */
export async function organisationsOfPriority(db: Db, id: number): Promise<number[] | 'all'> {
  const p = await db
    .selectFrom('priorities')
    .select(['scope', 'scope_org_id', 'targeted'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!p) return [];
  if (p.targeted) {
    const rows = await db
      .selectFrom('priority_targets')
      .select('organisation_id')
      .distinct()
      .where('priority_id', '=', id)
      .execute();
    return rows.map((r) => r.organisation_id);
  }
  if (p.scope === 'national') return 'all';
  if (p.scope === 'organisation') return [p.scope_org_id!];
  const rows = await db
    .selectFrom('organisations')
    .select('id')
    .where(p.scope === 'icb' ? 'icb_id' : 'region_id', '=', p.scope_org_id)
    .execute();
  return rows.map((r) => r.id);
}

/** The condition "priority p applies to organisation o as a whole" (cascaded, or placed on it). */
export const appliesToWholeOrg = (org: { id: number; icb_id: number | null; region_id: number | null }) =>
  sql<SqlBool>`((NOT p.targeted AND (p.scope = 'national'
      OR (p.scope = 'region' AND p.scope_org_id = ${org.region_id ?? -1})
      OR (p.scope = 'icb' AND p.scope_org_id = ${org.icb_id ?? -1})
      OR (p.scope = 'organisation' AND p.scope_org_id = ${org.id})))
    OR EXISTS (SELECT 1 FROM priority_targets wt
                WHERE wt.priority_id = p.id AND wt.organisation_id = ${org.id} AND wt.team_id IS NULL))`;

/**
 * Active priorities that apply to an organisation: to it as a whole, or (when `managed` teams are given, only
 * those teams, through them or a team above them; otherwise any team) to its teams. With the teams of the
 * organisation each is placed on.
 */
export async function applyingTo(
  db: Db,
  org: { id: number; icb_id: number | null; region_id: number | null },
  managed?: number[],
) {
  // A priority placed on a team applies to every team under it: for some teams, look for those placed on them
  // or on a team above them.
  const teamIds = managed === undefined ? undefined : await withAncestors(db, managed);
  const teamFilter =
    teamIds === undefined ? sql`` : sql`AND tt.team_id = ANY(${teamIds.length ? teamIds : [-1]}::int[])`;
  const rows = await prioritySelect(db)
    .select([
      sql<boolean>`${appliesToWholeOrg(org)}`.as('whole'),
      sql<string[]>`ARRAY(SELECT tn.name FROM priority_targets tt JOIN teams tn ON tn.id = tt.team_id
          WHERE tt.priority_id = p.id AND tt.organisation_id = ${org.id} ${teamFilter} ORDER BY tn.name)`.as('teams'),
    ])
    .where('p.status', '=', 'active')
    .where((eb) =>
      eb.or([
        appliesToWholeOrg(org),
        eb.exists(
          eb
            .selectFrom('priority_targets as tt')
            .select(sql`1`.as('one'))
            .whereRef('tt.priority_id', '=', 'p.id')
            .where('tt.organisation_id', '=', org.id)
            .where('tt.team_id', 'is not', null)
            .where(sql<SqlBool>`true ${teamFilter}`),
        ),
      ]),
    )
    .orderBy('p.set_on', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
  return rows;
}

/** The teams given and every team above them (teams.parent_team_id). */
export async function withAncestors(db: Db, teamIds: number[]): Promise<number[]> {
  if (!teamIds.length) return [];
  const res = await sql<{ id: number }>`
    WITH RECURSIVE up(id, parent) AS (
      SELECT id, parent_team_id FROM teams WHERE id = ANY(${teamIds}::int[])
      UNION
      SELECT t.id, t.parent_team_id FROM up JOIN teams t ON t.id = up.parent
    ) SELECT id FROM up`.execute(db);
  return res.rows.map((r) => r.id);
}

export interface LinkRow {
  id: number;
  kind: LinkKind;
  note: string;
  priority_a: number;
  priority_b: number;
  title_a: string;
  title_b: string;
  updated_at: Date;
}

/** The overlaps and conflicts marked in an organisation, between priorities still active. */
export async function linksOf(db: Db, orgId: number, priorityId?: number): Promise<LinkRow[]> {
  let q = db
    .selectFrom('priority_links as l')
    .innerJoin('priorities as pa', 'pa.id', 'l.priority_a')
    .innerJoin('priorities as pb', 'pb.id', 'l.priority_b')
    .select([
      'l.id',
      'l.kind',
      'l.note',
      'l.priority_a',
      'l.priority_b',
      'pa.title as title_a',
      'pb.title as title_b',
      'l.updated_at',
    ])
    .where('l.organisation_id', '=', orgId);
  if (priorityId !== undefined) {
    q = q.where((eb) => eb.or([eb('l.priority_a', '=', priorityId), eb('l.priority_b', '=', priorityId)]));
  }
  return q.orderBy('l.updated_at', 'desc').execute();
}

/** Mark (or re-mark) a pair in an organisation: one row per pair and organisation, the latest kind and note. */
export async function upsertLink(
  db: Db,
  l: { organisationId: number; a: number; b: number; kind: LinkKind; note: string; accountId: number },
): Promise<{ id: number; created: boolean }> {
  const row = await db
    .insertInto('priority_links')
    .values({
      organisation_id: l.organisationId,
      priority_a: l.a,
      priority_b: l.b,
      kind: l.kind,
      note: l.note,
      created_by: l.accountId,
    })
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'priority_a', 'priority_b']).doUpdateSet({
        kind: l.kind,
        note: l.note,
        updated_at: new Date(),
      }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}
