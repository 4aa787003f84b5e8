import { type Kysely, sql } from 'kysely';

// Head counts per organisation, computed by `refreshOrganisationStats` after imports and seeding (and by
// `leadwell stats refresh`), so that dashboards never count 1.35M assignments per request.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE organisation_stats (
      organisation_id  integer PRIMARY KEY REFERENCES organisations(id),
      staff            integer NOT NULL,
      managers         integer NOT NULL,
      wte              numeric(10,2) NOT NULL,
      joiners_12m      integer NOT NULL,
      leavers_12m      integer NOT NULL,
      refreshed_at     timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE organisation_stats`.execute(db);
}
