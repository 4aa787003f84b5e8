import { fileDate, readCsv } from '../../csv.ts';
import type { Database } from '../../db/database.ts';
import type { LearningOutcome } from '../../db/schema.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { insertImported, matchStaff } from './import-queries.ts';
import { EARLIEST, MAX_HOURS, MAX_PROVIDER, MAX_TITLE } from './learning-record.ts';

// Import of prior learning from CSV (docs/learning-record.md): by a person for themselves, or by an organisation
// admin for their staff. The whole file is checked first; if any row is bad nothing is written.

export const MAX_ROWS = 20_000;

export interface RowError {
  line: number;
  message: string;
}

export type ImportTarget = { kind: 'self'; personId: number } | { kind: 'organisation'; organisationId: number };

export type ImportResult =
  | { ok: true; rows: number; created: number; updated: number; people: number }
  | { ok: false; errors: RowError[] };

const aliases: Record<string, string> = {
  title: 'title',
  course: 'title',
  provider: 'provider',
  provider_name: 'provider',
  completed_on: 'completed_on',
  date: 'completed_on',
  completed: 'completed_on',
  outcome: 'outcome',
  hours: 'hours',
  mandatory: 'mandatory',
  staff_number: 'staff_number',
  employee_number: 'staff_number',
  email: 'email',
};

const outcomeWords: Record<string, LearningOutcome> = {
  completed: 'completed',
  complete: 'completed',
  passed: 'passed',
  pass: 'passed',
  failed: 'failed',
  'not passed': 'failed',
  attended: 'attended',
};
const yes = new Set(['yes', 'y', 'true', '1']);
const no = new Set(['no', 'n', 'false', '0', '']);

export interface ParsedRow {
  line: number;
  title: string;
  provider: string | null;
  completedOn: string;
  outcome: LearningOutcome;
  hours: number | null;
  mandatory: boolean;
  staffNumber: string | null;
  email: string | null;
}

/** Check every row of the file against the format; people are matched afterwards. Pure. */
export function parseImport(
  text: string,
  target: ImportTarget['kind'],
  today: string,
): { rows: ParsedRow[]; errors: RowError[] } {
  const all = readCsv(text);
  if (all.length === 0) return { rows: [], errors: [{ line: 1, message: 'The file is empty' }] };
  const [header, ...body] = all;
  const columns = header.cells.map((c) => aliases[c.toLowerCase().replace(/[\s-]+/g, '_')]);
  const errors: RowError[] = [];
  const unknown = header.cells.filter((_, i) => columns[i] === undefined);
  if (unknown.length) {
    errors.push({ line: header.line, message: `Unknown column "${unknown[0]}": see the import format on this page` });
  }
  for (const needed of ['title', 'completed_on']) {
    if (!columns.includes(needed)) errors.push({ line: header.line, message: `The file has no ${needed} column` });
  }
  if (target === 'organisation' && !columns.includes('staff_number') && !columns.includes('email')) {
    errors.push({
      line: header.line,
      message: 'The file needs a staff_number or an email column to say whose learning each row is',
    });
  }
  if (body.length === 0) errors.push({ line: header.line, message: 'The file has no rows of learning' });
  if (body.length > MAX_ROWS)
    errors.push({
      line: header.line,
      message: `The file has more than ${MAX_ROWS.toLocaleString('en-GB')} rows: split it`,
    });
  if (errors.length) return { rows: [], errors };

  const rows: ParsedRow[] = [];
  for (const r of body) {
    const get = (name: string) => {
      const i = columns.indexOf(name);
      return i < 0 ? '' : (r.cells[i] ?? '');
    };
    const before = errors.length;
    const problem = (message: string) => errors.push({ line: r.line, message });
    if (r.cells.length > columns.length) {
      problem(`The row has ${r.cells.length} values but the header names ${columns.length} columns`);
      continue;
    }
    const title = get('title');
    const provider = get('provider');
    const date = fileDate(get('completed_on'));
    const outcome = outcomeWords[get('outcome').toLowerCase() || 'completed'];
    const hoursText = get('hours');
    const hours = hoursText === '' ? null : Number(hoursText);
    const mandatoryText = get('mandatory').toLowerCase();
    const staffNumber = get('staff_number') || null;
    const email = get('email').toLowerCase() || null;
    if (title === '') problem('Enter a title');
    else if (title.length > MAX_TITLE) problem(`The title must be ${MAX_TITLE} characters or fewer`);
    if (provider.length > MAX_PROVIDER) problem(`The provider must be ${MAX_PROVIDER} characters or fewer`);
    if (!date)
      problem(`The completion date "${get('completed_on')}" is not a real date: write it as 2024-03-31 or 31/03/2024`);
    else if (date > today) problem(`The completion date ${date} is in the future`);
    else if (date < EARLIEST) problem(`The completion date ${date} is before 1950`);
    if (!outcome) problem(`The outcome "${get('outcome')}" must be completed, passed, failed or attended`);
    if (hours !== null && (!Number.isFinite(hours) || hours < 0 || hours > MAX_HOURS)) {
      problem(`The hours "${hoursText}" must be a number from 0 to ${MAX_HOURS.toLocaleString('en-GB')}`);
    }
    if (!yes.has(mandatoryText) && !no.has(mandatoryText)) problem(`Mandatory "${get('mandatory')}" must be yes or no`);
    if (target === 'organisation' && !staffNumber && !email) problem('Enter a staff number or an email address');
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) problem(`The email address "${email}" is not valid`);
    if (errors.length === before && date && outcome) {
      rows.push({
        line: r.line,
        title,
        provider: provider || null,
        completedOn: date,
        outcome,
        hours: hours === null ? null : Math.round(hours * 100) / 100,
        mandatory: yes.has(mandatoryText),
        staffNumber,
        email,
      });
    }
  }
  return { rows, errors };
}

