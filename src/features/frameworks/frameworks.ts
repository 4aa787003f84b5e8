import type { FrameworkStatus, ManagementLevel } from '../../db/schema.ts';
import type { RequiredLevelsDoc, ScaleLevelDoc, VersionDocument } from './document.ts';
import { managementLevels } from './document.ts';

// The rules of frameworks that need no database: rating bands, required levels, keys and labels.

export type Band = 'green' | 'amber' | 'red';

export const statusLabels: Record<FrameworkStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  retired: 'Retired',
};

export const statusTagClass: Record<FrameworkStatus, string> = {
  draft: 'nhsuk-tag--yellow',
  published: 'nhsuk-tag--green',
  retired: 'nhsuk-tag--grey',
};

export const bandLabels: Record<Band, string> = {
  green: 'Green: at or near the required level',
  amber: 'Amber: just below the required level',
  red: 'Red: well below the required level',
};

/**
 * Red, amber or green for a rating against a required level. Distance is counted in steps of the scale's
 * scored levels (ordered by value), not in raw values, so a scale of 1, 2, 4, 8 behaves like 1, 2, 3, 4.
 * A rating that is no score ("no chance to demonstrate"), or a requirement that is not on the scale, has
 * no band: it is reported as not rated rather than guessed.
 */
export function ratingBand(
  rating: number | null,
  required: number | null | undefined,
  scale: { levels: Pick<ScaleLevelDoc, 'value'>[] },
  rule: { green_within: number; amber_within: number },
): Band | null {
  if (rating === null || required === null || required === undefined) return null;
  const steps = scoredValues(scale);
  const r = steps.indexOf(rating);
  const q = steps.indexOf(required);
  if (r < 0 || q < 0) return null;
  const below = q - r;
  if (below <= rule.green_within) return 'green';
  if (below <= rule.amber_within) return 'amber';
  return 'red';
}

/** The scored values of a scale, lowest first. */
export function scoredValues(scale: { levels: Pick<ScaleLevelDoc, 'value'>[] }): number[] {
  return scale.levels
    .map((l) => l.value)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
}

/** Whether a rating meets the version's proficiency threshold (no score never does). */
export function isProficient(rating: number | null, proficientValue: number | null): boolean {
  return rating !== null && proficientValue !== null && rating >= proficientValue;
}

/** A competency's required level: its own override, else its domain's. */
export function effectiveRequired(
  domain: RequiredLevelsDoc,
  competency: RequiredLevelsDoc,
): Partial<Record<ManagementLevel, number>> {
  const out: Partial<Record<ManagementLevel, number>> = {};
  for (const level of managementLevels) {
    const v = competency[level] ?? domain[level];
    if (v !== undefined) out[level] = v;
  }
  return out;
}

/** The label of a scale value, for tables. */
export function labelOf(doc: Pick<VersionDocument, 'scale'>, value: number | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  return doc.scale.levels.find((l) => l.value === value)?.label ?? String(value);
}

/** A key suggested from a title: "Board members: LCF" → "board-members-lcf". */
export function keyFromTitle(title: string): string {
  const key = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return key.length >= 2 ? key : `framework-${key || 'new'}`;
}

/** The next free code among siblings: D1, D2… for domains; 3.1, 3.2… for competencies of domain 3. */
export function nextCode(taken: string[], prefix: string): string {
  const used = new Set(taken.map((c) => c.toLowerCase()));
  for (let n = 1; ; n++) {
    const candidate = `${prefix}${n}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** Keys that would collide with the pages under /frameworks. */
export const reservedKeys = ['new', 'import'];

const steps = (n: number) => (n === 1 ? 'one step' : `${n} steps`);

/** The red/amber/green rule in words, for pages and docs. */
export function bandRuleText(rule: { green_within: number; amber_within: number }): string[] {
  const green =
    rule.green_within === 0
      ? 'Green: at or above the required level.'
      : `Green: at, above, or up to ${steps(rule.green_within)} below the required level.`;
  const amber =
    rule.amber_within === rule.green_within
      ? 'Amber: not used.'
      : rule.amber_within === rule.green_within + 1
        ? `Amber: ${steps(rule.amber_within)} below the required level.`
        : `Amber: ${steps(rule.green_within + 1)} to ${steps(rule.amber_within)} below the required level.`;
  return [green, amber, `Red: more than ${steps(rule.amber_within)} below the required level.`];
}
