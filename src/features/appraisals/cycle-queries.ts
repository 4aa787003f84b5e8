import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { readContent as readFrameworkContent } from '../frameworks/document-queries.ts';
import { findFramework, versionsOf } from '../frameworks/queries.ts';
import { type Domain, type ScaleLevel, TEMPLATE } from './template.ts';

export type Db = Kysely<DB> | Transaction<DB>;

// Appraisal cycles: opening one creates every appraisal of the organisation in one statement.

export interface CycleRow {
  id: number;
  organisation_id: number;
  name: string;
  starts_on: string;
  mid_year_on: string;
  due_on: string;
  ends_on: string;
  template_key: string;
  template_version: number;
  framework_version_id: number;
  created_at: Date;
}

const cycleColumns = [
  'c.id',
  'c.organisation_id',
  'c.name',
  sql<string>`c.starts_on::text`.as('starts_on'),
  sql<string>`c.mid_year_on::text`.as('mid_year_on'),
  sql<string>`c.due_on::text`.as('due_on'),
  sql<string>`c.ends_on::text`.as('ends_on'),
  'c.template_key',
  'c.template_version',
  'c.framework_version_id',
  'c.created_at',
] as const;

export async function cyclesOf(db: Db, organisationId: number): Promise<(CycleRow & { appraisals: number })[]> {
  return db
    .selectFrom('appraisal_cycles as c')
    .select([
      ...cycleColumns,
      sql<number>`(SELECT count(*)::int FROM appraisals x WHERE x.cycle_id = c.id)`.as('appraisals'),
    ])
    .where('c.organisation_id', '=', organisationId)
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
}

