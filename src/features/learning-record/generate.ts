import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { SeedExtension } from '../seed/extension.ts';
import { refreshEquity } from './equity-refresh.ts';

// Synthetic learning records for the seeded staff (docs/learning-record.md, "Synthetic data"): over the three years
// before the seed's today, each person has about one mandatory course a year and, some years, non-mandatory
// development. Uptake of development differs modestly by band, ethnic group and disability, in the direction
// the WRES and WDES report nationally, so that the equity pages have something to show. About 3.6 records per
// person: some 5 million at national scale. One set-based INSERT … SELECT; the randomness is a hash of the seed,
// the person and the slot, so a seed always gives the same records.

const development = [
  ['Edward Jenner Programme', 'NHS Leadership Academy', 20],
  ['Mary Seacole Programme', 'NHS Leadership Academy', 120],
  ['Rosalind Franklin Programme', 'NHS Leadership Academy', 160],
  ['Coaching skills for managers', 'Regional leadership collaborative', 14],
  ['Quality improvement foundations', 'Improvement academy', 12],
  ['Inclusive leadership', 'Regional leadership collaborative', 7],
  ['Data and measurement for managers', 'NHS Elect', 10],
  ['Leading teams through change', 'Trust learning and development', 6],
  ['Project management essentials', 'Trust learning and development', 18],
  ['Compassionate leadership', 'The King’s Fund', 8],
] as const;
const mandatory = [
  ['Fire safety', 1],
  ['Information governance and data security', 1.5],
  ['Safeguarding adults level 2', 2],
  ['Equality, diversity and human rights', 1],
  ['Health, safety and welfare', 1],
] as const;

// Typed in the VALUES list: parameters would otherwise arrive as text.
const values = (rows: readonly (readonly (string | number)[])[]) =>
  sql.join(
    rows.map(
      (r, i) =>
        sql`(${sql.lit(i)}, ${sql.join(r.map((v) => (typeof v === 'number' ? sql`${v}::numeric` : sql`${v}::text`)))})`,
    ),
  );

/**
 * Bulk loading: foreign keys checked row by row and indexes kept up to date row by row cost more than the insert
 * itself (a third of the time at region scale). So the table's secondary indexes and its foreign-key and unique
 * constraints are dropped inside the transaction and rebuilt from their own definitions afterwards, which checks
 * every row again in one pass each. Other sessions wait for the table meanwhile: the seed is an offline step.
 */
async function withoutIndexes<T>(trx: Database, work: () => Promise<T>): Promise<T> {
  const constraints = await sql<{ name: string; def: string }>`
    SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = 'learning_records'::regclass AND contype IN ('f', 'u') ORDER BY conname`.execute(trx);
  const indexes = await sql<{ name: string; def: string }>`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = 'learning_records'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname`.execute(trx);
  for (const c of constraints.rows)
    await sql`ALTER TABLE learning_records DROP CONSTRAINT ${sql.id(c.name)}`.execute(trx);
  for (const i of indexes.rows) await sql`DROP INDEX ${sql.id(i.name)}`.execute(trx);
  const result = await work();
  for (const i of indexes.rows) await sql.raw(i.def).execute(trx);
  for (const c of constraints.rows) {
    await sql`ALTER TABLE learning_records ADD CONSTRAINT ${sql.id(c.name)} ${sql.raw(c.def)}`.execute(trx);
  }
  return result;
}

// This generator's own rows: synthetic imports. The cohorts generator's completions are synthetic too but come from
// the 'cohort' source; a re-run of this generator alone (the learning-record bench does one) must leave them be.
export const OWN_SOURCE = 'import';

