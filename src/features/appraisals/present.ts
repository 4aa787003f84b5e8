import type { FieldError } from '../../web/render.ts';
import { type AppraisalAccess, type Party, signaturesOf, statusLabels, statusTagClass } from './appraisals.ts';
import type { AddendumRow, AppraisalRow } from './queries.ts';
import type { FormProblem } from './schemas.ts';
import {
  type Domain,
  overallRatingHints,
  overallRatingLabels,
  overallRatings,
  readContent,
  type ScaleLevel,
  smartFields,
  smartLabels,
  TEMPLATE,
} from './template.ts';

export const views = 'features/appraisals/views';
export const todayOf = (deps: { clock: { now(): Date } }) => deps.clock.now().toISOString().slice(0, 10);
export { setFlash, takeFlash } from '../../plugins/session.ts';

export const accessLabels: Record<AppraisalAccess, string> = {
  self: 'your own appraisal',
  appraiser: 'you are the appraiser',
  line_manager: 'you are a line manager of this person',
  org_admin: 'you are an admin of their organisation',
};

/** Problems as the NHS error summary and per-field messages. */
export function problemsView(problems: FormProblem[]) {
  const errors: FieldError[] = [];
  const fields: Record<string, { text: string }> = {};
  for (const p of problems) {
    if (fields[p.field]) continue;
    fields[p.field] = { text: p.message };
    errors.push({ text: p.message, href: `#${p.field}` });
  }
  return { errors, fields };
}

/** Everything the appraisal page shows, read-only, plus what the viewer may do next. */
export function appraisalView(
  a: AppraisalRow,
  framework: { domains: Domain[]; levels: ScaleLevel[] },
  addenda: AddendumRow[],
  party: Party | null,
  signingProblems: FormProblem[],
) {
  const c = readContent(a.content);
  const signed = signaturesOf(a);
  const levelLabel = (v: number | null) => framework.levels.find((l) => l.value === v)?.label ?? 'Not rated';
  const open = a.status !== 'locked';
  return {
    id: a.id,
    personName: a.person_name,
    appraiserName: a.appraiser_name ?? 'No appraiser: an admin of the organisation must choose one',
    cycleName: a.cycle_name,
    orgName: a.org_name,
    status: a.status,
    statusLabel: statusLabels[a.status],
    statusClass: statusTagClass[a.status],
    dueOn: a.due_on,
    meetingOn: a.meeting_on,
    midYearOn: a.mid_year_on,
    template: `${TEMPLATE.title}, version ${a.template_version}`,
    objectives: c.objectives.map((o, i) => ({
      n: i + 1,
      title: o.title,
      edi: o.edi,
      smart: smartFields.map((f) => ({ label: smartLabels[f].split(':')[0], text: o[f] })),
    })),
    reflection: c.reflection,
    wellbeing: c.wellbeing,
    career: c.career,
    plan: c.plan,
    behaviours: framework.domains.map((d) => ({
      title: d.title,
      rating: levelLabel(c.behaviours[d.code]?.value ?? null),
      comment: c.behaviours[d.code]?.comment ?? '',
    })),
    overall: a.overall_rating ? overallRatingLabels[a.overall_rating] : null,
    signatures: {
      appraisee: a.appraisee_signed_at,
      appraiser: a.appraiser_signed_at,
    },
    lockedAt: a.locked_at,
    party,
    can: {
      prepare: open && party === 'appraisee',
      meeting: open && party === 'appraiser' && a.status !== 'not_started',
      record: open && party === 'appraiser' && ['meeting_held', 'recorded'].includes(a.status),
      sign: a.status === 'recorded' && party !== null && !signed.includes(party),
      addendum: a.status === 'locked' && party !== null,
    },
    signedByMe: party !== null && signed.includes(party),
    signingProblems,
    addenda: addenda.map((ad) => {
      const by = signaturesOf(ad);
      return {
        id: ad.id,
        body: ad.body,
        createdBy: ad.created_by_name,
        createdAt: ad.created_at,
        appraiseeSigned: ad.appraisee_signed_at,
        appraiserSigned: ad.appraiser_signed_at,
        lockedAt: ad.locked_at,
        canSign: party !== null && !by.includes(party) && !ad.locked_at,
      };
    }),
  };
}

/** The preparation form's values from stored content (six objective slots, the rest as text). */
export function preparationValues(a: AppraisalRow): Record<string, string> {
  const c = readContent(a.content);
  const v: Record<string, string> = {
    reflection: c.reflection,
    wellbeing: c.wellbeing,
    career: c.career,
    plan: c.plan.join('\n'),
  };
  c.objectives.forEach((o, i) => {
    v[`objective_${i + 1}_title`] = o.title;
    for (const f of smartFields) v[`objective_${i + 1}_${f}`] = o[f];
    v[`objective_${i + 1}_edi`] = o.edi ? 'yes' : '';
  });
  return v;
}

export function objectiveSlots(values: Record<string, string>) {
  const filled = Array.from({ length: TEMPLATE.maxObjectives }, (_, i) => i + 1).filter(
    (n) => values[`objective_${n}_title`] || smartFields.some((f) => values[`objective_${n}_${f}`]),
  ).length;
  // The filled objectives and one empty slot (two when none is filled yet): more appear after saving.
  const shown = Math.min(TEMPLATE.maxObjectives, Math.max(2, filled + 1));
  return Array.from({ length: shown }, (_, i) => ({
    n: i + 1,
    fields: smartFields.map((f) => ({ name: `objective_${i + 1}_${f}`, label: smartLabels[f] })),
  }));
}

export function recordValues(a: AppraisalRow, domains: Domain[]): Record<string, string> {
  const c = readContent(a.content);
  const v: Record<string, string> = { overall_rating: a.overall_rating ?? '' };
  for (const d of domains) {
    const b = c.behaviours[d.code];
    v[`behaviour_${d.code}`] = b?.value === null || b?.value === undefined ? '' : String(b.value);
    v[`behaviour_${d.code}_comment`] = b?.comment ?? '';
  }
  return v;
}

export function overallItems(chosen: string) {
  return overallRatings.map((r) => ({
    value: r,
    text: overallRatingLabels[r],
    hint: { text: overallRatingHints[r] },
    checked: r === chosen,
  }));
}

export function behaviourItems(levels: ScaleLevel[], chosen: string) {
  return levels
    .filter((l) => l.value !== null)
    .map((l) => ({ value: String(l.value), text: l.label, checked: String(l.value) === chosen }));
}
