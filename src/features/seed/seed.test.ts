import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { makeAccount, makePerson } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import type { Database } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { SeedRefusedError, seed } from './seed.ts';
import { withOrganisations } from './testing.ts';

// Demo scale only (a few thousand people): the properties that matter at any scale are checked on it.

const clock = { now: () => new Date('2026-11-26T09:00:00Z') };
const SEED = 7;

async function freshDeps(): Promise<Deps> {
  const deps = await testDeps();
  return { ...deps, clock };
}

const count = async (db: Database, table: 'people' | 'assignments' | 'teams' | 'accounts') =>
  (
    await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;

async function firstRows(db: Database) {
  const people = await db
    .selectFrom('people')
    .select(['id', 'staff_number', 'given_name', 'family_name', 'email', 'ethnicity', 'disability', 'sex', 'age_band'])
    .orderBy('id')
    .limit(25)
    .execute();
  const assignments = await db
    .selectFrom('assignments')
    .select([
      'id',
      'person_id',
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
    ])
    .orderBy('id')
    .limit(25)
    .execute();
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'parent_team_id', 'code', 'name', 'kind'])
    .orderBy('id')
    .limit(25)
    .execute();
  return { people, assignments, teams };
}

const a = await freshDeps();
const b = await freshDeps();
await withOrganisations(a.db);
await withOrganisations(b.db);
const first = await seed(a, { scale: 'demo', seed: SEED });
await seed(b, { scale: 'demo', seed: SEED });

