// The app as a separate process for load tests, so its memory is measured alone.
// Reads DATABASE_URL etc. through the normal config; prints {"port": N} once listening on 127.0.0.1.
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';

const config = loadConfig();
if (!config.databaseUrl) throw new Error('bench/server.ts needs DATABASE_URL');
const deps = createDeps(config, config.databaseUrl);
const app = await buildApp(deps, { demoMode: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as { port: number };
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = async () => {
  await app.close();
  await deps.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
