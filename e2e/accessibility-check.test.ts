import { describe, expect, it } from 'vitest';
import { expectAccessible, newPage, sharedBrowser } from './browser.ts';

const browser = sharedBrowser();

// The accessibility check every journey relies on: it must pass a clean page and fail a broken one.
describe('expectAccessible', () => {
  it('passes a page without violations, and reports each violation of a broken page', async () => {
    const page = await newPage(browser());
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>Fine</title></head><body><main><h1>Fine</h1><p>Text</p></main></body></html>',
    );
    await expectAccessible(page);
    // Checked twice on one document: axe is injected once and runs again.
    await expectAccessible(page);
    await page.setContent(
      '<!doctype html><html><head><title>Broken</title></head><body><main><img src="x.png"><input type="text"></main></body></html>',
    );
    const failure = await expectAccessible(page).then(
      () => null,
      // The assertion's own values: its message shortens the list.
      (err: { message: string; actual?: unknown }) => `${err.message} ${JSON.stringify(err.actual)}`,
    );
    expect(failure).toMatch(/html-has-lang/);
    expect(failure).toMatch(/image-alt/);
    expect(failure).toMatch(/label/);
    await page.context().close();
  });

  it('refuses a page with a frame rather than checking only half of it', async () => {
    const page = await newPage(browser());
    await page.setContent(
      '<!doctype html><html lang="en"><title>F</title><main><iframe title="x" srcdoc="<p>in</p>"></iframe></main></html>',
    );
    await expect(expectAccessible(page)).rejects.toThrow(/frames on/);
    await page.context().close();
  });
});
