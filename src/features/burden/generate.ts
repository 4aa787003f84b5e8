import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { SeedContext, SeedExtension } from '../seed/extension.ts';
import { localReturns, nationalReturns, type SyntheticReturn } from './generate-data.ts';
import { ensurePayScales } from './pay-scales.ts';
import { refreshBurden, refreshItemPairs, refreshRegisterAnalysis } from './refresh.ts';
import { normaliseItemName } from './register.ts';

/**
 * Synthetic reporting burden for `leadwell seed`: about 300 national returns with overlapping data items, ICB and
 * local requests for the seeded area, and effort for every seeded trust on most returns that apply to it, with
 * up to three versions over the last two years (so the trend has history), then the summaries refreshed.
 * Effort is generated set-based in SQL from a hash of (seed, organisation, return), so it is deterministic and
 * loads 200 trusts × 300 returns in one statement. Hashes use names and codes, never generated ids, so a re-run
 * gives the same rows.
 */

type Db = Deps['db'];

async function removeEarlier(db: Db) {
  await sql`DELETE FROM burden_efforts WHERE synthetic OR return_id IN (SELECT id FROM burden_returns WHERE synthetic)`.execute(
    db,
  );
  await db.deleteFrom('burden_returns').where('synthetic', '=', true).execute();
  await sql`DELETE FROM burden_data_items i WHERE i.synthetic
              AND NOT EXISTS (SELECT 1 FROM burden_return_items l WHERE l.data_item_id = i.id)`.execute(db);
}

async function insertReturns(
  db: Db,
  rows: { r: SyntheticReturn; scope: 'national' | 'icb' | 'local'; scopeOrgId: number | null }[],
) {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const res = await db
      .insertInto('burden_returns')
      .values(
        rows.slice(i, i + 500).map(({ r, scope, scopeOrgId }) => ({
          name: r.name,
          requesting_body: r.requestingBody,
          legal_basis: r.legalBasis,
          mandatory: r.mandatory,
          approval_ref: r.approvalRef,
          frequency: r.frequency,
          ad_hoc_cycles: r.adHocCycles,
          deadline_rule: r.deadlineRule,
          submission_route: r.submissionRoute,
          start_date: r.startDate,
          sunset_date: r.sunsetDate,
          scope,
          scope_org_id: scopeOrgId,
          owner_org_id: scopeOrgId,
          synthetic: true,
        })),
      )
      .returning('id')
      .execute();
    ids.push(...res.map((x) => x.id));
  }
  // Items: one dictionary row per normalised name (existing ones are reused), then the links.
  const names = new Map<string, string>();
  for (const { r } of rows)
    for (const n of r.items) if (!names.has(normaliseItemName(n))) names.set(normaliseItemName(n), n);
  const entries = [...names];
  for (let i = 0; i < entries.length; i += 1000) {
    await db
      .insertInto('burden_data_items')
      .values(
        entries
          .slice(i, i + 1000)
          .map(([normalised, name]) => ({ name, normalised_name: normalised, synthetic: true })),
      )
      .onConflict((oc) => oc.column('normalised_name').doNothing())
      .execute();
  }
  const idOf = new Map(
    (
      await db
        .selectFrom('burden_data_items')
        .select(['id', 'normalised_name'])
        .where('normalised_name', 'in', [...names.keys()])
        .execute()
    ).map((x) => [x.normalised_name, x.id]),
  );
  const links = rows.flatMap(({ r }, i) =>
    [...new Set(r.items.map((n) => idOf.get(normaliseItemName(n))!))].map((item) => ({
      return_id: ids[i]!,
      data_item_id: item,
    })),
  );
  for (let i = 0; i < links.length; i += 2000)
    await db
      .insertInto('burden_return_items')
      .values(links.slice(i, i + 2000))
      .execute();
  return ids;
}

/**
 * Effort for each trust on ~85% of the returns that apply to it: a first version about two years ago, a change
 * about a year ago for half of them, and a recent one for a fifth; one or two compilers of bands 4 to 8b.
 */