describe('demo seed', () => {
  it('is deterministic: the same seed in two fresh databases gives the same data', async () => {
    for (const table of ['people', 'assignments', 'teams', 'accounts'] as const) {
      expect(await count(a.db, table)).toBe(await count(b.db, table));
    }
    expect(await firstRows(a.db)).toEqual(await firstRows(b.db));
    expect(first.people).toBeGreaterThan(3000);
    expect(first.people).toBeLessThan(10_000);
  });

  it('gives every assignment except each trust’s chief executive a line manager in the same trust, with no cycles', async () => {
    const crossTrust = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM assignments a
        JOIN assignments m ON m.id = a.line_manager_assignment_id
       WHERE m.organisation_id <> a.organisation_id OR m.end_date IS NOT NULL`.execute(a.db);
    expect(crossTrust.rows[0].n).toBe(0);

    const roots = await a.db
      .selectFrom('assignments')
      .select(['organisation_id', 'position_title', 'band'])
      .where('line_manager_assignment_id', 'is', null)
      .execute();
    expect(roots).toHaveLength(first.trusts);
    expect(new Set(roots.map((r) => r.organisation_id)).size).toBe(first.trusts);
    expect(roots.every((r) => r.position_title === 'Chief Executive' && r.band === 'VSM')).toBe(true);

    const chains = await sql<{ cycles: number; depth: number; walked: number }>`
      WITH RECURSIVE up (start_id, manager_id, depth) AS (
        SELECT id, line_manager_assignment_id, 1 FROM assignments WHERE line_manager_assignment_id IS NOT NULL
        UNION ALL
        SELECT up.start_id, m.line_manager_assignment_id, up.depth + 1
          FROM up JOIN assignments m ON m.id = up.manager_id
         WHERE m.line_manager_assignment_id IS NOT NULL AND up.depth < 50
      )
      SELECT count(*) FILTER (WHERE manager_id = start_id)::int AS cycles, max(depth)::int AS depth,
             count(DISTINCT start_id)::int AS walked
        FROM up`.execute(a.db);
    expect(chains.rows[0].cycles).toBe(0);
    // member → team manager → head of department → director → chief executive
    expect(chains.rows[0].depth).toBeLessThanOrEqual(4);
    expect(chains.rows[0].walked).toBe(first.people - first.trusts);
  });

  it('marks as managers exactly the people with reports in post, about 3% of staff', async () => {
    const r = await sql<{ staff: number; managers: number; wrong: number }>`
      SELECT count(*)::int AS staff,
             count(*) FILTER (WHERE a.is_manager)::int AS managers,
             count(*) FILTER (WHERE a.is_manager <> EXISTS (
               SELECT 1 FROM assignments r WHERE r.line_manager_assignment_id = a.id AND r.end_date IS NULL))::int AS wrong
        FROM assignments a WHERE a.end_date IS NULL`.execute(a.db);
    const { staff, managers, wrong } = r.rows[0];
    expect(wrong).toBe(0);
    expect(managers / staff).toBeGreaterThan(0.015);
    expect(managers / staff).toBeLessThan(0.045);
  });

  it('fills the ESR fields with plausible values', async () => {
    const r = await sql<Record<string, number>>`
      SELECT count(*)::int AS people,
             count(DISTINCT p.staff_number)::int AS staff_numbers,
             count(DISTINCT lower(p.email))::int AS emails,
             count(*) FILTER (WHERE p.email NOT LIKE '%.nhs.example')::int AS other_domains,
             count(*) FILTER (WHERE p.ethnicity IS NULL OR p.disability IS NULL OR p.sex IS NULL OR p.age_band IS NULL)::int AS missing,
             count(DISTINCT a.staff_group)::int AS groups,
             count(*) FILTER (WHERE a.end_date IS NOT NULL)::int AS leavers,
             count(*) FILTER (WHERE a.end_date IS NULL AND a.start_date > date '2026-11-26' - 365)::int AS joiners,
             count(*) FILTER (WHERE a.start_date < date '2026-11-26' - interval '21 years')::int AS too_old,
             count(*) FILTER (WHERE a.band = 'Medical' AND a.staff_group <> '01')::int AS misbanded,
             count(*) FILTER (WHERE a.wte < 1)::int AS part_time,
             count(*) FILTER (WHERE NOT p.synthetic)::int AS unmarked
        FROM people p JOIN assignments a ON a.person_id = p.id`.execute(a.db);
    const x = r.rows[0];
    expect(x.staff_numbers).toBe(x.people);
    expect(x.emails).toBe(x.people);
    expect(x.other_domains).toBe(0);
    expect(x.missing).toBe(0);
    expect(x.groups).toBe(8);
    expect(x.leavers / x.people).toBeGreaterThan(0.05);
    expect(x.leavers / x.people).toBeLessThan(0.15);
    expect(x.joiners).toBeGreaterThan(0);
    expect(x.too_old).toBe(0);
    expect(x.misbanded).toBe(0);
    expect(x.part_time / x.people).toBeGreaterThan(0.1);
    expect(x.unmarked).toBe(0);

    const teamKinds = await a.db
      .selectFrom('teams')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    expect(Object.fromEntries(teamKinds.map((t) => [t.kind, t.n > 0]))).toEqual({
      directorate: true,
      department: true,
      team: true,
    });
  });

  it('creates one demo persona per role, linked to real people where it makes sense', async () => {
    const personas = await a.db
      .selectFrom('accounts as ac')
      .leftJoin('role_grants as g', 'g.account_id', 'ac.id')
      .select(['ac.id', 'ac.display_name', 'ac.person_id', 'ac.password_hash', 'g.role', 'g.organisation_id'])
      .where('ac.is_demo', '=', true)
      .execute();
    expect(personas).toHaveLength(7);
    expect(personas.every((p) => p.display_name.startsWith('Demo: ') && p.password_hash === null)).toBe(true);
    const labelled = (label: string) => {
      const found = personas.filter((p) => p.display_name.endsWith(`(${label})`));
      expect(found, label).toHaveLength(1);
      return found[0];
    };
    const staff = labelled('staff member');
    const manager = labelled('line manager');
    const admin = labelled('organisation admin');
    const icb = labelled('ICB lead');
    const region = labelled('regional lead');
    expect(labelled('national admin')).toMatchObject({ role: 'national_admin', organisation_id: null });
    expect(labelled('training provider admin')).toMatchObject({ role: 'provider_admin' });
    expect(staff.role).toBeNull();
    expect(manager.role).toBeNull();

    const reports = async (personId: number | null) =>
      (
        await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM assignments r JOIN assignments m ON m.id = r.line_manager_assignment_id
           WHERE m.person_id = ${personId} AND r.end_date IS NULL AND m.end_date IS NULL`.execute(a.db)
      ).rows[0].n;
    expect(await reports(manager.person_id)).toBeGreaterThanOrEqual(3);
    expect(await reports(staff.person_id)).toBe(0);

    const adminPost = await a.db
      .selectFrom('assignments')
      .select('organisation_id')
      .where('person_id', '=', admin.person_id)
      .executeTakeFirstOrThrow();
    expect(admin).toMatchObject({ role: 'org_admin', organisation_id: adminPost.organisation_id });
    const trust = await a.db
      .selectFrom('organisations')
      .select(['icb_id', 'region_id'])
      .where('id', '=', adminPost.organisation_id)
      .executeTakeFirstOrThrow();
    expect(icb).toMatchObject({ role: 'icb_lead', organisation_id: trust.icb_id, person_id: null });
    expect(region).toMatchObject({ role: 'regional_lead', organisation_id: trust.region_id, person_id: null });

    const setting = await a.db
      .selectFrom('app_settings')
      .select('value')
      .where('key', '=', 'demo_data')
      .executeTakeFirst();
    expect(setting?.value).toBe(true);
  });

  it('refuses to seed over existing people, changing nothing', async () => {
    const before = await count(a.db, 'people');
    await expect(seed(a, { scale: 'demo', seed: SEED })).rejects.toThrow(SeedRefusedError);
    await expect(seed(a, { scale: 'demo', seed: SEED })).rejects.toThrow(/--reset/);
    expect(await count(a.db, 'people')).toBe(before);
  });

  it('--reset replaces the synthetic data and keeps real staff and accounts', async () => {
    const trust = await a.db
      .selectFrom('organisations')
      .select('id')
      .where('kind', '=', 'trust')
      .executeTakeFirstOrThrow();
    const real = await makePerson(a.db, {
      orgId: trust.id,
      given: 'Real',
      family: 'Person',
      email: 'real.person@example.org',
    });
    const account = await makeAccount(a.db, { personId: real.id, grants: [{ role: 'national_admin', orgId: null }] });
    const staffNumbers = async () =>
      (
        await a.db
          .selectFrom('people')
          .select('staff_number')
          .where('synthetic', '=', true)
          .orderBy('staff_number')
          .execute()
      ).map((p) => p.staff_number);
    const before = await staffNumbers();

    const again = await seed(a, { scale: 'demo', seed: SEED, reset: true });
    expect(again.people).toBe(first.people);
    expect(await staffNumbers()).toEqual(before);
    expect(await count(a.db, 'people')).toBe(first.people + 1);
    expect(await count(a.db, 'assignments')).toBe(first.people + 1);
    expect(await count(a.db, 'teams')).toBe(first.teams);
    const demo = await a.db.selectFrom('accounts').select('id').where('is_demo', '=', true).execute();
    expect(demo).toHaveLength(7);
    const kept = await a.db.selectFrom('accounts').select('person_id').where('id', '=', account.id).executeTakeFirst();
    expect(kept?.person_id).toBe(real.id);

    // Both runs are in the audit log, the second with what it removed.
    const runs = await a.db
      .selectFrom('audit_log')
      .select(['actor_label', 'details'])
      .where('action', '=', 'seed.run')
      .orderBy('id')
      .execute();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ actor_label: 'leadwell seed', details: { scale: 'demo', people: first.people } });
    expect(runs[1].details).toMatchObject({ removed: { people: first.people, accounts: 7 } });

    // Ids continue after the earlier ones rather than being reused.
    const minId = await a.db
      .selectFrom('people')
      .select((eb) => eb.fn.min('id').as('m'))
      .where('synthetic', '=', true)
      .executeTakeFirstOrThrow();
    expect(Number(minId.m)).toBeGreaterThan(first.people);
  });

  it('clears what other features hold about the synthetic people it replaces, and restores every key', async () => {
    // Stand in for features' tables (an appraisal of a person; an approver who may be nobody) that point at
    // generated people: rows about them go with them, optional references to them are cleared.
    await sql`CREATE TABLE seed_test_notes (person_id bigint NOT NULL REFERENCES people(id))`.execute(a.db);
    await sql`CREATE TABLE seed_test_refs (note text, approver_id bigint REFERENCES people(id))`.execute(a.db);
    await sql`INSERT INTO seed_test_notes SELECT min(id) FROM people WHERE synthetic`.execute(a.db);
    await sql`INSERT INTO seed_test_refs SELECT 'kept', min(id) FROM people WHERE synthetic`.execute(a.db);
    const foreignKeys = async () =>
      (
        await sql<{ name: string }>`
          SELECT conname AS name FROM pg_constraint WHERE contype = 'f' ORDER BY conname`.execute(a.db)
      ).rows.map((r) => r.name);
    const keys = await foreignKeys();
    await seed(a, { scale: 'demo', seed: SEED, reset: true });
    expect((await sql`SELECT * FROM seed_test_notes`.execute(a.db)).rows).toEqual([]);
    expect((await sql`SELECT * FROM seed_test_refs`.execute(a.db)).rows).toEqual([{ note: 'kept', approver_id: null }]);
    expect(await foreignKeys()).toEqual(keys);
    expect(keys).toContain('seed_test_notes_person_id_fkey');
    await sql`DROP TABLE seed_test_notes, seed_test_refs`.execute(a.db);
  });
});
