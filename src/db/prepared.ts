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

const statementName = (text: string) => `lw_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;

/**
 * Statement texts registered by executeNamed, at most this many: each is kept by every connection that runs it
 * (PostgreSQL's parsed and analysed query, some tens of KB). A query whose shape depends on its input has one
 * text per shape; past the cap, new texts run unnamed as any other query does.
 */
const MAX_NAMED_TEXTS = 200;
let namedTexts = 0;

/**
 * Run a query built by Kysely as a named prepared statement: PostgreSQL parses and analyses its text once per
 * connection instead of on every run. Planning is left to PostgreSQL's plan cache, which keeps planning each run
 * for the run's values (a custom plan) unless a generic plan costs no more, so a statement whose best plan
 * depends on its values (a name prefix walks an index range) keeps getting that plan. For busy statements that
 * Kysely builds per request, such as the people search (saves about 0.1 ms of the database's CPU per run).
 */
export async function executeNamed<Row>(db: Database, query: Compilable<Row>): Promise<Row[]> {
  const compiled = query.compile();
  if (!statementNames.has(compiled.sql) && namedTexts < MAX_NAMED_TEXTS) {
    namedTexts++;
    statementNames.set(compiled.sql, statementName(compiled.sql));
  }
  return (await db.executeQuery(compiled)).rows;
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
      statementNames.set(query.sql, statementName(query.sql));
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((p, i) => (slots[i] === null ? p : values[slots[i] as Name]));
    return (await db.executeQuery<Row>({ ...query, parameters })).rows;
  };
}
