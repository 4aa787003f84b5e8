import { sql } from 'kysely';
import type {
  AccreditationStatus,
  ManagementLevel,
  ProgrammeFormat,
  ProgrammeFunding,
  ProgrammeScope,
} from '../../db/schema.ts';
import type { CostFilter } from './catalogue.ts';
import type { Db } from './queries.ts';

// The public catalogue search: published programmes, PostgreSQL full-text search on the weighted `search` column
// (GIN index; title A, summary B, provider and competencies C, outcomes D) with websearch_to_tsquery, ranked, and
// structured filters on indexed columns. Pages are bounded (offset up to MAX_PAGE pages): a ranked list has no
// stable key to resume from, and nobody reads past a few hundred results.

export const PAGE_SIZE = 20;
export const MAX_PAGE = 50;

export interface SearchFilters {
  q?: string;
  level?: ManagementLevel;
  format?: ProgrammeFormat;
  regionId?: number;
  competencyId?: number;
  cost?: CostFilter;
  /** Next cohort starts on or after / on or before (YYYY-MM-DD). */
  startsFrom?: string;
  startsBy?: string;
  accreditedOnly?: boolean;
  providerId?: number;
}

export interface SearchRow {
  id: number;
  title: string;
  summary: string;
  provider_name: string;
  level: ManagementLevel;
  format: ProgrammeFormat;
  hours: number;
  duration_weeks: number;
  cost_pounds: number;
  funding: ProgrammeFunding;
  scope: ProgrammeScope;
  scope_org_name: string | null;
  next_cohort_start: string | null;
  accreditation_status: AccreditationStatus;
  accredited_until: string | null;
  rank: number;
}

/** The filters as conditions on `p` (programmes) — shared by the page query and the count. */
function filtered(db: Db, f: SearchFilters, query: ReturnType<typeof sql> | undefined) {
  let s = db.selectFrom('programmes as p').where('p.status', '=', 'published');
  if (query) s = s.where(sql<boolean>`p.search @@ ${query}`);
  if (f.level) s = s.where('p.level', '=', f.level);
  if (f.format) s = s.where('p.format', '=', f.format);
  if (f.providerId) s = s.where('p.provider_id', '=', f.providerId);
  if (f.regionId !== undefined) {
    const r = f.regionId;
    s = s.where((eb) => eb.or([eb('p.scope', '=', 'national'), eb('p.area_region_id', '=', r)]));
  }
  if (f.competencyId !== undefined) {
    const c = f.competencyId;
    s = s.where((eb) =>
      eb.exists(
        eb
          .selectFrom('programme_competencies as pc')
          .select(sql`1`.as('one'))
          .whereRef('pc.programme_id', '=', 'p.id')
          .where('pc.competency_id', '=', c),
      ),
    );
  }
  if (f.cost?.kind === 'free') s = s.where('p.cost_pounds', '=', 0);
  if (f.cost?.kind === 'funded') s = s.where('p.funding', '<>', 'none');
  if (f.cost?.kind === 'max') s = s.where('p.cost_pounds', '<=', f.cost.pounds);
  if (f.startsFrom) s = s.where('p.next_cohort_start', '>=', f.startsFrom);
  if (f.startsBy) s = s.where('p.next_cohort_start', '<=', f.startsBy);
  if (f.accreditedOnly) s = s.where('p.accreditation_status', '=', 'accredited');
  return s;
}

/**
 * One page of results and the total, as two queries run together: a window count would make PostgreSQL build and
 * sort every match before the limit, where the page query alone can stop after a page (by title, from its index).
 */
export async function searchProgrammes(db: Db, f: SearchFilters, page: number, pageSize = PAGE_SIZE) {
  const q = f.q?.trim();
  const query = q ? sql`websearch_to_tsquery('english', ${q})` : undefined;
  let s = filtered(db, f, query)
    .innerJoin('providers as pr', 'pr.id', 'p.provider_id')
    .leftJoin('organisations as so', 'so.id', 'p.scope_org_id')
    .select([
      'p.id',
      'p.title',
      sql<string>`left(p.summary, 280)`.as('summary'),
      'pr.name as provider_name',
      'p.level',
      'p.format',
      'p.hours',
      'p.duration_weeks',
      'p.cost_pounds',
      'p.funding',
      'p.scope',
      'so.name as scope_org_name',
      'p.next_cohort_start',
      'p.accreditation_status',
      'p.accredited_until',
      (query ? sql<number>`ts_rank(p.search, ${query})::float8` : sql<number>`0::float8`).as('rank'),
    ]);
  s = query ? s.orderBy('rank', 'desc').orderBy('p.id') : s.orderBy('p.title').orderBy('p.id');
  const [rows, count] = await Promise.all([
    s
      .limit(pageSize)
      .offset((Math.min(Math.max(page, 1), MAX_PAGE) - 1) * pageSize)
      .execute(),
    filtered(db, f, query).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as SearchRow[], total: count.n };
}
