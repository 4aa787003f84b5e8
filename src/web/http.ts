import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import type { ZodError } from 'zod';
import { authorise, type Permission, type Viewer } from '../plugins/access.ts';
import { decodeBytes } from '../text.ts';
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

/**
 * The API's schema errors as one precise 400: the first violation, as "limit must be <= 100" or
 * "band must be one of: 1, 2, …". For `app.setSchemaErrorFormatter` in each feature's API.
 */
export function schemaError(problems: FastifySchemaValidationError[]): Error {
  const e = problems[0];
  const params = e.params as { allowedValues?: unknown[]; missingProperty?: string };
  const field = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || params.missingProperty || 'request';
  if (params.allowedValues) return new HttpError(400, `${field} must be one of: ${params.allowedValues.join(', ')}`);
  return new HttpError(400, `${field} ${e.message ?? 'is not valid'}`);
}

/**
 * The CSRF check of a multipart form. The app's CSRF hook runs in preValidation, before a multipart body is
 * read, so an upload route opts out of it (`config: { csrf: false }`) and calls this with the token from the
 * form's fields, before it looks at the file: the same plugin check on the same secret cookie. Rejects with the
 * plugin's error, so the error handler renders the usual "form has expired" page.
 */
export function verifyCsrfToken(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  token: string | undefined,
): Promise<void> {
  (req as { body: unknown }).body = { _csrf: token };
  return new Promise<void>((resolve, reject) => {
    // The plugin answers a failure with reply.send(error): catch that instead of sending it.
    const probe = Object.create(reply) as FastifyReply;
    probe.send = ((payload: unknown) => {
      reject(payload instanceof Error ? payload : new HttpError(403, 'The form has expired'));
      return probe;
    }) as FastifyReply['send'];
    app.csrfProtection(req, probe, () => resolve());
  });
}

export interface Upload {
  /** The form's text fields (including _csrf). */
  fields: Record<string, string>;
  /** The file of the `file` field, when one was chosen. */
  file?: { filename: string; bytes: Buffer; text: string };
  /** The file passed `maxBytes`: the caller shows its own message with status 413. */
  tooLarge: boolean;
}

/**
 * Read a multipart form with one file (every upload page): its text fields, then the file, with the CSRF token
 * checked before any file byte is read (and after, when no file came). Forms without multipart get a 400.
 */
export async function readUpload(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  maxBytes: number,
): Promise<Upload> {
  if (!req.isMultipart()) throw new HttpError(400, 'Upload the file with the form on this page');
  const upload: Upload = { fields: {}, tooLarge: false };
  let checked = false;
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
      if (part.type === 'field') {
        upload.fields[part.fieldname] = String(part.value);
        continue;
      }
      if (!checked) {
        await verifyCsrfToken(app, req, reply, upload.fields._csrf);
        checked = true;
      }
      const bytes = await part.toBuffer();
      if (part.fieldname === 'file' && part.filename) {
        upload.file = { filename: part.filename, bytes, text: decodeBytes(bytes) };
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
    upload.tooLarge = true;
  }
  if (!checked) await verifyCsrfToken(app, req, reply, upload.fields._csrf);
  return upload;
}
