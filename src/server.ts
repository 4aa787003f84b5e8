import { buildApp } from './app.ts';
import { prepareDatabase } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDeps } from './deps.ts';
import { jobs } from './features/jobs.ts';
import { openDatabaseServer } from './runtime.ts';
import { startWorker, type Worker } from './worker.ts';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const say = (m: string) => console.log(m);
  const server = await openDatabaseServer(config);
  if (server.embedded) say(`Using the embedded PostgreSQL in ${config.dataDir}/pg (set DATABASE_URL to use your own).`);
  const deps = createDeps(config, server.url);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    deps.logger.info({ signal }, 'shutting down');
    try {
      await app?.close();
      await worker?.stop();
      await deps.close();
      await server.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let worker: Worker | undefined;
  const { demoMode } = await prepareDatabase(deps, say);
  app = await buildApp(deps, { demoMode, watchTemplates: config.watchTemplates });
  await app.listen({ host: config.host, port: config.port });
  if (config.runJobs) worker = await startWorker(deps, server.url, jobs);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  say(
    `Leadwell is running at http://localhost:${port}${demoMode ? ' (demo mode: choose a demo persona on the sign-in page)' : ''}`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
