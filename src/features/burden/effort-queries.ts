import { sql } from 'kysely';
import type { Band, ReturnFrequency } from '../../db/schema.ts';
import type { EffortLine, PayScale } from './burden.ts';
import type { Db } from './queries.ts';
import type { OrgSeat } from './register.ts';

// Effort versions (who compiles each return and for how long, from a date) and the pay scales.

/** The returns that apply to an organisation (appliesToOrg in register.ts, in SQL), with its current figures. */
export async function returnsApplyingTo(db: Db, org: OrgSeat) {
  return db
    .selectFrom('burden_returns as r')
    .leftJoin('burden_org_returns as b', (j) =>
      j.onRef('b.return_id', '=', 'r.id').on('b.organisation_id', '=', org.id),
    )
    .select([
      'r.id',
      'r.name',
      'r.requesting_body',
      'r.frequency',
      'r.scope',
      'r.mandatory',
      'r.approval_ref',
      'r.sunset_date',
      'r.start_date',
      'b.effort_from',
      'b.hours_year',
      'b.cost_year',
      'b.uncosted_hours_year',
    ])
    .where((eb) =>
      eb.or([
        eb('r.scope', '=', 'national'),
        eb.and([
          eb('r.scope', '=', 'regional'),
          eb('r.scope_org_id', '=', org.regionId),
          eb('r.scope_org_id', '!=', org.id),
        ]),
        eb.and([eb('r.scope', '=', 'icb'), eb('r.scope_org_id', '=', org.icbId), eb('r.scope_org_id', '!=', org.id)]),
        eb.and([eb('r.scope', '=', 'local'), eb('r.scope_org_id', '=', org.id)]),
      ]),
    )
    .orderBy('r.name')
    .orderBy('r.id')
    .execute();
}

export interface EffortVersion {
  id: number;
  effectiveFrom: string;
  recordedAt: Date;
  recordedBy: string | null;
  lines: (EffortLine & { band: Band })[];
}

/** Every version of an organisation's effort on a return, newest first. */
export async function effortVersions(db: Db, orgId: number, returnId: number): Promise<EffortVersion[]> {
  const versions = await db
    .selectFrom('burden_efforts as e')
    .leftJoin('accounts as a', 'a.id', 'e.recorded_by')
    .select(['e.id', 'e.effective_from', 'e.recorded_at', 'a.display_name'])
    .where('e.organisation_id', '=', orgId)
    .where('e.return_id', '=', returnId)
    .orderBy('e.effective_from', 'desc')
    .execute();
  const lines = await linesOf(
    db,
    versions.map((v) => v.id),
  );
  return versions.map((v) => ({
    id: v.id,
    effectiveFrom: v.effective_from,
    recordedAt: v.recorded_at,
    recordedBy: v.display_name,
    lines: lines.get(v.id) ?? [],
  }));
}

async function linesOf(db: Db, effortIds: number[]) {
  const out = new Map<number, (EffortLine & { band: Band })[]>();
  if (effortIds.length === 0) return out;
  const rows = await db
    .selectFrom('burden_effort_lines')
    .select(['effort_id', 'role', 'band', 'hours_per_cycle'])
    .where('effort_id', 'in', effortIds)
    .orderBy('effort_id')
    .orderBy('position')
    .execute();
  for (const r of rows) {
    const line = { role: r.role, band: r.band, hoursPerCycle: Number(r.hours_per_cycle) };
    out.set(r.effort_id, [...(out.get(r.effort_id) ?? []), line]);
  }
  return out;
}

/**
 * Record a version of the effort from a date. A version on the same date is replaced (a correction);
 * versions on other dates are kept, so the history of changes remains.
 */
