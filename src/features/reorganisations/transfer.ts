import { sql } from 'kysely';
import { csvLine, fileDate, readCsv, shiftedRow } from '../../csv.ts';
import type { Deps } from '../../deps.ts';
import { audit } from '../../plugins/audit.ts';
import type { Actor } from '../priorities/register.ts';
import { insertReorganisation, type ReorgRow, refreshReorganisations, updateReorganisation } from './queries.ts';
import { resolveUnit } from './record.ts';
import { numberText, type ReorganisationInput, reorganisationInput } from './reorganisations.ts';

// An organisation's reorganisations log as CSV or JSON, and back. Imports are all or nothing: every row is checked
// first and each problem reported with its line; rows are matched on unit and date (updated), others added.

export const columns = [
  'unit',
  'effective_on',
  'staff_affected',
  'rationale',
  'cost',
  'expected_benefits',
  'review_on',
  'outcome',
  'outcome_on',
] as const;

export interface LineError {
  line: number;
  message: string;
}

const unitOf = (r: ReorgRow) => (r.team_id === null ? 'organisation' : (r.team_code ?? r.unit_name));

function exportRow(r: ReorgRow) {
  return {
    unit: unitOf(r),
    effective_on: r.effective_on,
    staff_affected: r.staff_affected,
    rationale: r.rationale,
    cost: r.cost === null ? null : Number(r.cost),
    expected_benefits: r.expected_benefits,
    review_on: r.review_on,
    outcome: r.outcome,
    outcome_on: r.outcome_on,
  };
}

export function exportLog(rows: ReorgRow[], format: 'csv' | 'json'): string {
  const data = rows.map(exportRow);
  if (format === 'json')
    return `${JSON.stringify({ format: 'leadwell-reorganisations', version: 1, reorganisations: data }, null, 2)}\n`;
  return `${[csvLine([...columns]), ...data.map((d) => csvLine(columns.map((c) => d[c])))].join('\r\n')}\r\n`;
}

/** Dates as files write them (`fileDate`: DD/MM/YYYY, DD-MON-YYYY, YYYY-MM-DD) as YYYY-MM-DD. */
const isoText = (s: unknown) => {
  const t = String(s ?? '').trim();
  return fileDate(t) ?? t;
};
/** A leading apostrophe protects text from spreadsheets on export; the import removes it. */
const text = (s: unknown) => (s === null || s === undefined ? '' : String(s).replace(/^'(?=[=+\-@])/, ''));

type RawRow = { line: number; values: Record<string, unknown> };

function csvRows(body: string): RawRow[] | LineError[] {
  const rows = readCsv(body);
  if (!rows.length) return [{ line: 1, message: 'The file is empty: it needs a header row and at least one row' }];
  const header = rows[0]!.cells.map((c) => c.toLowerCase());
  const missing = columns.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(columns as readonly string[]).includes(h));
  if (missing.length || unknown.length) {
    return [
      {
        line: rows[0]!.line,
        message: [
          missing.length && `missing columns: ${missing.join(', ')}`,
          unknown.length && `unknown columns: ${unknown.join(', ')}`,
        ]
          .filter(Boolean)
          .join('; '),
      },
    ];
  }
  const lines = rows.slice(1);
  const shifted = lines.flatMap((r) => {
    const message = shiftedRow(r.cells, header.length);
    return message === null ? [] : [{ line: r.line, message }];
  });
  if (shifted.length) return shifted;
  return lines.map((r) => ({ line: r.line, values: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])) }));
}

/** The line on which each top-level object of the array starts, for JSON error messages. */
function objectLines(body: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      depth++;
      if (c === '{' && depth === (body.trimStart().startsWith('[') ? 2 : 3)) lines.push(line);
    } else if (c === '}' || c === ']') depth--;
  }
  return lines;
}

function jsonRows(body: string): RawRow[] | LineError[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    return [{ line: 1, message: `The file is not valid JSON: ${(err as Error).message}` }];
  }
  const list = Array.isArray(data) ? data : (data as { reorganisations?: unknown })?.reorganisations;
  if (!Array.isArray(list))
    return [{ line: 1, message: 'Expected a list of reorganisations, or {"reorganisations": [...]}' }];
  const lines = objectLines(body);
  return list.map((v, i) => ({
    line: lines[i] ?? 1,
    values: (v && typeof v === 'object' ? v : {}) as Record<string, unknown>,
  }));
}

export async function importLog(
  deps: Deps,
  actor: Actor,
  org: { id: number; name: string },
  file: { filename: string; text: string },
): Promise<{ ok: true; created: number; updated: number } | { ok: false; errors: LineError[] }> {
  const raw = /\.json$/i.test(file.filename) ? jsonRows(file.text) : csvRows(file.text);
  if (raw.length && 'message' in raw[0]!) return { ok: false, errors: raw as LineError[] };
  const errors: LineError[] = [];
  const good: { line: number; unit: { teamId: number | null; unitName: string }; input: ReorganisationInput }[] = [];
  const seen = new Map<string, number>();
  for (const { line, values: v } of raw as RawRow[]) {
    const parsed = reorganisationInput.safeParse({
      effective_on: isoText(v.effective_on),
      staff_affected: numberText(v.staff_affected),
      rationale: text(v.rationale),
      cost: numberText(v.cost),
      expected_benefits: text(v.expected_benefits),
      review_on: isoText(v.review_on),
      outcome: text(v.outcome),
      outcome_on: isoText(v.outcome_on),
    });
    const unit = await resolveUnit(deps, org, text(v.unit));
    const problems = [
      ...('problem' in unit ? [`unit: ${unit.problem}`] : []),
      ...(parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`)),
    ];
    if (problems.length) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    if ('problem' in unit || !parsed.success) continue;
    const key = `${unit.teamId ?? 'org'}|${parsed.data.effective_on}`;
    if (seen.has(key)) {
      errors.push({
        line,
        message: `repeats the reorganisation of ${unit.unitName} on ${parsed.data.effective_on} on line ${seen.get(key)}`,
      });
      continue;
    }
    seen.set(key, line);
    good.push({ line, unit, input: parsed.data });
  }
  if (!good.length && !errors.length) errors.push({ line: 1, message: 'The file has no reorganisations' });
  if (errors.length) return { ok: false, errors };
  let created = 0;
  let updated = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const g of good) {
      const row = { ...g.input, organisationId: org.id, teamId: g.unit.teamId, unitName: g.unit.unitName };
      const existing = await trx
        .selectFrom('reorganisations')
        .select('id')
        .where('organisation_id', '=', org.id)
        .where(sql`coalesce(team_id, 0)`, '=', g.unit.teamId ?? 0)
        .where('effective_on', '=', g.input.effective_on)
        .executeTakeFirst();
      if (existing) {
        await updateReorganisation(trx, existing.id, row, actor.viewer.accountId);
        updated++;
      } else {
        await insertReorganisation(trx, row, actor.viewer.accountId);
        created++;
      }
    }
    await audit(trx, actor, {
      action: 'reorganisations.import',
      subjectType: 'organisation',
      subjectId: org.id,
      organisationId: org.id,
      details: { filename: file.filename, created, updated },
    });
  });
  await refreshReorganisations(deps.db);
  return { ok: true, created, updated };
}
