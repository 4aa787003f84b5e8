import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { LearningOutcome } from '../../db/schema.ts';

/**
 * Current staff of an organisation with the given staff numbers or email addresses (as the staff import matches
 * people: staff number first, the person's email otherwise). Indexed lookups: people.staff_number is unique and
 * lower(email) has a unique index.
 */
export async function matchStaff(
  db: Database,
  organisationId: number,
  keys: { staffNumbers: string[]; emails: string[] },
) {
  const numbers = [...new Set(keys.staffNumbers.map((s) => s.toUpperCase()))];
  const emails = [...new Set(keys.emails.map((e) => e.toLowerCase()))];
  const byStaffNumber = new Map<string, number>();
  const byEmail = new Map<string, number>();
  if (numbers.length === 0 && emails.length === 0) return { byStaffNumber, byEmail };
  const rows = await db
    .selectFrom('people as p')
    .select(['p.id', 'p.staff_number', sql<string | null>`lower(p.email)`.as('email')])
    .where((eb) =>
      eb.or([
        ...(numbers.length ? [eb(sql`upper(p.staff_number)`, '=', sql`ANY(${numbers}::text[])`)] : []),
        ...(emails.length ? [eb(sql`lower(p.email)`, '=', sql`ANY(${emails}::text[])`)] : []),
      ]),
    )
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
    .execute();
  for (const r of rows) {
    if (r.staff_number) byStaffNumber.set(r.staff_number.toUpperCase(), Number(r.id));
    if (r.email) byEmail.set(r.email, Number(r.id));
  }
  return { byStaffNumber, byEmail };
}

export interface ImportedRow {
  personId: number;
  title: string;
  provider: string | null;
  completedOn: string;
  outcome: LearningOutcome;
  hours: number | null;
  mandatory: boolean;
  sourceRef: string;
}

/** Write checked rows, a thousand at a time; a row already imported (same key) is updated, not repeated. */
export async function insertImported(db: Database, rows: readonly ImportedRow[], recordedBy: number | null) {
  let created = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const result = await db
      .insertInto('learning_records')
      .values(
        chunk.map((r) => ({
          person_id: r.personId,
          programme_id: null,
          title: r.title,
          provider_name: r.provider,
          completed_on: r.completedOn,
          outcome: r.outcome,
          hours: r.hours,
          mandatory: r.mandatory,
          source: 'import' as const,
          source_ref: r.sourceRef,
          recorded_by: recordedBy,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['source', 'source_ref']).doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          provider_name: eb.ref('excluded.provider_name'),
          outcome: eb.ref('excluded.outcome'),
          hours: eb.ref('excluded.hours'),
          mandatory: eb.ref('excluded.mandatory'),
          updated_at: sql`now()`,
        })),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('created'))
      .execute();
    for (const r of result) {
      if (r.created) created += 1;
      else updated += 1;
    }
  }
  return { created, updated };
}
