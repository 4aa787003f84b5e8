// Keeps the benchmark's embedded PostgreSQL running for investigation (e.g. with bench/probe.ts), printing its URL.
//   npx tsx bench/serve-db.ts [--scale national]     stop with Ctrl-C
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbedded, withDatabase } from '../src/db/database.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'national' } } });
const server = await startEmbedded(path.join(import.meta.dirname, 'out', `pg-${values.scale}`), { persistent: true });
process.stdout.write(`${withDatabase(server.url, 'leadwell')}\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setInterval(() => {}, 1 << 30);
