import { type Kysely, sql } from 'kysely';

// The catalogue's search summary (docs/learning-catalogue.md, performance): one narrow row per published programme
// with only what search filters and ranks on. The programmes rows are wide (summary, outcomes, eligibility lists,
// the tsvector): matching and ranking read a quarter of the pages here. A trigger keeps it in step with every
// write to programmes (pages, API, accreditation, the cohorts' next start date, the data generator), in the same
// transaction, so search never shows a stale programme.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE catalogue_search (
      programme_id       bigint PRIMARY KEY REFERENCES programmes(id) ON DELETE CASCADE,
      title              text NOT NULL,
      provider_id        bigint NOT NULL,
      level              text NOT NULL,
      format             text NOT NULL,
      scope              text NOT NULL,
      area_region_id     integer,
      cost_pounds        integer NOT NULL,
      funding            text NOT NULL,
      next_cohort_start  date,
      accredited         boolean NOT NULL,
      search             tsvector NOT NULL
    );
    CREATE INDEX catalogue_search_title_idx ON catalogue_search (title, programme_id);
    CREATE INDEX catalogue_search_search_idx ON catalogue_search USING gin (search);

    CREATE FUNCTION catalogue_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR NEW.status <> 'published' THEN
        DELETE FROM catalogue_search WHERE programme_id = OLD.id;
        RETURN NULL;
      END IF;
      INSERT INTO catalogue_search (programme_id, title, provider_id, level, format, scope, area_region_id,
          cost_pounds, funding, next_cohort_start, accredited, search)
        VALUES (NEW.id, NEW.title, NEW.provider_id, NEW.level, NEW.format, NEW.scope, NEW.area_region_id,
          NEW.cost_pounds, NEW.funding, NEW.next_cohort_start, NEW.accreditation_status = 'accredited', NEW.search)
        ON CONFLICT (programme_id) DO UPDATE SET
          title = excluded.title, provider_id = excluded.provider_id, level = excluded.level,
          format = excluded.format, scope = excluded.scope, area_region_id = excluded.area_region_id,
          cost_pounds = excluded.cost_pounds, funding = excluded.funding,
          next_cohort_start = excluded.next_cohort_start, accredited = excluded.accredited,
          search = excluded.search;
      RETURN NULL;
    END $$;
    CREATE TRIGGER catalogue_search_sync AFTER INSERT OR UPDATE OR DELETE ON programmes
      FOR EACH ROW EXECUTE FUNCTION catalogue_search_sync();

    INSERT INTO catalogue_search (programme_id, title, provider_id, level, format, scope, area_region_id,
        cost_pounds, funding, next_cohort_start, accredited, search)
      SELECT id, title, provider_id, level, format, scope, area_region_id, cost_pounds, funding, next_cohort_start,
             accreditation_status = 'accredited', search
        FROM programmes WHERE status = 'published';
    ANALYZE catalogue_search;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER catalogue_search_sync ON programmes;
    DROP FUNCTION catalogue_search_sync();
    DROP TABLE catalogue_search;
  `.execute(db);
}
