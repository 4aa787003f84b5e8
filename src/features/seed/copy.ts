import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AssignmentRow, PersonRow, TeamRow } from './generate.ts';

// Bulk loading with COPY … FROM STDIN in PostgreSQL's text format. COPY writes the ids we computed into the
// identity columns (it behaves like INSERT … OVERRIDING SYSTEM VALUE), so line managers can point at rows
// of the same batch; foreign keys are checked at the end of each COPY statement.

const special = /[\\\t\n\r]/;

function text(v: string): string {
  if (!special.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const opt = (v: string | number | null) => (v === null ? '\\N' : typeof v === 'number' ? String(v) : text(v));

export const teamColumns = ['id', 'organisation_id', 'parent_team_id', 'code', 'name', 'kind', 'synthetic'];
export function teamLine(t: TeamRow): string {
  return `${t.id}\t${t.organisationId}\t${opt(t.parentId)}\t${text(t.code)}\t${text(t.name)}\t${t.kind}\tt\n`;
}

export const personColumns = [
  'id',
  'staff_number',
  'given_name',
  'family_name',
  'email',
  'ethnicity',
  'disability',
  'sex',
  'age_band',
  'synthetic',
];
export function personLine(p: PersonRow): string {
  return `${p.id}\t${p.staffNumber}\t${text(p.given)}\t${text(p.family)}\t${text(p.email)}\t${p.ethnicity}\t${p.disability}\t${p.sex}\t${p.ageBand}\tt\n`;
}

export const assignmentColumns = [
  'id',
  'person_id',
  'organisation_id',
  'assignment_number',
  'team_id',
  'position_title',
  'band',
  'staff_group',
  'wte',
  'line_manager_assignment_id',
  'is_manager',
  'start_date',
  'end_date',
  'family_key',
];
export function assignmentLine(a: AssignmentRow): string {
  return `${a.id}\t${a.personId}\t${a.organisationId}\t${a.assignmentNumber}\t${a.teamId}\t${text(a.title)}\t${a.band}\t${a.staffGroup}\t${a.wte}\t${opt(a.lineManagerId)}\t${a.isManager ? 't' : 'f'}\t${a.startDate}\t${opt(a.endDate)}\t${opt(a.familyKey)}\n`;
}

/** Joins lines into ~256 kB chunks: one stream write per chunk rather than per row. */
function* chunks<T>(rows: readonly T[], line: (row: T) => string): Generator<string> {
  let buf = '';
  for (const row of rows) {
    buf += line(row);
    if (buf.length >= 262_144) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

export async function copyRows<T>(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly T[],
  line: (row: T) => string,
): Promise<void> {
  if (rows.length === 0) return;
  const target = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(rows, line)), target);
}
