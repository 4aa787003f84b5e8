import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { hashToken, setFlash, takeFlash } from '../../plugins/session.ts';
import { formErrors, guard, notFound, singleError } from '../../web/http.ts';
import { meApi } from './api.ts';
import {
  chosenGrant,
  createTokenForm,
  expiresAt,
  expiryChoices,
  grantLabel,
  newTokenValue,
  PERSONAL,
  personalLabel,
  roleOptions,
  tokenStatus,
} from './api-tokens.ts';
import { docsRoutes } from './docs.ts';
import { hasActiveTokenNamed, insertToken, revokeToken, tokensOf } from './queries.ts';

const breadcrumbs = [
  { href: '/', text: 'Home' },
  { href: '/account', text: 'Your account' },
];
const FLASH = 'apiTokensFlash';

function renderForm(
  reply: FastifyReply,
  viewer: Viewer,
  values: Record<string, unknown>,
  problems?: ReturnType<typeof formErrors>,
) {
  return reply.render(
    'features/api-tokens/views/new.njk',
    {
      title: 'Create an API token',
      breadcrumbs: [...breadcrumbs, { href: '/account/tokens', text: 'API tokens' }],
      values: { expiry: '90', role: PERSONAL, ...values },
      roles: roleOptions(viewer),
      expiries: expiryChoices,
      errors: problems?.errors,
      fields: problems?.fields ?? {},
    },
    problems ? 400 : 200,
  );
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db, clock } = ctx.deps;

  app.get('/account/tokens', async (req, reply) => {
    const viewer = guard(req, { action: 'api-tokens:manage' });
    const now = clock.now();
    const tokens = (await tokensOf(db, viewer.accountId)).map((t) => ({
      ...t,
      role: t.role
        ? grantLabel({ role: t.role, organisationName: t.organisation_name, organisationCode: t.organisation_code })
        : personalLabel,
      status: tokenStatus(t, now),
    }));
    return reply.render('features/api-tokens/views/tokens.njk', {
      title: 'API tokens',
      breadcrumbs,
      tokens,
      flash: await takeFlash(ctx.deps, req, FLASH),
    });
  });

  app.get('/account/tokens/new', async (req, reply) => {
    const viewer = guard(req, { action: 'api-tokens:manage' });
    return renderForm(reply, viewer, {});
  });

  /**
   * The token is shown once, in the response to this POST, and never stored in clear anywhere: not in the
   * database (only its SHA-256) and not in the session (a copy of the sessions table must not hold
   * working credentials). `no-store` keeps it out of caches and the back-forward history.
   */
  app.post('/account/tokens', async (req, reply) => {
    const viewer = guard(req, { action: 'api-tokens:manage' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = createTokenForm.safeParse(body);
    if (!parsed.success) return renderForm(reply, viewer, body, formErrors(parsed.error));
    const { name, expiry, role } = parsed.data;
    const grant = chosenGrant(viewer, role);
    if (grant === undefined) {
      return renderForm(reply, viewer, body, singleError('role', 'Select one of the roles listed'));
    }
    const now = clock.now();
    if (await hasActiveTokenNamed(db, viewer.accountId, name, now)) {
      return renderForm(
        reply,
        viewer,
        body,
        singleError('name', `You already have an active token called ‘${name}’: choose another name`),
      );
    }
    const token = newTokenValue();
    const expires = expiresAt(expiry, now);
    const row = await insertToken(db, {
      accountId: viewer.accountId,
      name,
      tokenHash: hashToken(token.value),
      prefix: token.prefix,
      roleGrantId: grant?.id ?? null,
      createdAt: now,
      expiresAt: expires,
    });
    const roleText = grant ? grantLabel(grant) : personalLabel;
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'api_token.create',
        subjectType: 'api_token',
        subjectId: row.id,
        organisationId: grant?.organisationId ?? null,
        details: { name, prefix: token.prefix, role: roleText, expires_at: expires?.toISOString() ?? null },
      },
    );
    reply.header('cache-control', 'no-store');
    return reply.render('features/api-tokens/views/created.njk', {
      title: 'Your new API token',
      breadcrumbs: [...breadcrumbs, { href: '/account/tokens', text: 'API tokens' }],
      token: token.value,
      name,
      role: roleText,
      expires,
      baseUrl: ctx.deps.config.baseUrl,
    });
  });

  app.post('/account/tokens/:id/revoke', async (req, reply) => {
    const viewer = guard(req, { action: 'api-tokens:manage' });
    const { id } = req.params as { id: string };
    if (!/^\d{1,9}$/.test(id)) throw notFound('Token');
    const revoked = await revokeToken(db, viewer.accountId, Number(id), clock.now());
    if (!revoked) throw notFound('Active token');
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'api_token.revoke',
        subjectType: 'api_token',
        subjectId: revoked.id,
        organisationId: viewer.grants.find((g) => g.id === revoked.role_grant_id)?.organisationId ?? null,
        details: { name: revoked.name, prefix: revoked.prefix },
      },
    );
    await setFlash(
      ctx.deps,
      req,
      `The token ‘${revoked.name}’ (${revoked.prefix}…) is revoked: it no longer works.`,
      FLASH,
    );
    return reply.redirect('/account/tokens', 303);
  });

  docsRoutes(app, ctx);
}

export const apiTokensFeature: Feature = { name: 'api-tokens', routes, api: meApi };
