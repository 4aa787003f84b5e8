import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { decodeCursor, encodeCursor, guard, HttpError, schemaError } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { classifySearch, isPeopleCursor } from './people.ts';
import { loadPersonRecord } from './person-record.ts';
import { errorReply, idParams, type ListQuery, listQuery, listReply, personReply } from './schemas.ts';
import { SearchTooSlow, searchPeople } from './search-queries.ts';

const tags = ['People'];
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };

/** JSON API: the people a caller may see, and one person's record. Equality fields never appear in lists. */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  // Before validation, so that a caller without credentials hears 401, not a complaint about parameters.
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'signed-in' });
  });
  app.setSchemaErrorFormatter(schemaError);

  app.get(
    '/people',
    {
      schema: {
        tags,
        summary: 'Search people',
        description:
          'People the caller may see (their reports, their organisation, their ICB or region, or everyone for national admins), in name order, one row per person with the assignment that matches the filters. Cursor pagination; no total count.',
        querystring: listQuery,
        response: { 200: listReply, ...errors },
      },
    },
    async (req) => {
      const viewer = guard(req, { action: 'people:search' });
      const q = req.query as ListQuery;
      const limit = q.limit ?? 25;
      let organisationId: number | undefined;
      if (q.org !== undefined) {
        const org = await findOrganisation(db, q.org);
        if (!org) throw new HttpError(400, `org: no organisation has the ODS code ${q.org.toUpperCase()}`);
        organisationId = org.id;
      }
      const after = decodeCursor(q.cursor);
      if (after !== undefined && !isPeopleCursor(after)) {
        throw new HttpError(400, 'cursor is not valid: use the next_cursor value from the previous page');
      }
      const rows = await searchPeople(db, viewer, {
        search: classifySearch(q.q),
        organisationId,
        staffGroup: q.staff_group,
        band: q.band,
        managersOnly: q.managers === true,
        includeLeavers: q.include_leavers === true,
        after,
        limit,
      }).catch((err: unknown) => {
        throw err instanceof SearchTooSlow ? new HttpError(400, 'search too broad: add q or org to narrow it') : err;
      });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map((r) => ({
          id: r.id,
          given_name: r.given_name,
          family_name: r.family_name,
          position_title: r.position_title,
          organisation: { code: r.organisation_code, name: r.organisation_name },
          band: r.band,
          staff_group: r.staff_group,
          current: r.end_date === null,
        })),
        next_cursor: rows.length > limit ? encodeCursor([last.sort_family, last.sort_given, last.id]) : null,
      };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/people/:id',
    {
      schema: {
        tags,
        summary: 'One person',
        description:
          'A person’s details, assignments (current and past) and current direct reports. 404 when there is no such person or the person is outside the caller’s scope (the two are not told apart). Equality fields only for the person themselves and admins of an organisation where they hold an assignment. Every read of another person is audited.',
        params: idParams,
        response: { 200: personReply, ...errors },
      },
    },
    async (req) => {
      const viewer = guard(req, { action: 'signed-in' });
      const record = await loadPersonRecord(db, { viewer, ip: req.ip }, req.params.id, { channel: 'api' });
      return {
        ...record.person,
        assignments: record.assignments.map((a) => ({
          assignment_number: a.assignment_number,
          position_title: a.position_title,
          organisation: { code: a.organisation_code, name: a.organisation_name },
          team: a.team_name,
          band: a.band,
          staff_group: a.staff_group,
          occupation_code: a.occupation_code,
          wte: a.wte === null ? null : Number(a.wte),
          is_manager: a.is_manager,
          line_manager:
            a.manager_person_id === null
              ? null
              : { id: a.manager_person_id, given_name: a.manager_given_name!, family_name: a.manager_family_name! },
          start_date: a.start_date,
          end_date: a.end_date,
        })),
        direct_reports: record.reports.map((r) => ({
          id: r.id,
          given_name: r.given_name,
          family_name: r.family_name,
          position_title: r.position_title,
        })),
        ...(record.equality ? { equality: record.equality } : {}),
      };
    },
  );
}
