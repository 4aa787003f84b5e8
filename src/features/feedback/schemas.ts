import { type Static, Type } from '@sinclair/typebox';
import { z } from 'zod';

// The 360 forms (zod) and the API's schemas (TypeBox, so that they appear in the OpenAPI document).

const minimum = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || '3')
    .refine(
      (v) => /^\d{1,2}$/.test(v) && Number(v) >= 3 && Number(v) <= 20,
      `${label} must be a whole number from 3 to 20`,
    )
    .transform(Number);

export const roundForm = z.object({
  version_id: z
    .string({ error: 'Select a framework' })
    .regex(/^\d{1,9}$/, 'Select a framework')
    .transform(Number),
  domains: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((l) => l.every((s) => /^\d{1,9}$/.test(s)), 'Select domains from the list')
    .transform((l) => l.map(Number)),
  closes_on: z
    .string({ error: 'Enter the closing date' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the closing date as a date, for example 2027-01-31')
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'Enter a real closing date'),
  min_peer: minimum('Minimum peers'),
  min_direct_report: minimum('Minimum direct reports'),
  min_other: minimum('Minimum others'),
  facilitator: z
    .string()
    .trim()
    .max(320)
    .optional()
    .transform((v) => v || undefined)
    .refine(
      (v) => v === undefined || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
      'Enter the facilitator’s email address, like name@nhs.net',
    ),
});

const groupEnum = z.enum(['line_manager', 'peer', 'direct_report', 'other'], { error: 'Select the rater’s group' });

export const personRaterForm = z.object({
  person_id: z
    .string()
    .regex(/^\d{1,12}$/, 'Select a person')
    .transform(Number),
  group: groupEnum,
});

export const emailRaterForm = z.object({
  name: z
    .string({ error: 'Enter the rater’s name' })
    .trim()
    .min(1, 'Enter the rater’s name')
    .max(200, 'Name must be 200 characters or fewer'),
  email: z
    .string({ error: 'Enter the rater’s email address' })
    .trim()
    .toLowerCase()
    .max(320, 'Email address must be 320 characters or fewer')
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'Enter an email address in the correct format, like name@example.com'),
  group: z.enum(['peer', 'direct_report', 'other'], { error: 'Select the rater’s group' }),
});

const comment = (label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').replace(/\r\n?/g, '\n').trim())
    .refine((v) => v.length <= 4000, `${label} must be 4,000 characters or fewer`);

export const responseComments = z.object({
  strengths: comment('Strengths'),
  development: comment('Development'),
  action: z.enum(['save', 'submit']).catch('save'),
});

// JSON API

const figure = Type.Union([Type.Object({ mean: Type.Number(), n: Type.Integer() }), Type.Null()], {
  description: 'Mean score and number of scores; null when hidden by the anonymity rule or when nobody scored it',
});

const groupFigures = Type.Object({
  self: Type.Optional(figure),
  line_manager: Type.Optional(figure),
  peer: Type.Optional(figure),
  direct_report: Type.Optional(figure),
  other: Type.Optional(figure),
});

const line = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  title: Type.String(),
  self: figure,
  others: Type.Union([Type.Object({ mean: Type.Number(), n: Type.Integer() }), Type.Null()], {
    description: 'All raters except the person, pooled only from groups the anonymity rule shows',
  }),
  by_group: groupFigures,
  gap: Type.Union([Type.Number(), Type.Null()], { description: 'others − self, when both are shown' }),
});

const status = Type.Union([Type.Literal('open'), Type.Literal('closed')]);

export const roundSummary = Type.Object({
  id: Type.Integer(),
  person_id: Type.Integer(),
  role: Type.Union([Type.Literal('subject'), Type.Literal('facilitator')]),
  framework_version_id: Type.Integer(),
  closes_on: Type.String({ format: 'date' }),
  status,
  released: Type.Boolean(),
  shared: Type.Boolean(),
  report_available: Type.Boolean(),
  progress: Type.Array(
    Type.Object({
      group: Type.String(),
      nominated: Type.Integer(),
      submitted: Type.Integer(),
    }),
    { description: 'Counts per rater group; never who has answered' },
  ),
});

export const meReply = Type.Object({
  rounds: Type.Array(roundSummary),
  requests: Type.Array(
    Type.Object({
      round_id: Type.Integer(),
      subject: Type.String(),
      group: Type.String(),
      closes_on: Type.String({ format: 'date' }),
      status,
      submitted: Type.Boolean(),
    }),
    { description: 'Rounds in which the caller is asked to give feedback (signed-in raters)' },
  ),
});

export const reportParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'The 360 round' }) });
export type ReportParams = Static<typeof reportParams>;

export const reportReply = Type.Object({
  round: Type.Object({
    id: Type.Integer(),
    person_id: Type.Integer(),
    framework_version_id: Type.Integer(),
    closes_on: Type.String({ format: 'date' }),
    released_at: Type.String({ format: 'date-time' }),
  }),
  scale: Type.Object({ min: Type.Number(), max: Type.Number() }),
  groups: Type.Array(
    Type.Object({
      group: Type.String(),
      label: Type.String(),
      anonymous: Type.Boolean(),
      disclosed: Type.Boolean({ description: 'Whether the group has enough responses to be shown' }),
      responses: Type.Union([Type.Integer(), Type.Null()], {
        description: 'Submitted responses; null when the group is hidden (fewer than minimum)',
      }),
      minimum: Type.Integer(),
    }),
  ),
  domains: Type.Array(Type.Object({ ...line.properties, competencies: Type.Array(line) })),
  strengths: Type.Array(Type.Integer(), { description: 'Competency ids rated highest by others' }),
  lowest: Type.Array(Type.Integer(), { description: 'Competency ids rated lowest by others' }),
  blind_spots: Type.Array(Type.Integer(), { description: 'Self at least one point above others' }),
  hidden_strengths: Type.Array(Type.Integer(), { description: 'Others at least one point above self' }),
  comments: Type.Object({
    strengths: Type.Array(Type.String()),
    development: Type.Array(Type.String()),
    line_manager_strengths: Type.Array(Type.String()),
    line_manager_development: Type.Array(Type.String()),
  }),
});

export const errorReply = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'What was wrong with the request' }),
});
