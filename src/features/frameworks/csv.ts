import { Value } from '@sinclair/typebox/value';
import Papa from 'papaparse';
import { readCsv } from '../../csv.ts';
import type { ManagementLevel } from '../../db/schema.ts';
import {
  CODE_PATTERN,
  Competency,
  type CompetencyDoc,
  type DomainDoc,
  KEY_PATTERN,
  managementLevels,
  type RequiredLevelsDoc,
  type VersionDocument,
} from './document.ts';
import { effectiveRequired, scoredValues } from './frameworks.ts';

// The spreadsheet form of a version: one row per competency. It carries the structure, indicator
// statements and required levels; the scale, level descriptors and domain descriptions live only in the
// JSON form, and an import of a CSV for an existing framework keeps them from its latest version.

const requiredColumn = (l: ManagementLevel) => `required_${l}`;

export const csvColumns = [
  'framework',
  'framework_title',
  'version',
  'domain_code',
  'domain_title',
  'competency_code',
  'competency_title',
  'competency_description',
  'indicators',
  ...managementLevels.map(requiredColumn),
];
const mandatory = ['framework', 'domain_code', 'domain_title', 'competency_code', 'competency_title'];
const INDICATOR_SEPARATOR = ' | ';

export function documentToCsv(doc: VersionDocument): string {
  const rows = doc.domains.flatMap((d) =>
    d.competencies.map((c) => {
      const req = effectiveRequired(d.required_levels, c.required_levels);
      return [
        doc.framework.key,
        doc.framework.title,
        doc.version.number ?? '',
        d.code,
        d.title,
        c.code,
        c.title,
        c.description,
        c.indicators.join(INDICATOR_SEPARATOR),
        ...managementLevels.map((l) => req[l] ?? ''),
      ];
    }),
  );
  // escapeFormulae: a cell starting with = + - @ is prefixed with ' so that spreadsheets show it as text.
  return `${Papa.unparse({ fields: csvColumns, data: rows }, { escapeFormulae: true, newline: '\r\n' })}\r\n`;
}

export interface CsvProblem {
  line: number;
  column?: string;
  message: string;
}

/** Undo the spreadsheet guard that export adds, so an export imports back unchanged. */
const unguard = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

type Row = { line: number; cells: Record<string, string> };

