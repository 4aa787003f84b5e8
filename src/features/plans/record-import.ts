import { createHash } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import type { Database } from '../../db/database.ts';
import type { ManagementLevel } from '../../db/schema.ts';
import type { VersionModel } from '../assessments/assessments.ts';
import { checkEvidenceUrl } from '../assessments/assessments.ts';
import { insertEvidence, linkEvidence } from '../assessments/evidence-queries.ts';
import { versionModel } from '../assessments/framework.ts';
import {
  insertImport,
  insertImportedAssessment,
  insertImportedHistory,
  priorImport,
} from '../assessments/import-queries.ts';
import { assessmentsOf, importedHistoryOf } from '../assessments/queries.ts';
import { findFramework, versionsOf } from '../frameworks/queries.ts';
import { findPerson } from '../people/queries.ts';
import { type ImportedSection, insertImportedItems, insertImportedPlanItem, planOf } from './queries.ts';
import {
  DevelopmentRecord,
  type DevelopmentRecordT,
  DevelopmentRecordV1,
  type RecordAssessmentT,
} from './record-format.ts';

// Import of a development record at a new employer: all or nothing, with every problem reported by its place in
// the file. Competencies are matched by framework key, version number and competency code. Assessments of
// versions held here join the person's history (marked as imported); those of versions not held here are kept
// as imported history and never scored or compared with local results. The 360 summaries, appraisals and learning
// of version 2 are kept as read-only history, labelled with the organisation and date of the export. Importing a
// record again (the same file, or a later export of the same record) adds only what is not held yet.

export interface ImportProblem {
  where: string;
  message: string;
}

export type ImportResult =
  | {
      ok: true;
      assessments: number;
      history: number;
      planItems: number;
      evidence: number;
      feedback: number;
      appraisals: number;
      learning: number;
      /** Items already held from an earlier import, not added again. */
      skipped: number;
      importId: number;
    }
  | { ok: false; problems: ImportProblem[] };

/** JSON with keys in order, so that the same item always has the same digest whatever order its keys came in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** An item's identity: its content without where it was imported from (that changes as it travels). */
export function itemKey(item: { imported?: unknown }): string {
  const { imported: _, ...rest } = item;
  return createHash('sha256').update(canonical(rest)).digest('hex');
}

const instant = (t: string | Date) => new Date(t).toISOString();

const MAX_PROBLEMS = 100;

/** A JSON pointer from TypeBox as the place in the file: /assessments/0/ratings/2/value → assessments[0].ratings[2].value */
function place(path: string): string {
  return (
    path
      .split('/')
      .filter(Boolean)
      .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '') || 'the file'
  );
}

/** The version of a framework held here with this number (published or retired; never a draft). */
async function localVersion(db: Database, key: string, number: number): Promise<VersionModel | undefined> {
  const f = await findFramework(db, key);
  if (!f) return undefined;
  const v = (await versionsOf(db, f.id)).find((x) => x.version === number && x.status !== 'draft');
  return v ? versionModel(db, v.id) : undefined;
}

type Plan = {
  assessment: RecordAssessmentT;
  model?: VersionModel;
  ratings: { competencyId: number; scaleLevelId: number; comment: string }[];
};

