import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { withDatabase } from '../src/db/database.ts';
import { type Clock, createDeps, type Deps } from '../src/deps.ts';
import type { Feature } from '../src/feature.ts';
import { hashToken, newToken, SESSION_COOKIE } from '../src/plugins/session.ts';

const TEMPLATE_DB = 'leadwell_template';

/** A database of its own for this test file, cloned from the migrated template; dropped after the file. */
export async function testDatabase(): Promise<string> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  await admin.end();
  afterAll(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  return withDatabase(adminUrl, name);
}

export interface TestContext {
  deps: Deps;
  app: FastifyInstance;
}

/** Real deps and the real app on a fresh database. Environment overrides go through the real config parser. */
export async function testApp(
  opts: { env?: Record<string, string>; demoMode?: boolean; features?: Feature[]; clock?: Clock } = {},
): Promise<TestContext> {
  const url = await testDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, ...opts.env });
  const deps = createDeps(config, url, { clock: opts.clock });
  const app = await buildApp(deps, { demoMode: opts.demoMode ?? false }, opts.features);
  await app.ready();
  afterAll(async () => {
    await app.close();
    await deps.close();
  });
  return { deps, app };
}

export async function testDeps(env: Record<string, string> = {}): Promise<Deps> {
  const url = await testDatabase();
  const deps = createDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, ...env }), url);
  afterAll(() => deps.close());
  return deps;
}

/** A signed-in browser-like client: a real session row and cookie, and CSRF tokens read from real pages. */
export class Client {
  cookies = new Map<string, string>();
  constructor(private app: FastifyInstance) {}

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.keep(
      await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }),
    );
  }

  /** The CSRF token of a page's form (fetching the page also sets the CSRF cookie). */
  async csrf(pageUrl = '/sign-in'): Promise<string> {
    const res = await this.get(pageUrl);
    const m = res.body.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF token on ${pageUrl} (status ${res.statusCode})`);
    return m[1];
  }

  async post(url: string, form: Record<string, string | string[]>, opts: { csrfFrom?: string; csrf?: boolean } = {}) {
    const body = new URLSearchParams();
    if (opts.csrf !== false) body.set('_csrf', await this.csrf(opts.csrfFrom ?? url));
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }
}

/** Sign an account in by creating its session row directly (sign-in itself is tested through the form). */
export async function signedIn(ctx: TestContext, accountId: number): Promise<Client> {
  const client = new Client(ctx.app);
  const token = newToken();
  await ctx.deps.db
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      account_id: accountId,
      data: '{}',
      expires_at: new Date(Date.now() + 3_600_000),
    })
    .execute();
  client.cookies.set(SESSION_COOKIE, token);
  return client;
}
