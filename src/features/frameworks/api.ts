import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { decodeCursor, encodeCursor, guard, HttpError, notFound, schemaError } from '../../web/http.ts';
import { VersionDocument } from './document.ts';
import { readDocument } from './document-queries.ts';
import { findFramework, listFrameworks, versionsOf } from './queries.ts';
import {
  errorReply,
  exportParams,
  frameworkReply,
  keyParams,
  type ListQuery,
  listQuery,
  listReply,
  type VersionQuery,
  versionQuery,
} from './schemas.ts';

const tags = ['Frameworks'];
const errors = { 400: errorReply, 401: errorReply, 404: errorReply };

/** JSON API under /api/v1: competency frameworks and their versions, in the import and export format. */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'frameworks:read' });
  });
  app.setSchemaErrorFormatter(schemaError);
  const canAuthor = (req: FastifyRequest) => authorise(req.viewer, { action: 'frameworks:author' });

  /** The versions the caller may see, newest first: drafts only for national admins. */
  const visibleVersions = async (req: FastifyRequest, key: string) => {
    const framework = await findFramework(db, key);
    if (!framework) throw notFound(`Framework ${key}`);
    const versions = (await versionsOf(db, framework.id)).filter((v) => v.status !== 'draft' || canAuthor(req));
    if (!versions.length) throw notFound(`Framework ${key}`);
    return versions;
  };

  app.get(
    '/frameworks',
    {
      schema: {
        tags,
        summary: 'List competency frameworks',
        description: 'Frameworks by key, a page at a time, each with its latest published version.',
        querystring: listQuery,
        response: { 200: listReply, ...errors },
      },
    },
    async (req) => {
      const query = req.query as ListQuery;
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor);
      if (after !== undefined && (after.length !== 1 || typeof after[0] !== 'string')) {
        throw new HttpError(400, 'cursor is not valid: use the next_cursor value from the previous page');
      }
      const rows = await listFrameworks(db, {
        includeDrafts: canAuthor(req),
        after: after?.[0] as string | undefined,
        limit: limit + 1,
      });
      const items = rows.slice(0, limit).map((f) => ({
        key: f.key,
        title: f.title,
        description: f.description,
        owner: f.owner,
        published_version: f.published_version,
        latest_version:
          f.latest_version !== null && f.latest_status !== null
            ? { number: f.latest_version, status: f.latest_status }
            : null,
      }));
      return { items, next_cursor: rows.length > limit ? encodeCursor([items[items.length - 1].key]) : null };
    },
  );

  app.get<{ Params: { key: string } }>(
    '/frameworks/:key',
    {
      schema: {
        tags,
        summary: 'One framework version',
        description:
          'The latest published version of a framework (or the version asked for), in the import and export format, with the list of versions.',
        params: keyParams,
        querystring: versionQuery,
        response: { 200: frameworkReply, ...errors },
      },
    },
    async (req) => {
      const versions = await visibleVersions(req, req.params.key);
      const asked = (req.query as VersionQuery).version;
      const version =
        asked !== undefined
          ? versions.find((v) => v.version === asked)
          : (versions.find((v) => v.status === 'published') ?? versions.find((v) => v.status === 'retired'));
      if (!version) {
        throw notFound(
          asked !== undefined ? `Version ${asked} of ${req.params.key}` : `A published version of ${req.params.key}`,
        );
      }
      const doc = (await readDocument(db, version.id))!;
      return {
        ...doc,
        versions: versions.map((v) => ({
          number: v.version,
          status: v.status,
          published_at: v.published_at?.toISOString() ?? null,
          retired_at: v.retired_at?.toISOString() ?? null,
        })),
      };
    },
  );

  app.get<{ Params: { key: string; n: number } }>(
    '/frameworks/:key/versions/:n/export.json',
    {
      schema: {
        tags,
        summary: 'Export a framework version',
        description:
          'One version as a JSON file in the import and export format (see docs/frameworks.md); importing it gives an identical draft.',
        params: exportParams,
        response: { 200: VersionDocument, ...errors },
      },
    },
    async (req, reply) => {
      const versions = await visibleVersions(req, req.params.key);
      const version = versions.find((v) => v.version === req.params.n);
      if (!version) throw notFound(`Version ${req.params.n} of ${req.params.key}`);
      reply.header(
        'content-disposition',
        `attachment; filename="${req.params.key.toLowerCase()}-v${version.version}.json"`,
      );
      return readDocument(db, version.id);
    },
  );
}
