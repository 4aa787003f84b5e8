import type { FastifyInstance } from 'fastify';
import type { AppContext, Feature } from '../../feature.ts';
import { api } from './api.ts';
import { bookingRoutes } from './booking-routes.ts';
import { certificateRoutes } from './certificate-routes.ts';
import { editRoutes } from './edit-routes.ts';
import { manageRoutes } from './manage-routes.ts';
import { meRoutes } from './me-routes.ts';
import { supplyRoutes } from './supply-routes.ts';
import { teamRoutes } from './team-routes.ts';
import { verifyRoutes } from './verify-routes.ts';

async function routes(app: FastifyInstance, ctx: AppContext) {
  await bookingRoutes(app, ctx);
  await meRoutes(app, ctx);
  await teamRoutes(app, ctx);
  await manageRoutes(app, ctx);
  await editRoutes(app, ctx);
  await certificateRoutes(app, ctx);
  await verifyRoutes(app, ctx);
  await supplyRoutes(app, ctx);
}

/** Cohorts and booking (docs/learning-cohorts.md). */
export const cohortsFeature: Feature = { name: 'cohorts', routes, api };
