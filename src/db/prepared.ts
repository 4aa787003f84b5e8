import { createHash } from 'node:crypto';
import type { Compilable, CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { Database } from './database.ts';

/** Statement names by SQL text, for the statements that run as named prepared statements. */
const statementNames = new Map<string, string>();

/**
 * Run the registered statements as named prepared statements on this connection: PostgreSQL then parses each once
 * per connection and, after a few runs, keeps a generic plan instead of planning it every time (for the session
 * lookup, planning took several times longer than running it). `connect` calls this for each new pool client.
 */
export function namePreparedStatements(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
    const name = typeof text === 'string' ? statementNames.get(text) : undefined;
    // Registered statements come from Kysely, which always passes (text, values); anything else goes through as is.
    if (name === undefined || !Array.isArray(rest[0]) || rest.length > 1) return query(text, ...rest);
    return query({ name, text, values: rest[0] });
  };
}

/**
 * A query that Kysely builds and compiles once per database handle, then runs with each call's values. For the
 * few statements that run on nearly every request (the session lookup): building and compiling a Kysely query
 * costs a few hundred microseconds of the event loop each time, more than the statement takes in PostgreSQL.
 *
 * `build` receives a marker for each named value, to use where the value goes; the markers become bind
 * parameters, and each call puts its own values in their place. The query's shape must not depend on the values.
 * The statement also runs as a named prepared statement (see namePreparedStatements).
 */
export function preparedQuery<Name extends string, Row>(
  names: readonly Name[],
  build: (db: Database, values: Record<Name, string>) => Compilable<Row>,
): (db: Database, values: Record<Name, unknown>) => Promise<Row[]> {
  const compiled = new WeakMap<Database, { query: CompiledQuery<Row>; slots: (Name | null)[] }>();
  const marker = (name: string) => `\u0000prepared:${name}`;
  return async (db, values) => {
    let entry = compiled.get(db);
    if (!entry) {
      const markers = Object.fromEntries(names.map((n) => [n, marker(n)])) as Record<Name, string>;
      const query = build(db, markers).compile();
      const slots = query.parameters.map((p) => names.find((n) => p === marker(n)) ?? null);
      const missing = names.filter((n) => !slots.includes(n));
      if (missing.length) throw new Error(`preparedQuery: ${missing.join(', ')} not used as a parameter`);
      entry = { query, slots };
      compiled.set(db, entry);
      statementNames.set(query.sql, `lw_${createHash('sha256').update(query.sql).digest('hex').slice(0, 24)}`);
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((p, i) => (slots[i] === null ? p : values[slots[i] as Name]));
    return (await db.executeQuery<Row>({ ...query, parameters })).rows;
  };
}
