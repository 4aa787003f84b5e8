import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { developmentAccess, loadDevelopmentSubject, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { takeFlash } from '../../plugins/session.ts';
import { forbidden, guard, HttpError, notFound } from '../../web/http.ts';
import { findPerson } from '../people/queries.ts';
import { api } from './api.ts';
import { equityRoutes } from './equity-routes.ts';
import { importRoutes } from './import-routes.ts';
import { learningSection, recordPage } from './section.ts';

// The learning record pages: your own record, a person's record for their line managers and organisation admins,
// and the JSON download. Imports and the equity pages have their own files.

export const views = 'features/learning-record/views';

/** The person whose record the viewer asks for, if the viewer may read it; audits reads by anyone else. */
export async function readableRecord(
  ctx: AppContext,
  req: FastifyRequest,
  viewer: Viewer,
  personId: number,
): Promise<'self' | 'line_manager' | 'org_admin'> {
  const subject = await loadDevelopmentSubject(ctx.deps.db, personId);
  if (!subject) throw notFound('Person');
  const access = developmentAccess(viewer, subject);
  if (!access) throw forbidden();
  if (access !== 'self') {
    await audit(
      ctx.deps.db,
      { viewer, ip: req.ip },
      {
        action: 'learning.read',
        subjectType: 'learning_record',
        subjectId: personId,
        personId,
        organisationId: subject.organisationIds[0] ?? null,
        details: { access, via: req.url.startsWith('/api/') ? 'api' : 'page' },
      },
    );
  }
  return access;
}

const ownPerson = (viewer: Viewer) => {
  if (viewer.personId === null) {
    throw new HttpError(404, 'Your account is not linked to a staff record, so there is no learning record to show');
  }
  return viewer.personId;
};

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get('/me/learning', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const personId = ownPerson(viewer);
    return reply.render(`${views}/record.njk`, {
      title: 'Your learning record',
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/me/development', text: 'Your development' },
      ],
      own: true,
      heading: 'Your learning record',
      flash: await takeFlash(ctx.deps, req),
      ...(await recordPage(db, personId)),
    });
  });

  app.get('/me/learning.json', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const personId = ownPerson(viewer);
    const section = await learningSection(db, personId);
    return reply
      .header('content-disposition', 'attachment; filename="learning-record.json"')
      .type('application/json; charset=utf-8')
      .send(
        JSON.stringify({ person_id: personId, exported_at: ctx.deps.clock.now().toISOString(), ...section }, null, 2),
      );
  });

  app.get<{ Params: { id: string } }>('/people/:id/learning', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw notFound('Person');
    if (viewer.personId === id) return reply.redirect('/me/learning', 303);
    const access = await readableRecord(ctx, req, viewer, id);
    const person = await findPerson(db, id);
    if (!person) throw notFound('Person');
    const name = `${person.given_name} ${person.family_name}`;
    return reply.render(`${views}/record.njk`, {
      title: `Learning record: ${name}`,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: `/people/${id}`, text: name },
      ],
      own: false,
      heading: `Learning record of ${name}`,
      access,
      ...(await recordPage(db, id)),
    });
  });

  await importRoutes(app, ctx);
  await equityRoutes(app, ctx);
}

export const learningRecordFeature: Feature = { name: 'learning-record', routes, api };
