import { z } from 'zod';
import { type Grant, roleLabels, type Viewer } from '../../plugins/access.ts';
import { newToken } from '../../plugins/session.ts';

/** Rules of personal API tokens: what a token may be created with, what it looks like, how it reads. */

export const TOKEN_PREFIX = 'lw_';
/** How much of a token is kept in clear to recognise it in a list ("lw_AbC123…"): 36 of 256 bits. */
const RECOGNISABLE = TOKEN_PREFIX.length + 6;

export function newTokenValue(): { value: string; prefix: string } {
  const value = `${TOKEN_PREFIX}${newToken(32)}`;
  return { value, prefix: value.slice(0, RECOGNISABLE) };
}

export const expiryChoices = [
  { value: '30', text: '30 days', days: 30 },
  { value: '90', text: '90 days', days: 90 },
  { value: '365', text: '1 year', days: 365 },
  { value: 'none', text: 'No expiry', days: null },
] as const;

export type ExpiryChoice = (typeof expiryChoices)[number]['value'];

export function expiresAt(choice: ExpiryChoice, now: Date): Date | null {
  const days = expiryChoices.find((c) => c.value === choice)!.days;
  return days === null ? null : new Date(now.getTime() + days * 86_400_000);
}

export const PERSONAL = 'personal';
export const personalLabel = 'Personal (staff and line manager)';

export function grantLabel(g: Pick<Grant, 'role' | 'organisationName' | 'organisationCode'>): string {
  return g.organisationName
    ? `${roleLabels[g.role]} for ${g.organisationName} (${g.organisationCode})`
    : roleLabels[g.role];
}

/** The roles a token can be created with: the personal one, or exactly one of the viewer's grants. */
export function roleOptions(v: Viewer) {
  return [
    {
      value: PERSONAL,
      text: personalLabel,
      hint: 'Acts as you: your own record, and your direct reports if you are a line manager.',
    },
    ...v.grants.map((g) => ({ value: String(g.id), text: grantLabel(g), hint: undefined })),
  ];
}

const blank = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

export const createTokenForm = z.object({
  name: z.preprocess(
    blank,
    z
      .string({ error: 'Enter a name for the token' })
      .min(1, 'Enter a name for the token')
      .max(100, 'Name must be 100 characters or fewer'),
  ),
  role: z.string({ error: 'Select the role the token acts with' }).min(1, 'Select the role the token acts with'),
  expiry: z.enum(['30', '90', '365', 'none'], { error: 'Select when the token expires' }),
});

/** The grant a token is created with: null for personal; undefined when the choice is not one of the viewer's. */
export function chosenGrant(v: Viewer, role: string): Grant | null | undefined {
  if (role === PERSONAL) return null;
  return v.grants.find((g) => String(g.id) === role);
}

export type TokenStatus = 'Active' | 'Expired' | 'Revoked';

export function tokenStatus(t: { revoked_at: Date | null; expires_at: Date | null }, now: Date): TokenStatus {
  if (t.revoked_at) return 'Revoked';
  if (t.expires_at && t.expires_at <= now) return 'Expired';
  return 'Active';
}
