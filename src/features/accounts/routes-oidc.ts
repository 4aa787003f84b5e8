import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { loadViewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { cookieOptions, startSession } from '../../plugins/session.ts';
import { safeNext } from './accounts.ts';
import { type FlowState, type Oidc, OidcRejected, OidcUnavailable } from './oidc.ts';
import { matchIdentity } from './sign-in.ts';

const FLOW_COOKIE = 'lw_oidc';
const FLOW_PATH = '/sign-in/oidc';
const FLOW_TTL_MS = 10 * 60_000;

type Refusal =
  | 'expired'
  | 'state'
  | 'cancelled'
  | 'provider'
  | 'no-account'
  | 'disabled'
  | 'no-claim'
  | 'unverified-email'
  | 'linked-elsewhere';

export async function oidcRoutes(app: FastifyInstance, ctx: AppContext, oidc: Oidc) {
  const { deps } = ctx;

  const unavailable = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    req.log.warn({ err: (err as Error).message }, 'OpenID provider unavailable');
    return reply.render(
      'features/accounts/views/oidc-unavailable.njk',
      { title: `${oidc.label} is not available at the moment` },
      503,
    );
  };

  const refuse = async (
    req: FastifyRequest,
    reply: FastifyReply,
    reason: Refusal,
    details: Record<string, unknown> = {},
  ) => {
    await audit(
      deps.db,
      { viewer: null, ip: req.ip },
      { action: 'auth.sign-in-refused', details: { method: 'oidc', reason, ...details } },
    );
    const title =
      reason === 'no-account'
        ? 'There is no Leadwell account for this NHS identity'
        : reason === 'disabled'
          ? 'Your Leadwell account has been disabled'
          : 'We could not sign you in';
    const status = reason === 'no-account' || reason === 'disabled' || reason === 'linked-elsewhere' ? 403 : 400;
    return reply.render('features/accounts/views/oidc-refused.njk', { title, reason, label: oidc.label }, status);
  };

  app.get('/sign-in/oidc', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    let start: Awaited<ReturnType<Oidc['start']>>;
    try {
      start = await oidc.start();
    } catch (err) {
      if (err instanceof OidcUnavailable) return unavailable(req, reply, err);
      throw err;
    }
    const flow: FlowState = {
      state: start.state,
      nonce: start.nonce,
      verifier: start.verifier,
      next,
      expires: deps.clock.now().getTime() + FLOW_TTL_MS,
    };
    // No session exists yet, so the flow's secrets ride in a short-lived signed cookie scoped to these routes.
    // SameSite=Lax still sends it on the provider's top-level redirect back to the callback.
    reply.setCookie(FLOW_COOKIE, JSON.stringify(flow), {
      ...cookieOptions(deps),
      path: FLOW_PATH,
      signed: true,
      maxAge: FLOW_TTL_MS / 1000,
    });
    return reply.redirect(start.url.href);
  });

  app.get('/sign-in/oidc/callback', async (req, reply) => {
    const flow = readFlow(req, deps.clock.now());
    reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH });
    const query = req.query as Record<string, unknown>;
    if (!flow) return refuse(req, reply, 'expired');
    if (typeof query.error === 'string') {
      return refuse(req, reply, 'cancelled', { error: query.error.slice(0, 100) });
    }
    if (typeof query.state !== 'string' || query.state !== flow.state) return refuse(req, reply, 'state');

    let claims: Record<string, unknown>;
    try {
      claims = await oidc.finish(req.url.slice(req.url.indexOf('?')), flow);
    } catch (err) {
      if (err instanceof OidcUnavailable) return unavailable(req, reply, err);
      if (err instanceof OidcRejected) {
        req.log.warn({ err: err.message }, 'OpenID sign-in rejected');
        return refuse(req, reply, 'provider');
      }
      throw err;
    }

    const match = await matchIdentity(deps, claims, oidc.matchClaim);
    if (match.kind === 'refused') {
      // The identity was vouched for by the provider, so it is worth recording who tried.
      return refuse(req, reply, match.reason, { subject: claims.sub, [oidc.matchClaim]: claims[oidc.matchClaim] });
    }
    await startSession(deps, req, reply, match.accountId);
    const viewer = await loadViewer(deps.db, match.accountId, 'session');
    await audit(
      deps.db,
      { viewer, ip: req.ip },
      {
        action: 'auth.sign-in',
        subjectType: 'account',
        subjectId: match.accountId,
        details: { method: 'oidc', linked: match.linked },
      },
    );
    return reply.redirect(flow.next);
  });
}

function readFlow(req: FastifyRequest, now: Date): FlowState | undefined {
  const raw = req.cookies[FLOW_COOKIE];
  if (!raw) return undefined;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const flow = JSON.parse(unsigned.value) as FlowState;
    if (typeof flow.state !== 'string' || typeof flow.expires !== 'number' || flow.expires <= now.getTime()) {
      return undefined;
    }
    return { ...flow, next: safeNext(flow.next) };
  } catch {
    return undefined;
  }
}
