import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { hasRole, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../web/http.ts';
import { LearningRecordConflict, recordCompletion } from './queries.ts';
import { type MappedStatement, mapStatement, StatementError } from './xapi.ts';
import { peopleByEmail } from './xapi-queries.ts';

export const MAX_STATEMENTS = 500;

/**
 * Store one statement or a batch: every statement is checked and its actor matched first, and the batch is
 * written in one transaction, so a batch is stored whole or not at all (as xAPI asks of a learning record store).
 * Returns the statement ids in order. A repeated statement id is the same record.
 */
export async function storeStatements(deps: Deps, viewer: Viewer, body: unknown, ip: string): Promise<string[]> {
  const batch = Array.isArray(body) ? body : [body];
  if (batch.length === 0) throw new HttpError(400, 'The request holds no statements');
  if (batch.length > MAX_STATEMENTS) throw new HttpError(400, `Send at most ${MAX_STATEMENTS} statements at a time`);
  const at = (i: number) => (Array.isArray(body) ? `statement ${i} (counting from 0): ` : '');
  const now = deps.clock.now().toISOString().slice(0, 10);
  const mapped: MappedStatement[] = batch.map((s, i) => {
    try {
      return mapStatement(s, now, now);
    } catch (err) {
      if (err instanceof StatementError) throw new HttpError(400, `${at(i)}${err.message}`);
      throw err;
    }
  });
  const ids = mapped.map((m) => m.id ?? randomUUID());
  const repeated = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (repeated >= 0) throw new HttpError(400, `${at(repeated)}id ${ids[repeated]} appears twice in the batch`);

  const national = hasRole(viewer, 'national_admin');
  const providerOrg = viewer.grants.find((g) => g.role === 'provider_admin');
  // Training providers record learning for learners from anywhere; an organisation admin for their own staff.
  const orgScope =
    national || providerOrg ? null : viewer.grants.filter((g) => g.role === 'org_admin').map((g) => g.organisationId!);
  const people = await peopleByEmail(
    deps.db,
    mapped.map((m) => m.email),
    orgScope,
  );
  mapped.forEach((m, i) => {
    if (!people.has(m.email)) {
      throw new HttpError(
        400,
        `${at(i)}actor mailto:${m.email} is not known: no person ${orgScope ? 'on the staff of your organisation ' : ''}has this email address`,
      );
    }
  });
  const fallbackProvider =
    providerOrg?.organisationName ?? viewer.grants[0]?.organisationName ?? 'External learning platform';

  await deps.db.transaction().execute(async (trx) => {
    for (const [i, m] of mapped.entries()) {
      const personId = people.get(m.email)!;
      try {
        const { id, created } = await recordCompletion(trx, {
          personId,
          programmeId: null,
          title: m.title,
          providerName: m.provider ?? fallbackProvider,
          completedOn: m.completedOn,
          outcome: m.outcome,
          hours: m.hours,
          source: 'xapi',
          sourceRef: ids[i],
          recordedBy: viewer.accountId,
        });
        await audit(
          trx,
          { viewer, ip },
          {
            action: created ? 'learning.xapi-record' : 'learning.xapi-repeat',
            subjectType: 'learning_record',
            subjectId: id,
            personId,
            details: { statement: ids[i], activity: m.activityId, outcome: m.outcome },
          },
        );
      } catch (err) {
        if (err instanceof LearningRecordConflict) {
          throw new HttpError(409, `${at(i)}statement id ${ids[i]} was already stored for a different actor`);
        }
        throw err;
      }
    }
  });
  return ids;
}
