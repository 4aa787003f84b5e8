import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../test/helpers.ts';

const deps = await testDeps();

// Rows of these tables are deleted (seed --reset, a cohort's sessions replaced, clean-ups) or are many: PostgreSQL
// checks each deleted row for rows referring to it, and without an index on the referring column that check reads
// the whole referring table once per deleted row (hours at national scale).
const deletedParents = ['people', 'assignments', 'teams', 'cohort_sessions', 'cohort_applications'];

describe('the schema', () => {
  it('indexes every foreign key that refers to rows which get deleted', async () => {
    const { rows } = await sql<{ fk: string }>`
      SELECT c.conrelid::regclass || '.' || a.attname || ' -> ' || c.confrelid::regclass AS fk
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f'
         AND c.confrelid::regclass::text = ANY(${deletedParents}::text[])
         -- An index on the column, whole or leaving out only nulls: the check cannot use one with another condition.
         AND NOT EXISTS (SELECT 1 FROM pg_index i
                          WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1]
                            AND (i.indpred IS NULL
                                 OR pg_get_expr(i.indpred, i.indrelid) = '(' || quote_ident(a.attname) || ' IS NOT NULL)'))
       ORDER BY 1
    `.execute(deps.db);
    expect(rows.map((r) => r.fk)).toEqual([]);
  });
});
