import type { FastifyInstance } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { loadViewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { endSession, startSession } from '../../plugins/session.ts';
import { formErrors, HttpError, notFound } from '../../web/http.ts';
import { lockedMessage, safeNext, WRONG_CREDENTIALS } from './accounts.ts';
import { createOidc, type Oidc } from './oidc.ts';
import { authRateLimit, flashFor, renderSignIn } from './pages.ts';
import { findDemoAccount, recordSignIn } from './queries.ts';
import { accountRoutes } from './routes-account.ts';
import { oidcRoutes } from './routes-oidc.ts';
import { passwordResetRoutes } from './routes-reset.ts';
import { demoForm, signInForm } from './schemas.ts';
import { checkPassword, type PasswordOutcome } from './sign-in.ts';

const DISABLED = 'This account has been disabled. Ask your Leadwell administrator if you need access.';

function failureMessage(outcome: Exclude<PasswordOutcome, { kind: 'ok' }>, now: Date): string {
  if (outcome.kind === 'locked') return lockedMessage(outcome.until, now);
  if (outcome.kind === 'disabled') return DISABLED;
  return WRONG_CREDENTIALS;
}

async function signInRoutes(app: FastifyInstance, ctx: AppContext, oidc: Oidc | undefined) {
  const { deps } = ctx;
  const limited = authRateLimit(deps.config.signIn.perMinute);

  app.get('/sign-in', async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    return renderSignIn(reply, ctx, oidc, { next: safeNext(query.next), flash: flashFor(query.done) });
  });

  app.post('/sign-in', { config: limited }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const parsed = signInForm.safeParse(body);
    if (!parsed.success) {
      return renderSignIn(reply, ctx, oidc, { next, email: body.email, ...formErrors(parsed.error) }, 400);
    }
    const outcome = await checkPassword(deps, parsed.data.email, parsed.data.password);
    if (outcome.kind === 'ok') {
      await startSession(deps, req, reply, outcome.accountId);
      const viewer = await loadViewer(deps.db, outcome.accountId, 'session');
      await audit(
        deps.db,
        { viewer, ip: req.ip },
        {
          action: 'auth.sign-in',
          subjectType: 'account',
          subjectId: outcome.accountId,
          details: { method: 'password' },
        },
      );
      return reply.redirect(next);
    }
    // The email goes into the audit log only when it belongs to an account: typed-in strangers' addresses
    // (or passwords typed into the email box) are not kept.
    await audit(
      deps.db,
      { viewer: null, ip: req.ip },
      {
        action: 'auth.sign-in-failed',
        subjectType: outcome.account ? 'account' : undefined,
        subjectId: outcome.account?.id,
        details: { method: 'password', reason: outcome.kind, ...(outcome.account && { email: outcome.account.email }) },
      },
    );
    const text = failureMessage(outcome, deps.clock.now());
    return renderSignIn(
      reply,
      ctx,
      oidc,
      { next, email: parsed.data.email, errors: [{ text, href: '#email' }], fields: { email: { text } } },
      400,
    );
  });

  app.post('/sign-out', async (req, reply) => {
    if (req.viewer) {
      await audit(
        deps.db,
        { viewer: req.viewer, ip: req.ip },
        { action: 'auth.sign-out', subjectType: 'account', subjectId: req.viewer.accountId },
      );
    }
    await endSession(deps, req, reply);
    return reply.redirect('/sign-in?done=signed-out');
  });

  // Demo personas: one click, no password, and only while the product runs in demo mode.
  app.post('/sign-in/demo', async (req, reply) => {
    if (!ctx.demoMode) throw notFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = demoForm.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'Choose a demo persona from the list');
    const account = await findDemoAccount(deps.db, parsed.data.accountId);
    if (!account?.is_demo || account.status !== 'active') {
      throw new HttpError(403, 'Only demo personas can be used without a password');
    }
    await recordSignIn(deps.db, account.id, deps.clock.now());
    await startSession(deps, req, reply, account.id);
    const viewer = await loadViewer(deps.db, account.id, 'session');
    await audit(
      deps.db,
      { viewer, ip: req.ip },
      { action: 'auth.sign-in', subjectType: 'account', subjectId: account.id, details: { method: 'demo' } },
    );
    return reply.redirect(safeNext(body.next));
  });
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { config } = ctx.deps;
  const oidc = config.oidc ? createOidc(config.oidc, config.baseUrl) : undefined;
  await signInRoutes(app, ctx, oidc);
  await passwordResetRoutes(app, ctx);
  await accountRoutes(app, ctx);
  // Without OIDC configuration the single sign-on routes do not exist (404).
  if (oidc) await oidcRoutes(app, ctx, oidc);
}

export const accountsFeature: Feature = { name: 'accounts', routes };
