import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { AppContext } from '../../feature.ts';
import {
  type DevelopmentAccess,
  type DevelopmentSubject,
  developmentAccess,
  type Viewer,
} from '../../plugins/access.ts';
import { type AuditEntry, audit } from '../../plugins/audit.ts';
import { setFlash, takeFlash as takeSessionFlash } from '../../plugins/session.ts';
import { guard, HttpError, notFound } from '../../web/http.ts';
import { findNamedSubject } from '../people/queries.ts';

// What the development pages and API share: the access decision on a person's record (audited when the
// reader is someone else), the person's own id, flash messages and ids from URLs.

export const views = 'features/assessments/views';
export const home = '/me/development';

/** The signed-in person (their own development pages); accounts without a person have none. */
export function ownPerson(req: FastifyRequest): { viewer: Viewer; personId: number } {
  const viewer = guard(req, { action: 'development:own' });
  return { viewer, personId: viewer.personId! };
}

export interface SubjectAccess {
  viewer: Viewer;
  subject: DevelopmentSubject;
  access: DevelopmentAccess;
  person: { id: number; given_name: string; family_name: string };
}

/**
 * A person's development record for a reader: 404 for no such person, 403 for anyone developmentAccess does not
 * allow (peers, ICB, regional and national roles). A read by anyone but the person is audited here, so no route
 * can forget it. `load`, when given, reads the page's data once access is granted, while the audit entry is
 * written (the page waits for both); its result is `loaded`.
 */
export async function readSubject<T = undefined>(
  db: Database,
  req: FastifyRequest,
  personId: number,
  what: { action: string; subjectType: string; subjectId?: number | string },
  load?: () => Promise<T>,
): Promise<SubjectAccess & { loaded: T }> {
  const viewer = guard(req, { action: 'signed-in' });
  // The person's name is read with the access facts (one statement); it is only used once access is granted.
  const found = await findNamedSubject(db, personId);
  if (!found) throw notFound('Person');
  const { subject, person } = found;
  const access = developmentAccess(viewer, subject);
  guard(req, { action: 'development:read', subject });
  if (!access) throw notFound('Person');
  const [loaded] = await Promise.all([
    load ? load() : (undefined as T),
    access !== 'self'
      ? audit(
          db,
          { viewer, ip: req.ip },
          {
            action: what.action,
            subjectType: what.subjectType,
            subjectId: what.subjectId ?? personId,
            personId,
            details: { access },
          },
        )
      : undefined,
  ]);
  return {
    viewer,
    subject,
    access,
    person: { id: person.id, given_name: person.given_name, family_name: person.family_name },
    loaded,
  };
}

/** The audit entry of a write to one's own record. */
export function auditWrite(db: Database, req: FastifyRequest, viewer: Viewer, entry: AuditEntry) {
  return audit(db, { viewer, ip: req.ip }, { personId: viewer.personId, ...entry });
}

export const flash = (ctx: AppContext, req: FastifyRequest, text: string) => setFlash(ctx.deps, req, text);
export const takeFlash = (ctx: AppContext, req: FastifyRequest) => takeSessionFlash(ctx.deps, req);

/** A numeric id from the URL; anything else is a page that does not exist. */
export function idParam(value: string, what = 'Page'): number {
  if (!/^\d{1,15}$/.test(value)) throw notFound(what);
  return Number(value);
}

/** A form body as strings (repeated fields keep their first value). */
export function formBody(req: FastifyRequest): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? String(v[0] ?? '') : String(v ?? '')]),
  );
}

/** Every value of a repeated form field (checkboxes). */
export function formList(req: FastifyRequest, name: string): string[] {
  const v = ((req.body ?? {}) as Record<string, unknown>)[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** The lock triggers' refusals (submitted assessment, evidence in use) as a 409 with the reason. */
export function lockedAsHttp(err: unknown): never {
  const code = (err as { code?: string }).code;
  if (code === 'LW101') throw new HttpError(409, 'This self-assessment has been submitted, so it cannot change');
  if (code === 'LW102') {
    throw new HttpError(
      409,
      'This evidence is used by a submitted self-assessment, so it cannot be deleted: submitted assessments keep their evidence',
    );
  }
  throw err;
}

// One formatter for every date: toLocaleDateString builds a new one on each call, which showed in the result
// page's time.
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

export const dateText = (d: Date | null | undefined) => (d ? dateFormat.format(d) : '');
