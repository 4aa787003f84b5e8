import type { ManagementLevel, ProgrammeFormat, ProgrammeScope } from '../../db/schema.ts';
import { addDays, formatLabels } from './catalogue.ts';
import { type EligibilityRules, eligibilityReason, levelOfPost, type PersonFacts } from './eligibility.ts';

// Recommendations as a pure function: which programmes close a person's competency gaps, that they may join,
// near them or online, with places soon, and the reasons, so the page can say why each one is there.

/** One gap, as assessments' currentGaps(db, personId) returns it. */
export interface Gap {
  frameworkVersionId: number;
  competencyId: number;
  competencyName: string;
  domainName: string;
  required: number;
  achieved: number | null;
  gap: number;
}

export interface Candidate {
  id: number;
  title: string;
  level: ManagementLevel;
  format: ProgrammeFormat;
  scope: ProgrammeScope;
  areaRegionId: number | null;
  areaIcbId: number | null;
  areaName: string | null;
  nextCohortStart: string | null;
  accredited: boolean;
  eligibility: EligibilityRules;
  competencyIds: number[];
}

export interface Place {
  regionIds: number[];
  icbIds: number[];
}

export type ReasonKind = 'gap' | 'level' | 'eligibility' | 'location' | 'date' | 'accredited';
export interface Reason {
  kind: ReasonKind;
  text: string;
}

export interface Recommendation {
  programmeId: number;
  title: string;
  score: number;
  reasons: Reason[];
}

/** Places within this many days count as "soon". */
export const SOON_DAYS = 120;

/** Where a programme is, relative to the person: nearest first; undefined when it is elsewhere and not online. */
export function locationOf(c: Candidate, place: Place): { weight: number; text: string } | undefined {
  if (c.format === 'online') return { weight: 2, text: 'Online, so you can join from anywhere' };
  if (c.areaIcbId !== null && place.icbIds.includes(c.areaIcbId)) {
    return { weight: 3, text: `Run in your integrated care board area${c.areaName ? ` (${c.areaName})` : ''}` };
  }
  if (c.areaRegionId !== null && place.regionIds.includes(c.areaRegionId)) {
    return { weight: 2, text: `Run in your region${c.areaName ? ` (${c.areaName})` : ''}` };
  }
  if (c.scope === 'national')
    return { weight: 1, text: `A national programme (${formatLabels[c.format].toLowerCase()})` };
  return undefined;
}

const longDate = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

export function recommend(
  candidates: Candidate[],
  person: PersonFacts & Place,
  gaps: Gap[],
  today: string,
  limit = 20,
): Recommendation[] {
  const gapByCompetency = new Map(gaps.filter((g) => g.gap > 0).map((g) => [g.competencyId, g]));
  const personLevels = new Set(person.posts.map((p) => levelOfPost(p)));
  const soon = addDays(today, SOON_DAYS);
  const out: Recommendation[] = [];
  for (const c of candidates) {
    const eligible = eligibilityReason(c, person);
    if (!eligible.eligible) continue;
    const location = locationOf(c, person);
    if (!location) continue;
    // A programme whose next cohort has already started and has no later one planned is not bookable.
    if (c.nextCohortStart !== null && c.nextCohortStart < today) continue;
    const reasons: Reason[] = [];
    let score = 0;
    const closes = c.competencyIds.map((id) => gapByCompetency.get(id)).filter((g): g is Gap => g !== undefined);
    if (gapByCompetency.size) {
      if (!closes.length) continue;
      for (const g of closes.sort((a, b) => b.gap - a.gap)) {
        score += 10 * g.gap;
        reasons.push({
          kind: 'gap',
          text: `Develops ${g.competencyName} (${g.domainName}), where you are ${g.gap} ${g.gap === 1 ? 'level' : 'levels'} below what your role needs`,
        });
      }
    } else {
      // Without an assessment there are no gaps: suggest programmes at the person's own management level.
      if (!personLevels.has(c.level)) continue;
      score += 5;
      reasons.push({ kind: 'level', text: 'Designed for managers at your level' });
    }
    reasons.push({ kind: 'eligibility', text: eligible.text });
    score += location.weight;
    reasons.push({ kind: 'location', text: location.text });
    if (c.nextCohortStart !== null && c.nextCohortStart <= soon) {
      score += 2;
      reasons.push({ kind: 'date', text: `Next cohort starts ${longDate(c.nextCohortStart)}` });
    }
    if (c.accredited) {
      score += 1;
      reasons.push({ kind: 'accredited', text: 'Accredited against the management standards' });
    }
    out.push({ programmeId: c.id, title: c.title, score, reasons });
  }
  return out
    .sort((a, b) => b.score - a.score || a.title.localeCompare(b.title) || a.programmeId - b.programmeId)
    .slice(0, limit);
}
