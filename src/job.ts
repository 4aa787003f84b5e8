import type { Deps } from './deps.ts';

/**
 * A background job a feature contributes. Jobs run in the worker (pg-boss), on their cron schedule and when sent;
 * `leadwell jobs run <name>` runs one at once. Tests call `run` directly with real deps.
 *
 * A job must be safe to run twice and safe to run on several instances at once: it works from the database
 * state (what is due now), not from what it was told, and marks what it has done in the same transaction.
 */
export interface Job {
  /** Queue name: lower case letters, digits, dots and dashes, prefixed with the feature, e.g. `feedback.reminders`. */
  name: string;
  description: string;
  /** Cron expression in UTC (five fields), e.g. `0 7 * * *`. Omit for jobs that only run when sent. */
  schedule?: string;
  /** Returns a one-line summary for the log, e.g. `sent 12 reminders`. */
  run(deps: Deps, data: Record<string, unknown>): Promise<string | undefined>;
}
