import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { decodeCursor, encodeCursor, guard, HttpError, notFound, schemaError } from '../../web/http.ts';
import { flattenTree, searchTerm, teamTree } from './organisations.ts';
import { apiItem, childCodes, findOrganisation, listOrganisations, parentHistory, teamsOf } from './queries.ts';
import { codeParams, detailReply, errorReply, type ListQuery, listQuery, listReply, teamsReply } from './schemas.ts';

const tags = ['Organisations'];
const errors = { 400: errorReply, 401: errorReply, 404: errorReply };

/** JSON API under /api/v1: organisations (ODS), their parent history and their team trees. */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  // Before validation, so that a caller without credentials hears 401, not a complaint about parameters.
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'organisations:browse' });
  });
  app.setSchemaErrorFormatter(schemaError);

  app.get(
    '/organisations',
    {
      schema: {
        tags,
        summary: 'List organisations',
        description:
          'Regions, ICBs, sub-ICB locations and trusts from NHS ODS, ordered by ODS code, a page at a time. Open organisations only unless include_closed=true.',
        querystring: listQuery,
        response: { 200: listReply, ...errors },
      },
    },
    async (req) => {
      const query = req.query as ListQuery;
      const limit = query.limit ?? 50;
      let parentId: number | undefined;
      if (query.parent !== undefined) {
        const parent = await findOrganisation(db, query.parent);
        if (!parent) throw new HttpError(400, `parent: no organisation has the ODS code ${query.parent}`);
        parentId = parent.id;
      }
      const after = decodeCursor(query.cursor);
      if (after !== undefined && (after.length !== 1 || typeof after[0] !== 'string')) {
        throw new HttpError(400, 'cursor is not valid: use the next_cursor value from the previous page');
      }
      const rows = await listOrganisations(db, {
        kind: query.kind,
        parentId,
        term: searchTerm(query.q),
        includeClosed: query.include_closed ?? false,
        after: after?.[0] as string | undefined,
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      return { items, next_cursor: rows.length > limit ? encodeCursor([items[items.length - 1].code]) : null };
    },
  );

  app.get<{ Params: { code: string } }>(
    '/organisations/:code',
    {
      schema: {
        tags,
        summary: 'One organisation',
        description: 'An organisation by ODS code, with every parent it has had and the codes of its children.',
        params: codeParams,
        response: { 200: detailReply, ...errors },
      },
    },
    async (req) => {
      const org = await findOrganisation(db, req.params.code);
      if (!org) throw notFound(`Organisation ${req.params.code}`);
      const [item, history, children] = await Promise.all([
        apiItem(db, org.id),
        parentHistory(db, org.id),
        childCodes(db, org.id),
      ]);
      return {
        ...item,
        ons_code: org.ons_code,
        address: org.address,
        phone: org.phone,
        parent_history: history.map((h) => ({
          parent_code: h.parent_code,
          valid_from: h.valid_from,
          valid_to: h.valid_to,
        })),
        children,
      };
    },
  );

  app.get<{ Params: { code: string } }>(
    '/organisations/:code/teams',
    {
      schema: {
        tags,
        summary: 'An organisation’s teams',
        description: 'Directorates, divisions, departments and teams of an organisation, in tree order.',
        params: codeParams,
        response: { 200: teamsReply, ...errors },
      },
    },
    async (req) => {
      const org = await findOrganisation(db, req.params.code);
      if (!org) throw notFound(`Organisation ${req.params.code}`);
      const items = flattenTree(teamTree(await teamsOf(db, org.id))).map(({ children: _c, ...t }) => t);
      return { items };
    },
  );
}
