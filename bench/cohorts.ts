import { sql } from 'kysely';
import { publishedProgrammeIds } from '../src/features/catalogue/queries.ts';
import { apply } from '../src/features/cohorts/booking.ts';
import { seedExtension } from '../src/features/cohorts/generate.ts';
import { refreshSupply } from '../src/features/cohorts/supply.ts';
import type { FeatureBench, HttpScenario } from './feature.ts';

/**
 * Cohorts at national scale: the supply-and-demand page of the largest region (summaries only, goal p95 < 100 ms
 * at 10 connections) and of its ICBs; a learner's own bookings page (/me/bookings, goal p95 < 100 ms) for someone
 * with several bookings of every kind; and, measured directly, 200 concurrent bookings for a cohort of 20 places on
 * the pool's parallel connections, which must give exactly 20 places and 180 wait-listed.
 */
export const bench: FeatureBench = {
  name: 'cohorts',
  async prepare({ deps, session, log }) {
    const db = deps.db;
    const today = deps.clock.now().toISOString().slice(0, 10);
    if (!(await db.selectFrom('cohorts').select('id').where('synthetic', '=', true).limit(1).executeTakeFirst())) {
      const trusts = await sql<{ id: number }>`
        SELECT DISTINCT organisation_id AS id FROM assignments WHERE end_date IS NULL`.execute(db);
      log('cohorts: no synthetic cohorts yet, generating them (needs the catalogue’s programmes)');
      log(
        await seedExtension.run(deps, {
          scale: 'national',
          seed: 1,
          organisationIds: trusts.rows.map((r) => r.id),
          today,
          log,
        }),
      );
    }
    const refresh = await refreshSupply(db, deps.clock.now());
    log(`cohorts: supply refresh ${refresh.rows} rows in ${refresh.millis} ms`);

    const region = await db
      .selectFrom('cohort_supply_summary as s')
      .innerJoin('organisations as o', 'o.id', 's.area_id')
      .select(['o.id', 'o.code'])
      .where('s.area_kind', '=', 'region')
      .where('s.staff_group', '=', '')
      .where('s.domain', '=', '')
      .where('s.level', '=', '')
      .orderBy('s.managers', 'desc')
      .limit(1)
      .executeTakeFirst();
    const measured: Record<string, unknown> = { supplyRefreshMs: refresh.millis, supplyRows: refresh.rows };
    measured.concurrentBookings = await concurrentBookings(deps, log);
    const learner = await busyLearner(deps);
    const mine: HttpScenario[] = learner
      ? [
          {
            label: `cohorts: a learner's bookings (${learner.bookings} bookings)`,
            paths: ['/me/bookings'],
            cookie: await session(
              deps,
              'bench-cohorts-learner@leadwell.test',
              'Bench learner (cohorts)',
              undefined,
              learner.personId,
            ),
            connections: 10,
            goalP95Ms: 100,
          },
        ]
      : [];
    if (!learner) log('cohorts: no learner with several bookings: bookings page scenario skipped');
    if (!region) {
      log('cohorts: no supply figures (no regions with managers): supply scenarios skipped');
      return { scenarios: mine, measured };
    }
    const icbs = await db
      .selectFrom('organisations')
      .select('code')
      .where('kind', '=', 'icb')
      .where('region_id', '=', region.id)
      .execute();
    const cookie = await session(deps, 'bench-cohorts-regional@leadwell.test', 'Bench regional lead (cohorts)', {
      role: 'regional_lead',
      orgId: region.id,
    });
    return {
      measured,
      scenarios: [
        ...mine,
        {
          label: 'cohorts: supply and demand, region page',
          paths: [`/cohorts/supply/${region.code}`],
          cookie,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          // The page shows one breakdown at a time (by ICB first); the others are a link away.
          label: 'cohorts: supply and demand, region page, other breakdowns',
          paths: ['staff-groups', 'levels', 'domains', 'domain-levels'].map(
            (by) => `/cohorts/supply/${region.code}?by=${by}`,
          ),
          cookie,
          connections: 10,
          goalP95Ms: 100,
        },
        {
          label: 'cohorts: supply and demand, ICB pages',
          paths: icbs.map((i) => `/cohorts/supply/${i.code}`),
          cookie,
          connections: 10,
          goalP95Ms: 100,
        },
      ],
    };
  },
};

