import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Deps } from '../deps.ts';
import { loadSessionViewer, loadViewer, restrictToGrant, type Viewer } from './access.ts';

/**
 * Server-side sessions in PostgreSQL. The cookie holds a random token; the table holds its SHA-256,
 * so a copy of the table cannot be replayed. A new token at every sign-in; idle and absolute time-outs;
 * "sign out everywhere" deletes every row of the account. No state lives in the process, so several
 * app instances can share one database.
 */

export const SESSION_COOKIE = 'lw_session';
const TOUCH_EVERY_MS = 60_000;

export interface SessionState {
  id: string;
  data: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
    session: SessionState | null;
    /** Why an API request has no viewer (unknown, expired or revoked token…), for a precise 401. */
    authProblem: string | null;
  }
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export async function startSession(deps: Deps, req: FastifyRequest, reply: FastifyReply, accountId: number) {
  // A fresh id at sign-in: any session id planted before sign-in is worthless.
  const old = req.cookies[SESSION_COOKIE];
  if (old) await deps.db.deleteFrom('sessions').where('id', '=', hashToken(old)).execute();
  const token = newToken();
  const now = deps.clock.now();
  await deps.db
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      account_id: accountId,
      data: JSON.stringify({}),
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + deps.config.sessionAbsoluteMs),
      ip: req.ip,
      user_agent: (req.headers['user-agent'] ?? '').slice(0, 300),
    })
    .execute();
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps));
}

export function cookieOptions(deps: Deps) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.baseUrl.startsWith('https://'),
  };
}

export async function endSession(deps: Deps, req: FastifyRequest, reply: FastifyReply) {
  if (req.session) await deps.db.deleteFrom('sessions').where('id', '=', req.session.id).execute();
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export async function endAllSessions(deps: Deps, accountId: number) {
  await deps.db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
}

export async function setSessionData(deps: Deps, req: FastifyRequest, patch: Record<string, unknown>) {
  if (!req.session) return;
  req.session.data = { ...req.session.data, ...patch };
  await deps.db
    .updateTable('sessions')
    .set({ data: JSON.stringify(req.session.data) })
    .where('id', '=', req.session.id)
    .execute();
}

/** Leave a one-time message for the page after a POST-redirect-GET. */
export async function setFlash(deps: Deps, req: FastifyRequest, text: string, key = 'flash') {
  await setSessionData(deps, req, { [key]: text });
}

/** The one-time message left by the previous POST, removed from the session once read. */
export async function takeFlash(deps: Deps, req: FastifyRequest, key = 'flash'): Promise<string | undefined> {
  const value = req.session?.data[key];
  if (typeof value !== 'string') return undefined;
  await setSessionData(deps, req, { [key]: undefined });
  return value;
}

const NO_TOKEN = 'This endpoint needs an API token: send the header "Authorization: Bearer <token>"';

/**
 * The viewer of an API token, narrowed to the one role the token was created with; or why there is none.
 * Only for /api/ requests: a token never signs anyone in to the web pages.
 */
async function fromBearer(deps: Deps, token: string): Promise<{ viewer: Viewer | null; problem?: string }> {
  if (!token) return { viewer: null, problem: NO_TOKEN };
  const row = await deps.db
    .selectFrom('api_tokens')
    .select(['id', 'account_id', 'role_grant_id', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  const now = deps.clock.now();
  if (!row) return { viewer: null, problem: 'The API token is not recognised' };
  if (row.revoked_at) return { viewer: null, problem: 'The API token has been revoked' };
  if (row.expires_at && row.expires_at <= now) return { viewer: null, problem: 'The API token has expired' };
  const viewer = await loadViewer(deps.db, row.account_id, 'token');
  if (!viewer) return { viewer: null, problem: 'The account of this API token is disabled' };
  const restricted = restrictToGrant(viewer, row.role_grant_id);
  if (!restricted) {
    return { viewer: null, problem: 'The role this API token was created with has been removed from its account' };
  }
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await deps.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { viewer: { ...restricted, tokenId: row.id } };
}

async function sessionPlugin(app: FastifyInstance, opts: { deps: Deps }) {
  const { deps } = opts;
  app.decorateRequest('viewer', null);
  app.decorateRequest('session', null);
  app.decorateRequest('authProblem', null);

  app.addHook('onRequest', async (req) => {
    // Static files and probes need no viewer: every page pulls in several files, and each lookup costs queries.
    if (
      req.url.startsWith('/assets/') ||
      req.url.startsWith('/static/') ||
      req.url === '/healthz' ||
      req.url === '/readyz'
    ) {
      return;
    }
    const isApi = req.url.startsWith('/api/');
    // The scheme is case-insensitive (RFC 9110), so "bearer" works as well as "Bearer".
    const bearer = isApi ? /^Bearer(?:\s+(.*))?$/i.exec(req.headers.authorization ?? '') : null;
    if (bearer) {
      const { viewer, problem } = await fromBearer(deps, (bearer[1] ?? '').trim());
      req.viewer = viewer;
      req.authProblem = problem ?? null;
      return;
    }
    await fromCookie(req);
    if (isApi && !req.viewer) req.authProblem = NO_TOKEN;
  });

  async function fromCookie(req: FastifyRequest) {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const id = hashToken(token);
    const now = deps.clock.now();
    const row = await loadSessionViewer(deps.db, id);
    if (!row) return;
    const idleExpired = now.getTime() - row.lastSeenAt.getTime() > deps.config.sessionIdleMs;
    if (idleExpired || row.expiresAt <= now) {
      await deps.db.deleteFrom('sessions').where('id', '=', id).execute();
      return;
    }
    if (!row.viewer) return;
    req.viewer = row.viewer;
    req.session = { id, data: row.data };
    // Touch at most once a minute: enough for the idle time-out, without a write per request.
    if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await deps.db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
    }
  }
}

export default fp(sessionPlugin, { name: 'leadwell-session' });
