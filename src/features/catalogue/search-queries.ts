import { sql } from 'kysely';
import { executeNamed } from '../../db/prepared.ts';
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

/**
 * The filters as conditions on `cs`: the narrow search summary of published programmes (catalogue_search, kept by a
 * trigger on programmes), which matching and ranking read instead of the wide programmes rows.
 */
function filtered(db: Db, f: SearchFilters, query: ReturnType<typeof sql> | undefined) {
  let s = db.selectFrom('catalogue_search as cs');
  if (query) s = s.where(sql<boolean>`cs.search @@ ${query}`);
  if (f.level) s = s.where('cs.level', '=', f.level);
  if (f.format) s = s.where('cs.format', '=', f.format);
  if (f.providerId) s = s.where('cs.provider_id', '=', f.providerId);
  if (f.regionId !== undefined) {
    const r = f.regionId;
    s = s.where((eb) => eb.or([eb('cs.scope', '=', 'national'), eb('cs.area_region_id', '=', r)]));
  }
  if (f.competencyId !== undefined) {
    const c = f.competencyId;
    s = s.where((eb) =>
      eb.exists(
        eb
          .selectFrom('programme_competencies as pc')
          .select(sql`1`.as('one'))
          .whereRef('pc.programme_id', '=', 'cs.programme_id')
          .where('pc.competency_id', '=', c),
      ),
    );
  }
  if (f.cost?.kind === 'free') s = s.where('cs.cost_pounds', '=', 0);
  if (f.cost?.kind === 'funded') s = s.where('cs.funding', '<>', 'none');
  if (f.cost?.kind === 'max') s = s.where('cs.cost_pounds', '<=', f.cost.pounds);
  if (f.startsFrom) s = s.where('cs.next_cohort_start', '>=', f.startsFrom);
  if (f.startsBy) s = s.where('cs.next_cohort_start', '<=', f.startsBy);
  if (f.accreditedOnly) s = s.where('cs.accredited', '=', true);
  return s;
}

/**
 * One page of results and the total, in one statement. The page's programmes are found in the search summary
 * (ranked by relevance with words, else by title from its index), and only those 20 are then read from programmes
 * for their cards. With words every match has to be ranked before the first page is known, so the total is a
 * window count over the matches; without words the title index stops after a page, and the total is a count of
 * the filtered summary rows in the same statement (read index-only from catalogue_search_filter_idx).
 */
export async function searchProgrammes(db: Db, f: SearchFilters, page: number, pageSize = PAGE_SIZE) {
  const q = f.q?.trim();
  const query = q ? sql`websearch_to_tsquery('english', ${q})` : undefined;
  const offset = (Math.min(Math.max(page, 1), MAX_PAGE) - 1) * pageSize;
  const counted = () => filtered(db, f, query).select(sql<number>`count(*)::int`.as('n'));
  const base = filtered(db, f, query).select([
    'cs.programme_id',
    (query ? sql<number>`ts_rank(cs.search, ${query})::float8` : sql<number>`0::float8`).as('rank'),
    (query ? sql<number>`count(*) OVER ()::int` : sql<number>`0`).as('total'),
  ]);
  const ordered = query
    ? base.orderBy('rank', 'desc').orderBy('cs.programme_id')
    : base.orderBy('cs.title').orderBy('cs.programme_id');
  const pageRows = db
    .selectFrom(ordered.limit(pageSize).offset(offset).as('m'))
    .innerJoin('programmes as p', 'p.id', 'm.programme_id')
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
      'm.rank',
    ])
    // Uncorrelated, so PostgreSQL counts once for the statement, not per row.
    .select(query ? sql<number>`m.total`.as('total') : () => counted().as('total'));
  // Named: its plan hardly depends on the words or filters, so PostgreSQL soon keeps one generic plan per shape of
  // filters instead of planning each search (planning took 0.5-0.9 ms, half as long as running it).
  const rows = (await executeNamed(
    db,
    query ? pageRows.orderBy('m.rank', 'desc').orderBy('p.id') : pageRows.orderBy('p.title').orderBy('p.id'),
  )) as (SearchRow & { total: number | null })[];
  // Past the last page no row carries the total: count (only for a hand-made page number).
  const total = rows.length ? Number(rows[0]!.total) : offset > 0 ? (await counted().executeTakeFirstOrThrow()).n : 0;
  return { rows: rows.map(({ total: _, ...r }) => r as SearchRow), total };
}
