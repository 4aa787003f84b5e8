import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { loadStarters } from '../frameworks/import.ts';
import type { SeedContext, SeedExtension } from '../seed/extension.ts';
import { publishedCompetencies } from './competencies.ts';
import {
  audiences,
  outcomes,
  prefixes,
  privateProviders,
  professionalBodies,
  summaryClosers,
  summaryOpeners,
  topics,
  universityPlaces,
} from './generate-words.ts';
import { refreshSearchExtra } from './queries.ts';

/**
 * Synthetic catalogue for `leadwell seed`: providers (the academy, NHS trusts' learning teams, ~20 universities,
 * professional bodies, private providers) and programmes built from our own word lists, with competency links,
 * eligibility, scopes, next cohort dates, and a share accredited with their submissions and history.
 * Programmes are generated in one INSERT … SELECT over generate_series; every choice is a hash of (seed, row,
 * purpose), so a seed gives the same catalogue each time.
 */

const PROGRAMMES = { demo: 150, region: 1200, national: 5000 } as const;
const TRUST_PROVIDERS = { demo: 8, region: 25, national: 80 } as const;

type Db = Deps['db'];

async function removeEarlier(db: Db) {
  // Accreditation rows and competency links go with their programmes (ON DELETE CASCADE).
  await sql`DELETE FROM programmes WHERE synthetic`.execute(db);
  await sql`DELETE FROM providers WHERE synthetic`.execute(db);
}

