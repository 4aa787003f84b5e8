import { type Static, Type } from '@sinclair/typebox';

// The portable development record: what "Download my record" writes and the import at a new employer reads.
// One key per section. Version 1 held self-assessments and the plan; version 2 adds the 360 summaries the person
// received, their signed appraisals and their learning. The importer reads both. Evidence is listed with its
// metadata; file contents never travel. The 360 section holds only figures the anonymity rule let through.

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

const day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** Where an item of a foreign section came from, when it was imported into the exporting organisation. */
const Imported = Type.Union(
  [
    Type.Object(
      { organisation: Type.String({ minLength: 1, maxLength: 300 }), exported_at: date },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'Null for an item of the exporting organisation; otherwise where it was imported from' },
);

const Figure = Type.Object(
  { mean: Type.Number(), n: Type.Integer({ minimum: 1, description: 'Number of scores pooled' }) },
  { additionalProperties: false },
);
const FeedbackGroup = Type.Union(
  ['self', 'line_manager', 'peer', 'direct_report', 'other'].map((g) => Type.Literal(g)),
);
const FeedbackLine = {
  code: Type.String({ minLength: 1, maxLength: 20 }),
  title: text(200),
  self: Type.Union([Figure, Type.Null()]),
  others: Type.Union([Figure, Type.Null()], { description: 'All shown rater groups except self, pooled' }),
  by_group: Type.Array(Type.Object({ group: FeedbackGroup, figure: Figure }, { additionalProperties: false }), {
    maxItems: 5,
    description: 'Figures of the shown groups only',
  }),
};

export const RecordFeedback = Type.Object(
  {
    framework: Type.Object(
      { key: Type.String({ minLength: 1, maxLength: 60 }), title: text(200), version: Type.Integer({ minimum: 1 }) },
      { additionalProperties: false },
    ),
    closed_on: day,
    released_at: date,
    scale: Type.Object({ min: Type.Number(), max: Type.Number() }, { additionalProperties: false }),
    groups: Type.Array(
      Type.Object(
        {
          group: FeedbackGroup,
          label: text(100),
          anonymous: Type.Boolean(),
          responses: Type.Integer({ minimum: 1 }),
          minimum: Type.Integer({ minimum: 1 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 5, description: 'The rater groups shown in the report: groups below their minimum are left out' },
    ),
    domains: Type.Array(
      Type.Object(
        {
          ...FeedbackLine,
          competencies: Type.Array(Type.Object(FeedbackLine, { additionalProperties: false }), { maxItems: 200 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    strengths: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20, description: 'Competency codes' }),
    development_areas: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 }),
    blind_spots: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 200 }),
    hidden_strengths: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 200 }),
    imported: Imported,
  },
  { additionalProperties: false },
);

export const RecordAppraisal = Type.Object(
  {
    organisation: Type.String({ minLength: 1, maxLength: 300 }),
    cycle: Type.Object(
      { name: Type.String({ minLength: 1, maxLength: 200 }), starts_on: day, ends_on: day },
      { additionalProperties: false },
    ),
    template: Type.Object(
      { key: Type.String({ minLength: 1, maxLength: 60 }), version: Type.Integer({ minimum: 1 }) },
      { additionalProperties: false },
    ),
    appraiser: nullable(text(300)),
    meeting_on: nullable(day),
    overall_rating: nullable(text(100)),
    objectives: Type.Array(
      Type.Object(
        {
          title: text(300),
          specific: text(2000),
          measurable: text(2000),
          achievable: text(2000),
          relevant: text(2000),
          time_bound: text(2000),
          edi: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    behaviours: Type.Array(
      Type.Object(
        {
          domain: Type.String({ maxLength: 20 }),
          title: text(200),
          value: Type.Union([Type.Integer(), Type.Null()]),
          label: text(200),
          comment: text(4000),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    plan: Type.Array(text(1000), { maxItems: 50 }),
    appraisee_signed_at: Type.Union([date, Type.Null()]),
    appraiser_signed_at: Type.Union([date, Type.Null()]),
    locked_at: Type.Union([date, Type.Null()]),
    addenda: Type.Array(
      Type.Object(
        {
          body: text(10_000),
          added_at: date,
          appraisee_signed_at: Type.Union([date, Type.Null()]),
          appraiser_signed_at: Type.Union([date, Type.Null()]),
          locked_at: Type.Union([date, Type.Null()]),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    imported: Imported,
  },
  { additionalProperties: false },
);

export const RecordLearning = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    provider: nullable(text(200)),
    completed_on: day,
    outcome: Type.Union(['completed', 'passed', 'failed', 'attended'].map((o) => Type.Literal(o))),
    hours: Type.Union([Type.Number({ minimum: 0, maximum: 10_000 }), Type.Null()]),
    mandatory: Type.Boolean(),
    source: text(40),
    imported: Imported,
  },
  { additionalProperties: false },
);

const head = {
  format: Type.Literal('leadwell-development-record'),
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
};

/** Version 1 (self-assessments and plan only): still imported. */
export const DevelopmentRecordV1 = Type.Object(
  {
    ...head,
    version: Type.Literal(1),
    assessments: Type.Array(RecordAssessment, { maxItems: 200 }),
    plan: Type.Array(RecordPlanItem, { maxItems: 1000 }),
  },
  { additionalProperties: true },
);

export const RECORD_VERSION = 2;

export const DevelopmentRecord = Type.Object(
  {
    ...head,
    version: Type.Literal(2),
    assessments: Type.Array(RecordAssessment, { maxItems: 200 }),
    plan: Type.Array(RecordPlanItem, { maxItems: 1000 }),
    feedback: Type.Array(RecordFeedback, { maxItems: 200, description: 'Released 360 reports the person received' }),
    appraisals: Type.Array(RecordAppraisal, { maxItems: 100, description: 'Signed and locked appraisals' }),
    learning: Type.Array(RecordLearning, { maxItems: 10_000, description: 'The learning record' }),
  },
  // Sections added by later versions are allowed, and ignored by this importer.
  { additionalProperties: true },
);

export type DevelopmentRecordT = Static<typeof DevelopmentRecord>;
export type DevelopmentRecordV1T = Static<typeof DevelopmentRecordV1>;
export type RecordFeedbackT = Static<typeof RecordFeedback>;
export type RecordAppraisalT = Static<typeof RecordAppraisal>;
export type RecordLearningT = Static<typeof RecordLearning>;
export type ImportedFrom = Static<typeof Imported>;
export type RecordAssessmentT = Static<typeof RecordAssessment>;
export type RecordPlanItemT = Static<typeof RecordPlanItem>;
