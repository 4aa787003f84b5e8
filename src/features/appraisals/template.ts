import type { OverallRating } from '../../db/schema.ts';

/**
 * The one national appraisal template (Messenger recommendation 4: a simplified, standard appraisal that judges how
 * people behaved as well as what they delivered). It is versioned data in code: every cycle and every appraisal
 * records the key and version it was made with, so a later version never changes how an old appraisal reads.
 */
export const TEMPLATE = {
  key: 'nhs-standard-appraisal',
  version: 1,
  title: 'NHS standard appraisal',
  /** Behaviours are rated against the latest published version of this framework when a cycle opens. */
  frameworkKey: 'leadwell-management-standards',
  maxObjectives: 6,
  maxPlanItems: 10,
} as const;

export const overallRatings: OverallRating[] = ['exceptional', 'strong', 'developing', 'not_yet_meeting'];

/** The overall rating: one 4-point scale, highest first. "Top rating" in the equality lens means exceptional. */
export const overallRatingLabels: Record<OverallRating, string> = {
  exceptional: 'Exceptional',
  strong: 'Strong',
  developing: 'Developing',
  not_yet_meeting: 'Not yet meeting expectations',
};

export const overallRatingHints: Record<OverallRating, string> = {
  exceptional: 'Went well beyond the objectives, and the behaviours are a model for others.',
  strong: 'Met the objectives, with the behaviours expected of the role.',
  developing: 'Met some objectives or showed some behaviours; a plan is in place to close the gap.',
  not_yet_meeting: 'Did not meet the objectives or the behaviours expected; needs support and a clear plan.',
};

export const TOP_RATING: OverallRating = 'exceptional';

export interface Objective {
  title: string;
  specific: string;
  measurable: string;
  achievable: string;
  relevant: string;
  timeBound: string;
  /** An objective on equality, diversity and inclusion: at least one is required before signing. */
  edi: boolean;
}

export const smartFields = ['specific', 'measurable', 'achievable', 'relevant', 'timeBound'] as const;
export const smartLabels: Record<(typeof smartFields)[number], string> = {
  specific: 'Specific: what exactly will be achieved',
  measurable: 'Measurable: how you will know it is achieved',
  achievable: 'Achievable: why it is realistic with the time and resources available',
  relevant: 'Relevant: how it links to the team’s and organisation’s goals',
  timeBound: 'Time-bound: by when',
};

export interface BehaviourRating {
  /** A value of the framework's scale; null until rated. */
  value: number | null;
  comment: string;
}

/** What an appraisal holds (appraisals.content), as saved by the appraisee and the appraiser. */
export interface AppraisalContent {
  objectives: Objective[];
  /** Keyed by the framework domain's code. */
  behaviours: Record<string, BehaviourRating>;
  reflection: string;
  wellbeing: string;
  career: string;
  plan: string[];
}

export const emptyContent = (): AppraisalContent => ({
  objectives: [],
  behaviours: {},
  reflection: '',
  wellbeing: '',
  career: '',
  plan: [],
});

/** Stored content, read defensively (older rows, synthetic rows with fewer fields). */
export function readContent(raw: unknown): AppraisalContent {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Partial<AppraisalContent>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    objectives: Array.isArray(c.objectives)
      ? c.objectives.map((o) => ({
          title: str(o?.title),
          specific: str(o?.specific),
          measurable: str(o?.measurable),
          achievable: str(o?.achievable),
          relevant: str(o?.relevant),
          timeBound: str(o?.timeBound),
          edi: o?.edi === true,
        }))
      : [],
    behaviours: c.behaviours && typeof c.behaviours === 'object' ? c.behaviours : {},
    reflection: str(c.reflection),
    wellbeing: str(c.wellbeing),
    career: str(c.career),
    plan: Array.isArray(c.plan) ? c.plan.filter((p): p is string => typeof p === 'string') : [],
  };
}

export interface Domain {
  code: string;
  title: string;
}

export interface ScaleLevel {
  value: number | null;
  label: string;
}

export interface Problem {
  field: string;
  message: string;
}

/**
 * What stops an appraisal from being signed: every objective SMART, at least one objective on equality, diversity
 * and inclusion, the meeting held, every behaviour domain rated with a comment, and an overall rating.
 */
export function signingProblems(a: {
  content: AppraisalContent;
  overallRating: OverallRating | null;
  meetingOn: string | null;
  domains: Domain[];
}): Problem[] {
  const problems: Problem[] = [];
  const { objectives, behaviours } = a.content;
  if (objectives.length === 0) problems.push({ field: 'objectives', message: 'Add at least one objective' });
  objectives.forEach((o, i) => {
    const missing = smartFields.filter((f) => !o[f].trim());
    if (!o.title.trim() || missing.length) {
      problems.push({
        field: `objective_${i + 1}_title`,
        message: `Objective ${i + 1} is not SMART yet: complete its title and all five SMART fields`,
      });
    }
  });
  if (!objectives.some((o) => o.edi)) {
    problems.push({
      field: 'objectives',
      message: 'Add at least one objective on equality, diversity and inclusion',
    });
  }
  if (!a.meetingOn) problems.push({ field: 'meeting_on', message: 'Record the date of the appraisal meeting' });
  for (const d of a.domains) {
    const b = behaviours[d.code];
    if (!b || b.value === null || b.value === undefined || !b.comment?.trim()) {
      problems.push({ field: `behaviour_${d.code}`, message: `Rate “${d.title}” and add a comment` });
    }
  }
  if (!a.overallRating) problems.push({ field: 'overall_rating', message: 'Choose an overall rating' });
  return problems;
}

/** Plan items from a textarea: one per line, blank lines dropped. */
export function planFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}
