import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { GrantedRole } from '../../db/schema.ts';

/**
 * SQL of the accounts feature: accounts, role grants, sessions, password resets and the sign-in
 * throttle. Every lookup is by primary key or a unique index (lower(email), oidc_subject, token hash).
 * Times come from the caller's clock, never from now(), so tests can move time.
 */

export async function findAccountForSignIn(db: Database, email: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name', 'password_hash', 'status', 'locked_until'])
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/**
 * One more failure, atomically. A lock that has run out starts the count again; reaching `max`
 * sets the lock. The right-hand sides of an UPDATE see the old row, so the count is written twice.
 */
function failureSet(table: 'accounts' | 'sign_in_throttle', now: Date, max: number, lockMs: number) {
  const lockedUntil = sql.ref(`${table}.locked_until`);
  const expired = sql`(${lockedUntil} IS NOT NULL AND ${lockedUntil} <= ${now})`;
  const attempts = sql<number>`CASE WHEN ${expired} THEN 1 ELSE ${sql.ref(`${table}.failed_attempts`)} + 1 END`;
  const lockEnd = new Date(now.getTime() + lockMs);
  return {
    failed_attempts: attempts,
    locked_until: sql<Date | null>`CASE WHEN ${attempts} >= ${max} THEN ${lockEnd}::timestamptz
      WHEN ${expired} THEN NULL ELSE ${lockedUntil} END`,
  };
}

export async function recordAccountFailure(db: Database, accountId: number, now: Date, max: number, lockMs: number) {
  return db
    .updateTable('accounts')
    .set(failureSet('accounts', now, max, lockMs))
    .where('id', '=', accountId)
    .returning(['failed_attempts', 'locked_until'])
    .executeTakeFirstOrThrow();
}

export async function throttleLockedUntil(db: Database, emailHash: string): Promise<Date | null> {
  const row = await db
    .selectFrom('sign_in_throttle')
    .select('locked_until')
    .where('email_hash', '=', emailHash)
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

export async function recordUnknownFailure(db: Database, emailHash: string, now: Date, max: number, lockMs: number) {
  return db
    .insertInto('sign_in_throttle')
    .values({
      email_hash: emailHash,
      failed_attempts: 1,
      locked_until: max <= 1 ? new Date(now.getTime() + lockMs) : null,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('email_hash').doUpdateSet({ ...failureSet('sign_in_throttle', now, max, lockMs), updated_at: now }),
    )
    .returning(['failed_attempts', 'locked_until'])
    .executeTakeFirstOrThrow();
}

/** Forget stale unknown-address rows, a bounded batch at a time, so the table never grows without limit. */
export async function pruneThrottle(db: Database, olderThan: Date) {
  await db
    .deleteFrom('sign_in_throttle')
    .where(
      'email_hash',
      'in',
      db.selectFrom('sign_in_throttle').select('email_hash').where('updated_at', '<', olderThan).limit(100),
    )
    .execute();
}

export async function recordSignIn(db: Database, accountId: number, now: Date) {
  await db
    .updateTable('accounts')
    .set({ failed_attempts: 0, locked_until: null, last_sign_in_at: now })
    .where('id', '=', accountId)
    .execute();
}

export async function findActiveAccountByEmail(db: Database, email: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name'])
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function createPasswordReset(
  db: Database,
  r: { tokenHash: string; accountId: number; now: Date; expiresAt: Date },
) {
  await db
    .insertInto('password_resets')
    .values({ token_hash: r.tokenHash, account_id: r.accountId, created_at: r.now, expires_at: r.expiresAt })
    .execute();
}

export async function findPasswordReset(db: Database, tokenHash: string) {
  return db
    .selectFrom('password_resets as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .select(['r.account_id', 'r.expires_at', 'r.used_at', 'a.email', 'a.status'])
    .where('r.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Use a reset token and set the new password, in one transaction: the token is claimed with a
 * conditional UPDATE (so two submissions cannot both succeed), every other unused token of the
 * account dies, the lock is lifted and every session of the account ends.
 */
export async function completePasswordReset(
  db: Database,
  r: { tokenHash: string; passwordHash: string; now: Date },
): Promise<number | null> {
  return db.transaction().execute(async (tx) => {
    const claimed = await tx
      .updateTable('password_resets')
      .set({ used_at: r.now })
      .where('token_hash', '=', r.tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', r.now)
      .returning('account_id')
      .executeTakeFirst();
    if (!claimed) return null;
    const accountId = claimed.account_id;
    await tx
      .updateTable('password_resets')
      .set({ used_at: r.now })
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .execute();
    await tx
      .updateTable('accounts')
      .set({ password_hash: r.passwordHash, failed_attempts: 0, locked_until: null })
      .where('id', '=', accountId)
      .execute();
    await tx.deleteFrom('sessions').where('account_id', '=', accountId).execute();
    return accountId;
  });
}

export async function passwordHashOf(db: Database, accountId: number): Promise<string | null> {
  const row = await db.selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirst();
  return row?.password_hash ?? null;
}

/** A new password from the account page: this session stays, every other one ends. */
export async function changePassword(db: Database, accountId: number, passwordHash: string, keepSessionId: string) {
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', accountId).execute();
    await tx.deleteFrom('sessions').where('account_id', '=', accountId).where('id', '<>', keepSessionId).execute();
  });
}

export async function activeSessionCount(db: Database, accountId: number, now: Date, idleMs: number) {
  const row = await db
    .selectFrom('sessions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('account_id', '=', accountId)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', new Date(now.getTime() - idleMs))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The signed-in person's own record: name, staff number and current posts (not someone else's: no audit). */
export async function ownPerson(db: Database, personId: number) {
  const person = await db
    .selectFrom('people')
    .select(['id', 'given_name', 'family_name', 'staff_number'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) return undefined;
  const posts = await db
    .selectFrom('assignments as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.id', 'a.position_title', 'a.band', 'o.name as organisation_name', 'o.code as organisation_code'])
    .where('a.person_id', '=', personId)
    .where('a.end_date', 'is', null)
    .orderBy('a.start_date')
    .execute();
  return { ...person, posts };
}

export async function findBySubject(db: Database, subject: string) {
  return db.selectFrom('accounts').select(['id', 'status']).where('oidc_subject', '=', subject).executeTakeFirst();
}

export async function findForOidcEmail(db: Database, email: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'status', 'oidc_subject'])
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Link an account to an identity-provider subject, unless it is linked already (a race or a different subject). */
export async function linkSubject(db: Database, accountId: number, subject: string): Promise<boolean> {
  const res = await db
    .updateTable('accounts')
    .set({ oidc_subject: subject })
    .where('id', '=', accountId)
    .where('oidc_subject', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function findDemoAccount(db: Database, accountId: number) {
  return db.selectFrom('accounts').select(['id', 'is_demo', 'status']).where('id', '=', accountId).executeTakeFirst();
}

/**
 * Demo personas for the sign-in page: each demo account with its grants, and the organisation of
 * its person's current post. Demo data has a handful of them; the limit keeps the page bounded anyway.
 */
export async function demoPersonas(db: Database, limit = 50) {
  const accounts = await db
    .selectFrom('accounts as a')
    .select((eb) => [
      'a.id',
      'a.display_name',
      'a.person_id',
      eb
        .selectFrom('assignments as s')
        .innerJoin('organisations as o', 'o.id', 's.organisation_id')
        .select('o.name')
        .whereRef('s.person_id', '=', 'a.person_id')
        .where('s.end_date', 'is', null)
        .orderBy('s.start_date')
        .limit(1)
        .as('organisation_name'),
      eb
        .exists(
          eb
            .selectFrom('assignments as m')
            .innerJoin('assignments as r', 'r.line_manager_assignment_id', 'm.id')
            .select(sql`1`.as('one'))
            .whereRef('m.person_id', '=', 'a.person_id')
            .where('m.end_date', 'is', null)
            .where('r.end_date', 'is', null),
        )
        .as('manages'),
    ])
    .where('a.is_demo', '=', true)
    .where('a.status', '=', 'active')
    .orderBy('a.display_name')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return withGrants(db, accounts);
}

// --- The `leadwell users` commands ---

export async function findAccountByEmail(db: Database, email: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email'])
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Create a national admin, or make an existing account one: new password, active again, lock lifted. */
export async function upsertNationalAdmin(db: Database, a: { email: string; name: string; passwordHash: string }) {
  return db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('accounts')
      .select('id')
      .where(sql`lower(email)`, '=', a.email.trim().toLowerCase())
      .forUpdate()
      .executeTakeFirst();
    let id: number;
    if (existing) {
      id = existing.id;
      await tx
        .updateTable('accounts')
        .set({
          display_name: a.name,
          password_hash: a.passwordHash,
          status: 'active',
          failed_attempts: 0,
          locked_until: null,
        })
        .where('id', '=', id)
        .execute();
    } else {
      const row = await tx
        .insertInto('accounts')
        .values({ email: a.email.trim(), display_name: a.name, password_hash: a.passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    }
    await tx
      .insertInto('role_grants')
      .values({ account_id: id, role: 'national_admin', organisation_id: null })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return { id, created: !existing };
  });
}

/** Add a role grant; false when the account already had it. */
export async function grantRole(
  db: Database,
  g: { accountId: number; role: GrantedRole; organisationId: number | null; by?: number | null },
): Promise<boolean> {
  const res = await db
    .insertInto('role_grants')
    .values({ account_id: g.accountId, role: g.role, organisation_id: g.organisationId, created_by: g.by ?? null })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return res !== undefined;
}

/** One keyset page of accounts (by id) with their grants. */
export async function accountsPage(db: Database, afterId: number, limit: number) {
  const accounts = await db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name', 'status', 'is_demo', 'last_sign_in_at'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return withGrants(db, accounts);
}

/** The accounts with their role grants (and each grant's organisation), in two queries for the whole list. */
async function withGrants<A extends { id: number }>(db: Database, accounts: A[]) {
  if (accounts.length === 0) return [];
  const grants = await db
    .selectFrom('role_grants as g')
    .leftJoin('organisations as o', 'o.id', 'g.organisation_id')
    .select(['g.account_id', 'g.role', 'o.name as organisation_name', 'o.code'])
    .where(
      'g.account_id',
      'in',
      accounts.map((a) => a.id),
    )
    .orderBy('g.id')
    .execute();
  return accounts.map((a) => ({ ...a, grants: grants.filter((g) => g.account_id === a.id) }));
}

/**
 * Remove what sign-in leaves behind once it can no longer be used: sessions past their absolute or idle
 * time-out, password-reset links that expired or were used over a day ago, and throttle rows for unknown
 * addresses that are neither locked nor recent. Expired sessions are refused on use anyway; this keeps the
 * tables (and the session lookup index) small.
 */
export async function sweepExpired(db: Database, now: Date, idleMs: number) {
  const idleBefore = new Date(now.getTime() - idleMs);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .executeTakeFirst();
  const resets = await db
    .deleteFrom('password_resets')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', '<', dayAgo)]))
    .executeTakeFirst();
  const throttle = await db
    .deleteFrom('sign_in_throttle')
    .where('updated_at', '<', dayAgo)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  return {
    sessions: Number(sessions.numDeletedRows),
    resets: Number(resets.numDeletedRows),
    throttle: Number(throttle.numDeletedRows),
  };
}