/**
 * A learner whose page has everything on it: six or more bookings, one of them wait-listed, one completed (with its
 * certificate and feedback state), and programmes they registered interest in. Looked for among the first people by
 * id (the person index keeps it quick and the choice stable); any learner with bookings when nobody fits.
 */
async function busyLearner(deps: Parameters<FeatureBench['prepare']>[0]['deps']) {
  const pick = (strict: boolean) =>
    sql<{ person_id: number; n: number }>`
    SELECT a.person_id, count(*)::int AS n
      FROM cohort_applications a
     WHERE a.person_id < ${strict ? 30_000 : 2 ** 62}
     GROUP BY a.person_id
    HAVING ${
      strict
        ? sql`count(*) >= 6 AND count(a.completed_on) > 0 AND bool_or(a.status = 'waitlisted')
              AND EXISTS (SELECT 1 FROM programme_interest i WHERE i.person_id = a.person_id)`
        : sql`count(*) >= 1`
    }
     ORDER BY a.person_id
     LIMIT 1`.execute(deps.db);
  const row = (await pick(true)).rows[0] ?? (await pick(false)).rows[0];
  return row ? { personId: Number(row.person_id), bookings: row.n } : null;
}

/** 200 people apply at once for 20 places; the cohort is removed afterwards. */
async function concurrentBookings(deps: Parameters<FeatureBench['prepare']>[0]['deps'], log: (m: string) => void) {
  const db = deps.db;
  const [programmeId] = await publishedProgrammeIds(db);
  if (programmeId === undefined) return { skipped: 'no published programme' };
  const people = await sql<{ id: number }>`
    SELECT person_id AS id FROM assignments WHERE end_date IS NULL ORDER BY id DESC LIMIT 200`.execute(db);
  if (people.rows.length < 200) return { skipped: 'fewer than 200 people' };
  const today = deps.clock.now().toISOString().slice(0, 10);
  const cohort = await db
    .insertInto('cohorts')
    .values({
      programme_id: programmeId,
      name: 'Bench: 200 applicants for 20 places',
      capacity: 20,
      booking_opens_on: today,
      booking_closes_on: today,
      status: 'open',
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    const started = performance.now();
    const results = await Promise.all(
      people.rows.map((p) => apply(deps, { cohortId: cohort.id, personId: p.id, eligible: () => true })),
    );
    const ms = Math.round(performance.now() - started);
    const statuses = results.map((r) => (r.ok ? r.status : 'failed'));
    const count = (s: string) => statuses.filter((x) => x === s).length;
    const placesTaken = (
      await db.selectFrom('cohorts').select('places_taken').where('id', '=', cohort.id).executeTakeFirstOrThrow()
    ).places_taken;
    const out = {
      applicants: 200,
      places: 20,
      confirmed: count('confirmed'),
      heldAwaitingApproval: count('awaiting_approval'),
      waitlisted: count('waitlisted'),
      failed: count('failed'),
      placesTaken,
      exactlyTwenty: count('confirmed') + count('awaiting_approval') === 20 && placesTaken === 20,
      ms,
      poolSize: deps.config.databasePoolSize,
    };
    log(`cohorts: 200 concurrent bookings for 20 places: ${JSON.stringify(out)}`);
    return out;
  } finally {
    await sql`DELETE FROM cohort_notices WHERE application_id IN
      (SELECT id FROM cohort_applications WHERE cohort_id = ${cohort.id})`.execute(db);
    await sql`DELETE FROM cohort_applications WHERE cohort_id = ${cohort.id}`.execute(db);
    await sql`DELETE FROM cohorts WHERE id = ${cohort.id}`.execute(db);
  }
}
