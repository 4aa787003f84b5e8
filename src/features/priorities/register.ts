import type { PriorityScope, PriorityStatus } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { authorise, type OrgPlace, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { type LinkKind, orderedPair, type PriorityInput } from './priorities.ts';
import {
  applyingTo,
  insertPriority,
  managedTeams,
  type OrgRef,
  openTeams,
  organisationsOfPriority,
  orgByCode,
  type PriorityRow,
  requestRefresh,
  setStatus,
  updatePriority,
  upsertLink,
} from './queries.ts';
import { refreshThicket } from './refresh.ts';

// Writing the register: placing a priority, changing its status, marking two as overlapping or conflicting.
// Each write checks the place against the database and the viewer's right, is audited, and refreshes the
// figures of the organisations it touches (at once for one organisation, by the job for more).

export type Actor = { viewer: Viewer; ip?: string };
type Problem = { field: string; message: string };

export const placeOf = (o: OrgRef): OrgPlace => ({ id: o.id, icbId: o.icb_id, regionId: o.region_id });
const today = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString().slice(0, 10);

export interface PlaceInput {
  scope: PriorityScope;
  code?: string;
  /** For a region or ICB: ODS codes of some of its organisations (none: all of them). */
  organisationCodes?: string[];
  /** For an organisation: some of its teams (none: the whole organisation). */
  teamIds?: number[];
}

export interface ResolvedPlace {
  scope: PriorityScope;
  area: OrgRef | null;
  targets: { organisationId: number; teamId: number | null }[];
}

const kindOfScope: Record<Exclude<PriorityScope, 'national'>, (k: string) => boolean> = {
  region: (k) => k === 'region',
  icb: (k) => k === 'icb',
  organisation: (k) => k !== 'region' && k !== 'icb' && k !== 'nation',
};

/** Check a place: the area exists and is of the right kind, the targets lie inside it, the viewer may place there. */
export async function resolvePlace(deps: Deps, viewer: Viewer, p: PlaceInput): Promise<ResolvedPlace | Problem> {
  const db = deps.db;
  let area: OrgRef | null = null;
  if (p.scope !== 'national') {
    if (!p.code) return { field: 'place', message: 'Give the ODS code of the area the priority is placed on' };
    area = (await orgByCode(db, p.code)) ?? null;
    if (!area || !kindOfScope[p.scope](area.kind)) {
      return {
        field: 'place',
        message: `No ${p.scope === 'organisation' ? 'organisation' : p.scope} has the code ${p.code}`,
      };
    }
  }
  if (!authorise(viewer, { action: 'priorities:place', scope: p.scope, area: area && placeOf(area) })) {
    return { field: 'place', message: 'You may not place priorities there' };
  }
  const targets: ResolvedPlace['targets'] = [];
  if (p.teamIds?.length) {
    if (p.scope !== 'organisation' || !area)
      return { field: 'teams', message: 'Teams can be chosen only within an organisation' };
    const open = new Set((await openTeams(db, area.id)).map((t) => t.id));
    const bad = p.teamIds.find((t) => !open.has(t));
    if (bad !== undefined) return { field: 'teams', message: `Team ${bad} is not an open team of ${area.name}` };
    for (const t of new Set(p.teamIds)) targets.push({ organisationId: area.id, teamId: t });
  }
  if (p.organisationCodes?.length) {
    if ((p.scope !== 'icb' && p.scope !== 'region') || !area) {
      return { field: 'organisations', message: 'Organisations can be chosen only within an ICB or a region' };
    }
    for (const code of new Set(p.organisationCodes.map((c) => c.toUpperCase()))) {
      const o = await orgByCode(db, code);
      const inside = o && (p.scope === 'icb' ? o.icb_id === area.id : o.region_id === area.id);
      if (!o || !inside) return { field: 'organisations', message: `${code} is not an organisation of ${area.name}` };
      targets.push({ organisationId: o.id, teamId: null });
    }
  }
  return { scope: p.scope, area, targets };
}

/**
 * Refresh the figures a change touches. One organisation's teams and managers are recomputed at once (a fraction
 * of a second); a change reaching more (a national, regional or ICB-wide priority) is recorded as a request and
 * left to the job `priorities.refresh-pending`, which runs every minute, so the request does not wait for every
 * organisation's summaries (docs/workload-priorities.md, "When figures are computed").
 */
export async function refreshFor(deps: Deps, orgs: number[] | 'all', reason: string): Promise<{ queued: boolean }> {
  if (orgs !== 'all' && orgs.length === 0) return { queued: false };
  if (orgs !== 'all' && orgs.length === 1) {
    await refreshThicket(deps.db, today(deps), orgs);
    return { queued: false };
  }
  await requestRefresh(deps.db, orgs === 'all' ? null : orgs, reason);
  return { queued: true };
}

export async function createPriority(deps: Deps, actor: Actor, input: PriorityInput, place: ResolvedPlace) {
  const id = await deps.db.transaction().execute(async (trx) => {
    const newId = await insertPriority(
      trx,
      { ...input, scope: place.scope, scopeOrgId: place.area?.id ?? null, targets: place.targets },
      actor.viewer.accountId,
    );
    await audit(trx, actor, {
      action: 'priorities.create',
      subjectType: 'priority',
      subjectId: newId,
      organisationId: place.area?.id ?? null,
      details: { title: input.title, scope: place.scope, funded: input.funded, targets: place.targets.length },
    });
    return newId;
  });
  const refreshed = await refreshFor(deps, await organisationsOfPriority(deps.db, id), `priority ${id} placed`);
  return { id, ...refreshed };
}

/** Whoever may place a priority where it is placed may change its status. */
export function mayChange(viewer: Viewer, p: PriorityRow, area: OrgRef | null) {
  return authorise(viewer, { action: 'priorities:place', scope: p.scope, area: area && placeOf(area) });
}

export async function changeStatus(deps: Deps, actor: Actor, p: PriorityRow, status: PriorityStatus) {
  if (status === p.status) return { queued: false };
  const endedOn = status === 'active' ? null : today(deps);
  await deps.db.transaction().execute(async (trx) => {
    await setStatus(trx, p.id, status, endedOn);
    await audit(trx, actor, {
      action: 'priorities.status',
      subjectType: 'priority',
      subjectId: p.id,
      organisationId: p.scope_org_id,
      details: { from: p.status, to: status },
    });
  });
  return refreshFor(deps, await organisationsOfPriority(deps.db, p.id), `priority ${p.id} ${status}`);
}

/** The fields an edit may change, and how each is compared (dates and money as stored text). */
const editable = ['title', 'source', 'set_on', 'measure', 'target_date', 'funded', 'funding_amount', 'owner'] as const;
const stored = (p: PriorityRow) => ({
  ...p,
  funding_amount: p.funding_amount === null ? null : Number(p.funding_amount),
});

/**
 * Edit what a priority says (not where it is placed: that is a new priority). Audited with each changed field's
 * old and new value; the figures are refreshed when a change can move them (the date set or the funding).
 */
export async function editPriority(deps: Deps, actor: Actor, p: PriorityRow, input: PriorityInput) {
  return changePriority(deps, actor, p, input);
}

/**
 * Edit what a priority says and, if given, its status, in one transaction (the API's PATCH): each audited as the
 * pages audit them (`priorities.update` with the fields changed, `priorities.status`), and the figures refreshed
 * once when either can move them.
 */
export async function changePriority(
  deps: Deps,
  actor: Actor,
  p: PriorityRow,
  input: PriorityInput,
  status?: PriorityStatus,
): Promise<{ changed: boolean; queued: boolean }> {
  const before = stored(p);
  const after = { ...input, target_date: input.target_date ?? null, funding_amount: input.funding_amount ?? null };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const f of editable) if (before[f] !== after[f]) changes[f] = { from: before[f], to: after[f] };
  const newStatus = status !== undefined && status !== p.status ? status : undefined;
  if (!Object.keys(changes).length && !newStatus) return { changed: false, queued: false };
  await deps.db.transaction().execute(async (trx) => {
    if (Object.keys(changes).length) {
      await updatePriority(trx, p.id, input);
      await audit(trx, actor, {
        action: 'priorities.update',
        subjectType: 'priority',
        subjectId: p.id,
        organisationId: p.scope_org_id,
        details: { changes },
      });
    }
    if (newStatus) {
      await setStatus(trx, p.id, newStatus, newStatus === 'active' ? null : today(deps));
      await audit(trx, actor, {
        action: 'priorities.status',
        subjectType: 'priority',
        subjectId: p.id,
        organisationId: p.scope_org_id,
        details: { from: p.status, to: newStatus },
      });
    }
  });
  if (!newStatus && !changes.set_on && !changes.funded) return { changed: true, queued: false };
  const r = await refreshFor(
    deps,
    await organisationsOfPriority(deps.db, p.id),
    `priority ${p.id} ${newStatus && !Object.keys(changes).length ? newStatus : 'edited'}`,
  );
  return { changed: true, ...r };
}

