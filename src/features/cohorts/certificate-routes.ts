import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { audit } from '../../plugins/audit.ts';
import { forbidden, guard, notFound } from '../../web/http.ts';
import { parseId } from './booking-routes.ts';
import { outcomeLabels } from './cohorts.ts';
import { certificateOfApplication } from './completion-queries.ts';
import { providerAccess } from './manage-access.ts';
import { dayText, views } from './present.ts';

/**
 * The printable certificate of a completed place: for the learner (their own) and for the admins of the provider
 * that ran the cohort. It carries the verification code and the public address where anyone can check it. A
 * withdrawn certificate is not shown (the public check says it was withdrawn).
 */
export async function certificateRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;
  const { managedCohort } = providerAccess(deps);

  const show = (
    reply: FastifyReply,
    c: NonNullable<Awaited<ReturnType<typeof certificateOfApplication>>>,
    back: { href: string; text: string }[],
  ) =>
    reply.header('cache-control', 'no-store').render(`${views}/certificate.njk`, {
      title: `Certificate: ${c.programme_title}`,
      breadcrumbs: back,
      certificate: {
        ...c,
        completedText: dayText(c.completed_on),
        outcomeText: c.outcome ? outcomeLabels[c.outcome] : null,
        verifyUrl: `${deps.config.baseUrl}/verify/${c.code}`,
        verifyHome: `${deps.config.baseUrl}/verify`,
      },
    });

  app.get<{ Params: { id: string } }>('/me/bookings/:id/certificate', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    if (viewer.personId === null) throw forbidden();
    const c = await certificateOfApplication(db, parseId(req.params.id, 'Certificate'));
    if (!c || c.person_id !== viewer.personId || c.revoked_at) throw notFound('Certificate');
    return show(reply, c, [
      { href: '/', text: 'Home' },
      { href: '/me/bookings', text: 'Your bookings' },
    ]);
  });

  app.get<{ Params: { id: string; app: string } }>('/cohorts/manage/:id/certificates/:app', async (req, reply) => {
    const { viewer, cohort, programme } = await managedCohort(req);
    const c = await certificateOfApplication(db, parseId(req.params.app, 'Certificate'));
    if (!c || c.cohort_id !== cohort.id || c.revoked_at) throw notFound('Certificate');
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'cohorts.certificate.read',
        subjectType: 'cohort_application',
        subjectId: c.application_id,
        personId: c.person_id,
        organisationId: c.organisation_id,
        details: { cohortId: cohort.id },
      },
    );
    return show(reply, c, [
      { href: `/cohorts/manage/programmes/${programme.id}`, text: `Cohorts of ${programme.title}` },
      { href: `/cohorts/manage/${cohort.id}`, text: cohort.name },
    ]);
  });
}
