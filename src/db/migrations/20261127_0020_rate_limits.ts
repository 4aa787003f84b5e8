import { type Kysely, sql } from 'kysely';

// Rate-limit counters shared by every app instance (a limit of N a minute is N in total, not N per instance).
// Only the sign-in and password-reset forms are limited, so one upsert per such request is cheap.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rate_limits (
      key           text PRIMARY KEY,
      window_start  timestamptz NOT NULL,
      hits          integer NOT NULL
    );
    CREATE INDEX rate_limits_window_idx ON rate_limits (window_start);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rate_limits`.execute(db);
}
