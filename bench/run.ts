// `npm run bench`: national-scale benchmarks. Figures and how to read them: docs/performance.md.
//
// Uses a persistent embedded PostgreSQL in bench/out/pg (or BENCH_DATABASE_URL), seeded once at national
// scale; later runs reuse it unless --reseed. Every step is bounded in time and stops by itself.
//   npm run bench                      all steps
//   npm run bench -- --only http       some steps (seed, import, http, and each feature's name in bench/features.ts)
//   npm run bench -- --scale region    a smaller data set (region) for a quicker run
//   npm run bench -- --runtime tsx     load the app run from the sources through tsx instead of the build
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDatabase } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { startEmbedded, withDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { type Scale, seed } from '../src/features/seed/seed.ts';
import { featureBenches } from './features.ts';
import { foundationSessions, searches } from './foundation.ts';
import { type LoadResult, load, startServer } from './http.ts';
import { benchImport } from './import.ts';
import { benchSession } from './session.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    scale: { type: 'string', default: 'national' },
    reseed: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '15' },
    runtime: { type: 'string', default: 'built' },
  },
});
const steps = new Set(
  (values.only ?? ['seed', 'import', 'http', ...featureBenches.map((b) => b.name)].join(',')).split(','),
);
const scale = values.scale as Scale;
const seconds = Number(values.seconds);
const runtime = values.runtime === 'tsx' ? 'tsx' : 'built';
const outDir = path.join(import.meta.dirname, 'out');
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  scale,
  node: process.version,
  runtime: values.runtime,
};

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const server = await startEmbedded(path.join(outDir, `pg-${scale}`), { persistent: true });
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = 'leadwell'");
  if (!exists.rowCount) await admin.query('create database leadwell');
  await admin.end();
  return { url: withDatabase(server.url, 'leadwell'), stop: server.stop };
}

function table(rows: LoadResult[]): string {
  const head = '| scenario | connections | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx |';
  const sep = '|---|---|---|---|---|---|---|---|';
  return [
    head,
    sep,
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.connections} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.non2xx} |`,
    ),
  ].join('\n');
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const db = await database();
  const config = loadConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: 'warn',
    LOAD_DEMO_DATA: 'false',
    DATABASE_POOL_SIZE: '4',
  });
  const deps = createDeps(config, db.url);
  try {
    await migrateToLatest(deps.db);
    await prepareDatabase(deps, (m) => console.log(m));
    const people = await deps.db.selectFrom('people').select('id').limit(1).executeTakeFirst();

    if (steps.has('seed') && (!people || values.reseed)) {
      console.log(`Seeding at ${scale} scale…`);
      const t0 = performance.now();
      await seed(deps, { scale, seed: 1, log: (m) => console.log(`  ${m}`) });
      results.seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
      console.log(`Seed: ${results.seedSeconds} s`);
    } else if (steps.has('seed')) {
      console.log('Seed: reusing the existing data set (use --reseed to time a fresh seed).');
    }
    const counts = await deps.db
      .selectFrom('people')
      .select((eb) => [eb.fn.countAll<number>().as('people')])
      .executeTakeFirstOrThrow();
    results.people = Number(counts.people);

    if (steps.has('import')) {
      results.import = await benchImport(deps, outDir, (m) => console.log(m));
    }

    if (steps.has('http')) {
      const { national, orgAdmin } = await foundationSessions(deps);
      const server = await startServer(db.url, runtime);
      try {
        const runs: LoadResult[] = [];
        const base = { baseUrl: server.baseUrl, seconds };
        // Warm up caches and the JIT before measuring.
        await load({ ...base, label: 'warm-up', paths: ['/'], cookie: orgAdmin, connections: 5, seconds: 3 });
        runs.push(
          await load({ ...base, label: 'home (organisation admin)', paths: ['/'], cookie: orgAdmin, connections: 10 }),
        );
        runs.push(
          await load({
            ...base,
            label: 'people search (national admin)',
            paths: searches.map((q) => `/people?q=${q}`),
            cookie: national,
            connections: 10,
          }),
        );
        runs.push(
          await load({
            ...base,
            label: 'people search (organisation admin)',
            paths: searches.map((q) => `/people?q=${q}`),
            cookie: orgAdmin,
            connections: 10,
          }),
        );
        runs.push(
          await load({ ...base, label: 'home (organisation admin)', paths: ['/'], cookie: orgAdmin, connections: 50 }),
        );
        runs.push(
          await load({
            ...base,
            label: 'people search (national admin)',
            paths: searches.map((q) => `/people?q=${q}`),
            cookie: national,
            connections: 50,
          }),
        );
        results.http = runs;
        results.serverMemory = server.memory();
        console.log(table(runs));
        console.log(`Server memory: ${JSON.stringify(results.serverMemory)} MB`);
      } finally {
        await server.stop();
      }
    }
    const chosen = featureBenches.filter((b) => steps.has(b.name));
    if (chosen.length) results.features = await runFeatureBenches(deps, db.url, chosen);
    await writeFile(path.join(outDir, `results-${scale}.json`), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`Results written to bench/out/results-${scale}.json`);
  } finally {
    await deps.close();
    await db.stop();
  }
}

/** Each feature's scenarios against one server process, after the feature has prepared its data. */
async function runFeatureBenches(deps: Deps, url: string, chosen: typeof featureBenches) {
  const out: Record<string, unknown> = {};
  const prepared = [];
  for (const b of chosen) {
    console.log(`Preparing ${b.name}…`);
    const t0 = performance.now();
    prepared.push({
      bench: b,
      ...(await b.prepare({ deps, session: benchSession, log: (m) => console.log(`  ${m}`) })),
    });
    console.log(`  ready in ${Math.round((performance.now() - t0) / 100) / 10} s`);
  }
  const server = await startServer(url, runtime);
  try {
    for (const p of prepared) {
      const runs: (LoadResult & { goalP95Ms?: number })[] = [];
      for (const sc of p.scenarios) {
        const base = { baseUrl: server.baseUrl, seconds, cookie: sc.cookie, paths: sc.paths };
        await load({ ...base, label: 'warm-up', connections: 2, seconds: 2 });
        runs.push({
          ...(await load({ ...base, label: sc.label, connections: sc.connections })),
          goalP95Ms: sc.goalP95Ms,
        });
      }
      if (runs.length) console.log(table(runs));
      if (p.measured) console.log(`${p.bench.name}: ${JSON.stringify(p.measured)}`);
      out[p.bench.name] = { http: runs, measured: p.measured };
    }
    out.serverMemory = server.memory();
  } finally {
    await server.stop();
  }
  return out;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
