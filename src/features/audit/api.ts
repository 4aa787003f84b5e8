import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { guard, HttpError } from '../../web/http.ts';
import { apiEntry } from './present.ts';
import { keyOf, searchAudit, visiblePeopleNames } from './queries.ts';
import { cursorOf, keyFromCursor, prepareFilter } from './search.ts';

export const ApiError = Type.Object(
  {
    error: Type.String({ description: 'The HTTP status text, e.g. Bad Request' }),
    message: Type.String({ description: 'What was wrong, precisely enough to fix the call' }),
  },
  { title: 'Error' },
);

const AuditQuery = Type.Object({
  actor: Type.Optional(
    Type.String({ maxLength: 100, description: "At least 3 characters of the acting account's name or email" }),
  ),
  person: Type.Optional(Type.String({ maxLength: 30, description: 'Staff number or person id' })),
  action: Type.Optional(Type.String({ maxLength: 100, description: 'Exact action, e.g. outbox.view' })),
  organisation: Type.Optional(Type.String({ maxLength: 10, description: 'ODS code of the organisation' })),
  from: Type.Optional(Type.String({ format: 'date', description: 'First day (UTC), YYYY-MM-DD' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last day (UTC), YYYY-MM-DD, inclusive' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Entries per page' }),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    account_id: Nullable(Type.Integer()),
    label: Type.String(),
    email: Nullable(Type.String()),
  }),
  action: Type.String(),
  subject: Nullable(Type.Object({ type: Nullable(Type.String()), id: Nullable(Type.String()) })),
  person: Nullable(
    Type.Object({
      id: Type.Integer(),
      name: Nullable(Type.String({ description: 'Only when the caller may see this person' })),
    }),
  ),
  organisation: Nullable(
    Type.Object({ id: Type.Integer(), code: Nullable(Type.String()), name: Nullable(Type.String()) }),
  ),
  ip: Nullable(Type.String()),
  details: Nullable(Type.Object({}, { additionalProperties: true })),
});

const AuditPage = Type.Object({
  items: Type.Array(AuditEntry),
  next_cursor: Nullable(Type.String({ description: 'Pass as cursor for the next (older) page; null on the last' })),
});

export const errorResponses = { 400: ApiError, 401: ApiError, 403: ApiError };

export function auditApi(app: FastifyInstance, ctx: AppContext) {
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/audit',
    {
      schema: {
        summary: 'Search the audit log',
        description:
          'Entries newest first, with the same filters and scope as the Audit log page: national admins see every entry, ' +
          'organisation admins the entries about their organisations and their staff. Needs a token with one of those roles.',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses },
      },
    },
    async (req) => {
      const viewer = guard(req, { action: 'signed-in' });
      if (!authorise(viewer, { action: 'audit:read' })) {
        throw new HttpError(
          403,
          'Reading the audit log needs a token with the national admin or organisation admin role',
        );
      }
      const q = req.query;
      const search = await prepareFilter(ctx.deps.db, q);
      if (search.problems.length) {
        throw new HttpError(400, search.problems.map((p) => `${p.field}: ${p.text}`).join('; '));
      }
      const before = keyFromCursor(q.cursor);
      const page = await searchAudit(ctx.deps.db, viewer, { ...search, limit: q.limit, before });
      const names = await visiblePeopleNames(
        ctx.deps.db,
        viewer,
        page.rows.map((r) => r.personId),
      );
      const last = page.rows[page.rows.length - 1];
      return {
        items: page.rows.map((r) => apiEntry(r, names)),
        next_cursor: page.hasOlder && last ? cursorOf(keyOf(last)) : null,
      };
    },
  );
}
