import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { guard } from '../../web/http.ts';
import { directReports } from '../people/queries.ts';
import { assessmentStatusOf } from './queries.ts';
import { dateText, home, views } from './web.ts';

// "My team": a line manager's current direct reports with where each stands on self-assessment. Listing names
// and dates is not a read of anyone's record; opening one is, and that page audits it.

export async function teamRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get(`${home}/team`, async (req, reply) => {
    const viewer = guard(req, { action: 'development:team' });
    const reports = await directReports(db, viewer, viewer.managerAssignmentIds);
    const status = await assessmentStatusOf(
      db,
      reports.map((r) => r.id),
    );
    return reply.render(`${views}/team.njk`, {
      title: 'My team’s development',
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: home, text: 'Development' },
      ],
      people: reports.map((r) => {
        const s = status.get(r.id);
        return {
          name: `${r.given_name} ${r.family_name}`,
          position: r.position_title,
          href: `/development/people/${r.id}`,
          latest: s?.latestId ? dateText(s.latestAt) : 'None submitted',
          latestHref: s?.latestId ? `/development/people/${r.id}/assessments/${s.latestId}` : undefined,
          open: s?.open ? 'Yes' : 'No',
        };
      }),
    });
  });
}
