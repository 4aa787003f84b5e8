import { type Static, Type } from '@sinclair/typebox';
import { z } from 'zod';
import type { Band } from '../../db/schema.ts';
import { bands, staffGroupCodes } from './people.ts';

// The people search form and the staff upload form (zod), and the JSON API's schemas (TypeBox, for OpenAPI).

// Select boxes and text boxes left empty arrive as ''.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

export const searchForm = z.object({
  q: optional(z.string().trim().max(100, 'Search text must be 100 characters or fewer')),
  org: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{2,10}$/, 'Enter an organisation’s ODS code, like RJ1'),
  ),
  staff_group: optional(
    z.enum(staffGroupCodes as [string, ...string[]], { error: 'Select a staff group from the list' }),
  ),
  band: optional(z.enum(bands as [Band, ...Band[]], { error: 'Select a band from the list' })),
  managers: optional(z.literal('yes')),
  leavers: optional(z.literal('yes')),
  after: optional(z.string().max(500)),
});

/** The options of the upload form; the file itself is read as a stream, not through this schema. */
export const uploadForm = z.object({
  mapping: optional(z.string().max(5000, 'The column mapping must be 5,000 characters or fewer')),
  complete: optional(z.literal('yes')),
  dry_run: optional(z.literal('yes')),
});

// JSON API

// Enums rather than unions of literals: a validation error can then list the allowed values.
const staffGroup = Type.Unsafe<string>({
  type: 'string',
  enum: staffGroupCodes,
  description: 'NHS Data Dictionary staff group code, 01 (Medical and Dental) to 10 (Supplementary Roles)',
});
const band = Type.Unsafe<Band>({
  type: 'string',
  enum: bands,
  description: 'Agenda for Change band, VSM, Medical or Other',
});
const nullable = <T extends ReturnType<typeof Type.String>>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description });

export const errorReply = Type.Object({ error: Type.String(), message: Type.String() });

export const listQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description:
        'The start of a family name ("pat"), or of a given and a family name ("pri pat"); a staff number; or an email address',
    }),
  ),
  org: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{2,10}$', description: 'ODS code of an organisation' })),
  staff_group: Type.Optional(staffGroup),
  band: Type.Optional(band),
  managers: Type.Optional(Type.Boolean({ default: false, description: 'Only people with a manager assignment' })),
  include_leavers: Type.Optional(
    Type.Boolean({ default: false, description: 'Include people whose assignments have all ended' }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, default: 25, description: 'Items per page, 1 to 100' }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 500, description: 'The next_cursor of the previous page' })),
});
export type ListQuery = Static<typeof listQuery>;

const organisationRef = Type.Object({ code: Type.String(), name: Type.String() });

export const personListItem = Type.Object({
  id: Type.Integer(),
  given_name: Type.String(),
  family_name: Type.String(),
  position_title: Type.String({ description: 'Of the assignment that matched (an open one first)' }),
  organisation: organisationRef,
  band: Type.Union([band, Type.Null()]),
  staff_group: Type.Union([staffGroup, Type.Null()]),
  current: Type.Boolean({ description: 'False when the matched assignment has ended (a leaver)' }),
});

export const listReply = Type.Object({
  items: Type.Array(personListItem),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor to get the next page; null on the last page',
  }),
});

// The upper bound keeps an id the database cannot hold (bigint) from reaching it as a 500.
export const idParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Person id' }),
});

const date = (description: string) => nullable(Type.String({ format: 'date' }), description);

const personRef = Type.Object({ id: Type.Integer(), given_name: Type.String(), family_name: Type.String() });

export const assignmentItem = Type.Object({
  assignment_number: Type.String(),
  position_title: Type.String(),
  organisation: organisationRef,
  team: nullable(Type.String(), 'Team or department'),
  band: Type.Union([band, Type.Null()]),
  staff_group: Type.Union([staffGroup, Type.Null()]),
  occupation_code: nullable(Type.String(), 'ESR occupation code'),
  wte: Type.Union([Type.Number(), Type.Null()], { description: 'Contracted whole-time equivalent' }),
  is_manager: Type.Boolean(),
  line_manager: Type.Union([personRef, Type.Null()]),
  start_date: Type.String({ format: 'date' }),
  end_date: date('Null while the assignment is open'),
});

export const personReply = Type.Object({
  id: Type.Integer(),
  staff_number: nullable(Type.String(), 'ESR employee number'),
  given_name: Type.String(),
  family_name: Type.String(),
  email: nullable(Type.String(), 'Work email address'),
  assignments: Type.Array(assignmentItem),
  direct_reports: Type.Array(
    Type.Object({
      id: Type.Integer(),
      given_name: Type.String(),
      family_name: Type.String(),
      position_title: Type.String(),
    }),
    { description: 'Current direct reports the caller may see' },
  ),
  equality: Type.Optional(
    Type.Object(
      {
        ethnicity: Type.Union([Type.String(), Type.Null()]),
        disability: Type.Union([Type.String(), Type.Null()]),
        sex: Type.Union([Type.String(), Type.Null()]),
        age_band: Type.Union([Type.String(), Type.Null()]),
      },
      {
        description:
          'Equality fields (ESR categories). Present only for the person themselves and admins of an organisation where they hold an assignment.',
      },
    ),
  ),
});
