import type pg from 'pg';
import pino from 'pino';
import type { Config } from './config.ts';
import { connect, type Database } from './db/database.ts';
import { createMailer, type Mailer } from './mail.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Personal data that must never reach the logs. */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.email',
  '*.given_name',
  '*.family_name',
  '*.ethnicity',
  '*.disability',
  '*.sex',
  '*.age_band',
  '*.token',
  // Database errors repeat the offending values (an email address in a unique violation, say).
  'err.detail',
];

export function createLogger(level: Config['logLevel']) {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' } });
}

export type Logger = ReturnType<typeof createLogger>;

export interface Deps {
  config: Config;
  db: Database;
  /** The pg pool behind `db`, for what Kysely cannot do: COPY streams (staff import). */
  pool: pg.Pool;
  logger: Logger;
  clock: Clock;
  mail: Mailer;
  /** The database the deps are connected to, for what opens its own connections (the job worker). */
  databaseUrl: string;
  close(): Promise<void>;
}

/** Everything a process (web, CLI, worker, test) needs, built once from the config and a database URL. */
export function createDeps(
  config: Config,
  databaseUrl: string,
  overrides: Partial<Pick<Deps, 'clock' | 'logger'>> = {},
): Deps {
  const handle = connect(databaseUrl, config.databasePoolSize);
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const mail = createMailer({ db: handle.db, logger, smtpUrl: config.smtpUrl, from: config.mailFrom });
  return {
    config,
    db: handle.db,
    pool: handle.pool,
    logger,
    clock: overrides.clock ?? systemClock,
    mail,
    databaseUrl,
    close: async () => {
      await mail.close();
      await handle.close();
    },
  };
}
