import { type Kysely, sql } from 'kysely';

// The burden over time (docs/burden.md "Trend"): hours and cost a year as they stood at the end of each month,
// from the effort versions in effect then, per organisation and summed per ICB, region and England. Written by
// the burden refresh, never per request. Also marks the register rows the data generator makes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE burden_trend (
      level                text NOT NULL CHECK (level IN ('organisation','icb','region','nation')),
      area_id              integer NOT NULL,
      month_end            date NOT NULL,
      hours_year           numeric(14,2) NOT NULL,
      cost_year            numeric(16,2) NOT NULL,
      uncosted_hours_year  numeric(14,2) NOT NULL,
      organisations        integer NOT NULL,
      refreshed_at         timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (level, area_id, month_end)
    );

    -- Rows made by the data generator (leadwell seed), so that a re-run removes only its own.
    ALTER TABLE burden_returns ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
    ALTER TABLE burden_data_items ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
    ALTER TABLE burden_efforts ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
    CREATE INDEX burden_efforts_synthetic_idx ON burden_efforts (return_id) WHERE synthetic;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE burden_trend;
    ALTER TABLE burden_returns DROP COLUMN synthetic;
    ALTER TABLE burden_data_items DROP COLUMN synthetic;
    ALTER TABLE burden_efforts DROP COLUMN synthetic;
  `.execute(db);
}
