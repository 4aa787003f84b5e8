import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { programmesByIds, publishedProgrammeIds, setNextCohortStart } from '../catalogue/queries.ts';
import { copyLearningRecords, type LearningRecordRow } from '../learning-record/queries.ts';
import type { SeedContext, SeedExtension } from '../seed/extension.ts';
import { CODE_ALPHABET } from './cohorts.ts';
import { nextStartOf } from './queries.ts';
import { refreshSupply } from './supply.ts';

// Synthetic cohorts over the catalogue's published programmes (docs/learning-cohorts.md, "Synthetic data"): cohorts
// starting from ten months before to ten months after the seed's today, each with weekly sessions; managers and
// staff from band 5 of the seeded trusts apply, fill most places, and popular cohorts wait-list; past cohorts have
// completions (into the learning record through its bulk COPY path), certificates and feedback; people register
// interest. Everything is set-based SQL whose randomness is a hash of the seed and the row, so a seed always gives
// the same data. Runs after the catalogue's and the learning record's extensions.

const COHORTS = { demo: 150, region: 6_000, national: 50_000 } as const;
const INTEREST_PER_PROGRAMME = { demo: 15, region: 60, national: 120 } as const;

export const seedExtension: SeedExtension = {
  name: 'cohorts',
  remove: (deps) => removeEarlier(deps),
  async run(deps, ctx) {
    const started = Date.now();
    const ids = await publishedProgrammeIds(deps.db);
    await removeEarlier(deps);
    if (!ids.length) return 'no published programmes: nothing to schedule (run after the catalogue extension)';
    const programmes = [];
    for (let i = 0; i < ids.length; i += 1000)
      programmes.push(...(await programmesByIds(deps.db, ids.slice(i, i + 1000))));
    const facts = programmes.map((p) => ({
      id: p.id,
      title: p.title,
      provider: p.provider_name,
      weeks: Math.min(p.duration_weeks, 26),
      funded: p.funding !== 'none',
    }));
    const counts = await deps.db.transaction().execute(async (trx) => generate(trx as never, ctx, facts));
    const completions = await copyCompletions(deps, ctx, new Map(programmes.map((p) => [p.id, p])));
    for (const p of programmes) await setNextCohortStart(deps.db, p.id, await nextStartOf(deps.db, p.id, ctx.today));
    await sql`ANALYZE cohorts, cohort_applications, programme_interest`.execute(deps.db);
    const supply = await refreshSupply(deps.db, new Date(`${ctx.today}T12:00:00Z`));
    return `${counts.cohorts.toLocaleString('en-GB')} cohorts, ${counts.applications.toLocaleString('en-GB')} applications, ${counts.interest.toLocaleString('en-GB')} interest, ${completions.toLocaleString('en-GB')} completions in ${Math.round((Date.now() - started) / 1000)} s; ${supply.rows} supply rows`;
  },
};

async function removeEarlier(deps: Deps) {
  await deps.db.transaction().execute(async (trx) => {
    await sql`
      DELETE FROM cohort_notices WHERE cohort_id IN (SELECT id FROM cohorts WHERE synthetic)
         OR application_id IN (SELECT id FROM cohort_applications WHERE synthetic);
      DELETE FROM cohort_feedback WHERE cohort_id IN (SELECT id FROM cohorts WHERE synthetic);
      DELETE FROM cohort_certificates WHERE application_id IN (SELECT id FROM cohort_applications WHERE synthetic);
      DELETE FROM cohort_attendance WHERE application_id IN (SELECT id FROM cohort_applications WHERE synthetic);
      DELETE FROM cohort_applications WHERE synthetic;
      DELETE FROM cohort_reservations WHERE cohort_id IN (SELECT id FROM cohorts WHERE synthetic);
      DELETE FROM cohorts WHERE synthetic;
      DELETE FROM programme_interest WHERE synthetic;`.execute(trx);
  });
}

/** An application's stable key: its cohort's key and the person. */
const APP = 'k.key * 1000003 + a.person_id';

