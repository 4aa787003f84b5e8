import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { forbidden, formErrors, guard, notFound } from '../../web/http.ts';
import { programmesByIds } from '../catalogue/queries.ts';
import { parseId } from './booking-routes.ts';
import { type ChangeRow, changeNotice } from './changes.ts';
import { holdsPlace, isLive, outcomeLabels } from './cohorts.ts';
import { applicationOfPerson, bookingsOf, insertFeedback } from './completion-queries.ts';
import { bookingsPage } from './person-queries.ts';
import { dayText, decisionText, setFlash, statusTag, takeFlash, views } from './present.ts';
import { feedbackForm } from './schemas.ts';

/** A person's own bookings, certificates and feedback. */
export async function meRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  const person = (req: FastifyRequest): Viewer & { personId: number } => {
    const viewer = guard(req, { action: 'signed-in' });
    if (viewer.personId === null) throw forbidden();
    return viewer as Viewer & { personId: number };
  };

  app.get('/me/bookings', async (req, reply) => {
    const viewer = person(req);
    const { bookings: rows, interests, changes: changeRows } = await bookingsPage(db, viewer.personId);
    const programmes = new Map(
      (
        await programmesByIds(db, [
          ...new Set([...rows.map((r) => r.programme_id), ...interests.map((i) => i.programme_id)]),
        ])
      ).map((p) => [p.id, p]),
    );
    // Someone who missed the email still sees that the sessions changed since they applied, and when.
    const changes = new Map<number, ChangeRow[]>();
    for (const c of changeRows) {
      const list = changes.get(c.cohort_id);
      if (list) list.push(c);
      else changes.set(c.cohort_id, [c]);
    }
    return reply.render(`${views}/my-bookings.njk`, {
      title: 'Your bookings',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      flash: await takeFlash(deps, req),
      bookings: rows.map((r) => ({
        ...r,
        programme: programmes.get(r.programme_id)?.title ?? 'Programme',
        providerName: programmes.get(r.programme_id)?.provider_name ?? '',
        startsText: dayText(r.starts_on),
        tag: statusTag(r.status),
        live: isLive(r.status) && !r.completed_on,
        holds: holdsPlace(r.status),
        manager: decisionText(r.manager_decision),
        funder: decisionText(r.funder_decision),
        outcomeText: r.outcome ? outcomeLabels[r.outcome] : null,
        completedText: r.completed_on ? dayText(r.completed_on) : null,
        certificate: r.certificate ?? undefined,
        feedbackDue: r.completed_on !== null && !r.feedback_given,
        changed: isLive(r.status) && !r.completed_on ? changeNotice(changes.get(r.cohort_id) ?? [], r.id) : null,
      })),
      interests: interests.map((i) => ({
        id: i.programme_id,
        title: programmes.get(i.programme_id)?.title ?? 'Programme',
      })),
    });
  });

  async function feedbackPage(
    req: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer & { personId: number },
    problems?: ReturnType<typeof formErrors>,
  ) {
    const application = await applicationOfPerson(
      db,
      parseId((req.params as { id: string }).id, 'Booking'),
      viewer.personId,
    );
    if (!application?.completed_on) throw notFound('Booking');
    const [cohortProgramme] = (await bookingsOf(db, viewer.personId)).filter((b) => b.id === application.id);
    const programme = (await programmesByIds(db, [cohortProgramme!.programme_id]))[0];
    return reply.render(
      `${views}/feedback-form.njk`,
      {
        title: `Feedback on ${programme?.title ?? 'your programme'}`,
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: '/me/bookings', text: 'Your bookings' },
        ],
        application,
        programmeTitle: programme?.title ?? 'your programme',
        values: problems ? req.body : {},
        questions: ratingQuestions((problems ? req.body : {}) as Record<string, string>),
        errors: problems?.errors,
        fields: problems?.fields ?? {},
      },
      problems ? 400 : 200,
    );
  }

  app.get<{ Params: { id: string } }>('/me/bookings/:id/feedback', async (req, reply) =>
    feedbackPage(req, reply, person(req)),
  );

  app.post<{ Params: { id: string } }>('/me/bookings/:id/feedback', async (req, reply) => {
    const viewer = person(req);
    const application = await applicationOfPerson(db, parseId(req.params.id, 'Booking'), viewer.personId);
    // Feedback comes only from people who took part: a completed place of their own.
    if (!application?.completed_on) throw notFound('Booking');
    const parsed = feedbackForm.safeParse(req.body ?? {});
    if (!parsed.success) return feedbackPage(req, reply, viewer, formErrors(parsed.error));
    const f = parsed.data;
    const saved = await insertFeedback(db, {
      application_id: application.id,
      cohort_id: application.cohort_id,
      overall: f.overall,
      relevance: f.relevance,
      recommend: f.recommend === 'yes',
      comment: f.comment || null,
    });
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'cohorts.feedback',
        subjectType: 'cohort_application',
        subjectId: application.id,
        personId: viewer.personId,
      },
    );
    await setFlash(
      deps,
      req,
      saved ? 'Thank you: your feedback has been sent' : 'You have already given feedback on this programme',
    );
    return reply.redirect('/me/bookings', 303);
  });
}

const scale = [
  ['5', 'Very good'],
  ['4', 'Good'],
  ['3', 'Neither good nor poor'],
  ['2', 'Poor'],
  ['1', 'Very poor'],
] as const;

function ratingQuestions(values: Record<string, string>) {
  return [
    ['overall', 'How would you rate the programme overall?'],
    ['relevance', 'How relevant was it to your role?'],
  ].map(([name, legend]) => ({
    name,
    legend,
    items: scale.map(([value, text]) => ({ value, text, checked: values[name!] === value })),
  }));
}
