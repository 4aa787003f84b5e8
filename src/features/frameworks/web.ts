import type { FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { AppContext } from '../../feature.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { setFlash, takeFlash as takeSessionFlash } from '../../plugins/session.ts';
import { guard, HttpError, notFound } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { LifecycleError } from './lifecycle.ts';
import { type FrameworkRow, findFramework, type VersionRow, versionsOf } from './queries.ts';

// What the framework pages share: look-ups that answer 404, flash messages, and the mapping of the
// database's "not a draft" refusal to a 409 page.

export const views = 'features/frameworks/views';
export const frameworkUrl = (key: string) => `/frameworks/${encodeURIComponent(key)}`;
export const draftUrl = (key: string) => `${frameworkUrl(key)}/draft`;

export async function frameworkOr404(db: Database, key: string): Promise<FrameworkRow> {
  const f = await findFramework(db, key);
  if (!f) throw notFound('Framework');
  return f;
}

export async function draftOr404(db: Database, key: string): Promise<{ framework: FrameworkRow; draft: VersionRow }> {
  const framework = await frameworkOr404(db, key);
  const draft = (await versionsOf(db, framework.id)).find((v) => v.status === 'draft');
  if (!draft) throw new HttpError(404, `${framework.title} has no draft: start a new version to make changes`);
  return { framework, draft };
}

/** A framework's draft, as every draft page works on it. */
export type DraftTarget = { framework: FrameworkRow; draft: VersionRow };

/** What a draft form re-renders with after a refusal. */
export type DraftForm = {
  values?: Record<string, unknown>;
  errors?: FieldError[];
  fields?: Record<string, { text: string }>;
};

/** The guard of every draft page and action: national admins only, then the framework's draft or 404. */
export async function authorDraft(db: Database, req: FastifyRequest<{ Params: { key: string } }>) {
  const viewer = guard(req, { action: 'frameworks:author' });
  return { viewer, target: await draftOr404(db, req.params.key) };
}

/** A numeric id from the URL; anything else is a page that does not exist. */
export function idParam(value: string, what = 'Page'): number {
  if (!/^\d{1,9}$/.test(value)) throw notFound(what);
  return Number(value);
}

export const actorOf = (req: FastifyRequest, viewer: Viewer) => ({ viewer, ip: req.ip });

/**
 * A draft edit in one transaction. If the version was published in the meantime the database refuses the
 * write (SQLSTATE LW001); the editor hears that as a conflict, not as a server error.
 */
export async function inDraft<T>(db: Database, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(fn);
  } catch (err) {
    if ((err as { code?: string }).code === 'LW001') {
      throw new HttpError(409, 'This version is no longer a draft: it has been published, so it cannot change');
    }
    throw err;
  }
}

/** Lifecycle refusals as the error page with their own status and reason. */
export function asHttp(err: unknown): never {
  if (err instanceof LifecycleError) throw new HttpError(err.status, err.message);
  throw err;
}

export const flash = (ctx: AppContext, req: FastifyRequest, text: string) => setFlash(ctx.deps, req, text);

export const takeFlash = (ctx: AppContext, req: FastifyRequest) => takeSessionFlash(ctx.deps, req);

/** A form body as strings (repeated fields keep their first value). */
export function formBody(req: FastifyRequest): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? String(v[0] ?? '') : String(v ?? '')]),
  );
}

/** The audit entry of a draft edit: which framework, which version, what changed. */
export function draftAudit(
  db: Database,
  req: FastifyRequest,
  viewer: Viewer,
  target: { framework: FrameworkRow; draft: VersionRow },
  action: string,
  details: Record<string, unknown> = {},
) {
  return audit(db, actorOf(req, viewer), {
    action,
    subjectType: 'framework_version',
    subjectId: target.draft.id,
    details: { key: target.framework.key, version: target.draft.version, ...details },
  });
}

/** The direction of an up/down button. */
export function directionOf(req: FastifyRequest): 'up' | 'down' {
  const d = formBody(req).direction;
  if (d !== 'up' && d !== 'down') throw new HttpError(400, 'Choose to move up or down');
  return d;
}