type Facts = { id: number; title: string; provider: string; weeks: number; funded: boolean }[];

async function generate(trx: Deps['db'], ctx: SeedContext, programmes: Facts) {
  const seed = ctx.seed;
  // u(expr, salt): a uniform number in [0, 1) from the seed and the row.
  const u = (expr: string, salt: number) =>
    sql.raw(
      `((abs(hashint8extended((${expr})::bigint, ${Number(seed) * 1000 + salt}::bigint)) % 1000000) / 1000000.0)`,
    );
  await sql`SET LOCAL work_mem = '128MB'`.execute(trx);
  await sql`CREATE TEMP TABLE gen_programmes (programme_id bigint, weeks int, funded boolean, n int) ON COMMIT DROP`.execute(
    trx,
  );
  await sql`INSERT INTO gen_programmes SELECT x.id, x.weeks, x.funded, row_number() OVER (ORDER BY x.id)
    FROM jsonb_to_recordset(${JSON.stringify(programmes)}::jsonb) AS x(id bigint, weeks int, funded boolean)`.execute(
    trx,
  );
  // The applicant pool: current posts in the seeded trusts of managers and staff from band 5, in a fixed order.
  await sql`CREATE TEMP TABLE gen_pool ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY hashtextextended(p.staff_number, ${seed}::bigint), p.id) AS rn,
           p.id AS person_id, a.organisation_id, a.staff_group, a.line_manager_assignment_id
      FROM assignments a JOIN people p ON p.id = a.person_id
     WHERE a.organisation_id = ANY(${ctx.organisationIds}::int[]) AND a.end_date IS NULL
       AND (a.is_manager OR a.band IN ('5','6','7','8a','8b','8c','8d','9','VSM'))`.execute(trx);
  await sql`CREATE INDEX ON gen_pool (rn)`.execute(trx);
  await sql`ANALYZE gen_pool`.execute(trx);
  const pool = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM gen_pool`.execute(trx)).rows[0]!.n);
  if (pool === 0) return { cohorts: 0, applications: 0, interest: 0 };
  const target = COHORTS[ctx.scale];
  const perProgramme = Math.max(1, Math.ceil(target / programmes.length));

  // Cohorts: starting from −300 to +300 days around today, booking from 90 to 14 days before the start.
  await sql`
    INSERT INTO cohorts (programme_id, name, capacity, booking_opens_on, booking_closes_on, starts_on, ends_on, status,
                         funder_approval, synthetic)
    SELECT g.programme_id, 'Cohort ' || k, 12 + floor(${u('g.programme_id * 100000 + k', 1)} * 19)::int,
           s.start - 90, s.start - 14, s.start, s.start + (g.weeks - 1) * 7,
           CASE WHEN s.start + (g.weeks - 1) * 7 < ${ctx.today}::date THEN 'completed' ELSE 'open' END,
           g.funded AND ${u('g.programme_id * 100000 + k', 2)} < 0.5, true
      FROM gen_programmes g
      CROSS JOIN generate_series(1, ${perProgramme}) AS k
      CROSS JOIN LATERAL (SELECT ${ctx.today}::date - 300 + floor(${u('g.programme_id * 100000 + k', 3)} * 600)::int AS start) s
     WHERE (g.n - 1) * ${perProgramme} + k <= ${target}`.execute(trx);
  // Stable keys (programme and ordinal; cohort and person) drive the randomness, not row ids, so that a re-run in
  // the same database gives the same data.
  await sql`CREATE TEMP TABLE gen_keys ON COMMIT DROP AS
    SELECT id, programme_id * 100000 + substring(name FROM 8)::int AS key FROM cohorts WHERE synthetic`.execute(trx);
  await sql`
    INSERT INTO cohort_sessions (cohort_id, starts_at, ends_at, venue, online_url)
    SELECT c.id, (c.starts_on + w * 7) + time '09:30', (c.starts_on + w * 7) + time '16:30',
           CASE WHEN w % 2 = 0 THEN 'Education centre' END, CASE WHEN w % 2 = 1 THEN 'https://meet.example.nhs.uk/' || c.id || '-' || w END
      FROM cohorts c CROSS JOIN generate_series(0, 3) AS w
     WHERE c.synthetic AND w * 7 <= c.ends_on - c.starts_on`.execute(trx);

  // Applicants: a run of the pool for each cohort. Demand is 70% to 150% of capacity: past the capacity, wait-list.
  await sql`
    WITH slots AS (
      SELECT c.id AS cohort_id, c.capacity, c.starts_on, c.status, c.funder_approval, j,
             k.key, floor(${u('k.key', 4)} * ${pool})::bigint AS start,
             floor(c.capacity * (0.7 + ${u('k.key', 5)} * 0.8))::int AS demand
        FROM cohorts c JOIN gen_keys k ON k.id = c.id CROSS JOIN generate_series(1, 45) AS j
    )
    INSERT INTO cohort_applications (cohort_id, person_id, organisation_id, staff_group, approver_assignment_id, status,
      manager_decision, funder_decision, applied_at, place_taken_at, synthetic)
    SELECT s.cohort_id, p.person_id, p.organisation_id, p.staff_group, p.line_manager_assignment_id,
           CASE WHEN s.j > s.capacity THEN 'waitlisted'
                WHEN s.status = 'open' AND ${u('s.key * 100 + s.j', 6)} < 0.15 THEN 'awaiting_approval'
                ELSE 'confirmed' END,
           CASE WHEN p.line_manager_assignment_id IS NULL THEN 'not_required'
                WHEN s.j <= s.capacity AND s.status = 'open' AND ${u('s.key * 100 + s.j', 6)} < 0.15 THEN 'pending'
                ELSE 'approved' END,
           CASE WHEN s.funder_approval THEN 'approved' ELSE 'not_required' END,
           (s.starts_on - 14 - floor(${u('s.key * 100 + s.j', 7)} * 76)::int) + time '10:00',
           CASE WHEN s.j <= s.capacity THEN (s.starts_on - 14 - floor(${u('s.key * 100 + s.j', 7)} * 76)::int) + time '10:00' END,
           true
      FROM slots s JOIN gen_pool p ON p.rn = (s.start + s.j) % ${pool} + 1
     WHERE s.j <= s.demand AND (s.j <= s.capacity OR s.status = 'open')`.execute(trx);
  await sql`
    UPDATE cohorts c SET places_taken = h.n
      FROM (SELECT cohort_id, count(*)::int AS n FROM cohort_applications
             WHERE synthetic AND status IN ('awaiting_approval','confirmed') GROUP BY cohort_id) h
     WHERE c.id = h.cohort_id`.execute(trx);

  // Completed cohorts: outcomes for 92% of places (60% passed, 35% completed, 5% not passed), attendance, feedback.
  await sql`
    UPDATE cohort_applications a SET completed_on = c.ends_on,
           outcome = CASE WHEN ${u(APP, 8)} < 0.6 THEN 'passed' WHEN ${u(APP, 8)} < 0.95 THEN 'completed' ELSE 'failed' END
      FROM cohorts c JOIN gen_keys k ON k.id = c.id
     WHERE c.id = a.cohort_id AND c.status = 'completed' AND a.status = 'confirmed' AND ${u(APP, 9)} < 0.92`.execute(
    trx,
  );
  await sql`
    INSERT INTO cohort_attendance (session_id, application_id, attended, recorded_at)
    SELECT s.id, a.id, a.completed_on IS NOT NULL OR ${u(APP, 10)} < 0.5, s.ends_at
      FROM cohort_applications a JOIN gen_keys k ON k.id = a.cohort_id JOIN cohort_sessions s ON s.cohort_id = a.cohort_id
     WHERE a.synthetic AND a.status = 'confirmed' AND s.ends_at < ${ctx.today}::date`.execute(trx);
  const alphabet = CODE_ALPHABET;
  await sql`
    INSERT INTO cohort_certificates (application_id, code, person_name, programme_title, provider_name, completed_on, issued_at)
    SELECT a.id,
           (SELECT string_agg(substr(${alphabet}, 1 + get_byte(decode(md5(${String(seed)} || ':' || ${sql.raw(APP)}), 'hex'), i) % 31, 1), '' ORDER BY i)
              FROM generate_series(0, 9) AS i),
           p.given_name || ' ' || p.family_name, x.title, x.provider, a.completed_on, a.completed_on + time '17:00'
      FROM cohort_applications a
      JOIN cohorts c ON c.id = a.cohort_id
      JOIN gen_keys k ON k.id = a.cohort_id
      JOIN people p ON p.id = a.person_id
      JOIN jsonb_to_recordset(${JSON.stringify(programmes)}::jsonb) AS x(id bigint, title text, provider text) ON x.id = c.programme_id
     WHERE a.synthetic AND a.outcome IN ('passed','completed')
    ON CONFLICT (code) DO NOTHING`.execute(trx);
  await sql`
    INSERT INTO cohort_feedback (application_id, cohort_id, overall, relevance, recommend, comment, submitted_at)
    SELECT a.id, a.cohort_id, 3 + floor(${u(APP, 11)} * 3)::int, 2 + floor(${u(APP, 12)} * 4)::int,
           ${u(APP, 13)} < 0.85, NULL, a.completed_on + time '18:00'
      FROM cohort_applications a JOIN gen_keys k ON k.id = a.cohort_id
     WHERE a.completed_on IS NOT NULL AND ${u(APP, 14)} < 0.6`.execute(trx);

  // Interest: people from the pool in each programme, some with no dates at all.
  await sql`
    INSERT INTO programme_interest (programme_id, person_id, organisation_id, staff_group, registered_at, synthetic)
    SELECT DISTINCT ON (g.programme_id, p.person_id) g.programme_id, p.person_id, p.organisation_id, p.staff_group,
           (${ctx.today}::date - floor(${u('g.programme_id * 1000 + j', 15)} * 300)::int) + time '12:00', true
      FROM gen_programmes g CROSS JOIN generate_series(1, ${INTEREST_PER_PROGRAMME[ctx.scale]}) AS j
      JOIN gen_pool p ON p.rn = floor(${u('g.programme_id * 1000 + j', 16)} * ${pool})::bigint + 1
    ON CONFLICT DO NOTHING`.execute(trx);

  const n = async (q: string) => Number((await sql<{ n: string }>`${sql.raw(q)}`.execute(trx)).rows[0]!.n);
  return {
    cohorts: await n('SELECT count(*) AS n FROM cohorts WHERE synthetic'),
    applications: await n('SELECT count(*) AS n FROM cohort_applications WHERE synthetic'),
    interest: await n('SELECT count(*) AS n FROM programme_interest WHERE synthetic'),
  };
}

/** The completions into the learning record, through its bulk COPY path, in one transaction. */
async function copyCompletions(
  deps: Deps,
  ctx: SeedContext,
  programmes: Map<number, { title: string; provider_name: string; hours: number }>,
) {
  const rows = await deps.db
    .selectFrom('cohort_applications as a')
    .innerJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .select(['a.id', 'a.person_id', 'c.programme_id', 'a.completed_on', 'a.outcome'])
    .where('a.synthetic', '=', true)
    .where('a.completed_on', 'is not', null)
    .execute();
  const records: LearningRecordRow[] = rows.map((r) => {
    const p = programmes.get(r.programme_id)!;
    return {
      personId: r.person_id,
      programmeId: r.programme_id,
      title: p.title,
      providerName: p.provider_name,
      completedOn: r.completed_on!,
      outcome: r.outcome!,
      hours: p.hours,
      mandatory: false,
      source: 'cohort',
      sourceRef: `cohort-application:${r.id}`,
      synthetic: true,
    };
  });
  const client = await deps.pool.connect();
  try {
    // The learning record's extension runs first and removes every synthetic record, these included.
    await client.query('BEGIN');
    await copyLearningRecords(client, records);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  ctx.log(`cohorts: ${records.length} completions copied into the learning record`);
  return records.length;
}
