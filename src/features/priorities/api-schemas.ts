import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { buckets, scopes, sources, statuses } from './priorities.ts';

// The priorities API's schemas (TypeBox), so that they appear in the OpenAPI document.

const enumOf = (values: readonly string[], description: string) =>
  Type.Unsafe<string>({ type: 'string', enum: [...values], description });
const nullable = <T extends TSchema>(t: T, description: string) => Type.Union([t, Type.Null()], { description });

export const errorReply = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'What was wrong with the request' }),
});

export const listQuery = Type.Object({
  status: Type.Optional(enumOf(statuses, 'active, met or dropped')),
  source: Type.Optional(enumOf(sources, 'Who set the priority')),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page, 1 to 200' }),
  ),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
});
export type ListQuery = Static<typeof listQuery>;

const target = Type.Object({
  organisation_code: Type.String(),
  team_id: nullable(Type.Integer(), 'The team; null: the whole organisation'),
  team_name: nullable(Type.String(), 'The team’s name; null: the whole organisation'),
});

export const priorityItem = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  source: enumOf(sources, 'Who set the priority'),
  set_on: Type.String({ format: 'date' }),
  measure: Type.String({ description: 'How success is judged' }),
  target_date: nullable(Type.String({ format: 'date' }), 'null: none set'),
  funded: Type.Boolean(),
  funding_amount: nullable(Type.Number(), 'Pounds; null when unfunded or not known'),
  owner: Type.String({ description: 'A person or a role' }),
  scope: enumOf(scopes, 'Where it was placed: national (cascades to every organisation), region, icb or organisation'),
  area_code: nullable(Type.String(), 'ODS code of the region, ICB or organisation; null for national'),
  targets: Type.Array(target, { description: 'Empty: the whole area. Otherwise only these organisations or teams.' }),
  status: enumOf(statuses, 'active, met or dropped'),
  ended_on: nullable(Type.String({ format: 'date' }), 'When it was met or dropped'),
});

export const listReply = Type.Object({
  items: Type.Array(priorityItem),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor for the next page; null on the last',
  }),
});

export const createBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    source: enumOf(sources, 'Who set the priority'),
    set_on: Type.String({ format: 'date', description: 'YYYY-MM-DD' }),
    measure: Type.String({ minLength: 1, maxLength: 1000, description: 'How success is judged' }),
    target_date: Type.Optional(Type.String({ format: 'date' })),
    funded: Type.Boolean(),
    funding_amount: Type.Optional(
      Type.Number({ minimum: 0, description: 'Pounds, when known (funded priorities only)' }),
    ),
    owner: Type.String({ minLength: 1, maxLength: 200, description: 'A person or a role' }),
    scope: enumOf(scopes, 'national, region, icb or organisation'),
    area_code: Type.Optional(Type.String({ maxLength: 12, description: 'ODS code of the area (not for national)' })),
    organisation_codes: Type.Optional(
      Type.Array(Type.String({ maxLength: 12 }), {
        maxItems: 500,
        description: 'For region or icb: only these organisations',
      }),
    ),
    team_ids: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 2000, description: 'For organisation: only these teams' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateBody = Static<typeof createBody>;

const orNull = <T extends TSchema>(t: T, description: string) => Type.Union([Type.Null(), t], { description });

export const placeFields = ['scope', 'area_code', 'organisation_codes', 'team_ids'] as const;

export const patchBody = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  source: Type.Optional(enumOf(sources, 'Who set the priority')),
  set_on: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD' })),
  measure: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'How success is judged' })),
  target_date: Type.Optional(orNull(Type.String({ format: 'date' }), 'YYYY-MM-DD; null removes it')),
  funded: Type.Optional(Type.Boolean()),
  funding_amount: Type.Optional(
    orNull(
      Type.Number({ minimum: 0 }),
      'Pounds (funded priorities only); null removes it, as it must be when unfunded',
    ),
  ),
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A person or a role' })),
  status: Type.Optional(
    enumOf(statuses, 'active, met or dropped: met or dropped records today as the day it ended, active clears it'),
  ),
});
/** The fields an edit may change (the PATCH body's), as the edit page allows; where a priority is placed cannot change. */
export const editableFields: readonly string[] = Object.keys(patchBody.properties);
export type PatchBody = Static<typeof patchBody>;

export const idParams = Type.Object({ id: Type.String({ description: 'The priority’s id' }) });

export const thicketQuery = Type.Object({
  area: Type.String({
    minLength: 1,
    maxLength: 12,
    description: '"england", or the ODS code of a region, an ICB, or an organisation (needs the right to its detail)',
  }),
});

const figures = Type.Object({
  organisations: Type.Integer(),
  teams: Type.Integer({ description: 'Open teams counted' }),
  active_priorities: Type.Integer({ description: 'Distinct active priorities applying somewhere in the area' }),
  mean_per_team: nullable(Type.Number(), 'Mean concurrent priorities per team'),
  median_per_team: nullable(Type.Number(), 'Median concurrent priorities per team'),
  p90_per_team: nullable(Type.Number(), '90th centile'),
  max_per_team: nullable(Type.Integer(), 'Most on one team'),
  unfunded_share: nullable(Type.Number(), 'Unfunded team-priorities ÷ all team-priorities, as a percentage'),
  overlaps: Type.Integer({ description: 'Pairs marked overlapping (both still active)' }),
  conflicts: Type.Integer({ description: 'Pairs marked conflicting (both still active)' }),
  distribution: Type.Array(
    Type.Object({
      bucket: enumOf(
        buckets.map((b) => b.label),
        'Concurrent priorities',
      ),
      teams: Type.Integer(),
    }),
  ),
});

export const thicketReply = Type.Object({
  level: enumOf(['nation', 'region', 'icb', 'organisation'], 'The level of the area'),
  code: nullable(Type.String(), 'ODS code; null for England'),
  name: Type.String(),
  refreshed_at: nullable(Type.String({ format: 'date-time' }), 'When the figures were computed'),
  pending_since: nullable(
    Type.String({ format: 'date-time' }),
    'When the oldest change to the register not yet counted in the figures was made (they update within minutes); null when none waits',
  ),
  figures: Type.Union([figures, Type.Null()]),
  trend: Type.Array(
    Type.Object({ on: Type.String({ format: 'date' }), mean_per_team: Type.Number(), teams: Type.Integer() }),
  ),
  areas: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), figures }), {
    description: 'The areas one level down (aggregates only); empty for an organisation',
  }),
  teams: Type.Array(
    Type.Object({
      team_id: Type.Integer(),
      name: Type.String(),
      concurrent: Type.Integer(),
      unfunded: Type.Integer(),
      overlaps: Type.Integer(),
      conflicts: Type.Integer(),
    }),
    { description: 'Organisations only: the 100 teams with the most concurrent priorities' },
  ),
});
