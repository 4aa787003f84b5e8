import type { Database } from '../../db/database.ts';
import { makeProgramme as makeCatalogueProgramme, makeProvider } from '../catalogue/testing.ts';

// Test helpers: programmes (through the catalogue's helpers) and cohorts.

let seq = 0;

/** A provider and a published programme through the catalogue's own test helpers; returns the ids. */
export async function makeProgramme(
  db: Database,
  o: {
    title?: string;
    providerOrgId?: number | null;
    level?: 'first_line' | 'middle' | 'senior' | 'executive' | 'board';
  } = {},
) {
  const provider = await makeProvider(db, { orgId: o.providerOrgId ?? null });
  const programme = await makeCatalogueProgramme(db, provider.id, {
    ...(o.title && { title: o.title }),
    level: o.level ?? 'first_line',
  });
  return { providerId: provider.id, programmeId: programme.id };
}

/** An open cohort with one session; booking open around `today`. */
export async function makeCohort(
  db: Database,
  o: {
    programmeId: number;
    capacity?: number;
    funderApproval?: boolean;
    opens?: string;
    closes?: string;
    sessionAt?: string;
    status?: 'draft' | 'open';
  },
) {
  const cohort = await db
    .insertInto('cohorts')
    .values({
      programme_id: o.programmeId,
      name: `Cohort ${++seq}`,
      capacity: o.capacity ?? 20,
      booking_opens_on: o.opens ?? '2026-01-01',
      booking_closes_on: o.closes ?? '2027-12-31',
      status: o.status ?? 'open',
      funder_approval: o.funderApproval ?? false,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const at = new Date(o.sessionAt ?? '2027-03-01T09:30:00Z');
  await db
    .insertInto('cohort_sessions')
    .values({
      cohort_id: cohort.id,
      starts_at: at,
      ends_at: new Date(at.getTime() + 3 * 3_600_000),
      venue: 'Education Centre, Room 2',
      online_url: null,
    })
    .execute();
  await db
    .updateTable('cohorts')
    .set({ starts_on: at.toISOString().slice(0, 10), ends_on: at.toISOString().slice(0, 10) })
    .where('id', '=', cohort.id)
    .execute();
  return cohort.id;
}

export const everyone = () => true;
