import { z } from 'zod';
import type { PlanItemSource, PlanItemStatus } from '../../db/schema.ts';
import type { VersionModel } from '../assessments/assessments.ts';
import type { PlanItemRow } from './queries.ts';

// Rules and labels of development plans.

export const statusLabels: Record<PlanItemStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
  dropped: 'Dropped',
};

export const statusTags: Record<PlanItemStatus, string> = {
  not_started: 'nhsuk-tag--grey',
  in_progress: 'nhsuk-tag--blue',
  done: 'nhsuk-tag--green',
  dropped: 'nhsuk-tag--white',
};

export const sourceLabels: Record<PlanItemSource, string> = {
  assessment: 'Self-assessment',
  feedback: '360 feedback',
  appraisal: 'Appraisal',
  manual: 'Added by hand',
};

export const planStatuses = Object.keys(statusLabels) as PlanItemStatus[];

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A date from the NHS date input's three fields; '' when all are empty. */
export function dateFromParts(day?: string, month?: string, year?: string): string | null | 'invalid' {
  const [d, m, y] = [day, month, year].map((v) => (v ?? '').trim());
  if (!d && !m && !y) return null;
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return 'invalid';
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? 'invalid' : iso;
}

/**
 * The date input posts its fields as due[day], due[month] and due[year] (nhsuk-frontend's namePrefix); the form
 * is read, and re-shown on errors, by due-day, due-month and due-year.
 */
export function withDueParts(body: Record<string, string>): Record<string, string> {
  const out = { ...body };
  for (const part of ['day', 'month', 'year']) {
    const posted = body[`due[${part}]`];
    if (posted !== undefined && out[`due-${part}`] === undefined) out[`due-${part}`] = posted;
  }
  return out;
}

export const itemForm = z.object({
  title: z
    .string()
    .trim()
    .min(1, { message: 'Enter what you will work on' })
    .max(300, { message: 'The title must be 300 characters or fewer' }),
  status: z.enum(planStatuses as [PlanItemStatus, ...PlanItemStatus[]], { message: 'Select a status' }),
  support: z.string().trim().max(2000, { message: 'The agreed support must be 2,000 characters or fewer' }),
});

export function isIsoDate(v: string): boolean {
  return isoDate.test(v);
}

/** What the plan page shows of an item: its competency by name (from the cached framework version). */
export function presentItem(i: PlanItemRow, models: Map<number, VersionModel>) {
  const model = i.framework_version_id ? models.get(i.framework_version_id) : undefined;
  const c = model?.content.competencies.find((x) => x.id === i.competency_id);
  const imported = i.imported_competency as {
    framework?: string;
    version?: number;
    code?: string;
    title?: string;
  } | null;
  return {
    ...i,
    statusLabel: statusLabels[i.status],
    statusTag: statusTags[i.status],
    sourceLabel: sourceLabels[i.source],
    competency: c
      ? `${c.code} ${c.title} (${model!.meta.title}, version ${model!.meta.version})`
      : imported
        ? `${imported.code ?? ''} ${imported.title ?? ''} (${imported.framework ?? 'unknown framework'}, version ${imported.version ?? '?'}: not held here)`
        : 'No competency',
    open: i.status === 'not_started' || i.status === 'in_progress',
  };
}
