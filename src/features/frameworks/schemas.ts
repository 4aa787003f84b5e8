import { type Static, Type } from '@sinclair/typebox';
import { z } from 'zod';
import { CODE_PATTERN, KEY_PATTERN, VersionDocument } from './document.ts';

// The authoring forms (zod) and the JSON API's schemas (TypeBox, so that they appear in the OpenAPI document).

const required = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `${what[0].toUpperCase()}${what.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer`);

const optional = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .optional()
    .transform((v) => v ?? '');

/** Line breaks as the browser sends them (CRLF) are stored as LF, so that exports do not depend on the client. */
const normalised = <T extends z.ZodType<string>>(s: T) => s.transform((v) => v.replace(/\r\n?/g, '\n'));

const optionalCode = (what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine(
      (v) => v === undefined || new RegExp(CODE_PATTERN).test(v),
      `${what} must be 1 to 20 letters, digits, dots, dashes or underscores, starting with a letter or digit`,
    );

export const frameworkForm = z.object({
  title: required('the framework’s title', 200),
  key: z
    .string({ error: 'Enter a key' })
    .trim()
    .toLowerCase()
    .regex(
      new RegExp(KEY_PATTERN),
      'Key must be 2 to 60 lower-case letters, digits and dashes, starting with a letter or digit',
    ),
  description: normalised(optional('Description', 5000)),
  owner: optional('Owner', 200),
});

export const detailsForm = z.object({
  title: required('the framework’s title', 200),
  description: normalised(optional('Description', 5000)),
  owner: optional('Owner', 200),
  notes: normalised(optional('Notes', 5000)),
  source: normalised(optional('Sources and licence', 5000)),
});

export const domainForm = z.object({
  code: optionalCode('Domain code'),
  title: required('the domain’s title', 200),
  description: normalised(optional('Description', 5000)),
});

export const competencyForm = z.object({
  code: optionalCode('Competency code'),
  title: required('the competency’s title', 200),
  description: normalised(optional('Description', 5000)),
  // When adding: one indicator statement per line.
  indicators: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((l) => l.length <= 30, 'Enter at most 30 indicator statements')
    .refine((l) => l.every((s) => s.length <= 1000), 'Each indicator statement must be 1,000 characters or fewer'),
  domain_id: z
    .string()
    .regex(/^\d{1,9}$/, 'Select a domain')
    .optional()
    .transform((v) => (v ? Number(v) : undefined)),
});

export const indicatorForm = z.object({
  text: normalised(required('the indicator statement', 1000)),
});

const integerOrEmpty = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^-?\d{1,4}$/.test(v), message)
    .transform((v) => (v ? Number(v) : null));

export const levelForm = z.object({
  label: required('the level’s label', 200),
  value: integerOrEmpty('Value must be a whole number, or left empty for a level that is not a score'),
  descriptor: normalised(optional('Descriptor', 2000)),
});

export const scaleRulesForm = z
  .object({
    proficient_value: integerOrEmpty('Select the proficiency threshold'),
    green_within: z.enum(['0', '1', '2'], { error: 'Select how far below the required level is still green' }),
    amber_within: z.enum(['0', '1', '2', '3'], { error: 'Select how far below the required level is still amber' }),
  })
  .transform((v) => ({ ...v, green_within: Number(v.green_within), amber_within: Number(v.amber_within) }))
  .refine((v) => v.amber_within >= v.green_within, {
    message: 'Amber must reach at least as far below the required level as green',
    path: ['amber_within'],
  });

// JSON API

export const listQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page, 1 to 200 (default 50)' }),
  ),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
});
export type ListQuery = Static<typeof listQuery>;

const status = Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')]);

export const frameworkItem = Type.Object({
  key: Type.String({ description: 'Stable key of the framework' }),
  title: Type.String(),
  description: Type.String(),
  owner: Type.String(),
  published_version: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Number of the latest published version; null when none is published',
  }),
  latest_version: Type.Union([Type.Object({ number: Type.Integer(), status }), Type.Null()], {
    description: 'The latest version the caller may see (drafts only for national admins)',
  }),
});

export const listReply = Type.Object({
  items: Type.Array(frameworkItem),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor to get the next page; null on the last page',
  }),
});

export const keyParams = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 60, description: 'Key of the framework' }),
});

export const versionQuery = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'A version number; default: the latest published' })),
});
export type VersionQuery = Static<typeof versionQuery>;

export const exportParams = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 60, description: 'Key of the framework' }),
  n: Type.Integer({ minimum: 1, description: 'Version number' }),
});

export const versionSummary = Type.Object({
  number: Type.Integer(),
  status,
  published_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  retired_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const frameworkReply = Type.Object(
  {
    ...VersionDocument.properties,
    versions: Type.Array(versionSummary, { description: 'Every version the caller may see, newest first' }),
  },
  { description: 'A version in the import and export format, with the list of versions' },
);

export const errorReply = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'What was wrong with the request' }),
});
