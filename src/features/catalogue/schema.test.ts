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
});
