import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { makeOrg } from '../../test/factories.ts';
import { testDeps } from '../../test/helpers.ts';
import { executeNamed, preparedQuery } from './prepared.ts';

const deps = await testDeps();

describe('preparedQuery', () => {
  it('compiles once and runs with each call’s values, keeping the fixed ones', async () => {
    const a = await makeOrg(deps.db, { code: 'PQA', name: 'Prepared A' });
    const b = await makeOrg(deps.db, { code: 'PQB', name: 'Prepared B' });
    let builds = 0;
    const byCode = preparedQuery(['code', 'name'], (db, v) => {
      builds++;
      return db
        .selectFrom('organisations')
        .select(['id', 'code', sql<string>`${'fixed'}::text`.as('fixed')])
        .where((eb) => eb.or([eb('code', '=', v.code), eb('name', '=', v.name)]))
        .orderBy('code');
    });
    expect(await byCode(deps.db, { code: 'PQA', name: 'nobody' })).toEqual([{ id: a.id, code: 'PQA', fixed: 'fixed' }]);
    expect(await byCode(deps.db, { code: 'none', name: 'Prepared B' })).toEqual([
      { id: b.id, code: 'PQB', fixed: 'fixed' },
    ]);
    expect(await byCode(deps.db, { code: 'PQA', name: 'Prepared B' })).toHaveLength(2);
    expect(builds).toBe(1);
  });

  it('runs as a named prepared statement, planned once per connection', async () => {
    const byCode = preparedQuery(['code'], (db, v) =>
      db.selectFrom('organisations').select('id').where('code', '=', v.code),
    );
    const names = await deps.db.connection().execute(async (conn) => {
      for (let i = 0; i < 3; i++) await byCode(conn, { code: `N${i}` });
      const { rows } = await sql<{ name: string; statement: string; calls: number }>`
        SELECT name, statement, generic_plans + custom_plans AS calls FROM pg_prepared_statements`.execute(conn);
      return rows;
    });
    const mine = names.filter((r) => r.statement.includes('from "organisations" where "code" = $1'));
    expect(mine).toHaveLength(1);
    expect(mine[0].name).toMatch(/^lw_[0-9a-f]{24}$/);
    expect(Number(mine[0].calls)).toBe(3);
  });

  it('refuses a query that does not use every named value as a parameter', async () => {
    const broken = preparedQuery(['code'], (db) => db.selectFrom('organisations').select('id').limit(1));
    await expect(broken(deps.db, { code: 'x' })).rejects.toThrow(/code not used as a parameter/);
  });
});

describe('executeNamed', () => {
  it('runs a built query as a named statement, one per text, with each run’s values', async () => {
    const a = await makeOrg(deps.db, { code: 'ENA', name: 'Named A' });
    const b = await makeOrg(deps.db, { code: 'ENB', name: 'Named B' });
    const byCode = (db: typeof deps.db, code: string) =>
      executeNamed(
        db,
        db.selectFrom('organisations').select(['id', 'name']).where('code', '=', code).where('source', 'is not', null),
      );
    const rows = await deps.db.connection().execute(async (conn) => {
      const found = [await byCode(conn, 'ENA'), await byCode(conn, 'ENB'), await byCode(conn, 'none')];
      const { rows } = await sql<{ name: string; calls: number }>`
        SELECT name, generic_plans + custom_plans AS calls FROM pg_prepared_statements
         WHERE statement LIKE '%where "code" = $1 and "source" is not null%'`.execute(conn);
      return { found, named: rows };
    });
    expect(rows.found).toEqual([[{ id: a.id, name: 'Named A' }], [{ id: b.id, name: 'Named B' }], []]);
    expect(rows.named).toHaveLength(1);
    expect(rows.named[0].name).toMatch(/^lw_[0-9a-f]{24}$/);
    expect(Number(rows.named[0].calls)).toBe(3);
  });
});