async function insertEffort(db: Db, seed: number, orgIds: number[], today: string) {
  const h = (expr: ReturnType<typeof sql>) => sql`((('x' || substr(md5(${expr}), 1, 8))::bit(32)::int) & 2147483647)`;
  const key = sql`${String(seed)} || ':' || o.code || ':' || r.name`;
  await sql`
    INSERT INTO burden_efforts (organisation_id, return_id, effective_from, synthetic)
    SELECT o.id, r.id, (${today}::date - v.back - (${h(sql`${key} || ':' || v.n`)} % 60))::date, true
      FROM organisations o
      JOIN burden_returns r ON r.synthetic AND (
             r.scope = 'national'
          OR (r.scope = 'icb' AND r.scope_org_id = o.icb_id)
          OR (r.scope = 'local' AND r.scope_org_id = o.id))
      CROSS JOIN (VALUES (1, 700), (2, 365), (3, 90)) AS v(n, back)
     WHERE o.id = ANY(${orgIds}::int[])
       AND ${h(key)} % 100 < 85
       AND (v.n = 1 OR (v.n = 2 AND ${h(sql`${key} || ':v2'`)} % 2 = 0) OR (v.n = 3 AND ${h(sql`${key} || ':v3'`)} % 5 = 0))
    ON CONFLICT DO NOTHING`.execute(db);
  const lineKey = sql`${String(seed)} || ':' || o.code || ':' || r.name || ':' || e.effective_from`;
  await sql`
    INSERT INTO burden_effort_lines (effort_id, position, role, band, hours_per_cycle)
    SELECT e.id, p.position,
           (ARRAY['Performance analyst', 'Information manager', 'Service manager', 'Administrator', 'Head of performance',
                  'Finance business partner', 'Workforce information officer', 'Matron'])[1 + ${h(sql`${lineKey} || ':role' || p.position`)} % 8],
           (ARRAY['4', '5', '6', '7', '7', '8a', '8a', '8b'])[1 + ${h(sql`${lineKey} || ':band' || p.position`)} % 8],
           round(CASE r.frequency WHEN 'weekly' THEN 0.5 + (${h(sql`${lineKey} || ':h' || p.position`)} % 40) / 10.0
                                  WHEN 'monthly' THEN 1 + (${h(sql`${lineKey} || ':h' || p.position`)} % 120) / 10.0
                                  ELSE 2 + (${h(sql`${lineKey} || ':h' || p.position`)} % 300) / 10.0 END, 1)
      FROM burden_efforts e
      JOIN burden_returns r ON r.id = e.return_id
      JOIN organisations o ON o.id = e.organisation_id
      CROSS JOIN (VALUES (1), (2)) AS p(position)
     WHERE e.synthetic AND e.organisation_id = ANY(${orgIds}::int[])
       AND (p.position = 1 OR ${h(sql`${lineKey} || ':two'`)} % 3 = 0)`.execute(db);
}

async function run(deps: Deps, ctx: SeedContext): Promise<string> {
  const { db } = deps;
  await ensurePayScales(db);
  await removeEarlier(db);
  const national = nationalReturns(ctx.seed, ctx.today);
  const trusts = await db
    .selectFrom('organisations')
    .select(['id', 'code', 'icb_id'])
    .where('id', 'in', ctx.organisationIds.length ? ctx.organisationIds : [-1])
    .execute();
  const icbIds = [...new Set(trusts.map((t) => t.icb_id).filter((x): x is number => x !== null))];
  const icbs = icbIds.length
    ? await db.selectFrom('organisations').select(['id', 'code']).where('id', 'in', icbIds).execute()
    : [];
  const unique = (rs: SyntheticReturn[]) =>
    rs.filter((r, i) => rs.findIndex((x) => x.name.toLowerCase() === r.name.toLowerCase()) === i);
  const rows = [
    ...national.map((r) => ({ r, scope: 'national' as const, scopeOrgId: null })),
    ...icbs.flatMap((icb) =>
      unique(localReturns(ctx.seed, icb.code, national, 4, ctx.today)).map((r) => ({
        r,
        scope: 'icb' as const,
        scopeOrgId: icb.id,
      })),
    ),
    ...trusts.flatMap((t) =>
      unique(localReturns(ctx.seed, t.code, national, 2, ctx.today)).map((r) => ({
        r: { ...r, requestingBody: 'other' as const },
        scope: 'local' as const,
        scopeOrgId: t.id,
      })),
    ),
  ];
  ctx.log(`burden: ${rows.length} returns`);
  await insertReturns(db, rows);
  await insertEffort(db, ctx.seed, ctx.organisationIds, ctx.today);
  const pairs = await refreshItemPairs(db);
  await refreshRegisterAnalysis(db, ctx.today);
  const refreshed = await refreshBurden(db, ctx.today);
  return `${national.length} national and ${rows.length - national.length} ICB and local returns, effort for ${refreshed.organisations} organisations, ${pairs} near matches`;
}

export const seedExtension: SeedExtension = { name: 'burden', run };
