import { makeAccount, makePerson } from '../../../test/factories.ts';
import type { Database } from '../../db/database.ts';

/** A manager (a management post, or the line manager of one report) with an account, for tests. */
export async function makeManager(
  db: Database,
  orgId: number,
  opts: { viaReport?: boolean; email?: string | null } = {},
) {
  const person = await makePerson(db, { orgId, isManager: !opts.viaReport, band: '8a', email: opts.email });
  if (opts.viaReport) await makePerson(db, { orgId, managerAssignmentId: person.assignmentId });
  const account = await makeAccount(db, { personId: person.id });
  return { person, account };
}

export const week = (upward: number, rest = 6) => ({
  upward: String(upward),
  meetings: String(rest),
  people_mgmt: String(rest),
  improvement: String(rest),
  operational: String(rest),
  other: String(rest),
});
