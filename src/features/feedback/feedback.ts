import { randomBytes } from 'node:crypto';
import type { RaterGroup } from '../../db/schema.ts';
import type { Content } from '../frameworks/document-queries.ts';
import {
  type DisclosedReport,
  discloseReport,
  type Figure,
  type GroupSummary,
  type RatingCell,
  type Thresholds,
  unattributed,
} from './anonymity.ts';

// The rules of a 360 round that do not need the database: labels, the reminder schedule, link tokens, and the
// report built from what the anonymity rule lets through.

export const groupLabels: Record<RaterGroup, string> = {
  self: 'Self-assessment',
  line_manager: 'Line manager',
  peer: 'Peers',
  direct_report: 'Direct reports',
  other: 'Others',
};

/** Groups a person can nominate into (self is added with the round). */
export const nominationGroups: Exclude<RaterGroup, 'self'>[] = ['line_manager', 'peer', 'direct_report', 'other'];

/** Days before the closing date on which raters who have not responded are reminded, furthest first. */
export const reminderDays = [7, 2];

/** How far apart (in scale points) self and others must be to count as a blind spot or hidden strength. */
export const GAP = 1;

/** How many competencies the strengths and lowest-rated lists hold. */
export const TOP = 3;

/** A single-use link token: 32 random bytes; only its SHA-256 is stored. */
export const newLinkToken = () => randomBytes(32).toString('base64url');

export const thresholdsOf = (r: { min_peer: number; min_direct_report: number; min_other: number }): Thresholds => ({
  peer: r.min_peer,
  direct_report: r.min_direct_report,
  other: r.min_other,
});

/** The competencies a round covers: all of the version's, or those of the chosen domains. */
export function roundContent(content: Content, domainIds: number[] | null) {
  const domains = content.domains.filter((d) => !domainIds || domainIds.includes(d.id));
  const ids = new Set(domains.map((d) => d.id));
  const competencies = content.competencies.filter((c) => ids.has(c.domain_id));
  const scored = content.levels.filter((l) => l.value !== null).map((l) => l.value!);
  return {
    domains,
    competencies,
    levels: content.levels,
    scaleMin: scored.length ? Math.min(...scored) : 0,
    scaleMax: scored.length ? Math.max(...scored) : 1,
  };
}
export type RoundContent = ReturnType<typeof roundContent>;

export interface ReportLine {
  id: number;
  code: string;
  title: string;
  self: Figure | null;
  others: Figure | null;
  byGroup: Partial<Record<RaterGroup, Figure | null>>;
  /** others − self, when both are shown. */
  gap: number | null;
}

export interface Report {
  groups: (GroupSummary & { label: string })[];
  domains: (ReportLine & { competencies: ReportLine[] })[];
  strengths: ReportLine[];
  lowest: ReportLine[];
  blindSpots: ReportLine[];
  hiddenStrengths: ReportLine[];
  comments: { strengths: string[]; development: string[] };
  lineManagerComments: { strengths: string[]; development: string[] };
  selfComments: { strengths: string; development: string } | null;
  scale: { min: number; max: number };
}

const line = (
  id: number,
  code: string,
  title: string,
  f: DisclosedReport['competencies'] extends Map<number, infer V> ? V : never,
): ReportLine => {
  const self = f.byGroup.self ?? null;
  return {
    id,
    code,
    title,
    self,
    others: f.others,
    byGroup: f.byGroup,
    gap: self && f.others ? f.others.mean - self.mean : null,
  };
};

/**
 * The report of a round: raw aggregates through the anonymity rule, then arranged by domain and competency with
 * strengths, the lowest-rated, blind spots and hidden strengths. Everything is derived from shown figures only.
 */
export function buildReport(
  content: RoundContent,
  thresholds: Thresholds,
  raw: {
    responses: Partial<Record<RaterGroup, number>>;
    cells: RatingCell[];
    comments: { rater_group: RaterGroup; strengths: string; development: string }[];
  },
): Report {
  const disclosed = discloseReport({
    thresholds,
    responses: raw.responses,
    cells: raw.cells,
    competencies: content.competencies.map((c) => ({ id: c.id, domainId: c.domain_id })),
  });
  const domains = content.domains.map((d) => ({
    ...line(d.id, d.code, d.title, disclosed.domains.get(d.id)!),
    competencies: content.competencies
      .filter((c) => c.domain_id === d.id)
      .map((c) => line(c.id, c.code, c.title, disclosed.competencies.get(c.id)!)),
  }));
  const all = domains.flatMap((d) => d.competencies);
  const rated = all.filter((c) => c.others !== null);
  const byOthers = [...rated].sort((a, b) => b.others!.mean - a.others!.mean || a.id - b.id);
  const strengths = byOthers.slice(0, TOP);
  const lowest = byOthers
    .slice(Math.max(TOP, byOthers.length - TOP))
    .reverse()
    .filter((c) => !strengths.includes(c));
  const anonymousShown = disclosed.commentGroups.filter((g) => g !== 'self' && g !== 'line_manager');
  const of = (groups: RaterGroup[], key: 'strengths' | 'development') =>
    unattributed(raw.comments.filter((c) => groups.includes(c.rater_group)).map((c) => c[key]));
  const self = raw.comments.find((c) => c.rater_group === 'self');
  return {
    groups: disclosed.groups.map((g) => ({ ...g, label: groupLabels[g.group] })),
    domains,
    strengths,
    lowest: lowest.sort((a, b) => a.others!.mean - b.others!.mean || a.id - b.id),
    blindSpots: all.filter((c) => c.gap !== null && c.gap <= -GAP).sort((a, b) => a.gap! - b.gap!),
    hiddenStrengths: all.filter((c) => c.gap !== null && c.gap >= GAP).sort((a, b) => b.gap! - a.gap!),
    comments: { strengths: of(anonymousShown, 'strengths'), development: of(anonymousShown, 'development') },
    lineManagerComments: disclosed.commentGroups.includes('line_manager')
      ? { strengths: of(['line_manager'], 'strengths'), development: of(['line_manager'], 'development') }
      : { strengths: [], development: [] },
    selfComments:
      self && disclosed.commentGroups.includes('self')
        ? { strengths: self.strengths, development: self.development }
        : null,
    scale: { min: content.scaleMin, max: content.scaleMax },
  };
}

/** A mean as the report prints it: one decimal place; "*" for a hidden or empty figure. */
export const shownMean = (f: Figure | null | undefined) => (f ? f.mean.toFixed(1) : '*');

/** Where a round stands, in words. */
export function roundState(r: { status: 'open' | 'closed'; released_at: Date | null }) {
  if (r.status === 'open') return { text: 'Open for responses', colour: 'blue' };
  if (!r.released_at) return { text: 'Closed, report not released yet', colour: 'orange' };
  return { text: 'Report released', colour: 'green' };
}

/** Closing dates: from tomorrow to a year ahead. */
export function closingDateProblem(closesOn: string, today: string): string | undefined {
  if (closesOn <= today) return 'The closing date must be in the future';
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCFullYear(limit.getUTCFullYear() + 1);
  if (closesOn > limit.toISOString().slice(0, 10)) return 'The closing date must be within a year';
  return undefined;
}
