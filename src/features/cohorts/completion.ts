import type { Deps } from '../../deps.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import type { ProgrammeRow } from '../catalogue/queries.ts';
import { recordCompletion } from '../learning-record/queries.ts';
import { lockCohort } from './booking-queries.ts';
import { certificateCode, earnsCertificate, type outcomes } from './cohorts.ts';
import {
  confirmedPlaces,
  issueCertificate,
  revokeCertificate,
  saveAttendance,
  setCompletion,
} from './completion-queries.ts';

/**
 * A provider records completions: each confirmed place gets its outcome, a learning record (the person's portable
 * record, through the learning record's recordCompletion, idempotent on the place) and, unless they did not pass,
 * a certificate with a random verification code. One transaction for the whole list: all or nothing.
 */

export interface CompletionEntry {
  applicationId: number;
  outcome: (typeof outcomes)[number];
  completedOn: string;
}

export async function recordCompletions(
  deps: Deps,
  actor: { viewer: Viewer; ip?: string },
  cohortId: number,
  programme: Pick<ProgrammeRow, 'id' | 'title' | 'provider_name' | 'hours'>,
  entries: CompletionEntry[],
) {
  return deps.db.transaction().execute(async (trx) => {
    const cohort = await lockCohort(trx, cohortId);
    if (!cohort) return { ok: false as const, problem: 'Cohort not found' };
    const places = new Map(
      (
        await confirmedPlaces(
          trx,
          cohortId,
          entries.map((e) => e.applicationId),
        )
      ).map((p) => [p.id, p]),
    );
    const missing = entries.find((e) => !places.has(e.applicationId));
    if (missing) {
      return { ok: false as const, problem: `Place ${missing.applicationId} is not a confirmed place on this cohort` };
    }
    let certificates = 0;
    for (const e of entries) {
      const place = places.get(e.applicationId)!;
      await setCompletion(trx, e.applicationId, {
        outcome: e.outcome,
        completedOn: e.completedOn,
        accountId: actor.viewer.accountId,
      });
      await recordCompletion(trx, {
        personId: place.person_id,
        programmeId: programme.id,
        title: programme.title,
        providerName: programme.provider_name,
        completedOn: e.completedOn,
        outcome: e.outcome,
        hours: programme.hours,
        source: 'cohort',
        sourceRef: `cohort-application:${e.applicationId}`,
        recordedBy: actor.viewer.accountId,
      });
      if (earnsCertificate(e.outcome)) {
        await issueCertificate(trx, {
          applicationId: e.applicationId,
          code: certificateCode(),
          personName: `${place.given_name} ${place.family_name}`,
          programmeTitle: programme.title,
          providerName: programme.provider_name,
          completedOn: e.completedOn,
        });
        certificates++;
      } else {
        await revokeCertificate(trx, e.applicationId, deps.clock.now());
      }
      await audit(trx, actor, {
        action: 'cohorts.completion',
        subjectType: 'cohort_application',
        subjectId: e.applicationId,
        personId: place.person_id,
        organisationId: place.organisation_id,
        details: { cohortId, outcome: e.outcome, completedOn: e.completedOn },
      });
    }
    return { ok: true as const, recorded: entries.length, certificates };
  });
}

/** Attendance at one session, for the places given; audited as one write per session. */
export async function recordAttendance(
  deps: Deps,
  actor: { viewer: Viewer; ip?: string },
  cohortId: number,
  sessionId: number,
  entries: { applicationId: number; attended: boolean }[],
) {
  return deps.db.transaction().execute(async (trx) => {
    await lockCohort(trx, cohortId);
    const places = await confirmedPlaces(
      trx,
      cohortId,
      entries.map((e) => e.applicationId),
    );
    const known = new Set(places.map((p) => p.id));
    const valid = entries.filter((e) => known.has(e.applicationId));
    await saveAttendance(trx, sessionId, valid, actor.viewer.accountId);
    await audit(trx, actor, {
      action: 'cohorts.attendance',
      subjectType: 'cohort_session',
      subjectId: sessionId,
      details: {
        cohortId,
        attended: valid.filter((e) => e.attended).length,
        absent: valid.filter((e) => !e.attended).length,
      },
    });
    return valid.length;
  });
}
