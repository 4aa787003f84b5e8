import { describe, expect, it } from 'vitest';
import { expectAccessible, liveApp, newPage, sharedBrowser } from './browser.ts';

const live = await liveApp();
const browser = sharedBrowser();

describe('web shell in a real browser', () => {
  it('renders the landing, about, accessibility and 404 pages without accessibility violations', async () => {
    const page = await newPage(browser());
    // CSP violations and script errors show as console errors; failed loads are checked by origin below
    // (the NHS fonts come from assets.nhs.uk, which this test machine cannot reach).
    const cspErrors: string[] = [];
    const failed: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) cspErrors.push(m.text());
    });
    page.on('requestfailed', (r) => {
      if (r.url().startsWith(live.baseUrl)) failed.push(r.url());
    });
    for (const path of ['/', '/about', '/accessibility', '/no-such-page']) {
      await page.goto(live.baseUrl + path);
      expect((await page.locator('h1').first().textContent())?.trim().length).toBeGreaterThan(0);
      await expectAccessible(page);
    }
    // The NHS design system script runs under our CSP (it marks the body as supported).
    await page.goto(`${live.baseUrl}/`);
    expect(await page.evaluate(() => document.body.className)).toContain('nhsuk-frontend-supported');
    expect(cspErrors).toEqual([]);
    expect(failed).toEqual([]);
    await page.context().close();
  });
});
