import { type Static, Type } from '@sinclair/typebox';
import { z } from 'zod';
import type { OrgKind } from '../../db/schema.ts';
import { teamKinds } from './organisations.ts';

// The team form (zod) and the JSON API's schemas (TypeBox, so that they appear in the OpenAPI document).

export const teamForm = z.object({
  name: z
    .string({ error: 'Enter the team’s name' })
    .trim()
    .min(1, 'Enter the team’s name')
    .max(200, 'Team name must be 200 characters or fewer'),
  kind: z.enum(teamKinds, { error: 'Select what kind of unit this is' }),
  // Optional fields arrive as '' when left empty.
  parent_team_id: z
    .string()
    .trim()
    .regex(/^\d{0,9}$/, 'Select a parent team from the list')
    .optional()
    .transform((v) => (v ? Number(v) : undefined)),
  code: z
    .string()
    .trim()
    .max(30, 'Team code must be 30 characters or fewer')
    .regex(/^([A-Za-z0-9][A-Za-z0-9._-]*)?$/, 'Team code must use only letters, numbers, dots, dashes and underscores')
    .optional()
    .transform((v) => v || undefined),
});

export type TeamForm = z.infer<typeof teamForm>;

const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const nullableDate = (description: string) =>
  Type.Union([Type.String({ format: 'date' }), Type.Null()], { description });

export const orgKinds: OrgKind[] = ['nation', 'region', 'icb', 'sub_icb', 'trust', 'provider', 'other'];
// An enum rather than a union of literals: the validation error can then list the allowed values.
const kind = Type.Unsafe<OrgKind>({
  type: 'string',
  enum: orgKinds,
  description: 'Kind of organisation: region (NHS England region), icb, sub_icb (sub-ICB location), trust, …',
});

export const organisationItem = Type.Object({
  code: Type.String({ description: 'ODS code, e.g. R0A' }),
  name: Type.String(),
  kind,
  parent_code: nullableString('ODS code of the parent organisation (an ICB for trusts, a region for ICBs)'),
  icb_code: nullableString('ODS code of the ICB the organisation sits in (an ICB’s own code for an ICB)'),
  region_code: nullableString('ODS code of the NHS England region (a region’s own code for a region)'),
  opened_on: nullableDate('Date the organisation opened'),
  closed_on: nullableDate('Date the organisation closed; null while open'),
  postcode: nullableString('Postcode of the main address'),
});

export const listQuery = Type.Object({
  kind: Type.Optional(kind),
  parent: Type.Optional(
    Type.String({ minLength: 1, maxLength: 12, description: 'Only the direct children of this ODS code' }),
  ),
  q: Type.Optional(
    Type.String({ maxLength: 100, description: 'Part of the name (case-insensitive) or the start of the ODS code' }),
  ),
  include_closed: Type.Optional(Type.Boolean({ default: false, description: 'Include closed organisations' })),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page, 1 to 200 (default 50)' }),
  ),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
});
export type ListQuery = Static<typeof listQuery>;

export const listReply = Type.Object({
  items: Type.Array(organisationItem),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor to get the next page; null on the last page',
  }),
});

export const codeParams = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 12, description: 'ODS code of the organisation' }),
});

export const detailReply = Type.Object({
  ...organisationItem.properties,
  ons_code: nullableString('ONS code (ICBs)'),
  address: nullableString('Address lines, comma separated'),
  phone: nullableString('Telephone number'),
  parent_history: Type.Array(
    Type.Object({
      parent_code: nullableString('ODS code of the parent in this period (null: no parent)'),
      valid_from: Type.String({ format: 'date-time' }),
      valid_to: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
        description: 'End of the period; null for the current parent',
      }),
    }),
    { description: 'Every parent the organisation has had, oldest first' },
  ),
  children: Type.Array(Type.String(), { description: 'ODS codes of the direct children' }),
});

export const teamsReply = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      parent_team_id: Type.Union([Type.Integer(), Type.Null()]),
      depth: Type.Integer({ description: 'Depth in the tree, 0 for a top-level unit' }),
      code: nullableString('The organisation’s own code for the unit'),
      name: Type.String(),
      kind: Type.Union(teamKinds.map((k) => Type.Literal(k))),
      closed_on: nullableDate('Date the unit closed; null while open'),
    }),
    { description: 'The organisation’s directorates, divisions, departments and teams, in tree order' },
  ),
});

export const errorReply = Type.Object({
  error: Type.String(),
  message: Type.String({ description: 'What was wrong with the request' }),
});
