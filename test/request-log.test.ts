import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { redactPaths } from '../src/deps.ts';
import { testApp } from './helpers.ts';

const ctx = await testApp();

describe('request log lines', () => {
  it('keep the path and parameter names, never reset tokens or what was searched for', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    // The real app, with a logger like production's that writes where the test can read it.
    const logger = pino({ level: 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
    const app = await buildApp({ ...ctx.deps, logger }, { demoMode: false });
    await app.ready();
    try {
      const token = 'Zk3vQ9xLmN2pR7sT1uV5wX8yA0bC4dE6fG_hJ-kLmNo';
      await app.inject(`/password-reset/${token}`);
      await app.inject(`/feedback/respond/${token}`);
      await app.inject('/people?q=ann.smith%40nhs.example&band=7');
    } finally {
      await app.close();
    }
    const out = lines.join('');
    expect(out).toContain('"url":"/password-reset/[redacted]"');
    expect(out).toContain('"url":"/feedback/respond/[redacted]"');
    expect(out).toContain('"url":"/people?q=[redacted]&band=[redacted]"');
    expect(out).not.toContain('Zk3vQ9xLmN2pR7sT1uV5wX8yA0bC4dE6fG');
    expect(out).not.toContain('ann.smith');
  });
});
