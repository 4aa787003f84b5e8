import { type Kysely, sql } from 'kysely';

// Staff imports: how many errors a rejected file had (only the first 1,000 are kept in `errors`), and
// the organisation's import history listed newest first without a sort over the whole table.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE staff_imports ADD COLUMN error_count integer NOT NULL DEFAULT 0;
    CREATE INDEX staff_imports_org_idx ON staff_imports (organisation_id, created_at DESC, id DESC);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX staff_imports_org_idx;
    ALTER TABLE staff_imports DROP COLUMN error_count;
  `.execute(db);
}