/** A stored priority as the checks of a new one take it, so that an edit of some fields re-checks the whole. */
export function inputOf(p: PriorityRow): Record<string, unknown> {
  return {
    title: p.title,
    source: p.source,
    set_on: p.set_on,
    measure: p.measure,
    target_date: p.target_date ?? undefined,
    funded: p.funded,
    funding_amount: p.funding_amount === null ? undefined : Number(p.funding_amount),
    owner: p.owner,
  };
}

/**
 * Where a viewer may mark links in an organisation: everywhere in it (its admins) or among the priorities of the
 * teams they manage there (line managers). Undefined: not at all.
 */
export async function linkScope(deps: Deps, viewer: Viewer, org: OrgRef): Promise<{ teamIds?: number[] } | undefined> {
  const teams = (await managedTeams(deps.db, viewer.managerAssignmentIds)).filter((t) => t.organisation_id === org.id);
  const ok = authorise(viewer, {
    action: 'priorities:mark-link',
    org: placeOf(org),
    managesTeamThere: teams.length > 0,
  });
  if (!ok) return undefined;
  if (authorise(viewer, { action: 'workload:org-detail', org: placeOf(org) })) return {};
  return { teamIds: teams.map((t) => t.team_id) };
}

export async function markLink(
  deps: Deps,
  actor: Actor,
  org: OrgRef,
  scope: { teamIds?: number[] },
  l: { priority_a: number; priority_b: number; kind: LinkKind; note: string },
): Promise<Problem | { id: number; created: boolean }> {
  const applying = new Set((await applyingTo(deps.db, org, scope.teamIds)).map((p) => p.id));
  for (const field of ['priority_a', 'priority_b'] as const) {
    if (!applying.has(l[field])) {
      return { field, message: `Select an active priority that applies to ${scope.teamIds ? 'your teams' : org.name}` };
    }
  }
  const [a, b] = orderedPair(l.priority_a, l.priority_b);
  const saved = await upsertLink(deps.db, {
    organisationId: org.id,
    a,
    b,
    kind: l.kind,
    note: l.note,
    accountId: actor.viewer.accountId,
  });
  await audit(deps.db, actor, {
    action: 'priorities.link',
    subjectType: 'priority_link',
    subjectId: saved.id,
    organisationId: org.id,
    details: { priority_a: a, priority_b: b, kind: l.kind, created: saved.created },
  });
  await refreshFor(deps, [org.id], `link marked in ${org.code}`);
  return saved;
}
