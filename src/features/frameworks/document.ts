import { FormatRegistry, type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ManagementLevel } from '../../db/schema.ts';

// The one format of a framework version: what export writes, import and the starter files read, the API
// returns, and deep copies go through. Validated with the same TypeBox schema that the OpenAPI document shows.

// TypeBox checks only the formats it is told about; exports carry ISO timestamps.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)));
}

export const managementLevels: ManagementLevel[] = ['first_line', 'middle', 'senior', 'executive', 'board'];

export const managementLevelLabels: Record<ManagementLevel, string> = {
  first_line: 'First-line managers',
  middle: 'Middle managers',
  senior: 'Senior managers',
  executive: 'Executives',
  board: 'Board members',
};

export const KEY_PATTERN = '^[a-z0-9][a-z0-9-]{1,59}$';
export const CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$';

const text = (maxLength: number, description: string) => Type.String({ maxLength, description });
const title = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });
const code = (description: string) => Type.String({ pattern: CODE_PATTERN, description });

export const RequiredLevels = Type.Object(
  Object.fromEntries(managementLevels.map((l) => [l, Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 }))])),
  {
    additionalProperties: false,
    description:
      'Required scale value per management level (first_line, middle, senior, executive, board); a level left out has no requirement',
  },
);

export const ScaleLevel = Type.Object(
  {
    value: Type.Union([Type.Integer({ minimum: -1000, maximum: 1000 }), Type.Null()], {
      description: 'The score; null for a level that is not a score, such as “no chance to demonstrate”',
    }),
    label: title('Name of the level, unique in the scale'),
    descriptor: text(2000, 'What the level means'),
  },
  { additionalProperties: false },
);

export const Competency = Type.Object(
  {
    code: code('Stable across versions: use the same code for the same competency in a later version'),
    title: title('Title of the competency'),
    description: text(5000, 'What the competency is about'),
    indicators: Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), {
      maxItems: 30,
      description: 'Indicator statements, in order',
    }),
    required_levels: RequiredLevels,
    level_descriptors: Type.Array(
      Type.Object(
        {
          level: Type.String({ minLength: 1, maxLength: 200, description: 'Label of a scale level' }),
          text: Type.String({ minLength: 1, maxLength: 2000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 12, description: 'What each scale level looks like for this competency (optional)' },
    ),
  },
  { additionalProperties: false },
);

export const Domain = Type.Object(
  {
    code: code('Code of the domain, unique in the version'),
    title: title('Title of the domain'),
    description: text(5000, 'What the domain is about'),
    required_levels: RequiredLevels,
    competencies: Type.Array(Competency, { maxItems: 50 }),
  },
  { additionalProperties: false },
);

const nullableDate = (description: string) =>
  Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description }));

export const VersionDocument = Type.Object(
  {
    format: Type.Literal('leadwell-framework'),
    format_version: Type.Literal(1),
    framework: Type.Object(
      {
        key: Type.String({
          pattern: KEY_PATTERN,
          description: 'Stable key of the framework: lower case, digits, dashes',
        }),
        title: title('Title of the framework'),
        description: text(5000, 'What the framework is for'),
        owner: text(200, 'Who owns the framework'),
      },
      { additionalProperties: false },
    ),
    version: Type.Object(
      {
        number: Type.Optional(Type.Integer({ minimum: 1, description: 'Version number (ignored on import)' })),
        status: Type.Optional(
          Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')], {
            description: 'Status when exported (ignored on import: an import is always a new draft)',
          }),
        ),
        published_at: nullableDate('When it was published (ignored on import)'),
        retired_at: nullableDate('When it was retired (ignored on import)'),
        based_on: Type.Optional(
          Type.Union([Type.Integer(), Type.Null()], { description: 'Number of the version it was copied from' }),
        ),
        notes: text(5000, 'Notes on this version: what changed, what is uncertain'),
        source: text(5000, 'Sources and licence of the content'),
        starter: Type.Boolean({
          description: 'A starter framework shipped with Leadwell, editable by national admins',
        }),
      },
      { additionalProperties: false },
    ),
    scale: Type.Object(
      {
        levels: Type.Array(ScaleLevel, { maxItems: 12, description: 'The rating scale, in display order' }),
        proficient_value: Type.Union([Type.Integer(), Type.Null()], {
          description: 'Minimum value that counts as proficient',
        }),
      },
      { additionalProperties: false },
    ),
    rating_bands: Type.Object(
      {
        green_within: Type.Integer({
          minimum: 0,
          maximum: 10,
          description: 'Green: the rating is at most this many scored steps below the required level (0: at or above)',
        }),
        amber_within: Type.Integer({
          minimum: 0,
          maximum: 10,
          description: 'Amber: at most this many steps below (and not green); red: further below',
        }),
      },
      { additionalProperties: false },
    ),
    domains: Type.Array(Domain, { maxItems: 50 }),
  },
  { additionalProperties: false, description: 'One version of a framework: the import and export format' },
);

export type VersionDocument = Static<typeof VersionDocument>;
export type DomainDoc = Static<typeof Domain>;
export type CompetencyDoc = Static<typeof Competency>;
export type ScaleLevelDoc = Static<typeof ScaleLevel>;
export type RequiredLevelsDoc = Static<typeof RequiredLevels>;

