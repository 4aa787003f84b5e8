import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { guard, HttpError, notFound, schemaError } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { areaOf, pulseResults, resultsJson } from './present.ts';
import { answerSchema, categories, categoryLabels, MAX_CATEGORY_HOURS, roundName } from './pulse.ts';
import { seatAndRound, submitAnswer } from './submit.ts';

const tags = ['Time-use pulse'];
const errorReply = Type.Object({ error: Type.String(), message: Type.String() });
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };

const answerBody = Type.Object(
  Object.fromEntries(
    categories.map((c) => [
      c,
      Type.Number({
        minimum: 0,
        maximum: MAX_CATEGORY_HOURS,
        description: `Hours last week on ${categoryLabels[c].toLowerCase()}`,
      }),
    ]),
  ),
  { additionalProperties: false },
);

const answerReply = Type.Object({
  round: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    opens_on: Type.String({ format: 'date' }),
    closes_on: Type.String({ format: 'date', description: 'The answer can be changed until this day' }),
  }),
  created: Type.Boolean({ description: 'true for a first answer in the round, false when it replaced an earlier one' }),
  hours: answerBody,
});

const aggregate = {
  responses: Type.Union([Type.Integer(), Type.Null()], { description: 'Managers who answered; null when suppressed' }),
  suppressed: Type.Boolean({
    description: 'true when fewer than the disclosure minimum answered, or hidden to protect another figure',
  }),
  mean_hours: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()], {
    description: 'Mean hours last week per category',
  }),
  mean_total_hours: Type.Union([Type.Number(), Type.Null()]),
  upward_share: Type.Union([Type.Number(), Type.Null()], { description: 'Σ upward reporting hours ÷ Σ all hours' }),
};

const resultsQuery = Type.Object({
  area: Type.Optional(
    Type.String({
      maxLength: 12,
      description: 'ODS code of a region, ICB or organisation; omit or "national" for England',
    }),
  ),
});

const resultsReply = Type.Object({
  area: Type.Object({ level: Type.String(), code: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
  disclosure_minimum: Type.Integer(),
  latest_period: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'The month the latest closed round opened',
  }),
  total: Type.Union([Type.Object(aggregate), Type.Null()]),
  areas: Type.Array(
    Type.Object({ code: Type.Union([Type.String(), Type.Null()]), name: Type.String(), ...aggregate }),
    {
      description: 'The areas one level down, in the latest period, with secondary suppression',
    },
  ),
  trend: Type.Array(Type.Object({ period: Type.String({ format: 'date' }), ...aggregate })),
});

/** The pulse API: one's own answer for the open round, and aggregates under disclosure control. */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  app.setSchemaErrorFormatter(schemaError);
  app.addHook('preValidation', async (req) => {
    guard(req, { action: 'signed-in' });
  });

  app.post(
    '/pulse/responses',
    {
      schema: {
        tags,
        summary: 'Answer the time-use pulse (your own answer, open round)',
        description:
          'Hours last week per category for the open round of your organisation. Only managers (people who line-manage someone, or hold a management post) may answer. A second call in the same round replaces the first. Answers are never returned to anyone else.',
        body: answerBody,
        response: { 200: answerReply, 201: answerReply, ...errors },
      },
    },
    async (req, reply) => {
      const viewer = guard(req, { action: 'pulse:respond' });
      const target = await seatAndRound(deps, viewer);
      if (!target)
        throw new HttpError(
          403,
          'Only managers answer the pulse: your staff record shows no one you line-manage and no management post',
        );
      const body = req.body as Static<typeof answerBody>;
      const parsed = answerSchema.safeParse(Object.fromEntries(categories.map((c) => [c, String(body[c] ?? '')])));
      if (!parsed.success) throw new HttpError(400, parsed.error.issues[0]!.message);
      const r = await submitAnswer(deps, { viewer, ip: req.ip }, target, parsed.data);
      reply.code(r.created ? 201 : 200);
      return {
        round: {
          id: target.round.id,
          name: roundName(target.round),
          opens_on: target.round.opensOn,
          closes_on: target.round.closesOn,
        },
        created: r.created,
        hours: parsed.data,
      };
    },
  );

  app.get(
    '/pulse/results',
    {
      schema: {
        tags,
        summary: 'Pulse results of an area (aggregates only)',
        description:
          'Mean hours last week per category and the share on upward reporting, for England, a region, an ICB or an organisation, from closed rounds, under disclosure control (groups below the minimum are suppressed, with secondary suppression across the areas listed).',
        querystring: resultsQuery,
        response: { 200: resultsReply, ...errors },
      },
    },
    async (req) => {
      guard(req, { action: 'pulse:results' });
      const code = ((req.query as Static<typeof resultsQuery>).area ?? '').trim();
      const national = code === '' || code.toLowerCase() === 'national';
      const org = national ? undefined : await findOrganisation(deps.db, code);
      if (!national && (!org || org.kind === 'nation')) throw notFound(`Area ${code}`);
      return resultsJson(await pulseResults(deps, areaOf(org)));
    },
  );
}