function readRows(text: string): { header: string[]; rows: Row[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const [head, ...body] = readCsv(text, ({ line, message }) =>
    problems.push({ line, message: `The CSV is malformed: ${message}` }),
  );
  const header = (head?.cells ?? []).map((h) => h.toLowerCase());
  const rows = body.map(({ line, cells }) => {
    if (cells.length !== header.length) {
      problems.push({ line, message: `Expected ${header.length} columns, found ${cells.length}` });
    }
    return { line, cells: Object.fromEntries(header.map((h, i) => [h, unguard(cells[i] ?? '')])) };
  });
  return { header, rows, problems };
}

/**
 * A CSV file as a version document, with every problem by line number. `base` is the latest version of the
 * framework the file is for (when it exists): its scale, notes, sources, domain descriptions and level
 * descriptors carry over, and required levels are checked against its scale.
 */
export async function csvToDocument(
  text: string,
  baseFor: (key: string) => Promise<VersionDocument | undefined>,
): Promise<{ doc?: VersionDocument; key?: string; problems: CsvProblem[] }> {
  const { header, rows, problems } = readRows(text);
  if (!header.length) return { problems: [{ line: 1, message: 'The file is empty' }] };
  const missing = mandatory.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !csvColumns.includes(c));
  if (missing.length) problems.push({ line: 1, message: `Missing column(s): ${missing.join(', ')}` });
  if (unknown.length) {
    problems.push({ line: 1, message: `Unknown column(s): ${unknown.join(', ')}. Expected: ${csvColumns.join(', ')}` });
  }
  if (missing.length || unknown.length) return { problems };
  if (!rows.length) return { problems: [{ line: 2, message: 'The file has no competencies' }] };

  const key = rows[0].cells.framework.toLowerCase();
  if (!new RegExp(KEY_PATTERN).test(key)) {
    problems.push({
      line: rows[0].line,
      column: 'framework',
      message: `“${rows[0].cells.framework}” is not a framework key: use 2 to 60 lower-case letters, digits and dashes`,
    });
    return { problems };
  }
  const base = await baseFor(key);
  const scored = new Set(base ? scoredValues(base.scale) : []);
  const byLabel = new Map(
    (base?.scale.levels ?? []).filter((l) => l.value !== null).map((l) => [l.label.toLowerCase(), l.value as number]),
  );
  const domains: DomainDoc[] = [];
  const domainLine = new Map<string, { line: number; domain: DomainDoc }>();
  const codeLine = new Map<string, number>();
  let title = '';
  for (const { line, cells } of rows) {
    const problem = (column: string, message: string) => problems.push({ line, column, message });
    if (cells.framework.toLowerCase() !== key) {
      problem('framework', `Every row must be for the same framework (${key}), not “${cells.framework}”`);
    }
    if (!title && cells.framework_title) title = cells.framework_title;
    const dCode = cells.domain_code;
    if (!new RegExp(CODE_PATTERN).test(dCode)) {
      problem('domain_code', `Domain code “${dCode}” must be 1 to 20 letters, digits, dots, dashes or underscores`);
      continue;
    }
    if (!cells.domain_title) problem('domain_title', 'Enter the domain title');
    else if (cells.domain_title.length > 200) problem('domain_title', 'Domain title must be 200 characters or fewer');
    let entry = domainLine.get(dCode.toLowerCase());
    if (!entry) {
      const previous = base?.domains.find((d) => d.code.toLowerCase() === dCode.toLowerCase());
      const domain: DomainDoc = {
        code: dCode,
        title: cells.domain_title,
        description: previous?.description ?? '',
        required_levels: {},
        competencies: [],
      };
      entry = { line, domain };
      domainLine.set(dCode.toLowerCase(), entry);
      domains.push(domain);
    } else if (cells.domain_title && cells.domain_title !== entry.domain.title) {
      problem('domain_title', `Domain ${dCode} is called “${entry.domain.title}” on line ${entry.line}`);
    }
    const cCode = cells.competency_code;
    const firstLine = codeLine.get(cCode.toLowerCase());
    if (firstLine !== undefined) {
      problem('competency_code', `Competency code ${cCode} is also on line ${firstLine}`);
      continue;
    }
    codeLine.set(cCode.toLowerCase(), line);
    const required: RequiredLevelsDoc = {};
    for (const level of managementLevels) {
      const column = requiredColumn(level);
      const v = cells[column] ?? '';
      if (v === '') continue;
      const value = /^-?\d+$/.test(v) ? Number(v) : byLabel.get(v.toLowerCase());
      if (!base || base.scale.levels.length === 0) {
        problem(column, 'The framework has no rating scale yet: leave required levels empty, or import the JSON form');
      } else if (value === undefined || !scored.has(value)) {
        problem(column, `“${v}” is not a scored level of the scale (${[...byLabel.keys()].join(', ')})`);
      } else required[level] = value;
    }
    const previous = base?.domains
      .flatMap((d) => d.competencies)
      .find((c) => c.code.toLowerCase() === cCode.toLowerCase());
    const competency: CompetencyDoc = {
      code: cCode,
      title: cells.competency_title,
      description: cells.competency_description ?? '',
      indicators: (cells.indicators ?? '')
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean),
      required_levels: required,
      level_descriptors: previous?.level_descriptors ?? [],
    };
    for (const e of Value.Errors(Competency, competency)) {
      problem(columnOf(e.path), `${describeField(e.path)}: ${e.message}`);
      break;
    }
    entry.domain.competencies.push(competency);
  }
  if (problems.length) return { key, problems: problems.sort((a, b) => a.line - b.line) };
  const doc: VersionDocument = {
    format: 'leadwell-framework',
    format_version: 1,
    framework: {
      key,
      title: (title || base?.framework.title || key).slice(0, 200),
      description: base?.framework.description ?? '',
      owner: base?.framework.owner ?? '',
    },
    version: {
      notes: base?.version.notes ?? '',
      source: base?.version.source ?? '',
      starter: base?.version.starter ?? false,
    },
    scale: base?.scale ?? { levels: [], proficient_value: null },
    rating_bands: base?.rating_bands ?? { green_within: 0, amber_within: 1 },
    domains,
  };
  return { doc, key, problems: [] };
}

function columnOf(path: string): string {
  if (path.startsWith('/code')) return 'competency_code';
  if (path.startsWith('/title')) return 'competency_title';
  if (path.startsWith('/description')) return 'competency_description';
  if (path.startsWith('/indicators')) return 'indicators';
  return 'competency_code';
}

function describeField(path: string): string {
  if (path.startsWith('/code')) return 'Competency code (1 to 20 letters, digits, dots, dashes or underscores)';
  if (path.startsWith('/title')) return 'Competency title (1 to 200 characters)';
  if (path.startsWith('/description')) return 'Competency description (up to 5,000 characters)';
  const m = path.match(/^\/indicators\/(\d+)/);
  if (m) return `Indicator ${Number(m[1]) + 1} (up to 1,000 characters)`;
  if (path.startsWith('/indicators')) return 'Indicators (at most 30)';
  return 'Competency';
}
