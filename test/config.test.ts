import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { redactPaths } from '../src/deps.ts';

describe('configuration', () => {
  it('has working defaults for a developer machine', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe('./data');
    expect(c.disclosureMin).toBe(8);
    expect(c.sessionSecret.length).toBeGreaterThanOrEqual(32);
    // Compiled templates are kept: the demo (npm start) must not compile every page on every request.
    expect(c.watchTemplates).toBe(false);
    expect(loadConfig({ WATCH_TEMPLATES: 'true' }).watchTemplates).toBe(true);
  });

  it('names every wrong variable in one message', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        NODE_ENV: 'production',
        OIDC_ISSUER: 'https://login.example',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL: must start with postgres://');
    expect(message).toContain('SESSION_SECRET: is required in production');
    expect(message).toContain('OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together');
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://leadwell@db.internal/leadwell',
      SESSION_SECRET: 'x'.repeat(40),
      BASE_URL: 'https://leadwell.example.nhs.uk/',
      DEMO_MODE: 'false',
    });
    expect(c.baseUrl).toBe('https://leadwell.example.nhs.uk');
    expect(c.demoMode).toBe(false);
  });
});

describe('logs', () => {
  it('redact personal data and credentials', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = pino({ redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
    log.info(
      {
        person: { email: 'ann.smith@nhs.example', given_name: 'Ann', ethnicity: 'A' },
        req: { headers: { cookie: 'lw_session=abc' } },
      },
      'x',
    );
    const out = lines.join('');
    expect(out).not.toContain('ann.smith');
    expect(out).not.toContain('Ann');
    expect(out).not.toContain('lw_session=abc');
    expect(out).toContain('[redacted]');
  });
});
