import { describe, expect, it } from 'vitest';
import { makeAccount } from './factories.ts';
import { signedIn, testApp } from './helpers.ts';

const ctx = await testApp();

describe('web shell', () => {
  it('serves the landing page with strict security headers and a CSP nonce on every script', async () => {
    const res = await ctx.app.inject('/');
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    const scripts = res.body.match(/<script[^>]*>/g)!;
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    expect(res.body).toContain('Skip to main content');
    expect(res.body).toContain('Contains NHS ODS data');
  });

  it('makes a CSRF token only for pages that print one', async () => {
    const about = await ctx.app.inject('/about');
    expect(about.statusCode).toBe(200);
    expect(String(about.headers['set-cookie'] ?? '')).not.toContain('lw_csrf');
    const signIn = await ctx.app.inject('/sign-in');
    expect(String(signIn.headers['set-cookie'] ?? '')).toContain('lw_csrf=');
    const token = signIn.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    expect(token).toBeTruthy();
    // One token per page, however many forms print it.
    expect(new Set([...signIn.body.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1])).size).toBe(1);
  });

  it('gives every response its own nonce and the same headers, on pages, missing pages and files', async () => {
    const [a, b, missing, file] = await Promise.all(
      ['/', '/', '/no-such-page', '/static/leadwell.css'].map((url) => ctx.app.inject(url)),
    );
    const nonceOf = (r: typeof a) => String(r.headers['content-security-policy']).match(/'nonce-([0-9a-f]{32})'/)?.[1];
    expect(nonceOf(a)).toBeTruthy();
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    expect(missing.statusCode).toBe(404);
    for (const r of [a, missing, file]) {
      expect(String(r.headers['content-security-policy'])).toContain("object-src 'none'");
      expect(r.headers['referrer-policy']).toBe('same-origin');
      expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
    // Only scripts carry a nonce: the pages have no inline styles.
    expect(String(a.headers['content-security-policy'])).toMatch(/style-src 'self'(;|$)/);
  });

  it('serves the NHS design system assets', async () => {
    const css = await ctx.app.inject('/assets/nhsuk-frontend.min.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    const icon = await ctx.app.inject('/assets/images/favicon.svg');
    expect(icon.statusCode).toBe(200);
    const template = await ctx.app.inject('/assets/template.njk');
    expect(template.statusCode).toBe(404);
  });

  it('answers unknown pages with the NHS 404 page and unknown API paths with JSON', async () => {
    const page = await ctx.app.inject('/no-such-page');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    const api = await ctx.app.inject('/api/v1/nothing');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'Not Found' });
  });

  it('reports liveness and readiness', async () => {
    expect((await ctx.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await ctx.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('rejects a form post without a CSRF token with a clear 403, not a 500', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/sign-out',
      payload: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
  });

  it('shows a signed-in person their home page with only the cards their role may use', async () => {
    const account = await makeAccount(ctx.deps.db, { name: 'Pat Example' });
    const client = await signedIn(ctx, account.id);
    const res = await client.get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Welcome, Pat Example');
    expect(res.body).not.toContain('href="/admin/audit"');
  });

  it('publishes the OpenAPI description', async () => {
    const res = await ctx.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
  });
});
