import type { OverallRating } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { developmentAccess, loadDevelopmentSubject, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { addPlanItems, type NewPlanItem } from '../plans/queries.ts';
import {
  type AppraisalAccess,
  type Party,
  partyOf,
  signAddendum,
  signaturesOf,
  type Transition,
  transition,
  type WorkflowEvent,
} from './appraisals.ts';
import { behaviourFramework, type Db } from './cycle-queries.ts';
import {
  type AppraisalRow,
  findAppraisal,
  insertAddendum,
  lockAddendum,
  lockAppraisal,
  signAddendumRow,
  signAppraisal,
  updateAppraisal,
} from './queries.ts';
import { refreshAppraisalSummaries } from './summary-queries.ts';
import { type AppraisalContent, readContent, signingProblems } from './template.ts';

/**
 * Each step of the workflow in one transaction: lock the row, decide with the pure state machine, write, audit.
 * Refusals come back as a reason for the page, never as an exception.
 */

export interface Actor {
  viewer: Viewer;
  ip?: string;
}

export type Outcome = { ok: true; locked?: boolean; withdrawn?: Party[] } | { ok: false; reason: string };

/** How the viewer may see an appraisal: as a party, or through developmentAccess; null: not at all. */
export async function appraisalAccess(db: Db, viewer: Viewer, a: AppraisalRow): Promise<AppraisalAccess | null> {
  const party = partyOf(viewer.personId, a);
  if (party === 'appraisee') return 'self';
  if (party === 'appraiser') return 'appraiser';
  const subject = await loadDevelopmentSubject(db as Deps['db'], a.person_id);
  return subject ? developmentAccess(viewer, subject) : null;
}

/** Read an appraisal for a viewer, auditing every read of someone else's. Undefined: none, or not theirs to see. */
export async function readAppraisal(deps: Pick<Deps, 'db'>, actor: Actor, id: number) {
  const a = await findAppraisal(deps.db, id);
  if (!a) return undefined;
  const access = await appraisalAccess(deps.db, actor.viewer, a);
  if (!access) return undefined;
  if (access !== 'self') {
    await audit(deps.db, actor, {
      action: 'appraisal.read',
      subjectType: 'appraisal',
      subjectId: a.id,
      personId: a.person_id,
      organisationId: a.organisation_id,
      details: { access },
    });
  }
  return { appraisal: a, access, party: partyOf(actor.viewer.personId, a) };
}

const stateOf = (a: AppraisalRow) => ({ status: a.status, signedBy: signaturesOf(a) });

type Step = (
  a: AppraisalRow,
  party: Party,
  trx: Db,
) => Promise<{ event: WorkflowEvent; write: (t: Transition & { ok: true }) => Promise<void>; details?: object }>;

async function step(deps: Deps, actor: Actor, id: number, action: string, make: Step): Promise<Outcome> {
  const outcome = await deps.db.transaction().execute(async (trx): Promise<Outcome & { org?: number }> => {
    const a = await lockAppraisal(trx, id);
    if (!a) return { ok: false, reason: 'Appraisal not found' };
    const party = partyOf(actor.viewer.personId, a);
    if (!party) return { ok: false, reason: 'Only the appraisee and the appraiser can change an appraisal' };
    const { event, write, details } = await make(a, party, trx);
    const t = transition(stateOf(a), event);
    if (!t.ok) return t;
    await write(t);
    await audit(trx, actor, {
      action,
      subjectType: 'appraisal',
      subjectId: a.id,
      personId: a.person_id,
      organisationId: a.organisation_id,
      details: { party, status: t.state.status, withdrawn: t.withdrawn, ...details },
    });
    return { ok: true, locked: t.locked, withdrawn: t.withdrawn, org: a.organisation_id };
  });
  if (outcome.ok && outcome.locked && outcome.org !== undefined) {
    await afterLock(deps, id, outcome.org);
  }
  if (outcome.ok) return { ok: true, locked: outcome.locked, withdrawn: outcome.withdrawn };
  return outcome;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function prepare(deps: Deps, actor: Actor, id: number, input: Omit<AppraisalContent, 'behaviours'>) {
  return step(deps, actor, id, 'appraisal.prepare', async (a, party, trx) => {
    const before = readContent(a.content);
    const content: AppraisalContent = { ...before, ...input };
    return {
      event: { type: 'prepare', by: party, changed: !same(before, content) },
      write: (t) => updateAppraisal(trx, id, { status: t.state.status, content, withdraw: t.withdrawn.length > 0 }),
    };
  });
}

export function holdMeeting(deps: Deps, actor: Actor, id: number, meetingOn: string) {
  return step(deps, actor, id, 'appraisal.meeting', async (a, party, trx) => ({
    event: { type: 'hold_meeting', by: party, changed: a.meeting_on !== meetingOn },
    write: (t) =>
      updateAppraisal(trx, id, { status: t.state.status, meeting_on: meetingOn, withdraw: t.withdrawn.length > 0 }),
    details: { meetingOn },
  }));
}

export function record(
  deps: Deps,
  actor: Actor,
  id: number,
  input: { behaviours: AppraisalContent['behaviours']; overall: OverallRating | null },
) {
  return step(deps, actor, id, 'appraisal.record', async (a, party, trx) => {
    const before = readContent(a.content);
    const content: AppraisalContent = { ...before, behaviours: input.behaviours };
    const changed = !same(before, content) || a.overall_rating !== input.overall;
    return {
      event: { type: 'record', by: party, changed },
      write: (t) =>
        updateAppraisal(trx, id, {
          status: t.state.status,
          content,
          overall_rating: input.overall,
          withdraw: t.withdrawn.length > 0,
        }),
    };
  });
}

/** What still stops an appraisal from being signed, against its own framework version. */
export async function problemsOf(db: Db, a: AppraisalRow) {
  const { domains } = await behaviourFramework(db, a.framework_version_id);
  return signingProblems({
    content: readContent(a.content),
    overallRating: a.overall_rating,
    meetingOn: a.meeting_on,
    domains,
  });
}

export function sign(deps: Deps, actor: Actor, id: number) {
  return step(deps, actor, id, 'appraisal.sign', async (a, party, trx) => {
    const problems = await problemsOf(trx, a);
    return {
      event: { type: 'sign', by: party, problems: problems.length },
      write: (t) => signAppraisal(trx, id, party, actor.viewer.accountId, t.locked),
    };
  });
}

/** After locking: the organisation's figures, and the development plan items into the plan (when that exists). */
async function afterLock(deps: Deps, id: number, organisationId: number) {
  await refreshAppraisalSummaries(deps.db, deps.clock.now().toISOString().slice(0, 10), [organisationId]);
  const a = await findAppraisal(deps.db, id);
  if (!a) return;
  const plan = readContent(a.content).plan;
  if (plan.length && (await pushPlanItems(deps, a.person_id, plan, a.id))) {
    await audit(
      deps.db,
      { label: 'Appraisal signed' },
      {
        action: 'appraisal.plan-items',
        subjectType: 'appraisal',
        subjectId: a.id,
        personId: a.person_id,
        organisationId,
        details: { items: plan.length },
      },
    );
  }
}

/**
 * The appraisal's development plan lines become items of the person's development plan (src/features/plans), with
 * the appraisal as their source. They are free text, linked to no competency: the plan table allows that (its
 * framework version and competency are both null), though NewPlanItem's type still asks for a competency.
 */
async function pushPlanItems(deps: Deps, personId: number, items: string[], appraisalId: number): Promise<boolean> {
  const created = await addPlanItems(
    deps.db,
    personId,
    items.map((title) => ({ title, source: 'appraisal', sourceId: String(appraisalId) }) as unknown as NewPlanItem),
  );
  return created.length > 0;
}

export async function addAddendum(deps: Deps, actor: Actor, id: number, body: string): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const a = await lockAppraisal(trx, id);
    if (!a) return { ok: false, reason: 'Appraisal not found' };
    const party = partyOf(actor.viewer.personId, a);
    if (!party) return { ok: false, reason: 'Only the appraisee and the appraiser can add an addendum' };
    if (a.status !== 'locked') return { ok: false, reason: 'Change the appraisal itself: it is not locked yet' };
    const addendumId = await insertAddendum(trx, id, body, actor.viewer.accountId);
    await audit(trx, actor, {
      action: 'appraisal.addendum',
      subjectType: 'appraisal',
      subjectId: id,
      personId: a.person_id,
      organisationId: a.organisation_id,
      details: { addendumId, party },
    });
    return { ok: true };
  });
}

export async function signAddendumOf(deps: Deps, actor: Actor, id: number, addendumId: number): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx) => {
    const a = await findAppraisal(trx, id);
    if (!a) return { ok: false, reason: 'Appraisal not found' };
    const party = partyOf(actor.viewer.personId, a);
    if (!party) return { ok: false, reason: 'Only the appraisee and the appraiser sign an addendum' };
    const ad = await lockAddendum(trx, id, addendumId);
    if (!ad) return { ok: false, reason: 'Addendum not found' };
    const t = signAddendum(signaturesOf(ad), party);
    if (!t.ok) return t;
    await signAddendumRow(trx, addendumId, party, actor.viewer.accountId, t.locked);
    await audit(trx, actor, {
      action: 'appraisal.addendum.sign',
      subjectType: 'appraisal',
      subjectId: id,
      personId: a.person_id,
      organisationId: a.organisation_id,
      details: { addendumId, party, locked: t.locked },
    });
    return { ok: true, locked: t.locked };
  });
}
