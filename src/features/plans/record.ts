import type { Database } from '../../db/database.ts';
import { appraisalSection } from '../appraisals/record-section.ts';
import { evidenceOfAssessment } from '../assessments/evidence-queries.ts';
import { assessmentsOf, importedHistoryOf } from '../assessments/queries.ts';
import { loadModels, scored } from '../assessments/result.ts';
import { feedbackSection } from '../feedback/record-section.ts';
import { learningSection } from '../learning-record/section.ts';
import { findPerson, personAssignments } from '../people/queries.ts';
import { importedItemsOf, planOf } from './queries.ts';
import {
  type DevelopmentRecordT,
  RECORD_VERSION,
  type RecordAppraisalT,
  type RecordAssessmentT,
  type RecordFeedbackT,
  type RecordLearningT,
  type RecordPlanItemT,
} from './record-format.ts';

// Building the portable record of one person: their submitted self-assessments with framework versions and
// scores, evidence metadata (never file contents), plan items, the released 360 summaries they received, their
// signed appraisals and their learning record. Work in progress stays behind. Items imported from earlier
// employers travel on as they came, still labelled with where they came from.

/** Who reads the record: the person (everything above), or their line manager or an admin (no unshared 360s). */
export type RecordReader = 'self' | 'other';

export async function sourceOrganisation(db: Database, personId: number): Promise<string> {
  const current = (await personAssignments(db, personId)).find((a) => a.end_date === null);
  return current ? `${current.organisation_name} (${current.organisation_code})` : 'Leadwell';
}

export async function buildRecord(
  db: Database,
  personId: number,
  now: Date,
  reader: RecordReader = 'self',
): Promise<DevelopmentRecordT> {
  const person = await findPerson(db, personId);
  if (!person) throw new Error(`person ${personId} is missing`);
  const rows = (await assessmentsOf(db, personId)).filter((a) => a.status === 'submitted');
  const assessments: RecordAssessmentT[] = [];
  for (const a of rows) {
    const s = await scored(db, a);
    const { content, meta } = s.model;
    const levels = new Map(content.levels.map((l) => [l.id, l]));
    const comps = new Map(content.competencies.map((c) => [c.id, c]));
    const domains = new Map(content.domains.map((d) => [d.id, d]));
    assessments.push({
      framework: { key: meta.key, title: meta.title, version: meta.version },
      management_level: a.management_level,
      started_at: a.started_at.toISOString(),
      submitted_at: a.submitted_at!.toISOString(),
      imported_from: a.imported_from,
      ratings: content.competencies
        .filter((c) => s.ratings.some((r) => r.competencyId === c.id))
        .map((c) => {
          const r = s.ratings.find((x) => x.competencyId === c.id)!;
          const level = levels.get(r.scaleLevelId)!;
          return {
            domain: domains.get(c.domain_id)!.code,
            competency: c.code,
            title: c.title,
            value: level.value,
            label: level.label,
            comment: r.comment,
          };
        }),
      evidence: (await evidenceOfAssessment(db, a.id)).map((e) => ({
        kind: e.kind,
        title: e.title,
        url: e.url,
        note: e.note,
        file_name: e.file_name,
        content_type: e.content_type,
        size_bytes: e.size_bytes,
        competency: e.competency_id ? (comps.get(e.competency_id)?.code ?? null) : null,
        added_at: e.created_at.toISOString(),
      })),
    });
  }
  // Imported history of versions not held here travels on as it came.
  for (const h of await importedHistoryOf(db, personId)) {
    const kept = h.content as unknown as RecordAssessmentT;
    assessments.push({ ...kept, imported_from: kept.imported_from ?? h.source_organisation });
  }
  const items = await planOf(db, personId);
  const models = await loadModels(
    db,
    items.flatMap((i) => (i.framework_version_id ? [{ framework_version_id: i.framework_version_id }] : [])),
  );
  const plan: RecordPlanItemT[] = items.map((i) => {
    const model = i.framework_version_id ? models.get(i.framework_version_id) : undefined;
    const c = model?.content.competencies.find((x) => x.id === i.competency_id);
    const imported = i.imported_competency as RecordPlanItemT['competency'];
    return {
      title: i.title,
      status: i.status,
      due_on: i.due_on,
      support: i.support,
      source: i.source,
      source_reference: i.source_id,
      competency:
        c && model
          ? { framework: model.meta.key, version: model.meta.version, code: c.code, title: c.title }
          : (imported ?? null),
      imported_from: i.imported_from,
      created_at: i.created_at.toISOString(),
      updated_at: i.updated_at.toISOString(),
    };
  });
  const feedback: RecordFeedbackT[] = [
    ...((await importedItemsOf(db, personId, 'feedback')) as RecordFeedbackT[]),
    ...(await feedbackSection(db, personId, { sharedOnly: reader !== 'self' })),
  ];
  const appraisals: RecordAppraisalT[] = [
    ...((await importedItemsOf(db, personId, 'appraisals')) as RecordAppraisalT[]),
    ...(await appraisalSection(db, personId)).reverse().map((a) => ({ ...a, imported: null })),
  ];
  const learning: RecordLearningT[] = [
    ...(await learningSection(db, personId)).records.map((r) => ({
      title: r.title,
      provider: r.provider,
      completed_on: r.completed_on,
      outcome: r.outcome,
      hours: r.hours,
      mandatory: r.mandatory,
      source: r.source,
      imported: null,
    })),
    ...((await importedItemsOf(db, personId, 'learning')) as RecordLearningT[]),
  ];
  return {
    format: 'leadwell-development-record',
    version: RECORD_VERSION as 2,
    exported_at: now.toISOString(),
    source: { organisation: await sourceOrganisation(db, personId), system: 'Leadwell' },
    person: { given_name: person.given_name, family_name: person.family_name, staff_number: person.staff_number },
    assessments,
    plan,
    feedback,
    appraisals,
    learning,
  };
}
