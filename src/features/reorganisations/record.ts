import type { Deps } from '../../deps.ts';
import { audit } from '../../plugins/audit.ts';
import type { Actor } from '../priorities/register.ts';
import {
  findReorganisation,
  insertReorganisation,
  refreshReorganisations,
  setOutcome,
  teamsForUnits,
} from './queries.ts';
import type { ReorganisationInput } from './reorganisations.ts';

// Recording reorganisations and their outcomes: each write is audited and refreshes the summaries (a few
// thousand rows per region; the whole rebuild takes well under a second at national scale).

/** The unit: "organisation" (the whole organisation) or a team of it by id, code or name (case ignored). */
export async function resolveUnit(
  deps: Deps,
  org: { id: number; name: string },
  unit: string,
): Promise<{ teamId: number | null; unitName: string } | { problem: string }> {
  const u = unit.trim();
  if (u === '' || u.toLowerCase() === 'organisation') return { teamId: null, unitName: org.name };
  const teams = await teamsForUnits(deps.db, org.id);
  const match =
    teams.find((t) => /^\d+$/.test(u) && t.id === Number(u)) ??
    teams.find((t) => t.code !== null && t.code.toLowerCase() === u.toLowerCase()) ??
    teams.find((t) => t.name.toLowerCase() === u.toLowerCase());
  if (!match) return { problem: `${org.name} has no team “${u}”` };
  return { teamId: match.id, unitName: match.name };
}

export async function recordReorganisation(
  deps: Deps,
  actor: Actor,
  org: { id: number },
  unit: { teamId: number | null; unitName: string },
  input: ReorganisationInput,
): Promise<number> {
  const id = await deps.db.transaction().execute(async (trx) => {
    const newId = await insertReorganisation(
      trx,
      { ...input, organisationId: org.id, teamId: unit.teamId, unitName: unit.unitName },
      actor.viewer.accountId,
    );
    await audit(trx, actor, {
      action: 'reorganisations.create',
      subjectType: 'reorganisation',
      subjectId: newId,
      organisationId: org.id,
      details: { unit: unit.unitName, effective_on: input.effective_on, staff_affected: input.staff_affected },
    });
    return newId;
  });
  await refreshReorganisations(deps.db);
  return id;
}

export async function recordOutcome(deps: Deps, actor: Actor, id: number, outcome: string) {
  const r = await findReorganisation(deps.db, id);
  if (!r) return;
  await setOutcome(deps.db, id, outcome, deps.clock.now().toISOString().slice(0, 10));
  await audit(deps.db, actor, {
    action: 'reorganisations.outcome',
    subjectType: 'reorganisation',
    subjectId: id,
    organisationId: r.organisation_id,
  });
}
