import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { audit } from '../../plugins/audit.ts';
import { guard, notFound } from '../../web/http.ts';
import { linkSegments } from './audit.ts';
import { latestOutbox, outboxMessage } from './queries.ts';

const breadcrumbs = [{ href: '/', text: 'Home' }];

/**
 * The mail outbox: what the service sent, or would send when no mail server is configured. National
 * admins always; in demo mode any admin, so that a demo can follow a password reset without a mailbox.
 */
export function outboxRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get('/admin/outbox', async (req, reply) => {
    guard(req, { action: 'outbox:read' }, { demoMode: ctx.demoMode });
    const messages = await latestOutbox(db, 100);
    return reply.render('features/audit/views/outbox.njk', { title: 'Mail outbox', breadcrumbs, messages });
  });

  app.get('/admin/outbox/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'outbox:read' }, { demoMode: ctx.demoMode });
    const { id } = req.params as { id: string };
    if (!/^\d{1,15}$/.test(id)) throw notFound('Message');
    const message = await outboxMessage(db, Number(id));
    if (!message) throw notFound('Message');
    // A message can hold a password reset link: whoever reads it could take over the account.
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'outbox.view',
        subjectType: 'mail_outbox',
        subjectId: message.id,
        details: { subject: message.subject },
      },
    );
    return reply.render('features/audit/views/outbox-message.njk', {
      title: message.subject,
      breadcrumbs: [...breadcrumbs, { href: '/admin/outbox', text: 'Mail outbox' }],
      message,
      segments: linkSegments(message.body_text),
    });
  });
}
