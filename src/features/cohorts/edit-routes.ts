import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { notFound } from '../../web/http.ts';
import type { ProgrammeRow } from '../catalogue/queries.ts';
import { parseId } from './booking-routes.ts';
import { changeSession, editCohort } from './editing.ts';
import { providerAccess } from './manage-access.ts';
import { londonToUtc, sessionFlash, sessionText, setFlash, timeText, views } from './present.ts';
import { type CohortRow, findSession } from './queries.ts';
import { parseCohortEdit, parseSession } from './schemas.ts';

/** Provider admins change a cohort's name, places and booking window, and a session's date, times and place. */

type Problems = { errors: { text: string; href: string }[]; fields: Record<string, { text: string }> };

/** A date as the three boxes show it. */
const boxes = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y };
};

/** The UK calendar day of an instant (sessions are entered in UK time). */
const londonDay = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

export async function editRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { managedCohort, syncNextStart } = providerAccess(deps);

  const crumbs = (cohort: CohortRow, programme: ProgrammeRow) => [
    { href: '/catalogue/manage', text: 'Manage programmes' },
    { href: `/cohorts/manage/programmes/${programme.id}`, text: `Cohorts of ${programme.title}` },
    { href: `/cohorts/manage/${cohort.id}`, text: cohort.name },
  ];

  function cohortForm(
    reply: FastifyReply,
    cohort: CohortRow,
    programme: ProgrammeRow,
    values: Record<string, unknown>,
    problems?: Problems,
  ) {
    return reply.render(
      `${views}/edit-cohort.njk`,
      {
        title: `Change ${cohort.name}`,
        breadcrumbs: crumbs(cohort, programme),
        cohort,
        programme,
        values,
        errors: problems?.errors,
        fields: problems?.fields ?? {},
      },
      problems ? 400 : 200,
    );
  }

  app.get<{ Params: { id: string } }>('/cohorts/manage/:id/edit', async (req, reply) => {
    const { cohort, programme } = await managedCohort(req);
    return cohortForm(reply, cohort, programme, {
      name: cohort.name,
      capacity: cohort.capacity,
      ...boxes('opens', cohort.booking_opens_on),
      ...boxes('closes', cohort.booking_closes_on),
    });
  });

  app.post<{ Params: { id: string } }>('/cohorts/manage/:id/edit', async (req, reply) => {
    const { viewer, cohort, programme } = await managedCohort(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseCohortEdit(body);
    if (!parsed.ok) return cohortForm(reply, cohort, programme, body, parsed.problems);
    const result = await editCohort(deps, { viewer, ip: req.ip }, cohort.id, parsed.details);
    if (!result.ok && result.status === 404) throw notFound('Cohort');
    if (!result.ok) {
      return cohortForm(reply, cohort, programme, body, {
        errors: [{ text: result.problem, href: `#${result.field}` }],
        fields: { [result.field]: { text: result.problem } },
      });
    }
    const moved = result.promoted ? `; ${result.promoted} people moved off the wait-list` : '';
    await setFlash(deps, req, result.changed ? `Cohort details saved${moved}` : 'Nothing was changed');
    return reply.redirect(`/cohorts/manage/${cohort.id}`, 303);
  });

  async function sessionForm(
    req: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, unknown>,
    problems?: Problems,
  ) {
    const { cohort, programme } = await managedCohort(req);
    const session = await findSession(deps.db, cohort.id, parseId((req.params as { sid: string }).sid, 'Session'));
    if (!session) throw notFound('Session');
    return reply.render(
      `${views}/edit-session.njk`,
      {
        title: `Change a session of ${cohort.name}`,
        breadcrumbs: crumbs(cohort, programme),
        cohort,
        programme,
        session: { ...session, text: sessionText(session) },
        values: values ?? {
          ...boxes('session', londonDay(session.starts_at)),
          start_time: timeText(session.starts_at),
          end_time: timeText(session.ends_at),
          venue: session.venue ?? '',
          online_url: session.online_url ?? '',
        },
        errors: problems?.errors,
        fields: problems?.fields ?? {},
      },
      problems ? 400 : 200,
    );
  }

  app.get<{ Params: { id: string; sid: string } }>('/cohorts/manage/:id/sessions/:sid/edit', (req, reply) =>
    sessionForm(req, reply),
  );

  app.post<{ Params: { id: string; sid: string } }>('/cohorts/manage/:id/sessions/:sid/edit', async (req, reply) => {
    const { viewer, cohort, programme } = await managedCohort(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseSession(body, londonToUtc);
    if (!parsed.ok) return sessionForm(req, reply, body, parsed.problems);
    const sid = parseId(req.params.sid, 'Session');
    const result = await changeSession(deps, { viewer, ip: req.ip }, cohort.id, sid, parsed.session);
    if (!result.ok) throw notFound('Session');
    await syncNextStart(programme.id);
    await setFlash(deps, req, sessionFlash('Session changed', cohort));
    return reply.redirect(`/cohorts/manage/${cohort.id}#session-${sid}`, 303);
  });
}
