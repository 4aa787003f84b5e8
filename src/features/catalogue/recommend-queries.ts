import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { currentGaps } from '../assessments/queries.ts';
import { personAssignments } from '../people/queries.ts';
import type { PersonFacts } from './eligibility.ts';
import { type Db, organisationsByIds } from './queries.ts';
import type { Candidate, Gap, Place } from './recommend.ts';

// What recommendations need from the database: the person's current posts and where they are, their competency
// gaps (from the assessments feature), and the programmes that could close them.

/** The person's current posts with the region and ICB of each organisation. */
export async function personFacts(db: Database, personId: number): Promise<PersonFacts & Place> {
  const current = (await personAssignments(db, personId)).filter((a) => a.end_date === null);
  const orgs = new Map(
    (await organisationsByIds(db, [...new Set(current.map((a) => a.organisation_id))])).map((o) => [o.id, o]),
  );
  const posts = current.map((a) => ({
    band: a.band,
    staffGroup: a.staff_group,
    isManager: a.is_manager,
    organisationId: a.organisation_id,
    regionId: orgs.get(a.organisation_id)?.region_id ?? null,
  }));
  const icbIds = [
    ...new Set(current.map((a) => orgs.get(a.organisation_id)?.icb_id).filter((x): x is number => x != null)),
  ];
  const regionIds = [...new Set(posts.map((p) => p.regionId).filter((x): x is number => x !== null))];
  return { posts, regionIds, icbIds };
}

/** The person's current competency gaps, from their latest submitted assessment (assessments feature). */
export async function loadGaps(db: Database, personId: number): Promise<Gap[]> {
  return currentGaps(db, personId);
}

/**
 * Published programmes that develop any of these competencies and are online, national, or run in one of the
 * person's regions; or, without gaps, those at the given levels. Bounded: the ranking keeps the best 20.
 */
export async function candidateProgrammes(
  db: Db,
  opts: { competencyIds: number[]; levels: string[]; regionIds: number[] },
): Promise<Candidate[]> {
  let q = db
    .selectFrom('programmes as p')
    .leftJoin('organisations as so', 'so.id', 'p.scope_org_id')
    .select([
      'p.id',
      'p.title',
      'p.level',
      'p.format',
      'p.scope',
      'p.area_region_id',
      'p.area_icb_id',
      'so.name as area_name',
      'p.next_cohort_start',
      'p.accreditation_status',
      'p.elig_bands',
      'p.elig_management_levels',
      'p.elig_staff_groups',
      'p.elig_organisation_ids',
      'p.elig_region_ids',
      sql<number[]>`ARRAY(SELECT pc.competency_id FROM programme_competencies pc WHERE pc.programme_id = p.id)`.as(
        'competency_ids',
      ),
    ])
    .where('p.status', '=', 'published')
    .where((eb) =>
      eb.or([
        eb('p.format', '=', 'online'),
        eb('p.scope', '=', 'national'),
        ...(opts.regionIds.length ? [eb('p.area_region_id', 'in', opts.regionIds)] : []),
      ]),
    );
  if (opts.competencyIds.length) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('programme_competencies as pc')
          .select(sql`1`.as('one'))
          .whereRef('pc.programme_id', '=', 'p.id')
          .where('pc.competency_id', 'in', opts.competencyIds),
      ),
    );
  } else {
    if (!opts.levels.length) return [];
    q = q.where('p.level', 'in', opts.levels as Candidate['level'][]);
  }
  const rows = await q.orderBy('p.id').limit(1000).execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    level: r.level,
    format: r.format,
    scope: r.scope,
    areaRegionId: r.area_region_id,
    areaIcbId: r.area_icb_id,
    areaName: r.area_name,
    nextCohortStart: r.next_cohort_start,
    accredited: r.accreditation_status === 'accredited',
    eligibility: {
      bands: r.elig_bands,
      managementLevels: r.elig_management_levels,
      staffGroups: r.elig_staff_groups,
      organisationIds: r.elig_organisation_ids,
      regionIds: r.elig_region_ids,
    },
    competencyIds: r.competency_ids.map(Number),
  }));
}