async function insertProviders(db: Db, ctx: SeedContext) {
  const regions = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'region')
    .orderBy('code')
    .execute();
  const regionAt = (i: number) => (regions.length ? regions[i % regions.length].id : null);
  const trusts = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'region_id'])
    .where('id', 'in', ctx.organisationIds.length ? ctx.organisationIds : [-1])
    .orderBy('code')
    .limit(TRUST_PROVIDERS[ctx.scale])
    .execute();
  const rows = [
    {
      name: 'National Leadership Academy (synthetic)',
      kind: 'academy' as const,
      organisation_id: null,
      region_id: null,
    },
    ...universityPlaces.map((p, i) => ({
      name: `University of ${p}`,
      kind: 'university' as const,
      organisation_id: null,
      region_id: regionAt(i),
    })),
    ...professionalBodies.map((name) => ({
      name,
      kind: 'professional_body' as const,
      organisation_id: null,
      region_id: null,
    })),
    ...privateProviders.map((name, i) => ({
      name,
      kind: 'private' as const,
      organisation_id: null,
      region_id: regionAt(i + 3),
    })),
    ...trusts.map((t) => ({
      name: `${t.name} – Leadership and Development`,
      kind: 'nhs_organisation' as const,
      organisation_id: t.id,
      region_id: t.region_id,
    })),
  ];
  await db
    .insertInto('providers')
    .values(rows.map((r) => ({ ...r, synthetic: true, website: null, contact_email: null })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

const textArray = (xs: readonly string[]) => sql`${sql.val(xs)}::text[]`;

async function insertProgrammes(db: Db, ctx: SeedContext) {
  const n = PROGRAMMES[ctx.scale];
  const seed = String(ctx.seed);
  // h(k): a deterministic number 0..2^31 for this row and purpose k.
  await sql`
    WITH nonlocal AS (SELECT array_agg(id ORDER BY name) ids FROM providers WHERE synthetic AND kind <> 'nhs_organisation'),
         trustprov AS (SELECT array_agg(id ORDER BY name) ids, array_agg(organisation_id ORDER BY name) orgs
                         FROM providers WHERE synthetic AND kind = 'nhs_organisation'),
         regs AS (SELECT array_agg(id ORDER BY code) ids FROM organisations WHERE kind = 'region' AND closed_on IS NULL),
         icbs AS (SELECT array_agg(id ORDER BY code) ids, array_agg(region_id ORDER BY code) regions
                    FROM organisations WHERE kind = 'icb' AND closed_on IS NULL),
         rows AS (
           SELECT i,
                  (SELECT array_agg(abs(hashtext(${seed} || ':' || i || ':' || k)) ORDER BY k) FROM generate_series(0, 15) k) h
             FROM generate_series(1, ${n}::int) i),
         shaped AS (
           SELECT r.i, r.h,
                  (ARRAY['first_line','middle','senior','executive','board'])[1 + (r.h[1] % 100 >= 30)::int + (r.h[1] % 100 >= 62)::int
                     + (r.h[1] % 100 >= 85)::int + (r.h[1] % 100 >= 95)::int] AS level,
                  CASE WHEN r.h[2] % 100 < 20 THEN 'national' WHEN r.h[2] % 100 < 55 THEN 'regional'
                       WHEN r.h[2] % 100 < 75 THEN 'icb' ELSE 'local' END AS scope,
                  CASE WHEN r.h[3] % 100 < 45 THEN 'online' WHEN r.h[3] % 100 < 75 THEN 'blended' ELSE 'face_to_face' END AS format,
                  CASE WHEN r.h[4] % 100 < 40 THEN 0 ELSE 100 + (r.h[4] % 99) * 50 END AS cost
             FROM rows r)
    INSERT INTO programmes (provider_id, title, summary, outcomes, level, format, hours, duration_weeks, cost_pounds, funding,
                            funding_note, elig_bands, elig_management_levels, elig_staff_groups, elig_organisation_ids,
                            elig_region_ids, scope, scope_org_id, area_region_id, area_icb_id, status, published_at,
                            withdrawn_at, next_cohort_start, synthetic)
    SELECT
      CASE WHEN s.scope = 'local' AND coalesce(cardinality(tp.ids), 0) > 0 THEN tp.ids[1 + s.h[5] % cardinality(tp.ids)]
           ELSE nl.ids[1 + s.h[5] % cardinality(nl.ids)] END,
      (${textArray(prefixes)})[1 + s.h[6] % ${prefixes.length}] || ' ' || (${textArray(topics)})[1 + s.h[7] % ${topics.length}]
        || ' ' || (${sql.val(audiences)}::jsonb ->> s.level),
      (${textArray(summaryOpeners)})[1 + s.h[8] % ${summaryOpeners.length}] || ' '
        || lower((${textArray(topics)})[1 + s.h[7] % ${topics.length}]) || ' '
        || (${sql.val(audiences)}::jsonb ->> s.level) || ' in the NHS. '
        || (${textArray(summaryClosers)})[1 + s.h[9] % ${summaryClosers.length}],
      (${textArray(outcomes)})[1 + s.h[10] % ${outcomes.length}] || E'\\n' || (${textArray(outcomes)})[1 + (s.h[10] + 3) % ${outcomes.length}]
        || E'\\n' || (${textArray(outcomes)})[1 + (s.h[10] + 7) % ${outcomes.length}],
      s.level, s.format,
      6 + s.h[11] % 115, 1 + s.h[11] % 52,
      s.cost,
      CASE WHEN s.cost = 0 THEN 'none' WHEN s.h[12] % 100 < 30 THEN 'fully_funded' WHEN s.h[12] % 100 < 50 THEN 'part_funded' ELSE 'none' END,
      CASE WHEN s.cost > 0 AND s.h[12] % 100 < 50 THEN 'Funded places from the regional workforce budget' ELSE '' END,
      CASE WHEN s.h[13] % 100 < 25 THEN CASE s.level WHEN 'first_line' THEN '{5,6,7}'::text[] WHEN 'middle' THEN '{7,8a,8b}'::text[]
           WHEN 'senior' THEN '{8b,8c,8d}'::text[] ELSE '{8d,9,VSM}'::text[] END ELSE '{}'::text[] END,
      CASE WHEN s.h[13] % 100 BETWEEN 25 AND 59 THEN CASE s.level WHEN 'first_line' THEN '{aspiring,first_line}'::text[]
           ELSE ARRAY[s.level] END ELSE '{}'::text[] END,
      CASE WHEN s.h[14] % 100 < 8 THEN ARRAY[(ARRAY['03','04','08'])[1 + s.h[14] % 3]] ELSE '{}'::text[] END,
      CASE WHEN s.scope = 'local' AND s.h[15] % 100 < 60 AND coalesce(cardinality(tp.ids), 0) > 0
           THEN ARRAY[tp.orgs[1 + s.h[5] % cardinality(tp.ids)]] ELSE '{}'::int[] END,
      '{}'::int[],
      a.scope, a.scope_org_id, a.region_id, a.icb_id,
      CASE WHEN s.h[16] % 100 < 5 THEN 'draft' WHEN s.h[16] % 100 < 9 THEN 'withdrawn' ELSE 'published' END,
      CASE WHEN s.h[16] % 100 < 5 THEN NULL ELSE ${ctx.today}::date - (s.h[15] % 700) END,
      CASE WHEN s.h[16] % 100 BETWEEN 5 AND 8 THEN ${ctx.today}::date - (s.h[15] % 60) END,
      CASE WHEN s.h[3] % 10 < 7 THEN ${ctx.today}::date + (s.h[12] % 270) - 20 END,
      true
    FROM shaped s CROSS JOIN nonlocal nl CROSS JOIN trustprov tp CROSS JOIN regs rg CROSS JOIN icbs ib
    CROSS JOIN LATERAL (
      SELECT * FROM (VALUES
        -- The owning area: a region, an ICB with its region, or the trust of the local provider.
        (CASE WHEN s.scope = 'regional' AND cardinality(rg.ids) > 0 THEN 'regional'
              WHEN s.scope = 'icb' AND cardinality(ib.ids) > 0 THEN 'icb'
              WHEN s.scope = 'local' AND coalesce(cardinality(tp.ids), 0) > 0 THEN 'local' ELSE 'national' END)) v(scope)
      CROSS JOIN LATERAL (SELECT
        CASE v.scope WHEN 'regional' THEN rg.ids[1 + s.h[6] % cardinality(rg.ids)]
                     WHEN 'icb' THEN ib.ids[1 + s.h[6] % cardinality(ib.ids)]
                     WHEN 'local' THEN tp.orgs[1 + s.h[5] % cardinality(tp.ids)] END AS scope_org_id) o
      CROSS JOIN LATERAL (SELECT
        CASE v.scope WHEN 'regional' THEN o.scope_org_id
                     WHEN 'icb' THEN ib.regions[1 + s.h[6] % cardinality(ib.ids)]
                     WHEN 'local' THEN (SELECT region_id FROM organisations WHERE id = o.scope_org_id) END AS region_id,
        CASE v.scope WHEN 'icb' THEN o.scope_org_id
                     WHEN 'local' THEN (SELECT icb_id FROM organisations WHERE id = o.scope_org_id) END AS icb_id) g
    ) a`.execute(db);
}

async function linkCompetencies(db: Db, ctx: SeedContext) {
  let competencies = await publishedCompetencies(db, true);
  if (!competencies.length) {
    await loadStarters(db, { label: 'leadwell seed (catalogue)' });
    competencies = await publishedCompetencies(db, true);
  }
  if (!competencies.length) return;
  const seed = String(ctx.seed);
  await sql`
    WITH c AS (SELECT * FROM unnest(${sql.val(competencies.map((x) => x.versionId))}::int[],
                                    ${sql.val(competencies.map((x) => x.competencyId))}::int[]) WITH ORDINALITY c(version_id, competency_id, n))
       , p AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM programmes WHERE synthetic)
    INSERT INTO programme_competencies (programme_id, version_id, competency_id)
    SELECT DISTINCT ON (p.id, c.competency_id) p.id, c.version_id, c.competency_id
      FROM p
      CROSS JOIN LATERAL generate_series(0, abs(hashtext(${seed} || ':c:' || p.n)) % 4) k
      JOIN c ON c.n = 1 + abs(hashtext(${seed} || ':' || p.n || ':' || k)) % ${competencies.length}`.execute(db);
}

/** A share accredited (with their decision recorded), a few awaiting review, and local versions of national ones. */
async function accreditAndLink(db: Db, ctx: SeedContext) {
  const seed = String(ctx.seed);
  await sql`
    WITH chosen AS (
      SELECT id, area_region_id, scope, roll FROM (
        SELECT p.id, p.area_region_id, p.scope, p.status,
               abs(hashtext(${seed} || ':a:' || row_number() OVER (ORDER BY p.id))) % 100 AS roll
          FROM programmes p WHERE p.synthetic) x
       WHERE status = 'published'),
    subs AS (
      INSERT INTO accreditation_submissions (programme_id, status, review_region_id, competency_mapping, assessment_method,
                                            evidence, snapshot, submitted_at, criteria, decided_at, expires_on)
      SELECT id, CASE WHEN roll < 30 THEN 'accredited' ELSE 'submitted' END,
             CASE WHEN scope = 'national' THEN NULL ELSE area_region_id END,
             'Each module maps to the competencies listed, with activities described in the programme handbook.',
             'A portfolio of workplace evidence and a final reflective review.',
             'Evaluation reports from earlier cohorts; faculty biographies.',
             '{}'::jsonb,
             ${ctx.today}::date - (60 + roll * 7),
             CASE WHEN roll < 30 THEN '{"standards_mapping":{"met":true,"note":""}}'::jsonb END,
             CASE WHEN roll < 30 THEN ${ctx.today}::date - (30 + roll * 7) END,
             CASE WHEN roll < 30 THEN ${ctx.today}::date + 20 + roll * 35 END
        FROM chosen WHERE roll < 33
      RETURNING id, programme_id, status, submitted_at, decided_at, expires_on)
    , ev AS (
      INSERT INTO accreditation_events (submission_id, programme_id, at, action, note)
      SELECT id, programme_id, submitted_at, 'submitted', 'Synthetic history' FROM subs
      UNION ALL
      SELECT id, programme_id, decided_at, 'accredited', 'Synthetic history' FROM subs WHERE status = 'accredited'
      RETURNING 1)
    UPDATE programmes p SET accreditation_status = s.status, accredited_until = s.expires_on
      FROM subs s WHERE p.id = s.programme_id`.execute(db);
  await sql`
    WITH nat AS (SELECT array_agg(id ORDER BY id) ids FROM programmes WHERE synthetic AND scope = 'national' AND status = 'published'),
         numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM programmes WHERE synthetic)
    UPDATE programmes p SET local_version_of = nat.ids[1 + abs(hashtext(${seed} || ':v:' || x.n)) % cardinality(nat.ids)]
      FROM nat, numbered x
     WHERE x.id = p.id AND p.scope IN ('icb','local') AND cardinality(nat.ids) > 0
       AND abs(hashtext(${seed} || ':lv:' || x.n)) % 100 < 30`.execute(db);
}

export const seedExtension: SeedExtension = {
  name: 'catalogue',
  async run(deps, ctx) {
    const { db } = deps;
    await removeEarlier(db);
    await insertProviders(db, ctx);
    await insertProgrammes(db, ctx);
    await linkCompetencies(db, ctx);
    await accreditAndLink(db, ctx);
    const ids = (await db.selectFrom('programmes').select('id').where('synthetic', '=', true).execute()).map(
      (r) => r.id,
    );
    await refreshSearchExtra(db, ids);
    await sql`ANALYZE programmes`.execute(db);
    const accredited = ids.length
      ? (
          await db
            .selectFrom('programmes')
            .select(sql<number>`count(*)::int`.as('n'))
            .where('synthetic', '=', true)
            .where('accreditation_status', '=', 'accredited')
            .executeTakeFirstOrThrow()
        ).n
      : 0;
    return `${ids.length} programmes (${accredited} accredited)`;
  },
};
