import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { normaliseCode } from './cohorts.ts';
import { certificateByCode } from './completion-queries.ts';
import { dayText, views } from './present.ts';
import { verifyQuery } from './schemas.ts';

/**
 * The public certificate check: anyone with a code (an employer, a recruiter) sees that it is genuine, with the
 * name, programme, provider and date on it, and nothing else. No sign-in; rate limited against guessing.
 */
export async function verifyRoutes(app: FastifyInstance, { deps }: AppContext) {
  const limit = { rateLimit: { max: 30, timeWindow: '1 minute' } };

  app.get('/verify', { config: limit }, async (req, reply) => {
    const q = verifyQuery.safeParse(req.query ?? {});
    const typed = q.success ? q.data.code?.trim() : undefined;
    if (typed) {
      const code = normaliseCode(typed);
      if (code) return reply.redirect(`/verify/${code}`, 303);
      return reply.render(
        `${views}/verify-form.njk`,
        {
          title: 'Check a certificate',
          errors: [{ text: 'Enter the 10-character code printed on the certificate', href: '#code' }],
          fields: { code: { text: 'Enter the 10-character code printed on the certificate' } },
          code: typed,
        },
        400,
      );
    }
    return reply.render(`${views}/verify-form.njk`, { title: 'Check a certificate', fields: {} });
  });

  app.get<{ Params: { code: string } }>('/verify/:code', { config: limit }, async (req, reply) => {
    const code = normaliseCode(req.params.code);
    const certificate = code ? await certificateByCode(deps.db, code) : undefined;
    // The page says only whether the code is genuine; it never hints at codes that are close to a real one.
    reply.header('cache-control', 'no-store');
    reply.header('x-robots-tag', 'noindex');
    if (!certificate) {
      return reply.render(
        `${views}/verify.njk`,
        { title: 'Certificate not found', found: false, code: req.params.code },
        404,
      );
    }
    return reply.render(`${views}/verify.njk`, {
      title: certificate.revoked_at ? 'Certificate withdrawn' : 'Certificate confirmed',
      found: true,
      revoked: certificate.revoked_at !== null,
      certificate: { ...certificate, completedText: dayText(certificate.completed_on) },
    });
  });
}
