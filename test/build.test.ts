import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from './helpers.ts';

// The production tree (npm run build) must run on its own: compiled code, templates, reference data and migrations
// found beside it, no TypeScript loader. Built into test-results/ so that a dist/ in use is left alone.
const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'test-results', `build-${process.pid}`);
afterAll(() => rm(out, { recursive: true, force: true }));

describe('npm run build', () => {
  it('builds a tree that migrates, starts and serves pages without tsx', async () => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--out', out], {
      encoding: 'utf8',
    });
    expect(build.status, build.stderr).toBe(0);
    expect(existsSync(path.join(out, 'src', 'server.js'))).toBe(true);
    expect(existsSync(path.join(out, 'src', 'web', 'views', 'layout.njk'))).toBe(true);

    const url = await testDatabase();
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: url, LOG_LEVEL: 'warn', LOAD_DEMO_DATA: 'false' };
    const migrate = spawnSync(process.execPath, [path.join(out, 'bin', 'leadwell.js'), 'migrate'], {
      env,
      encoding: 'utf8',
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('The database is up to date');

    const server = spawn(process.execPath, [path.join(out, 'src', 'server.js')], {
      env: { ...env, PORT: '0', HOST: '127.0.0.1', RUN_JOBS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let text = '';
        server.stdout!.on('data', (d) => {
          text += String(d);
          const m = text.match(/running at (http:\/\/localhost:\d+)/);
          if (m) resolve(m[1].replace('localhost', '127.0.0.1'));
        });
        server.stderr!.on('data', (d) => {
          text += String(d);
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${text}`)));
      });
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const page = await fetch(`${base}/catalogue`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('nhsuk-header');
    } finally {
      server.kill('SIGTERM');
    }
  });
});
