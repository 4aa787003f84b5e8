import type { Database } from '../../db/database.ts';
import type { ProgrammeStatus } from '../../db/schema.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { decide, findSubmission, insertSubmission } from './accreditation-queries.ts';
import type { Decision } from './catalogue.ts';
import type { CompetencyOption } from './competencies.ts';
import {
  insertProgramme,
  isPublishedNational,
  competencyLinks as linksOf,
  organisationsByCodes,
  type ProgrammeArea,
  type ProgrammeRow,
  type ProgrammeValues,
  regions,
  setCompetencies,
  setProgrammeStatus,
  updateProgramme,
} from './queries.ts';
import type { ProgrammeForm } from './schemas.ts';

export type Actor = { viewer: Viewer; ip?: string };

/** A programme form turned into stored values, its owning area and competency links, or problems by field. */
export async function resolveProgramme(
  db: Database,
  form: ProgrammeForm,
  competencies: CompetencyOption[],
): Promise<
  | { ok: true; values: ProgrammeValues; area: ProgrammeArea; links: { versionId: number; competencyId: number }[] }
  | { ok: false; problems: Map<string, string> }
> {
  const problems = new Map<string, string>();
  const byId = new Map(competencies.map((c) => [String(c.competencyId), c]));
  const links = [];
  for (const id of form.competencies) {
    const c = byId.get(id);
    if (!c) problems.set('competencies', 'Select competencies from the list');
    else links.push({ versionId: c.versionId, competencyId: c.competencyId });
  }
  if (!links.length && !problems.has('competencies')) {
    problems.set('competencies', 'Select at least one competency the programme develops');
  }

  const regionRows = await regions(db);
  const regionIds = form.elig_regions.map(Number);
  if (regionIds.some((id) => !regionRows.some((r) => r.id === id)))
    problems.set('elig_regions', 'Select regions from the list');
  const orgs = await organisationsByCodes(db, form.elig_org_codes);
  const unknown = form.elig_org_codes.filter((c) => !orgs.some((o) => o.code === c));
  if (unknown.length) problems.set('elig_org_codes', `No organisation has the code ${unknown[0]}: check the ODS code`);

  let area: ProgrammeArea = { scopeOrgId: null, regionId: null, icbId: null };
  if (form.scope !== 'national') {
    const wanted = { regional: ['region'], icb: ['icb'], local: ['trust', 'provider', 'other', 'sub_icb'] }[form.scope];
    const what = { regional: 'a region', icb: 'an integrated care board', local: 'an organisation' }[form.scope];
    const [org] = form.scope_org_code ? await organisationsByCodes(db, [form.scope_org_code]) : [];
    if (!form.scope_org_code) problems.set('scope_org_code', `Enter the ODS code of ${what}`);
    else if (!org) problems.set('scope_org_code', `No organisation has the code ${form.scope_org_code}`);
    else if (!wanted.includes(org.kind)) problems.set('scope_org_code', `${form.scope_org_code} is not ${what}`);
    else {
      area = {
        scopeOrgId: org.id,
        regionId: org.kind === 'region' ? org.id : org.region_id,
        icbId: org.kind === 'icb' ? org.id : org.icb_id,
      };
    }
  }
  if (form.local_version_of !== null) {
    if (form.scope === 'national') {
      problems.set(
        'local_version_of',
        'A national programme cannot be a local version: choose “none”, or a regional, ICB or local scope',
      );
    } else if (!(await isPublishedNational(db, form.local_version_of))) {
      problems.set('local_version_of', 'Select a published national programme from the list');
    }
  }
  if (problems.size) return { ok: false, problems };
  return {
    ok: true,
    area,
    links,
    values: {
      title: form.title,
      summary: form.summary,
      outcomes: form.outcomes,
      level: form.level,
      format: form.format,
      hours: form.hours,
      durationWeeks: form.duration_weeks,
      costPounds: form.cost_pounds,
      funding: form.funding,
      fundingNote: form.funding_note,
      eligibility: {
        bands: form.elig_bands,
        managementLevels: form.elig_levels,
        staffGroups: form.elig_staff_groups,
        organisationIds: orgs.map((o) => o.id),
        regionIds,
      },
      scope: form.scope,
      localVersionOf: form.local_version_of,
    },
  };
}

export async function saveProgramme(
  db: Database,
  actor: Actor,
  target: { providerId: number; existingId?: number },
  r: { values: ProgrammeValues; area: ProgrammeArea; links: { versionId: number; competencyId: number }[] },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let id = target.existingId;
    if (id === undefined) id = await insertProgramme(trx, target.providerId, r.values, r.area, actor.viewer.accountId);
    else await updateProgramme(trx, id, r.values, r.area, actor.viewer.accountId);
    await setCompetencies(trx, id, r.links);
    await audit(trx, actor, {
      action: target.existingId === undefined ? 'catalogue.programme.create' : 'catalogue.programme.update',
      subjectType: 'programme',
      subjectId: id,
      details: { provider_id: target.providerId, title: r.values.title, scope: r.values.scope },
    });
    return id;
  });
}

export async function changeStatus(db: Database, actor: Actor, p: ProgrammeRow, status: ProgrammeStatus) {
  await db.transaction().execute(async (trx) => {
    await setProgrammeStatus(trx, p.id, status, actor.viewer.accountId);
    await audit(trx, actor, {
      action: `catalogue.programme.${status === 'published' ? 'publish' : 'withdraw'}`,
      subjectType: 'programme',
      subjectId: p.id,
      details: { from: p.status, to: status },
    });
  });
}

export async function submitProgramme(
  db: Database,
  actor: Actor,
  p: ProgrammeRow,
  form: { competency_mapping: string; assessment_method: string; evidence: string },
): Promise<number | undefined> {
  const links = await linksOf(db, [p.id]);
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await insertSubmission(trx, {
        programmeId: p.id,
        // National programmes are reviewed nationally; others by their region's reviewers (or nationally).
        reviewRegionId: p.scope === 'national' ? null : p.area_region_id,
        competencyMapping: form.competency_mapping,
        assessmentMethod: form.assessment_method,
        evidence: form.evidence,
        snapshot: {
          title: p.title,
          summary: p.summary,
          outcomes: p.outcomes,
          level: p.level,
          hours: p.hours,
          competencies: links.map((l) => ({
            id: l.competency_id,
            version_id: l.version_id,
            code: l.code,
            title: l.title,
          })),
        },
        accountId: actor.viewer.accountId,
      });
      await audit(trx, actor, {
        action: 'catalogue.accreditation.submit',
        subjectType: 'accreditation_submission',
        subjectId: id,
        details: { programme_id: p.id },
      });
      return id;
    });
  } catch (err) {
    // A second submission racing the first: the one-open-submission index decides.
    if ((err as { code?: string }).code === '23505') return undefined;
    throw err;
  }
}

export async function decideSubmission(
  db: Database,
  actor: Actor,
  submissionId: number,
  d: {
    decision: Decision;
    criteria: Record<string, { met: boolean; note: string }>;
    note: string;
    expiresOn: string | null;
  },
): Promise<boolean> {
  const s = await findSubmission(db, submissionId);
  if (!s) return false;
  return db.transaction().execute(async (trx) => {
    const done = await decide(
      trx,
      { id: s.id, programmeId: s.programme_id },
      { ...d, accountId: actor.viewer.accountId },
    );
    if (!done) return false;
    await audit(trx, actor, {
      action: `catalogue.accreditation.${d.decision}`,
      subjectType: 'accreditation_submission',
      subjectId: s.id,
      details: { programme_id: s.programme_id, expires_on: d.expiresOn },
    });
    return true;
  });
}
