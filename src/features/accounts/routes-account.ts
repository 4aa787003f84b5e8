import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { roleLabels, rolesOf, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { endAllSessions, SESSION_COOKIE } from '../../plugins/session.ts';
import { formErrors, guard, HttpError, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { authRateLimit, flashFor } from './pages.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { activeSessionCount, changePassword, ownPerson, passwordHashOf } from './queries.ts';
import { changePasswordForm } from './schemas.ts';

export async function accountRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;

  async function accountPage(
    req: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    view: { errors?: FieldError[]; fields?: Record<string, { text: string }>; flash?: string } = {},
    status = 200,
  ) {
    const now = deps.clock.now();
    const [hash, person, sessions] = await Promise.all([
      passwordHashOf(deps.db, viewer.accountId),
      viewer.personId === null ? undefined : ownPerson(deps.db, viewer.personId),
      activeSessionCount(deps.db, viewer.accountId, now, deps.config.sessionIdleMs),
    ]);
    return reply.render(
      'features/accounts/views/account.njk',
      {
        title: 'Your account',
        breadcrumbs: [{ href: '/', text: 'Home' }],
        roles: rolesOf(viewer).map((r) => roleLabels[r]),
        grants: viewer.grants.map((g) => ({ ...g, label: roleLabels[g.role] })),
        person,
        sessions,
        hasPassword: hash !== null,
        fields: {},
        ...view,
        flash: view.flash ?? flashFor((req.query as Record<string, unknown>).done),
      },
      status,
    );
  }

  app.get('/account', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    return accountPage(req, reply, viewer);
  });

  app.post('/account/password', { config: authRateLimit(deps.config.signIn.perMinute) }, async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const hash = await passwordHashOf(deps.db, viewer.accountId);
    if (hash === null) {
      throw new HttpError(400, 'You sign in with your NHS account, so there is no Leadwell password to change');
    }
    const parsed = changePasswordForm(viewer.email).safeParse(req.body ?? {});
    if (!parsed.success) return accountPage(req, reply, viewer, formErrors(parsed.error), 400);
    if (!(await verifyPassword(hash, parsed.data.current))) {
      return accountPage(req, reply, viewer, singleError('current', 'Your current password is not correct'), 400);
    }
    await changePassword(deps.db, viewer.accountId, await hashPassword(parsed.data.password), req.session!.id);
    await audit(
      deps.db,
      { viewer, ip: req.ip },
      { action: 'account.password-changed', subjectType: 'account', subjectId: viewer.accountId },
    );
    return reply.redirect('/account?done=password-changed');
  });

  app.post('/account/sign-out-everywhere', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    await endAllSessions(deps, viewer.accountId);
    await audit(
      deps.db,
      { viewer, ip: req.ip },
      { action: 'auth.sign-out-everywhere', subjectType: 'account', subjectId: viewer.accountId },
    );
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?done=signed-out-everywhere');
  });
}
