import type { Band, ManagementLevel } from '../../db/schema.ts';
import { bands, staffGroups } from '../people/people.ts';

// Who may join a programme, as a pure function of the programme's rules and the person's current assignments.
// Every rule is a list; an empty list places no restriction. A person is eligible when ONE of their current
// assignments meets every rule at once: a band 7 post in one trust and a staff group in another do not combine.

/** "aspiring": not yet a manager (no reports). Otherwise a management level from band and reports. */
export type PersonLevel = ManagementLevel | 'aspiring';

export const eligibleLevelValues: PersonLevel[] = ['aspiring', 'first_line', 'middle', 'senior', 'executive', 'board'];
export const eligibleLevelLabels: Record<PersonLevel, string> = {
  aspiring: 'Aspiring managers (no line management yet)',
  first_line: 'First-line managers',
  middle: 'Middle managers',
  senior: 'Senior managers',
  executive: 'Executives',
  board: 'Board members',
};

/** Bands and staff groups are the people feature's lists (ESR's values). */
export const bandValues: readonly Band[] = bands;

export { staffGroups };

export interface EligibilityRules {
  bands: string[];
  managementLevels: string[];
  staffGroups: string[];
  organisationIds: number[];
  regionIds: number[];
}

export interface PersonPost {
  band: string | null;
  staffGroup: string | null;
  isManager: boolean;
  organisationId: number;
  regionId: number | null;
}

export interface PersonFacts {
  /** Current assignments only. */
  posts: PersonPost[];
}

/**
 * The management level a post implies. ESR holds no management level, so it follows from band and whether the
 * post manages anyone: a manager up to band 7 (or without a band) leads a team at first line, 8a–8b manage
 * services (middle), 8c–8d lead directorates (senior), band 9 and very senior managers are executives. Board
 * membership is not in ESR, so a board programme restricted to board members needs the person to be an executive.
 */
export function levelOfPost(post: Pick<PersonPost, 'band' | 'isManager'>): PersonLevel {
  if (!post.isManager) return 'aspiring';
  switch (post.band) {
    case '8a':
    case '8b':
      return 'middle';
    case '8c':
    case '8d':
      return 'senior';
    case '9':
    case 'VSM':
      return 'executive';
    default:
      return 'first_line';
  }
}

/** Levels that satisfy a rule naming `level`: an executive may join a board-level programme (see levelOfPost). */
function levelMatches(allowed: string[], level: PersonLevel): boolean {
  return allowed.includes(level) || (level === 'executive' && allowed.includes('board'));
}

export type RuleName = 'band' | 'management_level' | 'staff_group' | 'organisation' | 'region';

/** The rules one post fails, empty when it meets them all. */
export function failedRules(rules: EligibilityRules, post: PersonPost): RuleName[] {
  const failed: RuleName[] = [];
  if (rules.bands.length && !(post.band !== null && rules.bands.includes(post.band))) failed.push('band');
  if (rules.managementLevels.length && !levelMatches(rules.managementLevels, levelOfPost(post))) {
    failed.push('management_level');
  }
  if (rules.staffGroups.length && !(post.staffGroup !== null && rules.staffGroups.includes(post.staffGroup))) {
    failed.push('staff_group');
  }
  if (rules.organisationIds.length && !rules.organisationIds.includes(post.organisationId)) failed.push('organisation');
  if (rules.regionIds.length && !(post.regionId !== null && rules.regionIds.includes(post.regionId))) {
    failed.push('region');
  }
  return failed;
}

export function hasRestrictions(rules: EligibilityRules): boolean {
  return Object.values(rules).some((list) => list.length > 0);
}

/** Whether a person may join: one of their current posts meets every rule. No current post: only open programmes. */
export function isEligible(programme: { eligibility: EligibilityRules }, person: PersonFacts): boolean {
  if (!hasRestrictions(programme.eligibility)) return true;
  return person.posts.some((post) => failedRules(programme.eligibility, post).length === 0);
}

const ruleText: Record<RuleName, string> = {
  band: 'your band',
  management_level: 'your management level',
  staff_group: 'your staff group',
  organisation: 'your organisation',
  region: 'your region',
};

/**
 * Why a person is or is not eligible, in words for the programme page: the matching post's position, or the rules
 * the closest post fails.
 */
export function eligibilityReason(
  programme: { eligibility: EligibilityRules },
  person: PersonFacts,
): { eligible: boolean; text: string } {
  if (!hasRestrictions(programme.eligibility)) return { eligible: true, text: 'Open to everyone' };
  if (!person.posts.length)
    return { eligible: false, text: 'Open only to staff with a current NHS post that meets the rules' };
  const results = person.posts.map((p) => failedRules(programme.eligibility, p));
  if (results.some((r) => r.length === 0)) {
    const met = (Object.keys(ruleText) as RuleName[]).filter((r) => ruleApplies(programme.eligibility, r));
    return { eligible: true, text: `You meet the rules on ${joinWords(met.map((r) => ruleText[r]))}` };
  }
  const closest = results.reduce((a, b) => (b.length < a.length ? b : a));
  return {
    eligible: false,
    text: `Not open to you: it does not include ${joinWords(closest.map((r) => ruleText[r]))}`,
  };
}

function ruleApplies(rules: EligibilityRules, r: RuleName): boolean {
  const map: Record<RuleName, unknown[]> = {
    band: rules.bands,
    management_level: rules.managementLevels,
    staff_group: rules.staffGroups,
    organisation: rules.organisationIds,
    region: rules.regionIds,
  };
  return map[r].length > 0;
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
