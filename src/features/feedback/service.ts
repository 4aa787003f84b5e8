import type { Database } from '../../db/database.ts';
import type { RaterGroup } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import {
  authorise,
  type DevelopmentSubject,
  developmentAccess,
  loadDevelopmentSubject,
  type Viewer,
} from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { hashToken } from '../../plugins/session.ts';
import { HttpError, notFound } from '../../web/http.ts';
import { readContent } from '../frameworks/document-queries.ts';
import { personAssignments } from '../people/queries.ts';
import { buildReport, groupLabels, newLinkToken, type Report, roundContent, thresholdsOf } from './feedback.ts';
import { accountOfPerson, addRater, findRound, markInvited, type RoundRow, reportAggregates } from './queries.ts';

// What the pages and the API share: loading a round with the viewer's right to it, sending invitations, and the
// report (always through the anonymity rule), each read of someone else's record audited.

export type Actor = { viewer: Viewer; ip?: string };

export interface LoadedRound {
  round: RoundRow;
  subject: DevelopmentSubject;
}

/** A round and its subject, or 404. */
export async function loadRound(db: Database, id: number): Promise<LoadedRound> {
  const round = await findRound(db, id);
  if (!round) throw notFound('360 round');
  const subject = await loadDevelopmentSubject(db, round.person_id);
  if (!subject) throw notFound('360 round');
  return { round, subject };
}

export const roundPermission = (l: LoadedRound) => ({
  action: 'feedback:report' as const,
  subject: l.subject,
  round: {
    released: l.round.released_at !== null,
    shared: l.round.shared_at !== null,
    facilitatorAccountId: l.round.facilitator_account_id,
  },
});

export const progressPermission = (l: LoadedRound) => ({
  action: 'feedback:progress' as const,
  subject: l.subject,
  facilitatorAccountId: l.round.facilitator_account_id,
});

/** Who may change the round's nominations, close it early: the person, and their line manager. */
export const mayManage = (v: Viewer, l: LoadedRound) => authorise(v, { action: 'feedback:start', subject: l.subject });

/** Release: the person's line manager or the named facilitator (docs/standards-feedback.md). */
export const mayRelease = (v: Viewer, l: LoadedRound) =>
  developmentAccess(v, l.subject) === 'line_manager' || l.round.facilitator_account_id === v.accountId;

/** Audit a read of a round by anyone but its subject. */
export async function auditRead(db: Database, actor: Actor, l: LoadedRound, what: string) {
  if (actor.viewer.personId === l.round.person_id) return;
  await audit(db, actor, {
    action: `feedback.${what}.read`,
    subjectType: 'feedback_round',
    subjectId: l.round.id,
    personId: l.round.person_id,
    details: { access: developmentAccess(actor.viewer, l.subject) ?? 'facilitator' },
  });
}

export async function auditWrite(
  db: Database,
  actor: Actor | { label: string },
  l: { round: { id: number; person_id: number } },
  action: string,
  details?: Record<string, unknown>,
) {
  await audit(db, actor, {
    action: `feedback.${action}`,
    subjectType: 'feedback_round',
    subjectId: l.round.id,
    personId: l.round.person_id,
    details,
  });
}

/** The round's framework content (the chosen domains of its version). */
export async function contentOf(db: Database, round: RoundRow) {
  return roundContent(await readContent(db, round.framework_version_id), round.domain_ids);
}

/** The report, built from submitted answers through the anonymity rule (feedback.ts, anonymity.ts). */
export async function reportOf(db: Database, round: RoundRow): Promise<Report> {
  const [content, raw] = await Promise.all([contentOf(db, round), reportAggregates(db, round.id)]);
  return buildReport(content, thresholdsOf(round), raw);
}

/** The subject's current line managers (people), who alone may be nominated in the line manager group. */
export async function lineManagersOf(db: Database, personId: number) {
  const posts = await personAssignments(db, personId);
  const seen = new Map<number, string>();
  for (const a of posts) {
    if (a.end_date === null && a.manager_person_id !== null) {
      seen.set(Number(a.manager_person_id), `${a.manager_given_name} ${a.manager_family_name}`);
    }
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

const subjectName = (r: RoundRow) => `${r.given_name} ${r.family_name}`;

/**
 * Nominate a rater and invite them. People who can sign in answer signed in (their email points to the request
 * page); anyone else gets a single-use link whose token is stored hashed and works until they submit or the round
 * closes. Returns the rater id, or a problem to show against the field.
 */
export async function nominate(
  deps: Pick<Deps, 'db' | 'mail' | 'clock' | 'config'>,
  actor: Actor,
  round: RoundRow,
  r: { group: Exclude<RaterGroup, 'self'>; personId: number | null; email: string | null; name: string },
): Promise<{ id: number } | { problem: string }> {
  const { db } = deps;
  if (round.status !== 'open') throw new HttpError(409, 'This 360 round is closed: raters can no longer be added');
  let email = r.email;
  let accountHolder = false;
  if (r.personId !== null) {
    if (r.personId === round.person_id) return { problem: 'The person rates themselves already: choose someone else' };
    const account = await accountOfPerson(db, r.personId);
    accountHolder = account !== undefined;
    email = account?.email ?? r.email;
    if (!email) return { problem: `${r.name} has no email address on record: nominate them by email instead` };
  }
  const token = accountHolder ? null : newLinkToken();
  const added = await addRater(db, {
    roundId: round.id,
    group: r.group,
    personId: r.personId,
    email,
    name: r.name,
    tokenHash: token ? hashToken(token) : null,
  });
  if (added === 'duplicate') return { problem: `${r.name} is already nominated for this round` };
  const link = token
    ? `${deps.config.baseUrl}/feedback/respond/${token}`
    : `${deps.config.baseUrl}/feedback/requests/${added}`;
  await deps.mail.send({
    to: email!,
    subject: `Feedback request: 360 feedback for ${subjectName(round)}`,
    text: invitationText(round, r.group, link, !token),
  });
  await markInvited(db, added, deps.clock.now());
  await auditWrite(db, actor, { round }, 'rater.add', { group: r.group, rater: added, external: r.personId === null });
  return { id: added };
}

export function invitationText(round: RoundRow, group: RaterGroup, link: string, signIn: boolean) {
  return [
    `${subjectName(round)} has asked for your feedback as part of a 360 review (you are in the group: ${groupLabels[group]}).`,
    '',
    group === 'line_manager'
      ? 'As their line manager your answers are shown to them as the line manager’s answers: they are not anonymous.'
      : 'Your answers are anonymous: they are only ever shown combined with those of at least two other people in your group, and your comments are shown without your name.',
    '',
    signIn
      ? `Sign in to Leadwell to give your feedback: ${link}`
      : `Give your feedback here (this link is personal to you; it works until you submit your answers or the round closes, and it does not sign you in to anything else): ${link}`,
    '',
    `Responses close at the end of ${round.closes_on}.`,
  ].join('\n');
}

/** The rater behind a link token, or why the link does not work. */
export function tokenHash(token: string) {
  return /^[A-Za-z0-9_-]{20,100}$/.test(token) ? hashToken(token) : undefined;
}