export async function saveEffortVersion(
  db: Db,
  v: { orgId: number; returnId: number; effectiveFrom: string; lines: EffortLine[]; accountId: number | null },
): Promise<{ id: number; replaced: boolean }> {
  const existing = await db
    .selectFrom('burden_efforts')
    .select('id')
    .where('organisation_id', '=', v.orgId)
    .where('return_id', '=', v.returnId)
    .where('effective_from', '=', v.effectiveFrom)
    .executeTakeFirst();
  let id: number;
  if (existing) {
    id = existing.id;
    await db.deleteFrom('burden_effort_lines').where('effort_id', '=', id).execute();
    await db
      .updateTable('burden_efforts')
      .set({ recorded_by: v.accountId, recorded_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  } else {
    const row = await db
      .insertInto('burden_efforts')
      .values({
        organisation_id: v.orgId,
        return_id: v.returnId,
        effective_from: v.effectiveFrom,
        recorded_by: v.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  }
  await db
    .insertInto('burden_effort_lines')
    .values(
      v.lines.map((l, i) => ({
        effort_id: id,
        position: i + 1,
        role: l.role,
        band: l.band as Band,
        hours_per_cycle: l.hoursPerCycle,
      })),
    )
    .execute();
  return { id, replaced: existing !== undefined };
}

export interface CurrentEffort {
  orgId: number;
  orgCode: string;
  returnId: number;
  effectiveFrom: string;
  frequency: ReturnFrequency;
  adHocCycles: number | null;
  lines: EffortLine[];
}

/** The version in effect on a date for each organisation and return (all organisations, or those given). */
export async function currentEfforts(db: Db, asAt: string, orgIds?: number[]): Promise<CurrentEffort[]> {
  const only = orgIds ? sql`AND e.organisation_id = ANY(${orgIds}::int[])` : sql``;
  const versions = await sql<{
    id: number;
    organisation_id: number;
    code: string;
    return_id: number;
    effective_from: string;
    frequency: ReturnFrequency;
    ad_hoc_cycles: number | null;
  }>`
    SELECT DISTINCT ON (e.organisation_id, e.return_id)
           e.id, e.organisation_id, o.code, e.return_id, e.effective_from, r.frequency, r.ad_hoc_cycles
      FROM burden_efforts e
      JOIN burden_returns r ON r.id = e.return_id
      JOIN organisations o ON o.id = e.organisation_id
     WHERE e.effective_from <= ${asAt}::date ${only}
     ORDER BY e.organisation_id, e.return_id, e.effective_from DESC`.execute(db);
  const lines = await linesOf(
    db,
    versions.rows.map((v) => v.id),
  );
  return versions.rows.map((v) => ({
    orgId: v.organisation_id,
    orgCode: v.code,
    returnId: v.return_id,
    effectiveFrom: v.effective_from,
    frequency: v.frequency,
    adHocCycles: v.ad_hoc_cycles,
    lines: lines.get(v.id) ?? [],
  }));
}

/** Organisations with effort recorded on a return (to refresh them after the return changes). */
export async function organisationsWithEffortOn(db: Db, returnId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('burden_efforts')
    .select('organisation_id')
    .distinct()
    .where('return_id', '=', returnId)
    .execute();
  return rows.map((r) => r.organisation_id);
}

export async function payScales(db: Db): Promise<(PayScale & { source: string })[]> {
  const rows = await db
    .selectFrom('pay_scales')
    .select(['scale', 'band', 'valid_from', 'valid_to', 'annual_min', 'annual_max', 'on_cost_percent', 'source'])
    .orderBy('valid_from', 'desc')
    .orderBy('band')
    .execute();
  return rows.map((r) => ({
    scale: r.scale,
    band: r.band,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    annualMin: Number(r.annual_min),
    annualMax: Number(r.annual_max),
    onCostPercent: Number(r.on_cost_percent),
    source: r.source,
  }));
}

/** Insert or update scales, one per band and start date. Returns how many rows were written. */
export async function upsertPayScales(db: Db, scales: (PayScale & { source: string })[]): Promise<number> {
  if (scales.length === 0) return 0;
  const res = await db
    .insertInto('pay_scales')
    .values(
      scales.map((s) => ({
        scale: s.scale,
        band: s.band,
        valid_from: s.validFrom,
        valid_to: s.validTo,
        annual_min: s.annualMin,
        annual_max: s.annualMax,
        on_cost_percent: s.onCostPercent,
        source: s.source,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['band', 'valid_from']).doUpdateSet((eb) => ({
        scale: eb.ref('excluded.scale'),
        valid_to: eb.ref('excluded.valid_to'),
        annual_min: eb.ref('excluded.annual_min'),
        annual_max: eb.ref('excluded.annual_max'),
        on_cost_percent: eb.ref('excluded.on_cost_percent'),
        source: eb.ref('excluded.source'),
        loaded_at: sql`now()`,
      })),
    )
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

export async function hasPayScales(db: Db): Promise<boolean> {
  return (await db.selectFrom('pay_scales').select('id').limit(1).executeTakeFirst()) !== undefined;
}
