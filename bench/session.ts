import type { GrantedRole } from '../src/db/schema.ts';
import type { Deps } from '../src/deps.ts';
import { hashToken, newToken } from '../src/plugins/session.ts';

/**
 * A signed-in session for load tests: a real account (created once, by email) with the given grants and a real
 * session row, as sign-in would create. `personId` links the account to a person (for a manager's own pages).
 * Returns the Cookie header value.
 */
export async function benchSession(
  deps: Deps,
  email: string,
  name: string,
  grant?: { role: GrantedRole; orgId: number | null },
  personId?: number,
): Promise<string> {
  const db = deps.db;
  // A person has at most one account: reuse it when the person already has one (under another email).
  let account = await db
    .selectFrom('accounts')
    .select('id')
    .where((eb) =>
      personId === undefined
        ? eb('email', '=', email)
        : eb.or([eb('email', '=', email), eb('person_id', '=', personId)]),
    )
    .executeTakeFirst();
  if (!account) {
    account = await db
      .insertInto('accounts')
      .values({ email, display_name: name, ...(personId !== undefined && { person_id: personId }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (grant)
      await db
        .insertInto('role_grants')
        .values({ account_id: account.id, role: grant.role, organisation_id: grant.orgId })
        .execute();
  }
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({ id: hashToken(token), account_id: account.id, data: '{}', expires_at: new Date(Date.now() + 86_400_000) })
    .execute();
  return `lw_session=${token}`;
}
