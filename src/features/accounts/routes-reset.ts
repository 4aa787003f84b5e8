import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { audit } from '../../plugins/audit.ts';
import { hashToken, newToken, SESSION_COOKIE } from '../../plugins/session.ts';
import { formErrors } from '../../web/http.ts';
import { RESET_TOKEN_TTL_MS } from './accounts.ts';
import { authRateLimit, flashFor } from './pages.ts';
import { hashPassword } from './passwords.ts';
import { completePasswordReset, createPasswordReset, findActiveAccountByEmail, findPasswordReset } from './queries.ts';
import { resetForm, resetRequestForm } from './schemas.ts';

const VIEWS = 'features/accounts/views';
// Tokens are 32 random bytes in base64url; anything else is not worth a database lookup.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,100}$/;

export async function passwordResetRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const limited = authRateLimit(deps.config.signIn.perMinute);

  const requestPage = (reply: FastifyReply, view: Record<string, unknown>, status = 200) =>
    reply.render(`${VIEWS}/password-reset-request.njk`, { title: 'Reset your password', fields: {}, ...view }, status);

  /** The reset token's row when it can still be used, or the reason it cannot. */
  async function usableReset(token: string) {
    if (!TOKEN_SHAPE.test(token)) return { problem: 'unknown' as const };
    const row = await findPasswordReset(deps.db, hashToken(token));
    if (row?.status !== 'active') return { problem: 'unknown' as const };
    if (row.used_at) return { problem: 'used' as const };
    if (row.expires_at <= deps.clock.now()) return { problem: 'expired' as const };
    return { row };
  }

  const invalidPage = (reply: FastifyReply, problem: 'unknown' | 'used' | 'expired') =>
    reply.render(
      `${VIEWS}/password-reset-invalid.njk`,
      { title: problem === 'expired' ? 'This link has expired' : 'This link cannot be used', problem },
      problem === 'unknown' ? 404 : 410,
    );

  app.get('/password-reset', async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    return requestPage(reply, { flash: flashFor(query.done) });
  });

  app.post('/password-reset', { config: limited }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = resetRequestForm.safeParse(body);
    if (!parsed.success) return requestPage(reply, { email: body.email, ...formErrors(parsed.error) }, 400);
    const account = await findActiveAccountByEmail(deps.db, parsed.data.email);
    if (account) {
      const token = newToken();
      const now = deps.clock.now();
      await createPasswordReset(deps.db, {
        tokenHash: hashToken(token),
        accountId: account.id,
        now,
        expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
      });
      await deps.mail.send({
        to: account.email,
        subject: 'Reset your Leadwell password',
        text: [
          `Dear ${account.display_name},`,
          '',
          'Someone asked to reset the password of your Leadwell account. To choose a new password, open this link:',
          '',
          `${deps.config.baseUrl}/password-reset/${token}`,
          '',
          'The link works once and expires in 1 hour.',
          'If you did not ask for this, ignore this email: your password has not changed.',
        ].join('\n'),
      });
      await audit(
        deps.db,
        { viewer: req.viewer, ip: req.ip },
        { action: 'auth.password-reset-requested', subjectType: 'account', subjectId: account.id },
      );
    }
    // The same answer whether or not the address has an account.
    return reply.redirect('/password-reset?done=reset-sent');
  });

  app.get('/password-reset/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const reset = await usableReset(token);
    if (!reset.row) return invalidPage(reply, reset.problem);
    return reply.render(`${VIEWS}/password-reset.njk`, { title: 'Choose a new password', token, fields: {} });
  });

  app.post('/password-reset/:token', { config: limited }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const reset = await usableReset(token);
    if (!reset.row) return invalidPage(reply, reset.problem);
    const parsed = resetForm(reset.row.email).safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.render(
        `${VIEWS}/password-reset.njk`,
        { title: 'Choose a new password', token, ...formErrors(parsed.error) },
        400,
      );
    }
    const accountId = await completePasswordReset(deps.db, {
      tokenHash: hashToken(token),
      passwordHash: await hashPassword(parsed.data.password),
      now: deps.clock.now(),
    });
    // Lost a race with another submission of the same link.
    if (accountId === null) return invalidPage(reply, 'used');
    await audit(
      deps.db,
      { viewer: null, ip: req.ip },
      { action: 'auth.password-reset', subjectType: 'account', subjectId: accountId },
    );
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?done=password-reset');
  });
}
