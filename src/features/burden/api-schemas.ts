import { type Static, Type } from '@sinclair/typebox';
import { frequencies, requestingBodies, scopes } from './register.ts';

// The burden API's schemas (TypeBox), so that they appear in the OpenAPI document.

const nullable = <T extends ReturnType<typeof Type.String>>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description });
const enumOf = (values: readonly string[], description: string) =>
  Type.Unsafe<string>({ type: 'string', enum: [...values], description });

export const listQuery = Type.Object({
  scope: Type.Optional(enumOf(scopes, 'national, regional, icb or local')),
  body: Type.Optional(enumOf(requestingBodies, 'The requesting body')),
  mandatory: Type.Optional(Type.Boolean({ description: 'Only mandatory (true) or voluntary (false) returns' })),
  has_approval_ref: Type.Optional(
    Type.Boolean({ description: 'Only returns with (true) or without (false) an approval reference' }),
  ),
  past_sunset: Type.Optional(
    Type.Boolean({ description: 'Only returns past (true) or not past (false) their sunset date' }),
  ),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the name, any case' })),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page, 1 to 200' }),
  ),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
});
export type ListQuery = Static<typeof listQuery>;

const flags = Type.Object({
  past_sunset: Type.Boolean(),
  no_approval_ref: Type.Boolean(),
  duplicates_national: Type.Array(Type.Integer(), {
    description: 'Ids of national returns that already ask for every data item of this (non-national) return',
  }),
});

export const returnItem = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  requesting_body: enumOf(requestingBodies, 'The body that requests the return'),
  legal_basis: Type.String(),
  mandatory: Type.Boolean(),
  approval_ref: nullable(Type.String(), 'Information standard notice or DAPB reference; null when none'),
  frequency: enumOf(frequencies, 'How often it is due'),
  cycles_per_year: Type.Number({
    description: 'Submissions a year used for the burden (ad hoc: the register’s estimate)',
  }),
  deadline_rule: Type.String(),
  submission_route: Type.String(),
  start_date: Type.String({ format: 'date' }),
  sunset_date: nullable(Type.String({ format: 'date' }), 'Last date the return is required; null: no end set'),
  scope: enumOf(scopes, 'national, regional, icb or local'),
  scope_org_code: nullable(Type.String(), 'ODS code of the region, ICB or organisation a non-national return covers'),
  owner_org_code: nullable(Type.String(), 'ODS code of the organisation that owns the request'),
  flags,
});

export const listReply = Type.Object({
  items: Type.Array(returnItem),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor to get the next page; null on the last page',
  }),
});

export const idParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,9}$', description: 'Return id' }) });

const figures = Type.Object({
  hours_year: Type.Number({ description: 'Hours a year: hours per cycle × cycles a year, summed' }),
  cost_year: Type.Number({ description: 'Pounds a year for the hours of bands with a pay scale (with on-costs)' }),
  uncosted_hours_year: Type.Number({ description: 'Hours a year of bands without a pay scale on the date' }),
  organisations: Type.Integer({ description: 'Organisations that recorded effort' }),
  managers: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Managers (organisation_stats) in the organisations that recorded effort counted here',
  }),
  hours_per_manager: Type.Union([Type.Number(), Type.Null()], { description: 'hours_year ÷ managers' }),
});

export const detailReply = Type.Object({
  ...returnItem.properties,
  applies_to: Type.String({ description: 'Who the return applies to, in words' }),
  data_items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      definition: nullable(Type.String(), 'Definition; null when not yet recorded'),
      unit: nullable(Type.String(), 'Unit; null when not yet recorded'),
    }),
  ),
  national: Type.Union([figures, Type.Null()], {
    description: 'The measured burden across England; null until an organisation records effort',
  }),
});

export const summaryQuery = Type.Object({
  level: enumOf(['national', 'region', 'icb', 'organisation'], 'The level of the summary'),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 12, description: 'ODS code (not for national)' })),
});
export type SummaryQuery = Static<typeof summaryQuery>;

export const summaryReply = Type.Object({
  level: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  refreshed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the summary was computed; null before any effort was recorded',
  }),
  total: Type.Union([figures, Type.Null()]),
  by_body: Type.Array(Type.Object({ body: Type.String(), ...figures.properties })),
  by_return: Type.Array(Type.Object({ return_id: Type.Integer(), name: Type.String(), ...figures.properties }), {
    description: 'Largest burden first',
  }),
});

export const errorReply = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'What was wrong with the request' }),
});