/** The key that makes a re-imported row the same record: person, date and title. */
export const importKey = (personId: number, row: Pick<ParsedRow, 'completedOn' | 'title'>) =>
  `${personId}:${row.completedOn}:${row.title.toLowerCase().replace(/\s+/g, ' ')}`;

/** Check, match and (only when everything is good) write the file in one transaction. */
export async function importLearning(
  db: Database,
  input: {
    text: string;
    target: ImportTarget;
    today: string;
    actor: { viewer: Viewer | null; ip?: string } | { label: string };
  },
): Promise<ImportResult> {
  const { rows, errors } = parseImport(input.text, input.target.kind, input.today);
  const target = input.target;
  const personOf = new Map<number, number>();
  if (target.kind === 'self') {
    for (const r of rows) personOf.set(r.line, target.personId);
  } else {
    const staff = await matchStaff(db, target.organisationId, {
      staffNumbers: rows.flatMap((r) => (r.staffNumber ? [r.staffNumber] : [])),
      emails: rows.flatMap((r) => (r.email ? [r.email] : [])),
    });
    for (const r of rows) {
      const byNumber = r.staffNumber ? staff.byStaffNumber.get(r.staffNumber.toUpperCase()) : undefined;
      const byEmail = r.email ? staff.byEmail.get(r.email) : undefined;
      if (r.staffNumber && byNumber === undefined) {
        errors.push({ line: r.line, message: `No current member of staff has the staff number ${r.staffNumber}` });
      } else if (!r.staffNumber && r.email && byEmail === undefined) {
        errors.push({ line: r.line, message: `No current member of staff has the email address ${r.email}` });
      } else if (byNumber !== undefined && r.email && byEmail !== byNumber) {
        errors.push({
          line: r.line,
          message: `Staff number ${r.staffNumber} and email ${r.email} are not the same person`,
        });
      } else {
        personOf.set(r.line, (byNumber ?? byEmail)!);
      }
    }
  }
  const seen = new Map<string, number>();
  for (const r of rows) {
    const person = personOf.get(r.line);
    if (person === undefined) continue;
    const key = importKey(person, r);
    const earlier = seen.get(key);
    if (earlier !== undefined)
      errors.push({ line: r.line, message: `Repeats line ${earlier}: the same learning on the same date` });
    else seen.set(key, r.line);
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const recordedBy = 'viewer' in input.actor ? (input.actor.viewer?.accountId ?? null) : null;
  return db.transaction().execute(async (trx) => {
    const written = await insertImported(
      trx,
      rows.map((r) => ({ ...r, personId: personOf.get(r.line)!, sourceRef: importKey(personOf.get(r.line)!, r) })),
      recordedBy,
    );
    const people = [...new Set(personOf.values())];
    for (const personId of people) {
      await audit(trx, input.actor, {
        action: 'learning.import',
        subjectType: 'learning_record',
        personId,
        organisationId: target.kind === 'organisation' ? target.organisationId : null,
        details: { rows: rows.filter((r) => personOf.get(r.line) === personId).length },
      });
    }
    return {
      ok: true as const,
      rows: rows.length,
      created: written.created,
      updated: written.updated,
      people: people.length,
    };
  });
}
