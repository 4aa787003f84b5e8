import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Deps } from '../../deps.ts';
import { audit } from '../../plugins/audit.ts';
import { guard, notFound } from '../../web/http.ts';
import { findProgramme, setNextCohortStart } from '../catalogue/queries.ts';
import { parseId } from './booking-routes.ts';
import { todayOf } from './present.ts';
import { findCohort, nextStartOf } from './queries.ts';

/**
 * Who may manage a programme's cohorts: the admins of its own provider (the catalogue's catalogue:manage-provider),
 * and national admins. Every provider page loads the programme or cohort through these.
 */
export function providerAccess(deps: Deps) {
  const { db } = deps;
  const managedProgramme = async (req: FastifyRequest, id: number) => {
    const programme = await findProgramme(db, id);
    if (!programme) throw notFound('Programme');
    const viewer = guard(req, {
      action: 'catalogue:manage-provider',
      provider: { id: programme.provider_id, organisationId: programme.provider_organisation_id },
    });
    return { viewer, programme };
  };
  const managedCohort = async (req: FastifyRequest) => {
    const cohort = await findCohort(db, parseId((req.params as { id: string }).id, 'Cohort'));
    if (!cohort) throw notFound('Cohort');
    return { cohort, ...(await managedProgramme(req, cohort.programme_id)) };
  };
  /** The catalogue's "next cohort" date follows the open cohorts' sessions. */
  const syncNextStart = async (programmeId: number) =>
    setNextCohortStart(db, programmeId, await nextStartOf(db, programmeId, todayOf(deps)));
  return { managedProgramme, managedCohort, syncNextStart };
}

/** The register names the applicants and attendees: each read by a provider admin, on a page or through the API, is audited. */
export function auditRegisterRead(
  db: Database,
  actor: Parameters<typeof audit>[1],
  cohortId: number,
  via: 'page' | 'api',
  people: number,
) {
  return audit(db, actor, {
    action: 'cohorts.register.read',
    subjectType: 'cohort',
    subjectId: cohortId,
    details: { via, people },
  });
}