export async function findCycle(db: Db, id: number): Promise<(CycleRow & { org_code: string }) | undefined> {
  return db
    .selectFrom('appraisal_cycles as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select([...cycleColumns, 'o.code as org_code'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** The cycle of an organisation that a day falls in, the latest started first. */
export async function currentCycle(db: Db, organisationId: number, today: string): Promise<CycleRow | undefined> {
  return db
    .selectFrom('appraisal_cycles as c')
    .select(cycleColumns)
    .where('c.organisation_id', '=', organisationId)
    .where('c.starts_on', '<=', today)
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function overlappingCycle(
  db: Db,
  organisationId: number,
  d: { starts_on: string; ends_on: string },
): Promise<CycleRow | undefined> {
  return db
    .selectFrom('appraisal_cycles as c')
    .select(cycleColumns)
    .where('c.organisation_id', '=', organisationId)
    .where('c.starts_on', '<=', d.ends_on)
    .where('c.ends_on', '>=', d.starts_on)
    .limit(1)
    .executeTakeFirst();
}

/** The published version of the template's framework that new cycles rate behaviours against. */
export async function templateFrameworkVersion(db: Db): Promise<number | undefined> {
  const framework = await findFramework(db, TEMPLATE.frameworkKey);
  if (!framework) return undefined;
  return (await versionsOf(db, framework.id)).find((v) => v.status === 'published')?.id;
}

/** The domains and the scale a framework version rates behaviours with. */
export async function behaviourFramework(
  db: Db,
  versionId: number,
): Promise<{ domains: Domain[]; levels: ScaleLevel[] }> {
  const content = await readFrameworkContent(db, versionId);
  return {
    domains: content.domains.map((d) => ({ code: d.code, title: d.title })),
    levels: content.levels.map((l) => ({ value: l.value, label: l.label })),
  };
}

export interface NewCycle {
  organisationId: number;
  name: string;
  starts_on: string;
  mid_year_on: string;
  due_on: string;
  ends_on: string;
  frameworkVersionId: number;
  createdBy: number | null;
  synthetic?: boolean;
}

/**
 * Open a cycle and give everyone with a current assignment in the organisation an appraisal in it, set-based
 * (one INSERT … SELECT, whatever the size of the trust). The appraiser is the person's line manager: the holder of
 * their assignment's line-manager assignment, while that assignment is current. Someone with several current
 * assignments there gets one appraisal, on their earliest.
 */
export async function insertCycle(trx: Transaction<DB>, c: NewCycle): Promise<{ id: number; appraisals: number }> {
  const cycle = await trx
    .insertInto('appraisal_cycles')
    .values({
      organisation_id: c.organisationId,
      name: c.name,
      starts_on: c.starts_on,
      mid_year_on: c.mid_year_on,
      due_on: c.due_on,
      ends_on: c.ends_on,
      template_key: TEMPLATE.key,
      template_version: TEMPLATE.version,
      framework_version_id: c.frameworkVersionId,
      created_by: c.createdBy,
      synthetic: c.synthetic ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const res = await sql`
    INSERT INTO appraisals (cycle_id, organisation_id, person_id, assignment_id, appraiser_person_id,
                            template_key, template_version, framework_version_id, due_on, content, synthetic)
    SELECT DISTINCT ON (a.person_id)
           ${cycle.id}::int, a.organisation_id, a.person_id, a.id,
           CASE WHEN lm.end_date IS NULL THEN lm.person_id END,
           ${TEMPLATE.key}, ${TEMPLATE.version}::int, ${c.frameworkVersionId}::int, ${c.due_on}::date, '{}'::jsonb,
           ${c.synthetic ?? false}::boolean
      FROM assignments a
      LEFT JOIN assignments lm ON lm.id = a.line_manager_assignment_id
     WHERE a.organisation_id = ${c.organisationId}::int AND a.end_date IS NULL
     ORDER BY a.person_id, a.id
  `.execute(trx);
  return { id: cycle.id, appraisals: Number(res.numAffectedRows ?? 0) };
}

export interface CycleMember {
  id: number;
  person_id: number;
  name: string;
  appraiser_name: string | null;
  appraiser_set_at: Date | null;
  status: string;
}

/** A page of a cycle's appraisals for its admins, by id (keyset). */
export async function cycleMembers(db: Db, cycleId: number, after: number, limit: number): Promise<CycleMember[]> {
  return db
    .selectFrom('appraisals as ap')
    .innerJoin('people as p', 'p.id', 'ap.person_id')
    .leftJoin('people as m', 'm.id', 'ap.appraiser_person_id')
    .select([
      'ap.id',
      'ap.person_id',
      sql<string>`p.given_name || ' ' || p.family_name`.as('name'),
      sql<string | null>`m.given_name || ' ' || m.family_name`.as('appraiser_name'),
      'ap.appraiser_set_at',
      'ap.status',
    ])
    .where('ap.cycle_id', '=', cycleId)
    .where('ap.id', '>', after)
    .orderBy('ap.id')
    .limit(limit)
    .execute();
}

/** Someone who may be chosen as an appraiser: a person with a current assignment in the organisation. */
export async function findPossibleAppraiser(db: Db, organisationId: number, staffNumber: string) {
  return db
    .selectFrom('people as p')
    .select(['p.id', sql<string>`p.given_name || ' ' || p.family_name`.as('name')])
    .where('p.staff_number', '=', staffNumber)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('assignments as a')
          .select(sql`1`.as('one'))
          .whereRef('a.person_id', '=', 'p.id')
          .where('a.organisation_id', '=', organisationId)
          .where('a.end_date', 'is', null),
      ),
    )
    .executeTakeFirst();
}

export async function setAppraiser(trx: Db, appraisalId: number, personId: number, accountId: number) {
  await trx
    .updateTable('appraisals')
    .set({
      appraiser_person_id: personId,
      appraiser_set_by: accountId,
      appraiser_set_at: new Date(),
      // A signature belongs to the person who gave it: a new appraiser signs afresh.
      appraiser_signed_at: null,
      appraiser_signed_by: null,
    })
    .where('id', '=', appraisalId)
    .where('status', '<>', 'locked')
    .execute();
}
