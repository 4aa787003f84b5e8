import { createHash } from 'node:crypto';
import { formatDate } from '../../web/nunjucks.ts';

/**
 * Rules of the accounts feature that need no database: where to go after sign-in, what makes a
 * password acceptable, and what the sign-in page says about a lock.
 */

export const MIN_PASSWORD_LENGTH = 12;
export const RESET_TOKEN_TTL_MS = 60 * 60_000;

/**
 * The `next` parameter is honoured only for a path on this site: one leading '/', not '//' or '/\'
 * (which browsers treat as another host), and no control characters. Anything else goes home.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // Control characters and backslashes: some browsers strip or rewrite them into '//host'.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is exactly what this rejects
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  return next;
}

/** Why a new password is not acceptable, or null. The same rules on every form and in the CLI. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > 200) return 'Password must be 200 characters or fewer';
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    return 'Password must not be your email address';
  }
  return null;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** How an unknown email address is remembered for throttling: a hash, never the address. */
export function emailHash(email: string): string {
  return createHash('sha256')
    .update(`sign-in:${normaliseEmail(email)}`)
    .digest('hex');
}

export function isLocked(lockedUntil: Date | null, now: Date): lockedUntil is Date {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/** The message for a locked account (or a locked unknown address: the same words, so nothing is revealed). */
export function lockedMessage(lockedUntil: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
  return (
    'This account is temporarily locked because of too many failed sign-in attempts. ' +
    `Try again in ${minutes} minute${minutes === 1 ? '' : 's'} (after ${formatDate(lockedUntil)}), ` +
    'or reset your password.'
  );
}

export const WRONG_CREDENTIALS = 'Enter a correct email address and password';

/** Only plain http to this machine may skip TLS when talking to an OpenID provider (local development and tests). */
export function isLocalHttpIssuer(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
