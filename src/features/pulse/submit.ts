import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import type { Hours } from './pulse.ts';
import { managerSeat, openRoundOf, openRounds, type Round, saveResponse } from './queries.ts';

/** Where and in which round a viewer answers, shared by the page and the API. */

export const todayOf = (deps: Pick<Deps, 'clock'>) => deps.clock.now().toISOString().slice(0, 10);

export type Seat = NonNullable<Awaited<ReturnType<typeof managerSeat>>>['seat'];

/** The viewer's manager seat and its open round (opened now if the job has not yet done it); undefined: not a manager. */
export async function seatAndRound(deps: Deps, viewer: Viewer): Promise<{ seat: Seat; round: Round } | undefined> {
  if (viewer.personId === null) return undefined;
  const today = todayOf(deps);
  const found = await managerSeat(deps.db, viewer.personId, viewer.managerAssignmentIds, today);
  if (!found) return undefined;
  let round = found.round;
  if (!round) {
    // The job has not opened this period's round yet: open it now (safe alongside the job).
    await openRounds(deps.db, today, [found.seat.organisation_id]);
    round = await openRoundOf(deps.db, found.seat.organisation_id, today);
  }
  return round && { seat: found.seat, round };
}

/**
 * Save the viewer's own answer for the open round: one transaction with the response, the round's sums and the
 * audit entry (which names the round, never the hours).
 */
export async function submitAnswer(
  deps: Deps,
  actor: { viewer: Viewer; ip?: string },
  target: { seat: Seat; round: Round },
  hours: Hours,
): Promise<{ created: boolean }> {
  const personId = actor.viewer.personId!;
  return deps.db.transaction().execute(async (trx) => {
    // The commit's wait for the WAL flush was most of a submission's time (20 ms of 22 on a busy machine). Not
    // waiting risks losing the last fraction of a second of answers if the server crashes, never a half-saved one:
    // the response, the round's sums and the audit entry still commit or vanish together.
    await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    const r = await saveResponse(trx, target.round, personId, hours, target.seat.team_id);
    await audit(trx, actor, {
      action: r.created ? 'pulse.response.create' : 'pulse.response.update',
      subjectType: 'pulse_round',
      subjectId: target.round.id,
      personId,
      organisationId: target.seat.organisation_id,
    });
    return r;
  });
}
