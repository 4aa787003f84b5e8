import { sql } from 'kysely';
import type { Database } from '../db/database.ts';

interface Counted {
  current: number;
  ttl: number;
}

/**
 * A store for @fastify/rate-limit that counts in PostgreSQL (table rate_limits), so that every instance behind a
 * load balancer shares one count. Fixed windows: the first hit opens a window of `timeWindow` ms; hits inside it
 * add up; the first hit after it opens a new one. The database clock decides, so instances need not agree on time.
 */
export function postgresRateLimitStore(db: Database) {
  return class PostgresRateLimitStore {
    readonly prefix: string;

    constructor(_options?: unknown, prefix = '') {
      this.prefix = prefix;
    }

    incr(key: string, callback: (error: Error | null, result?: Counted) => void, timeWindow: number): void {
      const windowMs = Math.max(1, Math.round(timeWindow));
      sql<{ hits: number; ttl_ms: number }>`
        INSERT INTO rate_limits AS r (key, window_start, hits) VALUES (${this.prefix + key}, clock_timestamp(), 1)
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN r.window_start + ${windowMs} * interval '1 millisecond' <= clock_timestamp()
                      THEN 1 ELSE r.hits + 1 END,
          window_start = CASE WHEN r.window_start + ${windowMs} * interval '1 millisecond' <= clock_timestamp()
                              THEN clock_timestamp() ELSE r.window_start END
        RETURNING hits,
          greatest(0, ceil(extract(epoch FROM (window_start + ${windowMs} * interval '1 millisecond' - clock_timestamp())) * 1000))::int AS ttl_ms`
        .execute(db)
        .then(
          (r) => callback(null, { current: r.rows[0]!.hits, ttl: r.rows[0]!.ttl_ms }),
          (err: Error) => callback(err),
        );
    }

    /** Each limited route counts separately: the same address may sign in and reset a password. */
    child(params: { routeInfo?: { method?: string | string[]; url?: string } }) {
      const route = params.routeInfo ?? {};
      const method = Array.isArray(route.method) ? route.method.join(',') : (route.method ?? '');
      return new PostgresRateLimitStore(undefined, `${this.prefix}${method} ${route.url ?? ''}|`);
    }
  };
}

/** Forget windows that ended long ago (the accounts.sweep job). */
export async function sweepRateLimits(db: Database, before: Date): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