export interface Problem {
  /** Where in the document, as `domains[0].competencies[2].code`. */
  path: string;
  message: string;
  /** The part of the draft editor that fixes it. */
  area: 'details' | 'domains' | 'scale' | 'required';
}

const areaOf = (path: string): Problem['area'] =>
  path.startsWith('scale') || path.startsWith('rating_bands')
    ? 'scale'
    : /required_levels/.test(path)
      ? 'required'
      : path.startsWith('domains')
        ? 'domains'
        : 'details';

/** `/domains/0/competencies/2/code` → `domains[0].competencies[2].code`. */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function schemaProblems(schema: TSchema, data: unknown): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of Value.Errors(schema, data)) {
    const path = dotted(e.path) || '(document)';
    // A union reports itself and each branch: the first message per place is the useful one.
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, message: e.message, area: areaOf(path) });
    if (out.length >= 100) break;
  }
  return out;
}

/** Rules a single field's schema cannot say: uniqueness, and references to the scale. */
export function consistencyProblems(doc: VersionDocument): Problem[] {
  const out: Problem[] = [];
  const add = (path: string, message: string) => out.push({ path, message, area: areaOf(path) });
  const labels = new Map<string, number>();
  const values = new Map<number, number>();
  doc.scale.levels.forEach((l, i) => {
    const key = l.label.trim().toLowerCase();
    if (labels.has(key)) add(`scale.levels[${i}].label`, `Scale level “${l.label}” is listed twice`);
    labels.set(key, i);
    if (l.value !== null) {
      if (values.has(l.value)) add(`scale.levels[${i}].value`, `Scale value ${l.value} is used by two levels`);
      values.set(l.value, i);
    }
  });
  const scored = new Set(values.keys());
  if (doc.scale.proficient_value !== null && !scored.has(doc.scale.proficient_value)) {
    add(
      'scale.proficient_value',
      `The proficiency threshold ${doc.scale.proficient_value} is not a value of the scale`,
    );
  }
  if (doc.rating_bands.amber_within < doc.rating_bands.green_within) {
    add('rating_bands.amber_within', 'The amber band must reach at least as far below the required level as green');
  }
  const checkRequired = (path: string, req: RequiredLevelsDoc, what: string) => {
    for (const level of managementLevels) {
      const v = req[level];
      if (v !== undefined && !scored.has(v)) {
        add(
          `${path}.required_levels.${level}`,
          `Required level ${v} for ${managementLevelLabels[level].toLowerCase()} in ${what} is not a scored level of the scale`,
        );
      }
    }
  };
  const domainCodes = new Map<string, number>();
  const competencyCodes = new Map<string, string>();
  doc.domains.forEach((d, i) => {
    const dPath = `domains[${i}]`;
    if (domainCodes.has(d.code.toLowerCase())) add(`${dPath}.code`, `Domain code ${d.code} is used twice`);
    domainCodes.set(d.code.toLowerCase(), i);
    checkRequired(dPath, d.required_levels, `domain ${d.code}`);
    d.competencies.forEach((c, j) => {
      const cPath = `${dPath}.competencies[${j}]`;
      const first = competencyCodes.get(c.code.toLowerCase());
      if (first) add(`${cPath}.code`, `Competency code ${c.code} is used twice (also at ${first})`);
      else competencyCodes.set(c.code.toLowerCase(), cPath);
      checkRequired(cPath, c.required_levels, `competency ${c.code}`);
      const described = new Set<string>();
      c.level_descriptors.forEach((ld, k) => {
        const key = ld.level.trim().toLowerCase();
        if (!labels.has(key)) {
          add(`${cPath}.level_descriptors[${k}].level`, `“${ld.level}” is not a level of the scale`);
        } else if (described.has(key)) {
          add(`${cPath}.level_descriptors[${k}].level`, `Competency ${c.code} describes “${ld.level}” twice`);
        }
        described.add(key);
      });
    });
  });
  return out;
}

/** Structure first (the schema), then consistency; the document is only usable when both are empty. */
export function checkDocument(data: unknown): { doc?: VersionDocument; problems: Problem[] } {
  const problems = schemaProblems(VersionDocument, data);
  if (problems.length) return { problems };
  const doc = data as VersionDocument;
  const more = consistencyProblems(doc);
  return more.length ? { problems: more } : { doc, problems: [] };
}

/** What stops a draft being published: inconsistencies, and anything missing. */
export function publishProblems(doc: VersionDocument): Problem[] {
  const out = consistencyProblems(doc);
  const add = (path: string, message: string) => out.push({ path, message, area: areaOf(path) });
  if (doc.domains.length === 0) add('domains', 'Add at least one domain with a competency');
  doc.domains.forEach((d, i) => {
    if (d.competencies.length === 0)
      add(`domains[${i}].competencies`, `Domain ${d.code} “${d.title}” has no competencies`);
  });
  const scored = doc.scale.levels.filter((l) => l.value !== null);
  if (scored.length < 2) add('scale.levels', 'The rating scale needs at least 2 levels that count as a score');
  if (doc.scale.proficient_value === null) add('scale.proficient_value', 'Set the proficiency threshold of the scale');
  return out;
}

/** The version's content without what only describes its place in history (number, status, dates). */
export function contentOf(doc: VersionDocument): VersionDocument {
  const { number: _n, status: _s, published_at: _p, retired_at: _r, based_on: _b, ...version } = doc.version;
  return { ...doc, version };
}
