import type { FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';
import { authorise, type Permission, type Viewer } from '../plugins/access.ts';
import type { FieldError } from './render.ts';

/** An error with an HTTP status and a message safe to show to the user. */
export class HttpError extends Error {
  constructor(
    public statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what = 'Page') => new HttpError(404, `${what} not found`);
export const forbidden = () => new HttpError(403, 'You do not have permission to see this page');

/**
 * The route guard: signed out → 401 (pages redirect to sign-in), not allowed → 403.
 * Returns the viewer so handlers can use it without a null check.
 */
export function guard(req: FastifyRequest, permission: Permission, opts: { demoMode?: boolean } = {}): Viewer {
  if (!req.viewer) throw new HttpError(401, req.authProblem ?? 'Sign in to continue');
  if (!authorise(req.viewer, permission, opts)) throw forbidden();
  return req.viewer;
}

/** Zod issues as the NHS error summary list (href to each field) and a message per field. */
export function formErrors(error: ZodError) {
  const errors: FieldError[] = [];
  const fields: Record<string, { text: string }> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    if (fields[field]) continue;
    const text = issue.message;
    fields[field] = { text };
    errors.push({ text, href: `#${field || 'main'}` });
  }
  return { errors, fields };
}

export function singleError(field: string, text: string) {
  return { errors: [{ text, href: `#${field}` }], fields: { [field]: { text } } };
}

/** Cursor pagination for the API: an opaque base64url token of the last row's sort key. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): unknown[] | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v)) return v;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'cursor is not valid: use the next_cursor value from the previous page');
}
