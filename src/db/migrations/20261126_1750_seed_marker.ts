import { type Kysely, sql } from 'kysely';

// Marks the people and teams that the synthetic data generator (`leadwell seed`) created, so that
// `--reset` removes exactly those and never real staff loaded from ESR. Assignments follow their person;
// demo accounts are marked by accounts.is_demo. Adding a column with a constant default is instant.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE people ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
    ALTER TABLE teams ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE people DROP COLUMN synthetic;
    ALTER TABLE teams DROP COLUMN synthetic;
  `.execute(db);
}
