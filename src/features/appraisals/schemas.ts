import { z } from 'zod';
import type { OverallRating } from '../../db/schema.ts';
import {
  type AppraisalContent,
  type BehaviourRating,
  type Domain,
  type Objective,
  overallRatings,
  planFromText,
  type ScaleLevel,
  smartFields,
  TEMPLATE,
} from './template.ts';

// Form input: what the pages post, checked and turned into the template's content.

type Body = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

export interface FormProblem {
  field: string;
  message: string;
}

/** A form read: its value, or every problem by field. */
export type FormRead<V> = { ok: true; value: V } | { ok: false; problems: FormProblem[] };

const LONG = 5000;

/** A date from the three boxes of the NHS date input, or a problem naming the field. */
export function dateFromParts(body: Body, field: string, label: string): { iso: string } | { problem: string } {
  const d = one(body[`${field}-day`]);
  const m = one(body[`${field}-month`]);
  const y = one(body[`${field}-year`]);
  if (!d && !m && !y) return { problem: `Enter the ${label}` };
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) {
    return { problem: `The ${label} must be a real date, like 27 3 2027` };
  }
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const t = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso) {
    return { problem: `The ${label} must be a real date, like 27 3 2027` };
  }
  return { iso };
}

export function dateParts(iso: string | null | undefined) {
  if (!iso) return { day: '', month: '', year: '' };
  const [y, m, d] = iso.split('-');
  return { day: String(Number(d)), month: String(Number(m)), year: y };
}

/** The date of the date input `field`, with its problem on the day box (where the error summary links). */
export function readDate(body: Body, field: string, label: string): FormRead<string> {
  const d = dateFromParts(body, field, label);
  return 'problem' in d
    ? { ok: false, problems: [{ field: `${field}-day`, message: d.problem }] }
    : { ok: true, value: d.iso };
}

/** The appraisee's preparation: objectives in numbered slots (blank slots dropped), reflection, conversations, plan. */
export function readPreparation(body: Body): FormRead<Omit<AppraisalContent, 'behaviours'>> {
  const problems: FormProblem[] = [];
  const objectives: Objective[] = [];
  for (let i = 1; i <= TEMPLATE.maxObjectives; i++) {
    const o: Objective = {
      title: one(body[`objective_${i}_title`]),
      specific: one(body[`objective_${i}_specific`]),
      measurable: one(body[`objective_${i}_measurable`]),
      achievable: one(body[`objective_${i}_achievable`]),
      relevant: one(body[`objective_${i}_relevant`]),
      timeBound: one(body[`objective_${i}_timeBound`]),
      edi: one(body[`objective_${i}_edi`]) === 'yes',
    };
    const filled = o.title || smartFields.some((f) => o[f]);
    if (!filled) {
      if (o.edi) problems.push({ field: `objective_${i}_title`, message: `Give objective ${i} a title` });
      continue;
    }
    if (!o.title) problems.push({ field: `objective_${i}_title`, message: `Give objective ${i} a title` });
    for (const f of ['title', ...smartFields] as const) {
      if (o[f].length > 2000) {
        problems.push({
          field: `objective_${i}_${f}`,
          message: `Objective ${i}: keep each field under 2,000 characters`,
        });
      }
    }
    objectives.push(o);
  }
  const texts = {
    reflection: 'Your reflection',
    wellbeing: 'The wellbeing conversation',
    career: 'The career conversation',
  };
  for (const [f, label] of Object.entries(texts)) {
    if (one(body[f]).length > LONG) problems.push({ field: f, message: `${label} must be 5,000 characters or fewer` });
  }
  const plan = planFromText(one(body.plan));
  if (plan.length > TEMPLATE.maxPlanItems) {
    problems.push({ field: 'plan', message: `List up to ${TEMPLATE.maxPlanItems} development plan items` });
  }
  if (plan.some((p) => p.length > 300)) {
    problems.push({ field: 'plan', message: 'Keep each development plan item under 300 characters' });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      objectives,
      reflection: one(body.reflection),
      wellbeing: one(body.wellbeing),
      career: one(body.career),
      plan,
    },
  };
}

/** The appraiser's record: a rating and a comment per behaviour domain, and the overall rating. */
export function readRecord(
  body: Body,
  domains: Domain[],
  levels: ScaleLevel[],
): FormRead<{ behaviours: Record<string, BehaviourRating>; overall: OverallRating | null }> {
  const problems: FormProblem[] = [];
  const behaviours: Record<string, BehaviourRating> = {};
  const values = new Set(levels.filter((l) => l.value !== null).map((l) => String(l.value)));
  for (const d of domains) {
    const raw = one(body[`behaviour_${d.code}`]);
    const comment = one(body[`behaviour_${d.code}_comment`]);
    if (raw && !values.has(raw))
      problems.push({ field: `behaviour_${d.code}`, message: `Choose a rating for “${d.title}”` });
    if (comment.length > 2000) {
      problems.push({ field: `behaviour_${d.code}_comment`, message: 'Keep each comment under 2,000 characters' });
    }
    behaviours[d.code] = { value: raw && values.has(raw) ? Number(raw) : null, comment };
  }
  const overallRaw = one(body.overall_rating);
  const overall = z.enum(overallRatings as [OverallRating, ...OverallRating[]]).safeParse(overallRaw);
  if (overallRaw && !overall.success) problems.push({ field: 'overall_rating', message: 'Choose an overall rating' });
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { behaviours, overall: overall.success ? overall.data : null } };
}

/** One required text field of up to `max` characters. */
export function readText(body: unknown, field: string, label: string, max: number): FormRead<string> {
  const parsed = z
    .string()
    .trim()
    .min(1, `Enter the ${label}`)
    .max(max, `The ${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .safeParse((body as Record<string, unknown>)[field]);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problems: [{ field, message: parsed.error.issues[0]!.message }] };
}

export const cycleName = z
  .string()
  .trim()
  .min(1, 'Enter a name for the cycle')
  .max(200, 'Keep the name under 200 characters');