export async function importRecord(
  db: Database,
  personId: number,
  text: string,
  actor: { accountId: number | null },
): Promise<ImportResult> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [{ where: 'the file', message: `The file is not valid JSON: ${(err as Error).message}` }],
    };
  }
  const head = data as { format?: unknown; version?: unknown };
  if (typeof data !== 'object' || data === null || head.format !== 'leadwell-development-record') {
    return {
      ok: false,
      problems: [
        {
          where: 'format',
          message: 'This is not a Leadwell development record (format must be "leadwell-development-record")',
        },
      ],
    };
  }
  if (head.version !== 1 && head.version !== 2) {
    return {
      ok: false,
      problems: [
        {
          where: 'version',
          message: `Version ${String(head.version)} of the record format is not supported: this Leadwell reads versions 1 and 2`,
        },
      ],
    };
  }
  const problems: ImportProblem[] = [];
  for (const e of Value.Errors(head.version === 1 ? DevelopmentRecordV1 : DevelopmentRecord, data)) {
    problems.push({ where: place(e.path), message: e.message });
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (problems.length) return { ok: false, problems };
  // A version 1 record has no 360, appraisal or learning sections.
  const given = data as Partial<DevelopmentRecordT>;
  const record = {
    ...given,
    feedback: given.feedback ?? [],
    appraisals: given.appraisals ?? [],
    learning: given.learning ?? [],
  } as DevelopmentRecordT;

  const person = await findPerson(db, personId);
  if (record.person.staff_number && person?.staff_number && record.person.staff_number !== person.staff_number) {
    problems.push({
      where: 'person.staff_number',
      message: `This record belongs to staff number ${record.person.staff_number}, not to yours: import only your own record`,
    });
  }
  if (await priorImport(db, personId, record.source.organisation, record.exported_at)) {
    problems.push({
      where: 'exported_at',
      message: `This record (exported from ${record.source.organisation} on ${record.exported_at}) has already been imported`,
    });
  }

  // What the person already holds, so that a later export of the same record adds only what is new.
  const heldAssessments = new Set(
    (await assessmentsOf(db, personId))
      .filter((a) => a.submitted_at)
      .map((a) => `${a.framework_version_id}|${instant(a.submitted_at!)}`),
  );
  const heldHistory = new Set(
    (await importedHistoryOf(db, personId)).map(
      (h) => `${h.framework_key}|${h.framework_version}|${h.submitted_at ? instant(h.submitted_at) : ''}`,
    ),
  );
  const heldPlan = new Set((await planOf(db, personId)).map((i) => `${i.title}|${instant(i.created_at)}`));
  let skipped = 0;

  const plans: Plan[] = [];
  for (const [i, a] of record.assessments.entries()) {
    const model = await localVersion(db, a.framework.key, a.framework.version);
    const plan: Plan = { assessment: a, model, ratings: [] };
    if (model) {
      const comps = new Map(model.content.competencies.map((c) => [c.code.toLowerCase(), c]));
      const seen = new Set<number>();
      for (const [j, r] of a.ratings.entries()) {
        const where = `assessments[${i}].ratings[${j}]`;
        const c = comps.get(r.competency.toLowerCase());
        if (!c) {
          problems.push({
            where: `${where}.competency`,
            message: `${r.competency} is not a competency of ${a.framework.key} version ${a.framework.version} as held here`,
          });
          continue;
        }
        const level = model.content.levels.find((l) =>
          r.value === null ? l.value === null && l.label.toLowerCase() === r.label.toLowerCase() : l.value === r.value,
        );
        if (!level) {
          problems.push({
            where: `${where}.value`,
            message: `${r.value === null ? `“${r.label}”` : r.value} is not a level of the scale of ${a.framework.key} version ${a.framework.version}`,
          });
          continue;
        }
        if (seen.has(c.id)) {
          problems.push({ where: `${where}.competency`, message: `${r.competency} is rated twice` });
          continue;
        }
        seen.add(c.id);
        plan.ratings.push({ competencyId: c.id, scaleLevelId: level.id, comment: r.comment });
      }
      for (const [j, e] of a.evidence.entries()) {
        if (e.competency && !comps.has(e.competency.toLowerCase())) {
          problems.push({
            where: `assessments[${i}].evidence[${j}].competency`,
            message: `${e.competency} is not a competency of ${a.framework.key} version ${a.framework.version}`,
          });
        }
      }
    }
    for (const [j, e] of a.evidence.entries()) {
      const where = `assessments[${i}].evidence[${j}]`;
      if (e.kind === 'link' && (!e.url || !checkEvidenceUrl(e.url)))
        problems.push({ where: `${where}.url`, message: 'A link needs an http or https address' });
      if (e.kind === 'note' && !e.note) problems.push({ where: `${where}.note`, message: 'A note needs its text' });
      if (e.kind === 'file' && (!e.file_name || !e.content_type || e.size_bytes === null)) {
        problems.push({ where, message: 'A file needs its file_name, content_type and size_bytes' });
      }
    }
    plans.push(plan);
  }

  const items: { item: DevelopmentRecordT['plan'][number]; competency: { versionId: number; id: number } | null }[] =
    [];
  for (const [i, item] of record.plan.entries()) {
    let competency: { versionId: number; id: number } | null = null;
    if (item.competency) {
      const model = await localVersion(db, item.competency.framework, item.competency.version);
      if (model) {
        const c = model.content.competencies.find((x) => x.code.toLowerCase() === item.competency!.code.toLowerCase());
        if (!c) {
          problems.push({
            where: `plan[${i}].competency.code`,
            message: `${item.competency.code} is not a competency of ${item.competency.framework} version ${item.competency.version} as held here`,
          });
        } else competency = { versionId: model.meta.id, id: c.id };
      }
    }
    items.push({ item, competency });
  }
  if (problems.length) return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };

  const origin = { organisation: record.source.organisation, exported_at: record.exported_at };
  const foreign = (section: ImportedSection, items: { imported: unknown }[]) =>
    items.map((item) => ({ section, key: itemKey(item), content: { ...item, imported: item.imported ?? origin } }));
  const foreignItems = [
    ...foreign('feedback', record.feedback),
    ...foreign('appraisals', record.appraisals),
    ...foreign('learning', record.learning),
  ];

  return db.transaction().execute(async (trx) => {
    const importId = await insertImport(trx, {
      personId,
      sourceOrganisation: record.source.organisation,
      exportedAt: record.exported_at,
      accountId: actor.accountId,
      summary: {
        version: record.version,
        assessments: record.assessments.length,
        plan: record.plan.length,
        feedback: record.feedback.length,
        appraisals: record.appraisals.length,
        learning: record.learning.length,
      },
    });
    let assessments = 0;
    let history = 0;
    let evidence = 0;
    for (const p of plans) {
      const a = p.assessment;
      const held = p.model
        ? heldAssessments.has(`${p.model.meta.id}|${instant(a.submitted_at)}`)
        : heldHistory.has(`${a.framework.key}|${a.framework.version}|${instant(a.submitted_at)}`);
      if (held) {
        skipped++;
        continue;
      }
      if (!p.model) {
        await insertImportedHistory(trx, { importId, personId, assessment: a });
        history++;
        continue;
      }
      const model = p.model;
      const assessmentId = await insertImportedAssessment(trx, {
        importId,
        personId,
        versionId: model.meta.id,
        level: a.management_level as ManagementLevel,
        startedAt: a.started_at,
        ratings: p.ratings,
        submittedAt: a.submitted_at,
        attach: async (id) => {
          for (const e of a.evidence) {
            const evidenceId = await insertEvidence(trx, {
              personId,
              importId,
              kind: e.kind,
              title: e.title,
              url: e.url ?? undefined,
              note: e.note ?? undefined,
              fileMeta:
                e.kind === 'file'
                  ? { name: e.file_name!, contentType: e.content_type!, size: e.size_bytes! }
                  : undefined,
            });
            const c = e.competency
              ? model.content.competencies.find((x) => x.code.toLowerCase() === e.competency!.toLowerCase())
              : undefined;
            await linkEvidence(trx, {
              assessmentId: id,
              versionId: model.meta.id,
              evidenceId,
              competencyId: c?.id ?? null,
            });
            evidence++;
          }
        },
      });
      if (assessmentId) assessments++;
    }
    let planItems = 0;
    for (const { item, competency } of items) {
      if (heldPlan.has(`${item.title}|${instant(item.created_at)}`)) {
        skipped++;
        continue;
      }
      await insertImportedPlanItem(trx, { importId, personId, item, competency });
      planItems++;
    }
    const counts = { feedback: 0, appraisals: 0, learning: 0 };
    for (const section of ['feedback', 'appraisals', 'learning'] as const) {
      const of = foreignItems.filter((x) => x.section === section);
      counts[section] = await insertImportedItems(trx, { importId, personId, items: of });
      skipped += of.length - counts[section];
    }
    return { ok: true as const, assessments, history, planItems, evidence, ...counts, skipped, importId };
  });
}
