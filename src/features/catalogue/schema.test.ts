import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';

describe('catalogue tables', () => {
  it('weights the title above the summary in the generated search column', async () => {
    const { db } = await testDeps();
    const p = await sql<{
      id: number;
    }>`INSERT INTO providers (name, kind) VALUES ('Test University', 'university') RETURNING id`.execute(db);
    await sql`INSERT INTO programmes (provider_id, title, summary, level, format, hours, duration_weeks, scope)
      VALUES (${p.rows[0].id}, 'Coaching for managers', 'Budgets and finance', 'middle', 'online', 10, 4, 'national'),
             (${p.rows[0].id}, 'Finance essentials', 'Coaching conversations', 'middle', 'online', 10, 4, 'national')`.execute(
      db,
    );
    const r = await sql<{ title: string }>`SELECT title FROM programmes
      WHERE search @@ websearch_to_tsquery('english', 'coaching')
      ORDER BY ts_rank(search, websearch_to_tsquery('english', 'coaching')) DESC`.execute(db);
    expect(r.rows.map((x) => x.title)).toEqual(['Coaching for managers', 'Finance essentials']);
  });

  it('keeps the search summary in step with every write to programmes: published ones only', async () => {
    const { db } = await testDeps();
    const p = await sql<{
      id: number;
    }>`INSERT INTO providers (name, kind) VALUES ('Summary University', 'university') RETURNING id`.execute(db);
    const inserted = await sql<{ id: number }>`INSERT INTO programmes
        (provider_id, title, summary, level, format, hours, duration_weeks, scope, status, published_at)
      VALUES (${p.rows[0].id}, 'Rota planning', 'Safe staffing', 'middle', 'online', 10, 4, 'national', 'published', now()),
             (${p.rows[0].id}, 'Draft only', 'Not yet', 'middle', 'online', 10, 4, 'national', 'draft', NULL)
      RETURNING id`.execute(db);
    const [published, draft] = inserted.rows.map((r) => Number(r.id));
    const summary = () =>
      db
        .selectFrom('catalogue_search')
        .select(['programme_id', 'title', 'accredited', 'next_cohort_start'])
        .orderBy('programme_id')
        .execute();
    expect(await summary()).toEqual([
      { programme_id: published, title: 'Rota planning', accredited: false, next_cohort_start: null },
    ]);
    await sql`UPDATE programmes SET title = 'Rota planning for wards', next_cohort_start = '2027-01-04',
      accreditation_status = 'accredited', accredited_until = '2030-01-01' WHERE id = ${published}`.execute(db);
    await sql`UPDATE programmes SET status = 'published', published_at = now() WHERE id = ${draft}`.execute(db);
    expect(await summary()).toEqual([
      { programme_id: published, title: 'Rota planning for wards', accredited: true, next_cohort_start: '2027-01-04' },
      { programme_id: draft, title: 'Draft only', accredited: false, next_cohort_start: null },
    ]);
    const found = await sql<{ id: number }>`SELECT programme_id AS id FROM catalogue_search
      WHERE search @@ websearch_to_tsquery('english', 'wards')`.execute(db);
    expect(found.rows.map((r) => Number(r.id))).toEqual([published]);
    await sql`UPDATE programmes SET status = 'withdrawn', withdrawn_at = now() WHERE id = ${published}`.execute(db);
    await sql`DELETE FROM programmes WHERE id = ${draft}`.execute(db);
    expect(await summary()).toEqual([]);
  });
});