export const seedExtension: SeedExtension = {
  name: 'learning-record',
  // Before a seed, every synthetic record goes, the cohorts generator's completions too: that generator runs later
  // and copies them again, and its own `remove` leaves the learning record alone.
  async remove(deps) {
    await deps.db.deleteFrom('learning_records').where('synthetic', '=', true).execute();
  },
  async run(deps, ctx) {
    const started = Date.now();
    const inserted = await deps.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL work_mem = '128MB'`.execute(trx);
      return withoutIndexes(trx, async () => {
        const removed = await trx
          .deleteFrom('learning_records')
          .where('synthetic', '=', true)
          .where('source', '=', OWN_SOURCE)
          .executeTakeFirst();
        if (Number(removed.numDeletedRows) > 0)
          ctx.log(`learning-record: removed ${removed.numDeletedRows} earlier records`);
        // u(slot) is a uniform number in [0, 1) from the seed, the person's key, the year and the slot.
        const u = (slot: number) =>
          sql`(abs(hashint8extended(s.person_key # (${slot} + y.y), ${ctx.seed}::bigint)) % 1000000) / 1000000.0`;
        const result = await sql`
        WITH staff AS (
          -- Keyed on the staff number, which a seed reproduces, where row ids depend on what the database held before.
          SELECT DISTINCT ON (a.person_id) a.person_id, a.band,
                 hashtextextended(coalesce(p.staff_number, p.id::text), ${ctx.seed}::bigint) AS person_key,
                 upper(left(coalesce(p.ethnicity, 'Z'), 1)) IN ('A', 'B', 'C', 'Z') AS white_or_unknown,
                 lower(coalesce(p.disability, '')) IN ('yes', 'y') AS disabled
            FROM assignments a JOIN people p ON p.id = a.person_id
           WHERE a.organisation_id = ANY(${ctx.organisationIds}::int[]) AND a.end_date IS NULL
           ORDER BY a.person_id, a.id
        ),
        dev(i, title, provider, hours) AS (VALUES ${values(development)}),
        man(i, title, hours) AS (VALUES ${values(mandatory)}),
        slots AS (
          SELECT s.person_id, y.y,
                 ${u(8)} AS u_dev, ${u(16)} AS u_man, ${u(24)} AS u_day, ${u(32)} AS u_pick,
                 -- Development uptake: about a third of staff a year, more at senior bands, less for BME and disabled staff.
                 0.30 * CASE WHEN s.band IN ('7', '8a', '8b', '8c', '8d', '9', 'VSM') THEN 1.35
                             WHEN s.band IN ('1', '2', '3', '4') THEN 0.8 ELSE 1 END
                      * CASE WHEN s.white_or_unknown THEN 1 ELSE 0.8 END
                      * CASE WHEN s.disabled THEN 0.85 ELSE 1 END AS p_dev
            FROM staff s CROSS JOIN generate_series(0, 2) AS y(y)
        )
        INSERT INTO learning_records (person_id, title, provider_name, completed_on, outcome, hours, mandatory, source, synthetic)
        SELECT sl.person_id, d.title, d.provider,
               ${ctx.today}::date - (sl.y * 365 + floor(sl.u_day * 365))::int,
               CASE WHEN sl.u_pick < 0.05 THEN 'attended' WHEN sl.u_pick < 0.3 THEN 'passed' ELSE 'completed' END,
               d.hours, false, ${OWN_SOURCE}::text, true
          FROM slots sl JOIN dev d ON d.i = floor(sl.u_pick * 10)::int
         WHERE sl.u_dev < sl.p_dev
        UNION ALL
        SELECT sl.person_id, m.title, 'Trust statutory and mandatory training',
               ${ctx.today}::date - (sl.y * 365 + floor(sl.u_pick * 365))::int,
               'completed', m.hours, true, ${OWN_SOURCE}::text, true
          FROM slots sl JOIN man m ON m.i = floor(sl.u_day * 5)::int
         WHERE sl.u_man < 0.85`.execute(trx);
        return Number(result.numAffectedRows ?? 0);
      });
    });
    await sql`ANALYZE learning_records`.execute(deps.db);
    const refresh = await refreshEquity(deps);
    return `${inserted.toLocaleString('en-GB')} learning records in ${Math.round((Date.now() - started) / 1000)} s; equity summaries: ${refresh.cells.toLocaleString('en-GB')} cells`;
  },
};
