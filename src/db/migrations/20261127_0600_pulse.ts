import { type Kysely, sql } from 'kysely';

// The manager time-use pulse (src/features/pulse; docs/burden.md "The time-use pulse"): rounds per organisation,
// one response per manager per round, a per-round summary kept up to date in the submitting transaction, and
// the reminders sent (one of each kind per person per round).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE pulse_settings (
      organisation_id  integer PRIMARY KEY REFERENCES organisations(id),
      cadence          text NOT NULL CHECK (cadence IN ('monthly','quarterly')),
      updated_by       integer REFERENCES accounts(id) ON DELETE SET NULL,
      updated_at       timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE pulse_rounds (
      id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id  integer NOT NULL REFERENCES organisations(id),
      cadence          text NOT NULL CHECK (cadence IN ('monthly','quarterly')),
      opens_on         date NOT NULL,
      closes_on        date NOT NULL,
      synthetic        boolean NOT NULL DEFAULT false,
      created_at       timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organisation_id, opens_on),
      CHECK (closes_on >= opens_on)
    );
    CREATE INDEX pulse_rounds_open_idx ON pulse_rounds (closes_on, opens_on);

    -- Hours last week by category. Never shown to anyone but the person: results are aggregates only.
    CREATE TABLE pulse_responses (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      round_id         integer NOT NULL REFERENCES pulse_rounds(id) ON DELETE CASCADE,
      person_id        bigint NOT NULL REFERENCES people(id),
      upward           numeric(4,1) NOT NULL CHECK (upward BETWEEN 0 AND 100),
      meetings         numeric(4,1) NOT NULL CHECK (meetings BETWEEN 0 AND 100),
      people_mgmt      numeric(4,1) NOT NULL CHECK (people_mgmt BETWEEN 0 AND 100),
      improvement      numeric(4,1) NOT NULL CHECK (improvement BETWEEN 0 AND 100),
      operational      numeric(4,1) NOT NULL CHECK (operational BETWEEN 0 AND 100),
      other            numeric(4,1) NOT NULL CHECK (other BETWEEN 0 AND 100),
      submitted_at     timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now(),
      UNIQUE (round_id, person_id)
    );
    CREATE INDEX pulse_responses_person_idx ON pulse_responses (person_id);

    -- Sums per round, updated in the same transaction as each response (no per-request aggregation).
    CREATE TABLE pulse_round_summary (
      round_id         integer PRIMARY KEY REFERENCES pulse_rounds(id) ON DELETE CASCADE,
      organisation_id  integer NOT NULL REFERENCES organisations(id),
      opens_on         date NOT NULL,
      responses        integer NOT NULL,
      upward           numeric(12,1) NOT NULL,
      meetings         numeric(12,1) NOT NULL,
      people_mgmt      numeric(12,1) NOT NULL,
      improvement      numeric(12,1) NOT NULL,
      operational      numeric(12,1) NOT NULL,
      other            numeric(12,1) NOT NULL
    );
    CREATE INDEX pulse_round_summary_org_idx ON pulse_round_summary (organisation_id, opens_on);
    CREATE INDEX pulse_round_summary_opens_idx ON pulse_round_summary (opens_on);

    CREATE TABLE pulse_reminders (
      round_id   integer NOT NULL REFERENCES pulse_rounds(id) ON DELETE CASCADE,
      person_id  bigint NOT NULL REFERENCES people(id),
      kind       text NOT NULL CHECK (kind IN ('opening','closing')),
      sent_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (round_id, person_id, kind)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE pulse_reminders, pulse_round_summary, pulse_responses, pulse_rounds, pulse_settings`.execute(db);
}
