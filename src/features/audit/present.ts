import { compactDetails } from './audit.ts';
import type { AuditRow } from './queries.ts';

/** How an audit entry reads on the page, in the API and in the CSV download. */

const actorText = (r: AuditRow) =>
  r.actorLabel ?? (r.actorAccountId !== null ? `Account ${r.actorAccountId}` : 'The service');

export function pageEntry(r: AuditRow, names: Map<number, string>) {
  return {
    id: r.id,
    at: r.at,
    actor: actorText(r),
    actorEmail: r.actorEmail,
    action: r.action,
    subject: [r.subjectType, r.subjectId].filter((s) => s !== null && s !== '').join(' '),
    personId: r.personId,
    personName: r.personId !== null ? (names.get(r.personId) ?? null) : null,
    organisation: r.organisationCode
      ? `${r.organisationName} (${r.organisationCode})`
      : r.organisationId !== null
        ? `Organisation ${r.organisationId}`
        : '',
    ip: r.ip ?? '',
    details: compactDetails(r.details),
  };
}

export function apiEntry(r: AuditRow, names: Map<number, string>) {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: { account_id: r.actorAccountId, label: actorText(r), email: r.actorEmail },
    action: r.action,
    subject: r.subjectType === null && r.subjectId === null ? null : { type: r.subjectType, id: r.subjectId },
    person: r.personId === null ? null : { id: r.personId, name: names.get(r.personId) ?? null },
    organisation:
      r.organisationId === null ? null : { id: r.organisationId, code: r.organisationCode, name: r.organisationName },
    ip: r.ip,
    details: r.details,
  };
}

export const csvHeader = [
  'id',
  'time_utc',
  'actor_account_id',
  'actor',
  'actor_email',
  'action',
  'subject_type',
  'subject_id',
  'person_id',
  'organisation_code',
  'ip',
  'details',
];

export function csvRecord(r: AuditRow): (string | number | null)[] {
  return [
    r.id,
    r.at.toISOString(),
    r.actorAccountId,
    actorText(r),
    r.actorEmail,
    r.action,
    r.subjectType,
    r.subjectId,
    r.personId,
    r.organisationCode,
    r.ip,
    r.details === null ? null : JSON.stringify(r.details),
  ];
}
