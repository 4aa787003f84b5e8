import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testDatabase } from './helpers.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '..', 'bin', 'leadwell.js');

async function leadwell(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      // A clean environment: the test runner sets variables (such as BASE_URL) that mean something else to us.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the leadwell command', () => {
  it('lists its commands', async () => {
    const r = await leadwell(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: leadwell <command>');
    expect(r.stdout).toContain('migrate');
  });

  it('rejects an unknown command with usage', async () => {
    const r = await leadwell(['frobnicate']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('Unknown command: frobnicate');
  });

  it('stops with a clear message when the configuration is wrong', async () => {
    const r = await leadwell(['migrate'], { DATABASE_URL: 'mysql://nope' });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('DATABASE_URL');
  });

  it('migrates a database (already migrated: nothing to do)', async () => {
    const url = await testDatabase();
    const r = await leadwell(['migrate'], { DATABASE_URL: url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The database is up to date.');
  });
});
