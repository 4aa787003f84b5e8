import { type Kysely, sql } from 'kysely';

// Two indexes for the catalogue's public pages (docs/learning-catalogue.md, performance).
// - Totals of a search without words count the filtered summary rows. The summary's heap is mostly the tsvector
//   (about 750 bytes a row, 510 pages nationally), so a seq scan to count took ~2 ms; this index holds every
//   filter column and is read index-only (~50 pages).
// - The accredited register is read 50 at a time in (title, id) order. Without an index of its own it read and
//   sorted every programme (1,636 pages, 15 ms) on each request; these partial indexes walk the accredited ones in
//   order, all of them or those of one management level (the register's level filter).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX catalogue_search_filter_idx ON catalogue_search
      (scope, area_region_id, level, format, cost_pounds, funding, next_cohort_start, accredited, provider_id, programme_id);
    CREATE INDEX programmes_register_idx ON programmes (title, id) WHERE accreditation_status = 'accredited';
    CREATE INDEX programmes_register_level_idx ON programmes (level, title, id) WHERE accreditation_status = 'accredited';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX catalogue_search_filter_idx, programmes_register_idx, programmes_register_level_idx`.execute(db);
}
