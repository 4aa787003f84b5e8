import type { Deps } from '../../deps.ts';
import { emailHash, isLocked } from './accounts.ts';
import { verifyPassword } from './passwords.ts';
import {
  findAccountForSignIn,
  findBySubject,
  findForOidcEmail,
  linkSubject,
  pruneThrottle,
  recordAccountFailure,
  recordSignIn,
  recordUnknownFailure,
  throttleLockedUntil,
} from './queries.ts';

export type PasswordOutcome =
  | { kind: 'ok'; accountId: number }
  | { kind: 'wrong'; account?: { id: number; email: string } }
  | { kind: 'locked'; until: Date; account?: { id: number; email: string } }
  | { kind: 'disabled'; account: { id: number; email: string } };

const DAY_MS = 86_400_000;

/**
 * Check an email and password. Exactly one argon2 verification happens on every path (a dummy hash
 * for unknown emails and accounts without a password), and an unknown email is throttled exactly like
 * a real account, so neither timing nor the lock message tells whether the address has an account.
 */
export async function checkPassword(deps: Deps, email: string, password: string): Promise<PasswordOutcome> {
  const { db, clock } = deps;
  const { maxFailures, lockMs } = deps.config.signIn;
  const now = clock.now();
  const account = await findAccountForSignIn(db, email);

  if (!account) {
    const key = emailHash(email);
    const lockedUntil = await throttleLockedUntil(db, key);
    await verifyPassword(null, password);
    if (isLocked(lockedUntil, now)) return { kind: 'locked', until: lockedUntil };
    const after = await recordUnknownFailure(db, key, now, maxFailures, lockMs);
    await pruneThrottle(db, new Date(now.getTime() - Math.max(lockMs, DAY_MS)));
    return isLocked(after.locked_until, now) ? { kind: 'locked', until: after.locked_until } : { kind: 'wrong' };
  }

  const who = { id: account.id, email: account.email };
  const matches = await verifyPassword(account.password_hash, password);
  // While locked even the right password is refused: the lock is what stops guessing.
  if (isLocked(account.locked_until, now)) return { kind: 'locked', until: account.locked_until, account: who };
  if (!matches) {
    const after = await recordAccountFailure(db, account.id, now, maxFailures, lockMs);
    return isLocked(after.locked_until, now)
      ? { kind: 'locked', until: after.locked_until, account: who }
      : { kind: 'wrong', account: who };
  }
  if (account.status !== 'active') return { kind: 'disabled', account: who };
  await recordSignIn(db, account.id, now);
  return { kind: 'ok', accountId: account.id };
}

export type IdentityMatch =
  | { kind: 'ok'; accountId: number; linked: boolean }
  | { kind: 'refused'; reason: 'no-account' | 'disabled' | 'no-claim' | 'unverified-email' | 'linked-elsewhere' };

/**
 * Find the Leadwell account for an identity from the OpenID provider: first by its subject (once linked,
 * the link is what counts, even if the email later changes); otherwise an active account whose email
 * equals the configured claim, which is then linked to this subject.
 */
export async function matchIdentity(
  deps: Deps,
  claims: Record<string, unknown>,
  matchClaim: string,
): Promise<IdentityMatch> {
  const subject = String(claims.sub);
  const bySubject = await findBySubject(deps.db, subject);
  if (bySubject) {
    if (bySubject.status !== 'active') return { kind: 'refused', reason: 'disabled' };
    await recordSignIn(deps.db, bySubject.id, deps.clock.now());
    return { kind: 'ok', accountId: bySubject.id, linked: false };
  }
  const value = claims[matchClaim];
  if (typeof value !== 'string' || value.trim() === '') return { kind: 'refused', reason: 'no-claim' };
  // An address the provider itself has not verified proves nothing about who holds it.
  if (matchClaim === 'email' && claims.email_verified === false) return { kind: 'refused', reason: 'unverified-email' };
  const account = await findForOidcEmail(deps.db, value);
  if (!account) return { kind: 'refused', reason: 'no-account' };
  if (account.status !== 'active') return { kind: 'refused', reason: 'disabled' };
  if (account.oidc_subject !== null || !(await linkSubject(deps.db, account.id, subject))) {
    return { kind: 'refused', reason: 'linked-elsewhere' };
  }
  await recordSignIn(deps.db, account.id, deps.clock.now());
  return { kind: 'ok', accountId: account.id, linked: true };
}
