import { randomBytes } from 'node:crypto';
import { hash, type Options, verify } from '@node-rs/argon2';

// argon2id at the OWASP baseline (19 MiB, 2 passes, 1 lane): about 30 ms here, so a burst of
// sign-ins cannot exhaust the 2-core machine. `Algorithm` is an ambient const enum that
// isolatedModules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Options['algorithm'];
const options: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// A real hash of a random password, made once: unknown emails and accounts without a password are
// verified against it, so the response takes as long as for a real account.
let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}

/** True only for a stored hash that matches. Always does one full argon2 verification. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    await verify(await dummyHash(), password, options);
    return false;
  }
  try {
    return await verify(stored, password, options);
  } catch {
    // A malformed stored hash must not become a 500; it simply never matches.
    return false;
  }
}

/** A strong random password for `users create-admin` without --password-stdin: 24 characters, 144 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
