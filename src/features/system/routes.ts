import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { isMigrated } from '../../db/migrate.ts';
import type { AppContext, Feature } from '../../feature.ts';

async function routes(app: FastifyInstance, { deps }: AppContext) {
  // Liveness: the process answers. No database call, so a slow database does not get the instance killed.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  // Readiness: the database answers and every migration has run. Once migrated, stays migrated.
  let migrated = false;
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.db);
      migrated ||= await isMigrated(deps.db);
      if (!migrated) return reply.code(503).send({ status: 'not ready', reason: 'database migrations are pending' });
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'not ready', reason: 'database unreachable' });
    }
  });

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export const systemFeature: Feature = { name: 'system', routes };
