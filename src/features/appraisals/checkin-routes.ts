import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { AppContext } from '../../feature.ts';
import { developmentAccess, loadDevelopmentSubject, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { guard, notFound } from '../../web/http.ts';
import { problemsView, setFlash, takeFlash, todayOf, views } from './present.ts';
import { checkinsOf, insertCheckin, personName } from './queries.ts';
import { readText } from './schemas.ts';

type Req = FastifyRequest<{ Params: { personId: string } }>;

const auditPerson = (db: Database, req: Req, viewer: Viewer, action: string, personId: number) =>
  audit(db, { viewer, ip: req.ip }, { action, subjectType: 'person', subjectId: personId, personId });

/**
 * Check-ins between appraisals: short dated notes by the person or their line manager, visible to both of them
 * (and to no one else: they are a conversation, not a record for admins).
 */
export async function checkinRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;

  const subjectFor = async (req: Req, viewer: Viewer) => {
    if (!/^\d{1,15}$/.test(req.params.personId)) throw notFound('Person');
    const subject = await loadDevelopmentSubject(db, Number(req.params.personId));
    const access = subject && developmentAccess(viewer, subject);
    if (!subject || (access !== 'self' && access !== 'line_manager')) throw notFound('Person');
    return { subject, role: access === 'self' ? ('appraisee' as const) : ('line_manager' as const) };
  };

  const page = async (
    req: Req,
    reply: FastifyReply,
    viewer: Viewer,
    extra: { errors?: unknown[]; fields?: Record<string, unknown>; values?: Record<string, string> } = {},
    status = 200,
  ) => {
    const { subject, role } = await subjectFor(req, viewer);
    const name = await personName(db, subject.personId);
    if (role !== 'appraisee') await auditPerson(db, req, viewer, 'appraisal.checkins.read', subject.personId);
    return reply.render(
      `${views}/checkins.njk`,
      {
        title: role === 'appraisee' ? 'Your check-ins' : `Check-ins with ${name}`,
        breadcrumbs: [{ href: '/appraisals', text: 'Appraisals' }],
        personId: subject.personId,
        personName: name,
        role,
        checkins: await checkinsOf(db, subject.personId),
        flash: await takeFlash(deps, req),
        values: {},
        fields: {},
        ...extra,
      },
      status,
    );
  };

  app.get<{ Params: { personId: string } }>('/appraisals/people/:personId/check-ins', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    return page(req, reply, viewer);
  });

  app.post<{ Params: { personId: string } }>('/appraisals/people/:personId/check-ins', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const { subject, role } = await subjectFor(req, viewer);
    const note = readText(req.body ?? {}, 'note', 'note', 2000);
    if (!note.ok) {
      const problems = problemsView(note.problems);
      return page(req, reply, viewer, { ...problems, values: req.body as Record<string, string> }, 400);
    }
    await db.transaction().execute(async (trx) => {
      await insertCheckin(trx, {
        personId: subject.personId,
        accountId: viewer.accountId,
        authorName: viewer.displayName,
        role,
        on: todayOf(deps),
        body: note.value,
      });
      await auditPerson(trx, req, viewer, 'appraisal.checkin.add', subject.personId);
    });
    await setFlash(deps, req, 'Your note is added.');
    return reply.redirect(`/appraisals/people/${subject.personId}/check-ins`, 303);
  });
}
