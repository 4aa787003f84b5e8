import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Load one or more URLs (rotated) for a fixed time; latencies are recorded per response to report p95 exactly. */
export async function load(opts: {
  label: string;
  baseUrl: string;
  paths: string[];
  cookie?: string;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const cookie = opts.cookie ? await withCsrfCookie(opts.baseUrl, opts.paths[0], opts.cookie) : undefined;
  let i = 0;
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: opts.baseUrl,
        connections: opts.connections,
        duration: opts.seconds,
        headers: cookie ? { cookie } : {},
        requests: [
          {
            setupRequest: (req) => ({ ...req, path: opts.paths[i++ % opts.paths.length] }),
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await done;
  latencies.sort((a, b) => a - b);
  return {
    label: opts.label,
    connections: opts.connections,
    seconds: opts.seconds,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * A signed-in browser sends back the CSRF secret cookie that its first page set, so its later pages reuse the
 * secret instead of making a new one (random bytes, a signature and a Set-Cookie) each time. The load test does
 * the same: one request first, and the cookie it sets goes with every request after.
 */
async function withCsrfCookie(baseUrl: string, path: string, cookie: string): Promise<string> {
  const res = await fetch(new URL(path, baseUrl), { headers: { cookie }, redirect: 'manual' });
  await res.arrayBuffer();
  const csrf = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('lw_csrf='));
  return csrf ? `${cookie}; ${csrf}` : cookie;
}

const round = (n: number) => Math.round(n * 10) / 10;

let built = false;

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Resident memory now and the peak so far, in MB (from /proc). */
  memory(): { rssMb: number; peakMb: number };
  stop(): Promise<void>;
}

/**
 * The app as production runs it: the compiled tree (`npm run build`, rebuilt once per benchmark run so it matches
 * the sources), or the sources through tsx with `runtime: 'tsx'` (as `npm start` does; about 80 MB more memory).
 */
export async function startServer(databaseUrl: string, runtime: 'built' | 'tsx' = 'built'): Promise<ServerProcess> {
  const root = path.join(import.meta.dirname, '..');
  if (runtime === 'built' && !built) {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
    built = true;
  }
  const args =
    runtime === 'built'
      ? [
          '--max-old-space-size=256',
          '--max-semi-space-size=32',
          '--no-allocation-site-pretenuring',
          path.join(root, 'dist', 'bench', 'server.js'),
        ]
      : ['--import', 'tsx', path.join(import.meta.dirname, 'server.ts')];
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      SESSION_SECRET: 'b'.repeat(40),
      DATABASE_POOL_SIZE: '10',
      // As production runs it (README, Deployment): glibc's default of one memory arena per thread for V8's
      // and libuv's threads adds about 90 MB of resident memory under load.
      MALLOC_ARENA_MAX: '2',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += String(d);
      const m = buf.match(/\{"port":(\d+)\}/);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const kb = (field: string) => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const m = status.match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    memory: () => ({ rssMb: kb('VmRSS'), peakMb: kb('VmHWM') }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
