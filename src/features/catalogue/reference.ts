import type { Database } from '../../db/database.ts';
import { regions } from './queries.ts';

// Reference data the catalogue's pages list on every request (the regions, the published frameworks'
// competencies) changes a few times a year, so each process keeps it and re-checks it against the database at
// most every CHECK_MS. Another instance's change (a framework published, a region renamed) is therefore seen here
// within CHECK_MS (5 seconds); nothing is keyed to a request or a query string. The check is one small query per
// list and process every 5 seconds, whatever the traffic, and the full list is read again only when what the check
// returns has changed. (Folding the check into the search statement would read the frameworks feature's tables
// from catalogue SQL, which the design rules do not allow.)

export const CHECK_MS = 5_000;

interface Entry<T> {
  checkedAt: number;
  key: string;
  value: T;
  pending?: Promise<T>;
}

/**
 * A per-database memo: `version` reads what identifies the current data (cheap), `load` builds the value from it
 * when it differs from the one kept. Concurrent callers share one check.
 */
export function keptFresh<Db extends object, V, T>(opts: {
  version: (db: Db) => Promise<V>;
  keyOf: (version: V) => string;
  load: (db: Db, version: V) => Promise<T>;
  now?: () => number;
}) {
  const kept = new WeakMap<Db, Entry<T>>();
  const now = opts.now ?? Date.now;
  async function refresh(db: Db, entry: Entry<T> | undefined, force: boolean): Promise<T> {
    const started = now();
    const version = await opts.version(db);
    const key = opts.keyOf(version);
    const same = !force && entry !== undefined && entry.key === key;
    const value = same ? entry.value : await opts.load(db, version);
    kept.set(db, { checkedAt: started, key, value });
    return value;
  }
  // The first read of a database, shared by the requests that arrive before it ends (a process starting under load).
  const starting = new WeakMap<Db, Promise<T>>();
  return function get(db: Db, fresh = false): Promise<T> {
    const entry = kept.get(db);
    if (!fresh && entry) {
      if (now() - entry.checkedAt < CHECK_MS) return Promise.resolve(entry.value);
      if (entry.pending) return entry.pending;
    }
    if (!fresh && !entry) {
      const first = starting.get(db);
      if (first) return first;
    }
    const pending = refresh(db, entry, fresh);
    // A failed check leaves the kept value (if any) to be checked again by the next request.
    const settle = () => {
      if (entry) entry.pending = undefined;
      else starting.delete(db);
    };
    if (!fresh) {
      if (entry) entry.pending = pending;
      else starting.set(db, pending);
      pending.then(settle, settle);
    }
    return pending;
  };
}

/** The open regions (id, ODS code, name), for the filters: seven rows, so the check is the list itself. */
export const openRegions: (db: Database) => Promise<{ id: number; code: string; name: string }[]> = keptFresh({
  version: (db: Database) => regions(db),
  keyOf: (rows) => JSON.stringify(rows),
  load: async (_db, rows) => rows,
});
