import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/**
 * People behind xAPI actors, by email address: the person's own email, or the email of an account linked to a
 * person. Both lookups use the lower(email) unique indexes. `organisationIds`: only people with a current
 * assignment in one of them (an organisation admin's token records learning for its own staff only).
 */
export async function peopleByEmail(
  db: Database,
  emails: string[],
  organisationIds: number[] | null,
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (emails.length === 0) return found;
  const lowered = [...new Set(emails.map((e) => e.toLowerCase()))];
  const rows = await db
    .selectFrom(
      sql<{ email: string; person_id: number }>`(
        SELECT lower(p.email) AS email, p.id AS person_id FROM people p WHERE lower(p.email) = ANY(${lowered}::text[])
        UNION
        SELECT lower(a.email), a.person_id FROM accounts a
         WHERE lower(a.email) = ANY(${lowered}::text[]) AND a.person_id IS NOT NULL AND a.status = 'active'
      )`.as('m'),
    )
    .select(['m.email', 'm.person_id'])
    .$if(organisationIds !== null, (q) =>
      q.where(
        sql<boolean>`EXISTS (SELECT 1 FROM assignments sa WHERE sa.person_id = m.person_id AND sa.end_date IS NULL
          AND sa.organisation_id = ANY(${organisationIds ?? []}::int[]))`,
      ),
    )
    .execute();
  // A person's own email wins over a different person's account email (the people index keeps each unique).
  for (const r of rows) if (!found.has(r.email)) found.set(r.email, Number(r.person_id));
  return found;
}
