import { type Static, Type } from '@sinclair/typebox';

// The portable development record: what "Download my record" writes and the import at a new employer reads.
// One key per section, so that other features (360 feedback, appraisal) can add theirs in a later version of
// the format without changing these. Evidence is listed with its metadata; file contents never travel.

const date = Type.String({ format: 'date-time' });
const text = (maxLength: number) => Type.String({ maxLength });
const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const CompetencyRef = Type.Object(
  {
    framework: Type.String({ minLength: 1, maxLength: 60, description: 'Framework key' }),
    version: Type.Integer({ minimum: 1, description: 'Framework version number' }),
    code: Type.String({ minLength: 1, maxLength: 20, description: 'Competency code (stable across versions)' }),
    title: text(200),
  },
  { additionalProperties: false },
);

export const RecordEvidence = Type.Object(
  {
    kind: Type.Union([Type.Literal('file'), Type.Literal('link'), Type.Literal('note')]),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    url: nullable(Type.String({ maxLength: 2000, pattern: '^https?://' })),
    note: nullable(text(10_000)),
    file_name: nullable(text(200)),
    content_type: nullable(text(200)),
    size_bytes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    competency: nullable(Type.String({ maxLength: 20, description: 'Code of the competency it supports' })),
    added_at: date,
  },
  { additionalProperties: false },
);

export const RecordAssessment = Type.Object(
  {
    framework: Type.Object(
      {
        key: Type.String({ minLength: 1, maxLength: 60 }),
        title: text(200),
        version: Type.Integer({ minimum: 1 }),
      },
      { additionalProperties: false },
    ),
    management_level: Type.Union(['first_line', 'middle', 'senior', 'executive', 'board'].map((l) => Type.Literal(l))),
    started_at: date,
    submitted_at: date,
    imported_from: nullable(text(300)),
    ratings: Type.Array(
      Type.Object(
        {
          domain: Type.String({ maxLength: 20 }),
          competency: Type.String({ minLength: 1, maxLength: 20 }),
          title: text(200),
          value: Type.Union([Type.Integer(), Type.Null()], {
            description: 'The scale value; null for a level that is no score',
          }),
          label: Type.String({ minLength: 1, maxLength: 200, description: 'The scale level’s label' }),
          comment: text(2000),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
    evidence: Type.Array(RecordEvidence, { maxItems: 500 }),
  },
  { additionalProperties: false },
);

export const RecordPlanItem = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    status: Type.Union([
      Type.Literal('not_started'),
      Type.Literal('in_progress'),
      Type.Literal('done'),
      Type.Literal('dropped'),
    ]),
    due_on: nullable(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    support: text(2000),
    source: Type.Union([
      Type.Literal('assessment'),
      Type.Literal('feedback'),
      Type.Literal('appraisal'),
      Type.Literal('manual'),
    ]),
    source_reference: nullable(text(100)),
    competency: Type.Union([CompetencyRef, Type.Null()]),
    imported_from: nullable(text(300)),
    created_at: date,
    updated_at: date,
  },
  { additionalProperties: false },
);

export const DevelopmentRecord = Type.Object(
  {
    format: Type.Literal('leadwell-development-record'),
    version: Type.Literal(1),
    exported_at: date,
    source: Type.Object(
      {
        organisation: Type.String({ minLength: 1, maxLength: 300, description: 'Where the record was exported' }),
        system: text(100),
      },
      { additionalProperties: false },
    ),
    person: Type.Object(
      {
        given_name: text(200),
        family_name: text(200),
        staff_number: nullable(text(50)),
      },
      { additionalProperties: false },
    ),
    assessments: Type.Array(RecordAssessment, { maxItems: 200 }),
    plan: Type.Array(RecordPlanItem, { maxItems: 1000 }),
  },
  // Sections added by later versions of other features are allowed, and ignored by this importer.
  { additionalProperties: true },
);

export type DevelopmentRecordT = Static<typeof DevelopmentRecord>;
export type RecordAssessmentT = Static<typeof RecordAssessment>;
export type RecordPlanItemT = Static<typeof RecordPlanItem>;
