import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { Viewer } from './access.ts';

export interface AuditEntry {
  action: string;
  subjectType?: string;
  subjectId?: string | number;
  personId?: number | null;
  organisationId?: number | null;
  details?: Record<string, unknown>;
}

/**
 * Append one entry to the audit log (append-only: the table rejects UPDATE, DELETE and TRUNCATE).
 * Called for sign-ins, admin actions and every read or write of another person's record.
 */
export async function audit(
  db: Database,
  actor: { viewer: Viewer | null; ip?: string } | { label: string },
  entry: AuditEntry,
): Promise<void> {
  const who =
    'label' in actor
      ? { actor_account_id: null, actor_label: actor.label, ip: null }
      : {
          actor_account_id: actor.viewer?.accountId ?? null,
          actor_label: actor.viewer
            ? `${actor.viewer.displayName}${actor.viewer.via === 'token' ? ' (API)' : ''}`
            : null,
          ip: actor.ip ?? null,
        };
  await insertEntry(db, {
    ...who,
    action: entry.action,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId === undefined ? null : String(entry.subjectId),
    person_id: entry.personId ?? null,
    organisation_id: entry.organisationId ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
  });
}

const columns = [
  'actor_account_id',
  'actor_label',
  'ip',
  'action',
  'subject_type',
  'subject_id',
  'person_id',
  'organisation_id',
  'details',
] as const;

// Every audited read (each read of another person's record) runs this insert, so it is compiled once and runs as a
// named prepared statement (src/db/prepared.ts). Each value is a bind parameter typed by its column, as before.
const insertEntry = preparedQuery(columns, (db, v) =>
  db
    .insertInto('audit_log')
    .values(Object.fromEntries(columns.map((c) => [c, sql`${v[c]}`])) as Record<(typeof columns)[number], never>),
);
