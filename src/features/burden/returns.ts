import type { Database } from '../../db/database.ts';
import { authorise, type OrgPlace, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { findOrganisation, type OrgDetail } from '../organisations/queries.ts';
import { organisationsWithEffortOn } from './effort-queries.ts';
import {
  type Db,
  deleteReturn,
  type ItemInput,
  insertReturn,
  type ReturnPlaces,
  type ReturnRow,
  returnHasEffort,
  returnNamed,
  setReturnItems,
  updateReturn,
} from './queries.ts';
import { refreshBurden, refreshItemPairs, refreshRegisterAnalysis } from './refresh.ts';
import { curatePermission, scopeLabels, scopeOrgKinds } from './register.ts';
import type { ReturnValues } from './schemas.ts';

/**
 * Writing the register: where a return sits (its scope organisation and owner), whether the viewer may
 * curate it, and the writes with their audit entries and the analysis refresh that follows.
 */

export type Actor = { viewer: Viewer | null; ip?: string } | { label: string };

export const placeOf = (o: Pick<OrgDetail, 'id' | 'icb_id' | 'region_id'>): OrgPlace => ({
  id: o.id,
  icbId: o.icb_id,
  regionId: o.region_id,
});

export interface Placed {
  places: ReturnPlaces;
  scopeOrg: OrgDetail | null;
}

export interface Problem {
  field: string;
  message: string;
}

const kindWords: Record<string, string> = { regional: 'a region', icb: 'an ICB', local: 'an NHS organisation' };

/** Find the scope and owner organisations by ODS code. `cache` lets an import look each code up once. */
export async function placeReturn(
  db: Database,
  v: ReturnValues,
  cache = new Map<string, OrgDetail | undefined>(),
): Promise<Placed | Problem> {
  const lookup = async (code: string) => {
    if (!cache.has(code)) cache.set(code, await findOrganisation(db, code));
    return cache.get(code);
  };
  let scopeOrg: OrgDetail | null = null;
  if (v.scope !== 'national' && v.scope_org_code) {
    const org = await lookup(v.scope_org_code);
    if (!org) return { field: 'scope_org_code', message: `No organisation has the ODS code ${v.scope_org_code}` };
    if (!scopeOrgKinds[v.scope].includes(org.kind)) {
      return {
        field: 'scope_org_code',
        message: `A ${scopeLabels[v.scope].toLowerCase()} return must cover ${kindWords[v.scope]}: ${org.name} (${org.code}) is not one`,
      };
    }
    scopeOrg = org;
  }
  let ownerOrgId = scopeOrg?.id ?? null;
  if (v.owner_org_code) {
    const owner = await lookup(v.owner_org_code);
    if (!owner) return { field: 'owner_org_code', message: `No organisation has the ODS code ${v.owner_org_code}` };
    ownerOrgId = owner.id;
  }
  return { places: { scopeOrgId: scopeOrg?.id ?? null, ownerOrgId }, scopeOrg };
}

export function mayCurate(viewer: Viewer | null, scope: ReturnValues['scope'], scopeOrg: OrgPlace | null): boolean {
  return viewer !== null && authorise(viewer, curatePermission(scope, scopeOrg));
}

export function curateRefusal(scope: ReturnValues['scope'], scopeOrg: Pick<OrgDetail, 'name'> | null): string {
  if (scope === 'national') return 'Only national admins may add or change national returns';
  return `You may not add or change ${scopeLabels[scope].toLowerCase()} returns for ${scopeOrg?.name}`;
}

/** The place of a stored return, for the permission check. */
export function storedPlace(r: ReturnRow): OrgPlace | null {
  return r.scope_org_id === null
    ? null
    : { id: r.scope_org_id, icbId: r.scope_org_icb_id, regionId: r.scope_org_region_id };
}

export async function nameTaken(db: Db, v: ReturnValues, placed: Placed, exceptId?: number) {
  const id = await returnNamed(db, v.name, v.scope, placed.places.scopeOrgId);
  return id !== undefined && id !== exceptId;
}

const today = (clock: { now(): Date }) => clock.now().toISOString().slice(0, 10);

export async function createReturn(
  deps: { db: Database; clock: { now(): Date } },
  actor: Actor,
  v: ReturnValues,
  placed: Placed,
  items: ItemInput[],
): Promise<number> {
  const { id, newItems } = await deps.db.transaction().execute(async (trx) => {
    const newId = await insertReturn(trx, v, placed.places, accountOf(actor));
    const added = await setReturnItems(trx, newId, items);
    await audit(trx, actor, {
      action: 'burden.return.create',
      subjectType: 'burden_return',
      subjectId: newId,
      organisationId: placed.places.scopeOrgId,
      details: { name: v.name, scope: v.scope, items: items.length },
    });
    return { id: newId, newItems: added };
  });
  await refreshItemPairs(deps.db, newItems);
  await refreshRegisterAnalysis(deps.db, today(deps.clock));
  return id;
}

export async function editReturn(
  deps: { db: Database; clock: { now(): Date } },
  actor: Actor,
  before: ReturnRow,
  v: ReturnValues,
  placed: Placed,
  items: ItemInput[],
): Promise<void> {
  const newItems = await deps.db.transaction().execute(async (trx) => {
    await updateReturn(trx, before.id, v, placed.places, accountOf(actor));
    const added = await setReturnItems(trx, before.id, items);
    await audit(trx, actor, {
      action: 'burden.return.update',
      subjectType: 'burden_return',
      subjectId: before.id,
      organisationId: placed.places.scopeOrgId,
      details: { name: v.name, scope: v.scope, items: items.length, changed: changedFields(before, v) },
    });
    return added;
  });
  const day = today(deps.clock);
  await refreshItemPairs(deps.db, newItems);
  await refreshRegisterAnalysis(deps.db, day);
  // Frequency changes every organisation's yearly figures for this return.
  if (before.frequency !== v.frequency || before.ad_hoc_cycles !== v.ad_hoc_cycles) {
    const orgs = await organisationsWithEffortOn(deps.db, before.id);
    if (orgs.length) await refreshBurden(deps.db, day, orgs);
  }
}

/** Delete a return that no organisation has recorded effort on; otherwise false (set a sunset instead). */
export async function removeReturn(
  deps: { db: Database; clock: { now(): Date } },
  actor: Actor,
  r: ReturnRow,
): Promise<boolean> {
  const done = await deps.db.transaction().execute(async (trx) => {
    if (await returnHasEffort(trx, r.id)) return false;
    await deleteReturn(trx, r.id);
    await audit(trx, actor, {
      action: 'burden.return.delete',
      subjectType: 'burden_return',
      subjectId: r.id,
      organisationId: r.scope_org_id,
      details: { name: r.name, scope: r.scope },
    });
    return true;
  });
  if (done) await refreshRegisterAnalysis(deps.db, today(deps.clock));
  return done;
}

function accountOf(actor: Actor): number | null {
  return 'viewer' in actor ? (actor.viewer?.accountId ?? null) : null;
}

function changedFields(before: ReturnRow, v: ReturnValues): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['name', before.name, v.name],
    ['requesting_body', before.requesting_body, v.requesting_body],
    ['legal_basis', before.legal_basis, v.legal_basis],
    ['mandatory', before.mandatory, v.mandatory],
    ['approval_ref', before.approval_ref, v.approval_ref],
    ['frequency', before.frequency, v.frequency],
    ['ad_hoc_cycles', before.ad_hoc_cycles, v.ad_hoc_cycles],
    ['deadline_rule', before.deadline_rule, v.deadline_rule],
    ['submission_route', before.submission_route, v.submission_route],
    ['start_date', before.start_date, v.start_date],
    ['sunset_date', before.sunset_date, v.sunset_date],
    ['scope', before.scope, v.scope],
    ['scope_org_code', before.scope_org_code, v.scope_org_code],
    ['owner_org_code', before.owner_org_code, v.owner_org_code],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([f]) => f);
}
