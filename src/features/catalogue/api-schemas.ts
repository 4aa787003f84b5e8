import { type Static, Type } from '@sinclair/typebox';
import { formats, fundings, levels, scopes } from './catalogue.ts';
import { bandValues, eligibleLevelValues, staffGroups } from './eligibility.ts';

// The catalogue API's schemas (TypeBox, so that they appear in the OpenAPI document).

// A string enum (rather than a union of literals) so that a wrong value is reported with the allowed ones.
const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

const date = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export const searchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Words to search for (web search syntax: "quoted phrase", -exclude, or)',
    }),
  ),
  level: Type.Optional(literals(levels, 'Management level the programme is for')),
  format: Type.Optional(literals(formats)),
  region: Type.Optional(
    Type.String({
      maxLength: 10,
      description: 'ODS code of a region, e.g. Y56: programmes run there, and national ones',
    }),
  ),
  competency: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Id of a framework competency the programme develops' }),
  ),
  cost: Type.Optional(literals(['free', 'funded'] as const, 'free: no cost; funded: fully or part funded')),
  max_cost: Type.Optional(Type.Integer({ minimum: 0, description: 'Cost in pounds, at most' })),
  starts_by: Type.Optional(date('Next cohort starts between today and this date')),
  accredited: Type.Optional(Type.Boolean({ description: 'Only programmes with a current accreditation' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});
export type SearchQuery = Static<typeof searchQuery>;

const accreditation = Type.Object({
  status: literals(['none', 'submitted', 'changes_requested', 'accredited', 'rejected', 'expired'] as const),
  until: Type.Union([date('Accredited until'), Type.Null()]),
});

export const searchItem = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  summary: Type.String({ description: 'The first 280 characters of the summary' }),
  provider: Type.String(),
  level: literals(levels),
  format: literals(formats),
  hours: Type.Integer(),
  duration_weeks: Type.Integer(),
  cost_pounds: Type.Integer(),
  funding: literals(fundings),
  scope: literals(scopes),
  area: Type.Union([Type.String(), Type.Null()], { description: 'The owning region, ICB or organisation' }),
  next_cohort_start: Type.Union([date('Next cohort start'), Type.Null()]),
  accreditation,
  rank: Type.Number({ description: 'Relevance to q (0 without q)' }),
});

export const searchReply = Type.Object({
  items: Type.Array(searchItem),
  total: Type.Integer({ description: 'Programmes matching' }),
  page: Type.Integer(),
  pages: Type.Integer({ description: 'Pages available (at most 50)' }),
});

export const idParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const eligibility = Type.Object(
  {
    management_levels: Type.Array(literals(eligibleLevelValues)),
    bands: Type.Array(literals(bandValues)),
    staff_groups: Type.Array(literals(Object.keys(staffGroups))),
    organisation_codes: Type.Array(Type.String({ maxLength: 20 })),
    region_codes: Type.Array(Type.String({ maxLength: 20 })),
  },
  { description: 'Each list restricts who may join; an empty list places no restriction' },
);

export const programmeReply = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  summary: Type.String(),
  outcomes: Type.Array(Type.String()),
  level: literals(levels),
  format: literals(formats),
  hours: Type.Integer(),
  duration_weeks: Type.Integer(),
  cost_pounds: Type.Integer(),
  funding: literals(fundings),
  funding_note: Type.String(),
  provider: Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String() }),
  competencies: Type.Array(
    Type.Object({ id: Type.Integer(), version_id: Type.Integer(), code: Type.String(), title: Type.String() }),
  ),
  eligibility,
  scope: literals(scopes),
  scope_org_code: Type.Union([Type.String(), Type.Null()]),
  local_version_of: Type.Union([Type.Integer(), Type.Null()]),
  status: literals(['draft', 'published', 'withdrawn'] as const),
  next_cohort_start: Type.Union([date('Next cohort start'), Type.Null()]),
  accreditation,
});

const programmeFields = {
  title: Type.String({ minLength: 3, maxLength: 200 }),
  summary: Type.String({ minLength: 20, maxLength: 2000 }),
  outcomes: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 30 }),
  level: literals(levels),
  competency_ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 100 }),
  format: literals(formats),
  hours: Type.Integer({ minimum: 1, maximum: 2000 }),
  duration_weeks: Type.Integer({ minimum: 1, maximum: 260 }),
  cost_pounds: Type.Integer({ minimum: 0, maximum: 100000 }),
  funding: literals(fundings),
  funding_note: Type.Optional(Type.String({ maxLength: 500 })),
  eligibility: Type.Optional(Type.Partial(eligibility)),
  scope: literals(scopes),
  scope_org_code: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
  local_version_of: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
};

export const createBody = Type.Object(
  { provider_id: Type.Integer({ minimum: 1 }), ...programmeFields },
  { additionalProperties: false },
);
export type CreateBody = Static<typeof createBody>;

export const patchBody = Type.Partial(
  Type.Object({ ...programmeFields, status: literals(['published', 'withdrawn'] as const, 'Publish or withdraw') }),
  { additionalProperties: false },
);
export type PatchBody = Static<typeof patchBody>;

export const registerQuery = Type.Object({
  region: Type.Optional(
    Type.String({ maxLength: 10, description: 'ODS code of a region: its programmes and national ones' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
});
export type RegisterQuery = Static<typeof registerQuery>;

export const registerReply = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      provider: Type.String(),
      level: literals(levels),
      scope: literals(scopes),
      area: Type.Union([Type.String(), Type.Null()]),
      accredited_on: Type.Union([date('Date of the decision'), Type.Null()]),
      accredited_until: date('Expiry of the accreditation'),
    }),
  ),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const errorReply = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'What was wrong with the request' }),
});
