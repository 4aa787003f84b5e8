import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';

interface OpenApiDoc {
  paths?: Record<string, Record<string, { summary?: string; description?: string }>>;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];

/** The endpoints of the OpenAPI document, so that the docs page lists what exists and nothing else. */
export function endpointsOf(doc: OpenApiDoc) {
  return Object.entries(doc.paths ?? {})
    .flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => methods.includes(m))
        .map(([m, op]) => ({
          method: m.toUpperCase(),
          path,
          summary: op.summary ?? '',
          description: op.description ?? '',
        })),
    )
    .sort((a, b) => a.path.localeCompare(b.path) || methods.indexOf(a.method) - methods.indexOf(b.method));
}

/** GET /api/v1/docs: how to use the API, public, in the NHS layout. */
export function docsRoutes(app: FastifyInstance, ctx: AppContext) {
  let endpoints: ReturnType<typeof endpointsOf> | undefined;
  app.get('/api/v1/docs', { schema: { hide: true } }, async (_req, reply) => {
    // The routes are fixed once the app is ready: read the document once.
    endpoints ??= endpointsOf(app.swagger() as OpenApiDoc);
    return reply.render('features/api-tokens/views/docs.njk', {
      title: 'Leadwell API',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      endpoints,
      baseUrl: ctx.deps.config.baseUrl,
    });
  });
}
