import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { hashToken, newToken, SESSION_COOKIE } from '../src/plugins/session.ts';
import { testDatabase } from '../test/helpers.ts';

const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** Debian's Chromium, driven by playwright-core (which never downloads a browser of its own). */
export function chromiumPath(): string {
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) {
    throw new Error(
      'The browser tests need Chromium and none was found.\n' +
        'Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n' +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface LiveApp {
  deps: Deps;
  baseUrl: string;
}

/** The real app on a real port (127.0.0.1 only), on a fresh database cloned from the migrated template. */
export async function liveApp(
  opts: { demoMode?: boolean; env?: Record<string, string>; port?: number } = {},
): Promise<LiveApp> {
  const url = await testDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, ...opts.env });
  const deps = createDeps(config, url);
  const app = await buildApp(deps, { demoMode: opts.demoMode ?? false });
  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const { port } = app.server.address() as { port: number };
  afterAll(async () => {
    await app.close();
    await deps.close();
  });
  return { deps, baseUrl: `http://127.0.0.1:${port}` };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core against WCAG 2.0/2.1/2.2 A and AA: the page must have no violations. axe runs in the page
 * itself, injected once per document: the Playwright wrapper injected it afresh on every check and
 * finished each run in a new blank page, which cost about 0.5 s a check (129 checks, twice per CI run).
 * Our pages have no frames; a page that grows one fails here rather than going half-checked.
 */
export async function expectAccessible(page: Page) {
  expect(
    page.frames().map((f) => f.url()),
    `frames on ${page.url()}: check them too`,
  ).toEqual([page.url()]);
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (values) =>
      (window as unknown as { axe: { run: (...a: unknown[]) => Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values },
        resultTypes: ['violations'],
      }),
    wcagTags,
  );
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/** A page in its own browser context (axe needs one; cookies never leak between journeys). */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** One browser for the test file: launched before its tests, closed after them. */
export function sharedBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser starts in beforeAll: use it inside a test');
    return browser;
  };
}

/** A page signed in as the account: a real session row, and its cookie in the browser. */
export async function signedInPage(browser: Browser, live: LiveApp, accountId: number): Promise<Page> {
  const token = newToken();
  await live.deps.db
    .insertInto('sessions')
    .values({ id: hashToken(token), account_id: accountId, data: '{}', expires_at: new Date(Date.now() + 3_600_000) })
    .execute();
  const page = await newPage(browser);
  await page.context().addCookies([{ name: SESSION_COOKIE, value: token, url: live.baseUrl }]);
  return page;
}
