import { describe, expect, it } from 'vitest';
import { Client, testApp } from '../../../test/helpers.ts';
import { buildApp } from '../../app.ts';
import { sweepRateLimits } from '../../plugins/rate-limit-store.ts';

const ctx = await testApp({ env: { RATE_LIMIT_SIGNIN_PER_MINUTE: '3' } });

describe('rate limits shared by app instances', () => {
  it('counts across instances on the same database, and not across databases', async () => {
    const other = await testApp({ env: { RATE_LIMIT_SIGNIN_PER_MINUTE: '3' } });
    // A second instance on the first one's database, as behind a load balancer.
    const second = await buildApp(ctx.deps, { demoMode: false });
    await second.ready();
    try {
      const a = new Client(ctx.app);
      const b = new Client(second);
      const codes: number[] = [];
      for (const c of [a, b, a, b])
        codes.push((await c.post('/password-reset', { email: 'shared@example.nhs.uk' })).statusCode);
      expect(codes).toEqual([302, 302, 302, 429]);
      // Each limited route has its own count.
      expect((await b.post('/sign-in', { email: 'x@example.nhs.uk', password: 'wrong' })).statusCode).toBe(400);
      // Another deployment's database is not affected.
      const elsewhere = new Client(other.app);
      expect((await elsewhere.post('/password-reset', { email: 'shared@example.nhs.uk' })).statusCode).toBe(302);
    } finally {
      await second.close();
    }
  });

  it('forgets old windows when swept', async () => {
    const before = await ctx.deps.db.selectFrom('rate_limits').select('key').execute();
    expect(before.length).toBeGreaterThan(0);
    expect(await sweepRateLimits(ctx.deps.db, new Date(Date.now() + 60_000))).toBe(before.length);
  });
});
