import type { FastifyInstance } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise, roleLabels, rolesOf } from '../../plugins/access.ts';
import { dashboardFor } from '../dashboard/dashboard.ts';
import { homeSections } from './home.ts';

async function routes(app: FastifyInstance, { deps, demoMode }: AppContext) {
  app.get('/', async (req, reply) => {
    const viewer = req.viewer;
    if (!viewer) return reply.render('features/home/views/landing.njk', { title: 'Grow and keep good NHS managers' });
    const sections = homeSections((p) => authorise(viewer, p, { demoMode }));
    return reply.render('features/home/views/home.njk', {
      title: 'Home',
      roles: rolesOf(viewer).map((r) => roleLabels[r]),
      sections,
      dashboard: await dashboardFor(deps.db, viewer),
    });
  });

  app.get('/about', async (_req, reply) => reply.render('features/home/views/about.njk', { title: 'About Leadwell' }));
  app.get('/accessibility', async (_req, reply) =>
    reply.render('features/home/views/accessibility.njk', { title: 'Accessibility statement' }),
  );
}

export const homeFeature: Feature = { name: 'home', routes };
