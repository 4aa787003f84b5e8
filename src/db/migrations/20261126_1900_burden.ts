import { type Kysely, sql } from 'kysely';

// The register of upward reporting requirements (returns, their data items), the effort organisations
// spend on them, Agenda for Change pay scales as dated data, and the summary tables the burden
// analysis job writes (feature src/features/burden; see docs/burden.md).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE burden_returns (
      id                integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      requesting_body   text NOT NULL CHECK (requesting_body IN ('nhse_national','nhse_regional','icb','dhsc','cqc',
                          'nhs_resolution','royal_college','local_authority','other')),
      legal_basis       text NOT NULL,
      mandatory         boolean NOT NULL,
      -- An information standard notice or DAPB reference; null when the collection has none.
      approval_ref      text,
      frequency         text NOT NULL CHECK (frequency IN ('weekly','monthly','quarterly','annual','ad_hoc')),
      -- How many times a year an ad hoc return is expected, so that its yearly burden can be estimated.
      ad_hoc_cycles     integer CHECK (ad_hoc_cycles BETWEEN 1 AND 366),
      deadline_rule     text NOT NULL,
      submission_route  text NOT NULL,
      start_date        date NOT NULL,
      sunset_date       date,
      scope             text NOT NULL CHECK (scope IN ('national','regional','icb','local')),
      -- The region, ICB or organisation a regional, ICB or local return covers.
      scope_org_id      integer REFERENCES organisations(id),
      owner_org_id      integer REFERENCES organisations(id),
      created_by        integer REFERENCES accounts(id) ON DELETE SET NULL,
      updated_by        integer REFERENCES accounts(id) ON DELETE SET NULL,
      created_at        timestamptz NOT NULL DEFAULT now(),
      updated_at        timestamptz NOT NULL DEFAULT now(),
      CHECK ((scope = 'national') = (scope_org_id IS NULL)),
      CHECK ((frequency = 'ad_hoc') = (ad_hoc_cycles IS NOT NULL)),
      CHECK (sunset_date IS NULL OR sunset_date >= start_date)
    );
    -- A return is identified by its name within its scope: imports match on it.
    CREATE UNIQUE INDEX burden_returns_identity ON burden_returns (lower(name), scope, coalesce(scope_org_id, 0));
    CREATE INDEX burden_returns_scope_org_idx ON burden_returns (scope_org_id) WHERE scope_org_id IS NOT NULL;

    CREATE TABLE burden_data_items (
      id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      -- Lower case, punctuation as single spaces: two spellings of one name are one item.
      normalised_name  text NOT NULL UNIQUE,
      definition       text,
      unit             text,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now()
    );
    -- GiST rather than GIN: measured on 10,000 item names made of common NHS words, one similarity probe
    -- took 12 ms with GiST and 114 ms with GIN (long posting lists for common trigrams).
    CREATE INDEX burden_data_items_trgm ON burden_data_items USING gist (normalised_name gist_trgm_ops);

    -- Near matches between dictionary items (similar names, same numbers), found when an item is added or
    -- renamed and recomputed in full by \`leadwell burden refresh\`. item_a < item_b.
    CREATE TABLE burden_item_pairs (
      item_a      integer NOT NULL REFERENCES burden_data_items(id) ON DELETE CASCADE,
      item_b      integer NOT NULL REFERENCES burden_data_items(id) ON DELETE CASCADE,
      similarity  numeric(4,3) NOT NULL,
      PRIMARY KEY (item_a, item_b),
      CHECK (item_a < item_b)
    );
    CREATE INDEX burden_item_pairs_b_idx ON burden_item_pairs (item_b);

    CREATE TABLE burden_return_items (
      return_id     integer NOT NULL REFERENCES burden_returns(id) ON DELETE CASCADE,
      data_item_id  integer NOT NULL REFERENCES burden_data_items(id),
      PRIMARY KEY (return_id, data_item_id)
    );
    CREATE INDEX burden_return_items_item_idx ON burden_return_items (data_item_id, return_id);

    -- Effort is versioned: each version starts on effective_from and lasts until the next one.
    CREATE TABLE burden_efforts (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id  integer NOT NULL REFERENCES organisations(id),
      return_id        integer NOT NULL REFERENCES burden_returns(id),
      effective_from   date NOT NULL,
      recorded_by      integer REFERENCES accounts(id) ON DELETE SET NULL,
      recorded_at      timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organisation_id, return_id, effective_from)
    );
    CREATE INDEX burden_efforts_return_idx ON burden_efforts (return_id);

    -- Who compiles the return (a role, not a person) and for how long each cycle.
    CREATE TABLE burden_effort_lines (
      effort_id        bigint NOT NULL REFERENCES burden_efforts(id) ON DELETE CASCADE,
      position         smallint NOT NULL,
      role             text NOT NULL CHECK (length(role) BETWEEN 1 AND 120),
      band             text NOT NULL CHECK (band IN ('1','2','3','4','5','6','7','8a','8b','8c','8d','9','VSM','Medical','Other')),
      hours_per_cycle  numeric(7,2) NOT NULL CHECK (hours_per_cycle >= 0 AND hours_per_cycle <= 2000),
      PRIMARY KEY (effort_id, position)
    );

    -- Pay scales as dated data (reference/pay/*.csv). The scale valid on a date prices the hours of that date.
    CREATE TABLE pay_scales (
      id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      scale            text NOT NULL,
      band             text NOT NULL,
      valid_from       date NOT NULL,
      valid_to         date,
      annual_min       numeric(10,2) NOT NULL,
      annual_max       numeric(10,2) NOT NULL,
      on_cost_percent  numeric(5,2) NOT NULL CHECK (on_cost_percent >= 0 AND on_cost_percent < 100),
      source           text NOT NULL,
      loaded_at        timestamptz NOT NULL DEFAULT now(),
      UNIQUE (band, valid_from),
      CHECK (annual_min > 0 AND annual_max >= annual_min),
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    );

    -- Summary tables written by the burden refresh (never per request).
    CREATE TABLE burden_org_returns (
      organisation_id      integer NOT NULL REFERENCES organisations(id),
      return_id            integer NOT NULL REFERENCES burden_returns(id) ON DELETE CASCADE,
      effort_from          date NOT NULL,
      hours_per_cycle      numeric(9,2) NOT NULL,
      cycles_per_year      numeric(7,2) NOT NULL,
      hours_year           numeric(12,2) NOT NULL,
      cost_year            numeric(14,2) NOT NULL,
      uncosted_hours_year  numeric(12,2) NOT NULL,
      scales               text,
      refreshed_at         timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, return_id)
    );
    CREATE INDEX burden_org_returns_return_idx ON burden_org_returns (return_id);

    CREATE TABLE burden_area_summary (
      level                text NOT NULL CHECK (level IN ('organisation','icb','region','nation')),
      -- The organisation, ICB or region; 0 for the nation.
      area_id              integer NOT NULL,
      dimension            text NOT NULL CHECK (dimension IN ('total','body','return')),
      -- '' for the total, the requesting body code, or the return id.
      key                  text NOT NULL,
      hours_year           numeric(14,2) NOT NULL,
      cost_year            numeric(16,2) NOT NULL,
      uncosted_hours_year  numeric(14,2) NOT NULL,
      organisations        integer NOT NULL,
      managers             integer,
      refreshed_at         timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (level, area_id, dimension, key)
    );

    CREATE TABLE burden_overlap_groups (
      id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind            text NOT NULL CHECK (kind IN ('exact','near')),
      item_ids        integer[] NOT NULL,
      return_ids      integer[] NOT NULL,
      -- The weakest name similarity that joined the group (near groups only).
      min_similarity  numeric(4,3),
      refreshed_at    timestamptz NOT NULL DEFAULT now()
    );

    -- Regional, ICB and local returns whose every data item is already asked for by one national return.
    CREATE TABLE burden_return_duplicates (
      return_id           integer NOT NULL REFERENCES burden_returns(id) ON DELETE CASCADE,
      national_return_id  integer NOT NULL REFERENCES burden_returns(id) ON DELETE CASCADE,
      PRIMARY KEY (return_id, national_return_id)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE burden_return_duplicates, burden_overlap_groups, burden_area_summary, burden_org_returns,
      pay_scales, burden_effort_lines, burden_efforts, burden_return_items, burden_item_pairs, burden_data_items,
      burden_returns;
  `.execute(db);
}
