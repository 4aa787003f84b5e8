import { type Insertable, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ProgrammesTable, ProviderKind } from '../../db/schema.ts';
import { loadStarters } from '../frameworks/import.ts';
import { type CompetencyOption, publishedCompetencies } from './competencies.ts';
import { refreshSearchExtra } from './queries.ts';

// Test helpers: providers, grants and programmes inserted as the product stores them.

let n = 0;

/** The starter frameworks, published, and their competencies. */
export async function withCompetencies(db: Database): Promise<CompetencyOption[]> {
  await loadStarters(db, { label: 'catalogue tests' });
  const list = await publishedCompetencies(db, true);
  if (list.length < 3) throw new Error('the starter frameworks have too few competencies for the catalogue tests');
  return list;
}

export async function makeProvider(
  db: Database,
  p: { name?: string; kind?: ProviderKind; orgId?: number | null } = {},
) {
  n += 1;
  return db
    .insertInto('providers')
    .values({
      name: p.name ?? `Test Provider ${n}`,
      kind: p.kind ?? (p.orgId ? 'nhs_organisation' : 'university'),
      organisation_id: p.orgId ?? null,
      region_id: null,
      website: null,
      contact_email: null,
    })
    .returning(['id', 'name', 'organisation_id'])
    .executeTakeFirstOrThrow();
}

export async function grantProvider(db: Database, accountId: number, providerId: number) {
  await db
    .insertInto('role_grants')
    .values({ account_id: accountId, role: 'provider_admin', organisation_id: null, provider_id: providerId })
    .execute();
}

type ProgrammeInsert = Partial<Insertable<ProgrammesTable>> & { competencies?: CompetencyOption[] };

export async function makeProgramme(db: Database, providerId: number, p: ProgrammeInsert = {}) {
  n += 1;
  const { competencies = [], ...values } = p;
  const status = (values.status as string | undefined) ?? 'published';
  const row = await db
    .insertInto('programmes')
    .values({
      provider_id: providerId,
      title: `Programme ${n}`,
      summary: 'A programme for managers in the NHS.',
      outcomes: 'Lead a team well',
      level: 'middle',
      format: 'online',
      hours: 20,
      duration_weeks: 6,
      scope: 'national',
      published_at: status === 'draft' ? null : sql`now()`,
      withdrawn_at: status === 'withdrawn' ? sql`now()` : null,
      ...values,
      status,
    } as never)
    .returning(['id', 'title'])
    .executeTakeFirstOrThrow();
  if (competencies.length) {
    await db
      .insertInto('programme_competencies')
      .values(
        competencies.map((c) => ({ programme_id: row.id, version_id: c.versionId, competency_id: c.competencyId })),
      )
      .execute();
  }
  await refreshSearchExtra(db, [row.id]);
  return row;
}
