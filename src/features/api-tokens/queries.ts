import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/** A viewer's own tokens, newest first, with the role each acts as. Never the hash. */
export async function tokensOf(db: Database, accountId: number) {
  return db
    .selectFrom('api_tokens as t')
    .leftJoin('role_grants as g', 'g.id', 't.role_grant_id')
    .leftJoin('organisations as o', 'o.id', 'g.organisation_id')
    .select([
      't.id',
      't.name',
      't.prefix',
      't.role_grant_id',
      'g.role',
      'o.code as organisation_code',
      'o.name as organisation_name',
      't.created_at',
      't.expires_at',
      't.last_used_at',
      't.revoked_at',
    ])
    .where('t.account_id', '=', accountId)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(500)
    .execute();
}

/** Whether the account already has a usable token of this name (names tell tokens apart in the list). */
export async function hasActiveTokenNamed(db: Database, accountId: number, name: string, now: Date) {
  const row = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('account_id', '=', accountId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertToken(
  db: Database,
  t: {
    accountId: number;
    name: string;
    tokenHash: string;
    prefix: string;
    roleGrantId: number | null;
    createdAt: Date;
    expiresAt: Date | null;
  },
) {
  return db
    .insertInto('api_tokens')
    .values({
      account_id: t.accountId,
      name: t.name,
      token_hash: t.tokenHash,
      prefix: t.prefix,
      role_grant_id: t.roleGrantId,
      created_at: t.createdAt,
      expires_at: t.expiresAt,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

/** Revoke one of the account's own tokens; undefined when there is no such active token. */
export async function revokeToken(db: Database, accountId: number, id: number, now: Date) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name', 'prefix', 'role_grant_id'])
    .executeTakeFirst();
}

/** What /api/v1/me says about the token in use. */
export async function tokenSummary(db: Database, id: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}
