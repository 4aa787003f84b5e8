// Per-request cost of a feature benchmark's scenarios, measured in-process (app.inject, one request at a time),
// to find where a page's time goes without the noise of a load run. Needs a running benchmark database:
//   npx tsx bench/serve-db.ts &                                   (prints the URL)
//   BENCH_DATABASE_URL=… npx tsx bench/probe.ts --only priorities [--n 60] [--path /x]
// With 10 connections on one Node process, p95 under load is roughly 10 × the per-request time shown here.
import { parseArgs } from 'node:util';
import nunjucks from 'nunjucks';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDeps } from '../src/deps.ts';
import type { HttpScenario } from './feature.ts';
import { featureBenches } from './features.ts';
import { foundationSessions, searches } from './foundation.ts';
import { benchSession } from './session.ts';

const { values } = parseArgs({
  options: { only: { type: 'string' }, n: { type: 'string', default: '60' }, path: { type: 'string' } },
});
const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('Set BENCH_DATABASE_URL (npx tsx bench/serve-db.ts prints it)');
const config = loadConfig({
  DATABASE_URL: url,
  LOG_LEVEL: 'warn',
  LOAD_DEMO_DATA: 'false',
  NODE_ENV: 'production',
  SESSION_SECRET: 'p'.repeat(40),
});
const deps = createDeps(config, url);
// Time spent rendering templates, summed over a path's requests.
let renderMs = 0;
const render = nunjucks.Environment.prototype.render;
nunjucks.Environment.prototype.render = function (this: nunjucks.Environment, ...args: Parameters<typeof render>) {
  const t = performance.now();
  try {
    return render.apply(this, args);
  } finally {
    renderMs += performance.now() - t;
  }
} as typeof render;
const app = await buildApp(deps, { demoMode: false });
const n = Number(values.n);
const only = new Set((values.only ?? '').split(',').filter(Boolean));

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// The foundation's load steps (bench/run.ts) as scenarios, under the name `foundation`.
async function foundation(): Promise<HttpScenario[]> {
  const { national, orgAdmin } = await foundationSessions(deps);
  const paths = searches.map((q) => `/people?q=${q}`);
  return [
    { label: 'home (organisation admin)', paths: ['/'], cookie: orgAdmin, connections: 10 },
    { label: 'people search (national admin)', paths, cookie: national, connections: 10 },
    { label: 'people search (organisation admin)', paths, cookie: orgAdmin, connections: 10 },
  ];
}

const sets: Array<() => Promise<HttpScenario[]>> = [];
if (!only.size || only.has('foundation')) sets.push(foundation);
for (const bench of featureBenches.filter((b) => !only.size || only.has(b.name)))
  sets.push(async () => (await bench.prepare({ deps, session: benchSession, log: (m) => console.log(m) })).scenarios);

for (const scenarios of sets) {
  for (const s of await scenarios()) {
    for (const path of s.paths.filter((p) => !values.path || p === values.path)) {
      const times: number[] = [];
      renderMs = 0;
      let status = 0;
      let bytes = 0;
      for (let i = 0; i < n + 5; i++) {
        const t = performance.now();
        const res = await app.inject({ url: path, headers: s.cookie ? { cookie: s.cookie } : {} });
        if (i >= 5) times.push(performance.now() - t);
        status = res.statusCode;
        bytes = res.body.length;
      }
      times.sort((a, b) => a - b);
      console.log(
        `${s.label} ${path}: status ${status}, ${bytes} bytes, render ${(renderMs / (n + 5)).toFixed(1)} ms, p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms`,
      );
    }
  }
}
await app.close();
await deps.close();
