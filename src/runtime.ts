import path from 'node:path';
import type { Config } from './config.ts';
import { startEmbedded } from './db/database.ts';

export interface DatabaseServer {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** The database to use: DATABASE_URL when set, otherwise an embedded PostgreSQL with its files in DATA_DIR/pg. */
export async function openDatabaseServer(config: Config, log: (m: string) => void = () => {}): Promise<DatabaseServer> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  const server = await startEmbedded(path.join(config.dataDir, 'pg'), { log });
  const url = new URL(server.url);
  url.pathname = '/leadwell';
  await ensureDatabase(server.url, 'leadwell');
  return { url: url.toString(), embedded: true, stop: server.stop };
}

async function ensureDatabase(adminUrl: string, name: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
