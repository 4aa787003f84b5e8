import { type Kysely, sql } from 'kysely';

// Indexes for searching the audit log at national scale (tens of millions of rows). IF NOT EXISTS: on a
// large live table an operator may build them first with CREATE INDEX CONCURRENTLY, which cannot run here.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Keyset pages are ordered by (at, id): with id in the index a page boundary inside a burst of entries
    -- written in one transaction (identical at) is one index seek, not a rescan of the burst.
    CREATE INDEX IF NOT EXISTS audit_log_at_id_idx ON audit_log (at DESC, id DESC);

    -- Filtering by action, and listing the distinct actions with a loose index scan (one probe per action).
    CREATE INDEX IF NOT EXISTS audit_log_action_idx ON audit_log (action, at DESC, id DESC);

    -- An organisation admin's scope: the set of people with an assignment (current or past) in their
    -- organisations, read from the index alone (the unique (organisation_id, assignment_number) index
    -- needs a heap visit per row: 4 times slower for a large trust).
    CREATE INDEX IF NOT EXISTS assignments_org_person_idx ON assignments (organisation_id, person_id);

    -- The actor filter matches a fragment of an account's name or email.
    CREATE INDEX IF NOT EXISTS accounts_search_trgm ON accounts
      USING gin ((lower(email) || ' ' || lower(display_name)) gin_trgm_ops);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS accounts_search_trgm;
    DROP INDEX IF EXISTS assignments_org_person_idx;
    DROP INDEX IF EXISTS audit_log_action_idx;
    DROP INDEX IF EXISTS audit_log_at_id_idx;
  `.execute(db);
}
