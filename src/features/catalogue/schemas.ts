import { z } from 'zod';
import { criteria, formats, fundings, levels, providerKinds, scopes } from './catalogue.ts';
import { bandValues, eligibleLevelValues, staffGroups } from './eligibility.ts';

// The catalogue's forms (zod). Checkbox groups arrive as a string, an array, or nothing.

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter(Boolean));

const text = (what: string, min: number, max: number) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(min, min <= 1 ? `Enter ${what}` : `Enter ${what} (at least ${min} characters)`)
    .max(max, `${what[0].toUpperCase()}${what.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .transform((v) => v.replace(/\r\n?/g, '\n'));

const optionalText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .optional()
    .transform((v) => (v ?? '').replace(/\r\n?/g, '\n'));

const whole = (what: string, min: number, max: number) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .regex(/^\d+$/, `${what[0].toUpperCase()}${what.slice(1)} must be a whole number, like 12`)
    .transform(Number)
    .refine(
      (n) => n >= min && n <= max,
      `${what[0].toUpperCase()}${what.slice(1)} must be between ${min} and ${max.toLocaleString('en-GB')}`,
    );

const choice = <T extends string>(values: readonly T[], message: string) =>
  z.enum(values as [T, ...T[]], { error: message });

const subset = <T extends string>(values: readonly T[], message: string) =>
  list.refine((xs) => xs.every((x) => (values as readonly string[]).includes(x)), message);

/** The programme form, in page order (the error summary follows it). */
export const programmeForm = z.object({
  title: text('a title', 3, 200),
  summary: text('a summary', 20, 2000),
  outcomes: text('the learning outcomes', 10, 4000),
  level: choice(levels, 'Select the management level it is for'),
  competencies: list,
  format: choice(formats, 'Select how it is delivered'),
  hours: whole('the hours of learning', 1, 2000),
  duration_weeks: whole('the duration in weeks', 1, 260),
  cost_pounds: whole('the cost in pounds (0 if free)', 0, 100_000),
  funding: choice(fundings, 'Select how it is funded'),
  funding_note: optionalText('Funding details', 500),
  elig_levels: subset(eligibleLevelValues, 'Select management levels from the list'),
  elig_bands: subset(bandValues, 'Select bands from the list'),
  elig_staff_groups: subset(Object.keys(staffGroups), 'Select staff groups from the list'),
  elig_regions: list.refine((xs) => xs.every((x) => /^\d{1,9}$/.test(x)), 'Select regions from the list'),
  elig_org_codes: optionalText('Organisation codes', 2000).transform((v) =>
    v
      .split(/[\s,]+/)
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  ),
  scope: choice(scopes, 'Select who the programme is offered by: nationally, a region, an ICB or one organisation'),
  scope_org_code: optionalText('The area code', 20).transform((v) => v.toUpperCase()),
  local_version_of: z
    .string()
    .optional()
    .transform((v) => (v && /^\d{1,12}$/.test(v) ? Number(v) : null)),
});
export type ProgrammeForm = z.infer<typeof programmeForm>;
export const programmeFormOrder = Object.keys(programmeForm.shape);

export const submissionForm = z.object({
  competency_mapping: text('how the programme develops each competency it claims', 20, 8000),
  assessment_method: text('how participants are assessed', 10, 4000),
  evidence: text('the evidence you offer', 10, 8000),
});

export const decisionForm = z.object({
  decision: choice(['accredited', 'changes_requested', 'rejected'] as const, 'Select a decision'),
  criteria: subset(
    criteria.map((c) => c.key),
    'Select criteria from the list',
  ),
  note: optionalText('The note', 4000),
});

export const providerForm = z.object({
  name: text('the provider’s name', 2, 200),
  kind: choice(providerKinds, 'Select the kind of provider'),
  organisation_code: optionalText('The organisation code', 20).transform((v) => v.toUpperCase()),
  region_code: optionalText('The region code', 20).transform((v) => v.toUpperCase()),
  website: optionalText('The website', 300).refine(
    (v) => v === '' || /^https?:\/\/\S+$/.test(v),
    'Enter a website address starting with https://',
  ),
  contact_email: optionalText('The contact email', 200).refine(
    (v) => v === '' || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
    'Enter an email address like name@example.org',
  ),
});

export const adminForm = z.object({
  email: z
    .string({ error: 'Enter the email address of their account' })
    .trim()
    .min(3, 'Enter the email address of their account'),
});

/** The public search's query string; unknown or malformed filters are dropped rather than refused. */
export const searchQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  level: z
    .enum(levels as [string, ...string[]])
    .optional()
    .catch(undefined),
  format: z
    .enum(formats as [string, ...string[]])
    .optional()
    .catch(undefined),
  region: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
  competency: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
  cost: z.enum(['free', 'funded', 'max']).optional().catch(undefined),
  max_cost: z
    .string()
    .regex(/^\d{1,6}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
  starts_by: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  accredited: z.literal('yes').optional().catch(undefined),
  page: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
});
