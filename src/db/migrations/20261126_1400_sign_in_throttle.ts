import { type Kysely, sql } from 'kysely';

// Failed sign-ins for email addresses that have no account. Counting them like real accounts'
// failures means a locked-out message cannot be used to discover which addresses exist.
// The address is stored only as a SHA-256 hash. Plus two indexes for the accounts feature's lookups.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE sign_in_throttle (
      email_hash       text PRIMARY KEY,
      failed_attempts  integer NOT NULL DEFAULT 0,
      locked_until     timestamptz,
      updated_at       timestamptz NOT NULL
    );
    CREATE INDEX sign_in_throttle_updated_idx ON sign_in_throttle (updated_at);
    CREATE INDEX password_resets_account_idx ON password_resets (account_id) WHERE used_at IS NULL;
    -- The demo personas on the sign-in page, without scanning every account.
    CREATE INDEX accounts_demo_idx ON accounts (display_name, id) WHERE is_demo;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE sign_in_throttle;
    DROP INDEX password_resets_account_idx;
    DROP INDEX accounts_demo_idx;
  `.execute(db);
}
