import type { Deps } from '../../deps.ts';
import { audit } from '../../plugins/audit.ts';
import {
  findPossibleAppraiser,
  insertCycle,
  overlappingCycle,
  setAppraiser,
  templateFrameworkVersion,
} from './cycle-queries.ts';
import type { AppraisalRow } from './queries.ts';
import { refreshAppraisalSummaries } from './summary-queries.ts';
import type { Actor } from './workflow.ts';

export interface CycleInput {
  name: string;
  starts_on: string;
  mid_year_on: string;
  due_on: string;
  ends_on: string;
}

/** Open a cycle for an organisation: every person in post gets an appraisal, audited as one admin action. */
export async function openCycle(
  deps: Deps,
  actor: Actor,
  org: { id: number; code: string },
  input: CycleInput,
): Promise<{ ok: true; id: number; appraisals: number } | { ok: false; field: string; reason: string }> {
  const frameworkVersionId = await templateFrameworkVersion(deps.db);
  if (frameworkVersionId === undefined) {
    return {
      ok: false,
      field: 'name',
      reason: 'The management standards framework has no published version yet: a national admin must publish it first',
    };
  }
  const result = await deps.db.transaction().execute(async (trx) => {
    const clash = await overlappingCycle(trx, org.id, input);
    if (clash) return { clash };
    const made = await insertCycle(trx, {
      organisationId: org.id,
      ...input,
      frameworkVersionId,
      createdBy: actor.viewer.accountId,
    });
    await audit(trx, actor, {
      action: 'appraisal.cycle.open',
      subjectType: 'appraisal_cycle',
      subjectId: made.id,
      organisationId: org.id,
      details: { ...input, appraisals: made.appraisals },
    });
    return { made };
  });
  if ('clash' in result && result.clash) {
    return {
      ok: false,
      field: 'starts_on',
      reason: `The dates overlap the cycle “${result.clash.name}” (${result.clash.starts_on} to ${result.clash.ends_on}): one cycle at a time`,
    };
  }
  const made = result.made!;
  await refreshAppraisalSummaries(deps.db, deps.clock.now().toISOString().slice(0, 10), [org.id]);
  return { ok: true, ...made };
}

/** An admin chooses the appraiser instead of the line manager: recorded on the appraisal and in the audit log. */
export async function reassignAppraiser(
  deps: Deps,
  actor: Actor,
  a: AppraisalRow,
  staffNumber: string,
): Promise<{ ok: true; name: string } | { ok: false; reason: string }> {
  if (a.status === 'locked') return { ok: false, reason: 'The appraisal is locked: its appraiser cannot change' };
  const person = await findPossibleAppraiser(deps.db, a.organisation_id, staffNumber);
  if (!person) {
    return { ok: false, reason: `No one with staff number ${staffNumber} works in ${a.org_name} now` };
  }
  if (person.id === a.person_id) return { ok: false, reason: 'Someone cannot appraise themselves' };
  await deps.db.transaction().execute(async (trx) => {
    await setAppraiser(trx, a.id, person.id, actor.viewer.accountId);
    await audit(trx, actor, {
      action: 'appraisal.appraiser.change',
      subjectType: 'appraisal',
      subjectId: a.id,
      personId: a.person_id,
      organisationId: a.organisation_id,
      details: { from: a.appraiser_person_id, to: person.id },
    });
  });
  return { ok: true, name: person.name };
}
