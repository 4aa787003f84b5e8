import { behaviourFramework, type Db } from './cycle-queries.ts';
import { addendaOf, appraisalsOf, findAppraisal } from './queries.ts';
import { overallRatingLabels, readContent } from './template.ts';

/**
 * A person's signed and locked appraisals as data, for the `appraisals` section of the portable development record
 * (src/features/plans/record.ts): objectives, behaviour ratings with their labels, the overall rating, the agreed
 * plan, signatures and addenda. The reflection, wellbeing and career conversation stay with the organisation. The
 * caller has decided that the reader may see them and audited the read.
 */
export async function appraisalSection(db: Db, personId: number) {
  const locked = (await appraisalsOf(db, personId)).filter((a) => a.status === 'locked');
  const frameworks = new Map<number, Awaited<ReturnType<typeof behaviourFramework>>>();
  const out = [];
  for (const item of locked) {
    const a = await findAppraisal(db, item.id);
    if (!a) continue;
    if (!frameworks.has(a.framework_version_id)) {
      frameworks.set(a.framework_version_id, await behaviourFramework(db, a.framework_version_id));
    }
    const { domains, levels } = frameworks.get(a.framework_version_id)!;
    const content = readContent(a.content);
    out.push({
      organisation: `${a.org_name} (${a.org_code})`,
      cycle: { name: a.cycle_name, starts_on: a.starts_on, ends_on: a.ends_on },
      template: { key: a.template_key, version: a.template_version },
      appraiser: a.appraiser_name,
      meeting_on: a.meeting_on,
      overall_rating: a.overall_rating ? overallRatingLabels[a.overall_rating] : null,
      objectives: content.objectives.map((o) => ({
        title: o.title,
        specific: o.specific,
        measurable: o.measurable,
        achievable: o.achievable,
        relevant: o.relevant,
        time_bound: o.timeBound,
        edi: o.edi,
      })),
      behaviours: domains
        .filter((d) => content.behaviours[d.code])
        .map((d) => {
          const b = content.behaviours[d.code]!;
          return {
            domain: d.code,
            title: d.title,
            value: b.value,
            label: levels.find((l) => l.value === b.value)?.label ?? 'Not rated',
            comment: b.comment,
          };
        }),
      plan: content.plan,
      appraisee_signed_at: a.appraisee_signed_at?.toISOString() ?? null,
      appraiser_signed_at: a.appraiser_signed_at?.toISOString() ?? null,
      locked_at: a.locked_at?.toISOString() ?? null,
      addenda: (await addendaOf(db, a.id)).map((d) => ({
        body: d.body,
        added_at: d.created_at.toISOString(),
        appraisee_signed_at: d.appraisee_signed_at?.toISOString() ?? null,
        appraiser_signed_at: d.appraiser_signed_at?.toISOString() ?? null,
        locked_at: d.locked_at?.toISOString() ?? null,
      })),
    });
  }
  return out;
}
