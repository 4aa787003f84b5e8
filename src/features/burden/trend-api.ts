import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { spc } from '../../stats/spc.ts';
import { guard, notFound } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { errorReply } from './api-schemas.ts';
import { placeOf } from './returns.ts';
import type { Level } from './summary-queries.ts';
import { trendOf } from './trend-queries.ts';

const trendQuery = Type.Object({
  area: Type.Optional(
    Type.String({
      maxLength: 12,
      description: 'ODS code of a region, ICB or organisation (needs its detail); omit or "national" for England',
    }),
  ),
});

const point = Type.Object({
  month_end: Type.String({
    format: 'date',
    description: 'The day the figures stand at (the refresh day for the current month)',
  }),
  hours_year: Type.Number(),
  cost_year: Type.Number(),
  uncosted_hours_year: Type.Number(),
  organisations: Type.Integer({ description: 'Organisations with effort in effect on that day' }),
  variation: Type.Union([Type.String(), Type.Null()], {
    description:
      'SPC reading of hours_year (lower is better): common-cause, improvement, concern; null with fewer than 2 points',
  }),
  rules: Type.Array(Type.String(), {
    description: 'Special-cause rules met: outside-limits, shift, trend, two-of-three',
  }),
});

const trendReply = Type.Object({
  area: Type.Object({ level: Type.String(), code: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
  points: Type.Array(point),
  spc: Type.Union(
    [
      Type.Object({
        mean: Type.Number(),
        upper_limit: Type.Number(),
        lower_limit: Type.Number(),
        average_moving_range: Type.Number(),
      }),
      Type.Null(),
    ],
    { description: 'XmR limits of hours_year ("Making Data Count"); null with fewer than 2 points' },
  ),
});

/** GET /api/v1/burden/trend: the burden of an area month by month, with its SPC reading. */
export async function trendApi(app: FastifyInstance, deps: Deps) {
  app.get(
    '/burden/trend',
    {
      schema: {
        tags: ['Reporting burden'],
        summary: 'The burden of an area over time',
        description:
          'Hours and cost a year as they stood at the end of each of the last 24 months (from the effort versions in effect then), for England, a region, an ICB or an organisation, with an XmR (SPC) reading. Computed by the burden refresh.',
        querystring: trendQuery,
        response: { 200: trendReply, 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply },
      },
    },
    async (req) => {
      const code = ((req.query as Static<typeof trendQuery>).area ?? '').trim();
      let level: Level = 'nation';
      let id = 0;
      let name = 'England';
      let odsCode: string | null = null;
      if (code && code.toLowerCase() !== 'national') {
        const org = await findOrganisation(deps.db, code);
        if (!org || org.kind === 'nation') throw notFound(`Area ${code}`);
        level = org.kind === 'region' ? 'region' : org.kind === 'icb' ? 'icb' : 'organisation';
        if (level === 'organisation') guard(req, { action: 'org:view-detail', org: placeOf(org) });
        id = org.id;
        name = org.name;
        odsCode = org.code;
      }
      const points = await trendOf(deps.db, level, id);
      const s =
        points.length >= 2
          ? spc(
              points.map((p) => p.hoursYear),
              { improvement: 'lower' },
            )
          : undefined;
      return {
        area: { level, code: odsCode, name },
        points: points.map((p, i) => ({
          month_end: p.monthEnd,
          hours_year: p.hoursYear,
          cost_year: p.costYear,
          uncosted_hours_year: p.uncostedHoursYear,
          organisations: p.organisations,
          variation: s ? s.points[i]!.variation : null,
          rules: s ? s.points[i]!.rules : [],
        })),
        spc: s
          ? { mean: s.mean, upper_limit: s.upperLimit, lower_limit: s.lowerLimit, average_moving_range: s.amr }
          : null,
      };
    },
  );
}
