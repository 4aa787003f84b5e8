import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { preparedQuery } from '../../db/prepared.ts';
import type { DB } from '../../db/schema.ts';
import {
  type DevelopmentSubject,
  developmentSubjectColumns,
  developmentSubjectOf,
  personScope,
  type Viewer,
} from '../../plugins/access.ts';
import type { TextEncoding } from '../../text.ts';
import { personDetails } from './people.ts';
import { familyKey, givenKey } from './search-queries.ts';

type PeopleEB = ExpressionBuilder<DB & { p: DB['people'] }, 'p'>;

export async function findPerson(db: Database, id: number) {
  return db
    .selectFrom('people')
    .select(['id', ...personDetails, 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// Every audited read of someone's development record starts here, so it is compiled once (src/db/prepared.ts).
const namedSubjectQuery = preparedQuery(['id'], (db, v) =>
  db
    .selectFrom('people as p')
    .select(['p.id', 'p.given_name', 'p.family_name', ...developmentSubjectColumns('p.id')])
    .where(sql<boolean>`p.id = ${v.id}`),
);

/**
 * A person's name and what the access decision on their development record needs (loadDevelopmentSubject), in one
 * statement; undefined when there is no such person. Only the name is read of their details.
 */
export async function findNamedSubject(
  db: Database,
  id: number,
): Promise<
  { person: { id: number; given_name: string; family_name: string }; subject: DevelopmentSubject } | undefined
> {
  const [row] = await namedSubjectQuery(db, { id });
  if (!row) return undefined;
  return {
    person: { id: row.id, given_name: row.given_name, family_name: row.family_name },
    subject: developmentSubjectOf(row.id, row),
  };
}

/** Which of these people the viewer may see (for links, and the 403 on a person page). */
export async function visiblePeople(db: Database, viewer: Viewer, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('people as p')
    .select('p.id')
    .where('p.id', 'in', ids)
    .where(personScope(viewer))
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function personAssignments(db: Database, personId: number) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('teams as t', 't.id', 'a.team_id')
    .leftJoin('assignments as ma', 'ma.id', 'a.line_manager_assignment_id')
    .leftJoin('people as mp', 'mp.id', 'ma.person_id')
    .select([
      'a.id',
      'a.assignment_number',
      'a.position_title',
      'a.band',
      'a.staff_group',
      'a.occupation_code',
      'a.wte',
      'a.is_manager',
      'a.start_date',
      'a.end_date',
      'a.team_id',
      'a.line_manager_assignment_id',
      'a.organisation_id',
      'a.person_id',
      'a.managed_by_import',
      'o.code as organisation_code',
      'o.name as organisation_name',
      't.name as team_name',
      'mp.id as manager_person_id',
      'mp.given_name as manager_given_name',
      'mp.family_name as manager_family_name',
      'ma.position_title as manager_position_title',
    ])
    .where('a.person_id', '=', personId)
    .orderBy(sql`a.end_date IS NULL`, 'desc')
    .orderBy('a.start_date', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/** Current direct reports of these assignments that the viewer may see. */
export async function directReports(db: Database, viewer: Viewer, assignmentIds: number[]) {
  if (assignmentIds.length === 0) return [];
  return db
    .selectFrom('assignments as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'a.position_title', 'a.band', 'a.assignment_number'])
    .where('a.line_manager_assignment_id', 'in', assignmentIds)
    .where('a.end_date', 'is', null)
    .where((eb) => personScope(viewer)(eb as unknown as PeopleEB))
    .orderBy(familyKey)
    .orderBy(givenKey)
    .orderBy('p.id')
    .limit(500)
    .execute();
}

export async function assignmentHistory(db: Database, assignmentIds: number[], limit = 100) {
  if (assignmentIds.length === 0) return [];
  return db
    .selectFrom('assignment_history')
    .select(['id', 'assignment_id', 'valid_from', 'valid_to', 'previous'])
    .where('assignment_id', 'in', assignmentIds)
    .orderBy('valid_to', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Names for ids that appear in assignment history: teams, organisations and line managers. */
export async function historyLabels(db: Database, ids: { teams: number[]; orgs: number[]; managers: number[] }) {
  const [teams, orgs, managers] = await Promise.all([
    ids.teams.length
      ? db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids.teams).execute()
      : Promise.resolve([]),
    ids.orgs.length
      ? db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids.orgs).execute()
      : Promise.resolve([]),
    ids.managers.length
      ? db
          .selectFrom('assignments as a')
          .innerJoin('people as p', 'p.id', 'a.person_id')
          .select(['a.id', 'p.given_name', 'p.family_name', 'a.assignment_number'])
          .where('a.id', 'in', ids.managers)
          .execute()
      : Promise.resolve([]),
  ]);
  return {
    teams: new Map(teams.map((t) => [t.id, t.name])),
    orgs: new Map(orgs.map((o) => [o.id, o.name])),
    managers: new Map(managers.map((m) => [m.id, `${m.given_name} ${m.family_name} (${m.assignment_number})`])),
  };
}

// Staff import records.

export async function recordImport(
  db: Database,
  r: {
    organisationId: number;
    accountId: number | null;
    filename: string;
    status: 'applied' | 'rejected';
    counts: {
      rowsTotal: number;
      created: number;
      updated: number;
      unchanged: number;
      ended: number;
      errors: unknown[];
      errorCount: number;
      encoding: TextEncoding | null;
    };
  },
): Promise<number> {
  const row = await db
    .insertInto('staff_imports')
    .values({
      organisation_id: r.organisationId,
      account_id: r.accountId,
      filename: r.filename.slice(0, 255),
      status: r.status,
      rows_total: r.counts.rowsTotal,
      created: r.counts.created,
      updated: r.counts.updated,
      unchanged: r.counts.unchanged,
      ended: r.counts.ended,
      errors: JSON.stringify(r.counts.errors.slice(0, 1000)),
      error_count: r.counts.errorCount,
      encoding: r.counts.encoding,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const importColumns = [
  'i.id',
  'i.filename',
  'i.status',
  'i.rows_total',
  'i.created',
  'i.updated',
  'i.unchanged',
  'i.ended',
  'i.error_count',
  'i.encoding',
  'i.created_at',
  'ac.display_name as imported_by',
] as const;

export async function listImports(db: Database, organisationId: number, limit = 20) {
  return db
    .selectFrom('staff_imports as i')
    .leftJoin('accounts as ac', 'ac.id', 'i.account_id')
    .select(importColumns)
    .where('i.organisation_id', '=', organisationId)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(limit)
    .execute();
}

export async function findImport(db: Database, organisationId: number, id: number) {
  return db
    .selectFrom('staff_imports as i')
    .leftJoin('accounts as ac', 'ac.id', 'i.account_id')
    .select([...importColumns, 'i.errors'])
    .where('i.organisation_id', '=', organisationId)
    .where('i.id', '=', id)
    .executeTakeFirst();
}
