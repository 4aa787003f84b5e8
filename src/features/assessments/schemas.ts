import { type Static, Type } from '@sinclair/typebox';

// TypeBox schemas of the self-assessment API (shown in the OpenAPI document).

export const errorReply = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'What was wrong with the request' }),
});

const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const band = Type.Union([Type.Literal('green'), Type.Literal('amber'), Type.Literal('red'), Type.Null()], {
  description: 'Red/amber/green against the required level by the framework version’s rule; null when there is no band',
});

export const AssessmentItem = Type.Object({
  id: Type.Integer(),
  framework: Type.Object({
    key: Type.String(),
    title: Type.String(),
    version: Type.Integer({ description: 'Version number: results of different versions are never compared' }),
    version_id: Type.Integer(),
  }),
  management_level: Type.String({ description: 'first_line, middle, senior, executive or board' }),
  level_source: Type.String({ description: 'suggested (from the band), chosen (by the person) or imported' }),
  status: Type.Union([Type.Literal('in_progress'), Type.Literal('submitted')]),
  started_at: Type.String({ format: 'date-time' }),
  submitted_at: nullable(Type.String({ format: 'date-time' })),
  imported_from: nullable(Type.String({ description: 'The organisation of an imported record' })),
  domains: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Type.String(),
      mean_rating: Type.Union([Type.Number(), Type.Null()]),
      mean_required: Type.Union([Type.Number(), Type.Null()]),
      green: Type.Integer(),
      amber: Type.Integer(),
      red: Type.Integer(),
      no_band: Type.Integer(),
    }),
    { description: 'The profile by domain (submitted assessments only; empty while in progress)' },
  ),
  competencies: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Type.String(),
      domain: Type.String(),
      required: Type.Union([Type.Integer(), Type.Null()]),
      rating: Type.Union([Type.Integer(), Type.Null()]),
      rating_label: Type.String(),
      band,
      gap: Type.Union([Type.Integer(), Type.Null()], { description: 'Scale steps below the required level' }),
    }),
    { description: 'Each competency against the required level (submitted assessments only)' },
  ),
});

export const AssessmentList = Type.Object({ items: Type.Array(AssessmentItem) });
export type AssessmentListT = Static<typeof AssessmentList>;

export const personParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'The person’s id' }) });
