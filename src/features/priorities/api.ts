import type { FastifyInstance } from 'fastify';
import type { PriorityScope } from '../../db/schema.ts';
import type { AppContext } from '../../feature.ts';
import { decodeCursor, encodeCursor, guard, HttpError, notFound, schemaError } from '../../web/http.ts';
import { editApi } from './api-edit.ts';
import {
  type CreateBody,
  createBody,
  errorReply,
  type ListQuery,
  listQuery,
  listReply,
  priorityItem,
  thicketQuery,
  thicketReply,
} from './api-schemas.ts';
import { priorityInput, unfundedShare } from './priorities.ts';
import {
  findPriority,
  listVisible,
  orgByCode,
  type PriorityRow,
  pendingSince,
  type TargetRow,
  targetsOf,
  viewerAreas,
} from './queries.ts';
import { createPriority, placeOf, resolvePlace } from './register.ts';
import { type AreaFigures, areaFigures, areaSnapshot, type Level, teamRows, trendOf } from './summary-queries.ts';

const tags = ['Competing priorities'];
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };

function itemJson(p: PriorityRow, targets: TargetRow[]) {
  return {
    id: p.id,
    title: p.title,
    source: p.source,
    set_on: p.set_on,
    measure: p.measure,
    target_date: p.target_date,
    funded: p.funded,
    funding_amount: p.funding_amount === null ? null : Number(p.funding_amount),
    owner: p.owner,
    scope: p.scope,
    area_code: p.scope_org_code,
    targets: targets
      .filter((t) => t.priority_id === p.id)
      .map((t) => ({ organisation_code: t.org_code, team_id: t.team_id, team_name: t.team_name })),
    status: p.status,
    ended_on: p.ended_on,
  };
}

const figuresJson = (f: AreaFigures) => ({
  organisations: f.organisations,
  teams: f.teams,
  active_priorities: f.active,
  mean_per_team: f.mean === undefined ? null : Math.round(f.mean * 100) / 100,
  median_per_team: f.median,
  p90_per_team: f.p90,
  max_per_team: f.max,
  unfunded_share: unfundedShare(f.unfunded, f.teamPriorities) ?? null,
  overlaps: f.overlaps,
  conflicts: f.conflicts,
  distribution: f.distribution,
});

/**
 * JSON API under /api/v1: the register (what the caller may read), placing, reading and editing a priority, and
 * the thicket figures.
 */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'workload:aggregates' });
  });
  app.setSchemaErrorFormatter(schemaError);

  app.get(
    '/priorities',
    {
      schema: {
        tags,
        summary: 'List the competing priorities you may read',
        description:
          'Newest first, a page at a time: national priorities, and those of the regions, ICBs and organisations you belong to or look after.',
        querystring: listQuery,
        response: { 200: listReply, ...errors },
      },
    },
    async (req) => {
      const viewer = req.viewer!;
      const q = req.query as ListQuery;
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor);
      if (after !== undefined && (after.length !== 1 || typeof after[0] !== 'number')) {
        throw new HttpError(400, 'cursor is not valid: use the next_cursor value from the previous page');
      }
      const rows = await listVisible(
        db,
        await viewerAreas(db, viewer),
        {
          status: q.status as PriorityRow['status'] | undefined,
          source: q.source as PriorityRow['source'] | undefined,
        },
        after?.[0] as number | undefined,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const targets = await targetsOf(
        db,
        page.map((p) => p.id),
      );
      return {
        items: page.map((p) => itemJson(p, targets)),
        next_cursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.id]) : null,
      };
    },
  );

  app.post(
    '/priorities',
    {
      schema: {
        tags,
        summary: 'Place a priority',
        description:
          'National admins place national priorities (they cascade to every organisation), regional leads those of their region, ICB leads those of their ICB or its organisations, organisation admins those of their organisation or some of its teams.',
        body: createBody,
        response: { 201: priorityItem, ...errors },
      },
    },
    async (req, reply) => {
      const viewer = req.viewer!;
      const b = req.body as CreateBody;
      const parsed = priorityInput.safeParse(b);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HttpError(400, `${String(issue.path[0] ?? 'body')}: ${issue.message}`);
      }
      const place = await resolvePlace(deps, viewer, {
        scope: b.scope as PriorityScope,
        code: b.area_code,
        organisationCodes: b.organisation_codes,
        teamIds: b.team_ids,
      });
      if ('field' in place) {
        throw new HttpError(place.message.startsWith('You may not') ? 403 : 400, `${place.field}: ${place.message}`);
      }
      const { id } = await createPriority(deps, { viewer, ip: req.ip }, parsed.data, place);
      const p = (await findPriority(db, id))!;
      return reply.code(201).send(itemJson(p, await targetsOf(db, [id])));
    },
  );

  await editApi(app, deps, async (p) => itemJson(p, await targetsOf(db, [p.id])));

  app.get(
    '/priorities/thicket',
    {
      schema: {
        tags,
        summary: 'The thicket of concurrent priorities in an area',
        description:
          'Concurrent priorities per team (mean, median, 90th centile, most, distribution), the unfunded share, pairs marked overlapping or conflicting and the monthly trend, for England, a region, an ICB or (with the right to its detail) an organisation. Computed by the nightly refresh and after each change (by a job within minutes when a change reaches many organisations), not per request.',
        querystring: thicketQuery,
        response: { 200: thicketReply, ...errors },
      },
    },
    async (req) => {
      const code = (req.query as { area: string }).area;
      let level: Level = 'nation';
      let areaId = 0;
      let name = 'England';
      let areaCode: string | null = null;
      if (code.toLowerCase() !== 'england') {
        const org = await orgByCode(db, code);
        if (!org) throw notFound(`Area ${code}`);
        level = org.kind === 'region' ? 'region' : org.kind === 'icb' ? 'icb' : 'organisation';
        if (level === 'organisation') guard(req, { action: 'workload:org-detail', org: placeOf(org) });
        areaId = org.id;
        name = org.name;
        areaCode = org.code;
      }
      // An area's figures in one round trip; an organisation's with its busiest teams.
      const snap =
        level === 'organisation' ? undefined : await areaSnapshot(db, level as Exclude<Level, 'organisation'>, areaId);
      const [f, points, children, teams, pending] = snap
        ? [snap.figures, snap.trend, snap.children, [], snap.pendingSince]
        : await Promise.all([
            areaFigures(db, level, areaId),
            trendOf(db, level, areaId),
            undefined,
            teamRows(db, areaId, 100),
            pendingSince(db),
          ]);
      return {
        level,
        code: areaCode,
        name,
        refreshed_at: f ? new Date(f.refreshedAt).toISOString() : null,
        pending_since: pending ? pending.toISOString() : null,
        figures: f ? figuresJson(f) : null,
        trend: points.map((p) => ({ on: p.day, mean_per_team: p.mean, teams: p.teams })),
        areas: children?.areas.map((a) => ({ code: a.code, name: a.name, figures: figuresJson(a.figures) })) ?? [],
        teams: teams.map((t) => ({
          team_id: t.id,
          name: t.name,
          concurrent: t.concurrent,
          unfunded: t.unfunded,
          overlaps: t.overlaps,
          conflicts: t.conflicts,
        })),
      };
    },
  );
}
