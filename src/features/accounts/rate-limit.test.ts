import { describe, expect, it } from 'vitest';
import { Client, testApp } from '../../../test/helpers.ts';

const ctx = await testApp({ env: { RATE_LIMIT_SIGNIN_PER_MINUTE: '3' } });

describe('per-IP rate limit', () => {
  it('answers the fourth sign-in attempt in a minute with a readable 429 page', async () => {
    const client = new Client(ctx.app);
    for (let i = 0; i < 3; i++) {
      expect((await client.post('/sign-in', { email: `x${i}@example.nhs.uk`, password: 'wrong' })).statusCode).toBe(
        400,
      );
    }
    const res = await client.post('/sign-in', { email: 'x@example.nhs.uk', password: 'wrong' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Too many attempts');
    expect(res.body).toMatch(/Wait (1 minute|\d+ seconds) and try again/);
    // Reading the page is not limited.
    expect((await client.get('/sign-in')).statusCode).toBe(200);
  });

  it('limits the password-reset form too', async () => {
    const client = new Client(ctx.app);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await client.post('/password-reset', { email: 'a@example.nhs.uk' })).statusCode);
    expect(codes).toEqual([302, 302, 302, 429]);
  });
});
