import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connect, type EmbeddedServer, startEmbedded, withDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

export const TEMPLATE_DB = 'leadwell_template';

/**
 * One PostgreSQL per test run: TEST_DATABASE_URL when set (any PostgreSQL 15+ server we may create
 * databases on), otherwise an embedded one in a temporary folder. A template database is migrated
 * once; each test file clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export default async function setup(project: TestProject) {
  let server: EmbeddedServer | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'leadwell-test-pg-'));
    // The server runs as the 'postgres' user when we are root: it must be able to reach its folder.
    await chmod(dir, 0o755);
    server = await startEmbedded(path.join(dir, 'pg'), { persistent: false });
    adminUrl = server.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const handle = connect(withDatabase(adminUrl, TEMPLATE_DB), 2);
  await migrateToLatest(handle.db);
  await handle.close();

  project.provide('adminDatabaseUrl', adminUrl);
  return async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
