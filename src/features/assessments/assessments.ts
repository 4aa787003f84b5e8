import type { ManagementLevel, Band as PayBand } from '../../db/schema.ts';
import { managementLevelLabels, managementLevels } from '../frameworks/document.ts';
import type { Content, VersionMeta } from '../frameworks/document-queries.ts';
import { type Band, bandLabels, effectiveRequired, ratingBand, scoredValues } from '../frameworks/frameworks.ts';

// The rules of self-assessment that need no database: which management level a band suggests, how ratings
// become a profile by domain and gaps against the required level, and what evidence is accepted.

export { managementLevelLabels, managementLevels };

/**
 * The management level a pay band suggests. Assignments hold no management level, so the person confirms or
 * changes it when they start; this is only the default offered. Board membership is never guessed.
 */
export function suggestedLevel(band: PayBand | string | null | undefined): ManagementLevel {
  switch (band) {
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

export function isManagementLevel(v: unknown): v is ManagementLevel {
  return typeof v === 'string' && (managementLevels as string[]).includes(v);
}

/** A published (or retired) version's content, as scoring needs it. */
export interface VersionModel {
  meta: VersionMeta;
  content: Content;
}

export interface Rating {
  competencyId: number;
  scaleLevelId: number;
  comment: string;
}

export interface CompetencyResult {
  id: number;
  code: string;
  title: string;
  domainId: number;
  domainCode: string;
  domainTitle: string;
  /** Required scale value at the assessment's management level; null when the framework sets none. */
  required: number | null;
  requiredLabel: string;
  /** The rated scale value; null when not rated or rated as a level that is no score. */
  achieved: number | null;
  achievedLabel: string;
  rated: boolean;
  comment: string;
  band: Band | null;
  bandText: string;
  /** Scale steps below the required level (0 at or above it); null when either side is not on the scale. */
  gap: number | null;
}

export interface DomainResult {
  id: number;
  code: string;
  title: string;
  /** Mean of the scored ratings in the domain, one decimal; null when none is scored. */
  average: number | null;
  /** Mean required value over the domain's competencies that have one. */
  requiredAverage: number | null;
  green: number;
  amber: number;
  red: number;
  notRated: number;
  competencies: number;
}

export const bandShort: Record<Band, string> = { green: 'Green', amber: 'Amber', red: 'Red' };

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);

/** The result of an assessment: each competency against the required level, and the profile by domain. */
export function scoreAssessment(model: VersionModel, level: ManagementLevel, ratings: Rating[]) {
  const { content, meta } = model;
  const byCompetency = new Map(ratings.map((r) => [r.competencyId, r]));
  const scaleById = new Map(content.levels.map((l) => [l.id, l]));
  const labelOfValue = new Map(content.levels.filter((l) => l.value !== null).map((l) => [l.value, l.label]));
  const scale = { levels: content.levels };
  const steps = scoredValues(scale);
  const requiredOf = requiredLookup(content, level);
  const domainOf = new Map(content.domains.map((d) => [d.id, d]));
  const competencies: CompetencyResult[] = content.competencies.map((c) => {
    const d = domainOf.get(c.domain_id)!;
    const r = byCompetency.get(c.id);
    const scaleLevel = r ? scaleById.get(r.scaleLevelId) : undefined;
    const achieved = scaleLevel?.value ?? null;
    const required = requiredOf.get(c.id) ?? null;
    const band = ratingBand(achieved, required, scale, meta);
    const ri = required === null ? -1 : steps.indexOf(required);
    const ai = achieved === null ? -1 : steps.indexOf(achieved);
    return {
      id: c.id,
      code: c.code,
      title: c.title,
      domainId: d.id,
      domainCode: d.code,
      domainTitle: d.title,
      required,
      requiredLabel: required === null ? 'Not required' : (labelOfValue.get(required) ?? String(required)),
      achieved,
      achievedLabel: scaleLevel ? scaleLevel.label : 'Not rated',
      rated: scaleLevel !== undefined,
      comment: r?.comment ?? '',
      band,
      bandText: band ? bandLabels[band] : required === null ? 'No required level' : 'Not rated: no band',
      gap: ri < 0 || ai < 0 ? null : Math.max(0, ri - ai),
    };
  });
  const domains: DomainResult[] = content.domains.map((d) => {
    const mine = competencies.filter((c) => c.domainId === d.id);
    return {
      id: d.id,
      code: d.code,
      title: d.title,
      average: mean(mine.flatMap((c) => (c.achieved === null ? [] : [c.achieved]))),
      requiredAverage: mean(mine.flatMap((c) => (c.required === null ? [] : [c.required]))),
      green: mine.filter((c) => c.band === 'green').length,
      amber: mine.filter((c) => c.band === 'amber').length,
      red: mine.filter((c) => c.band === 'red').length,
      notRated: mine.filter((c) => c.band === null).length,
      competencies: mine.length,
    };
  });
  return { competencies, domains, gaps: competencies.filter((c) => c.gap !== null && c.gap > 0) };
}

export type AssessmentResult = ReturnType<typeof scoreAssessment>;

/** Required value per competency id at one management level (a competency's own override, else its domain's). */
export function requiredLookup(content: Content, level: ManagementLevel): Map<number, number> {
  const domainReq = new Map<number, Partial<Record<ManagementLevel, number>>>();
  const compReq = new Map<number, Partial<Record<ManagementLevel, number>>>();
  for (const r of content.required) {
    const target = r.domain_id !== null ? domainReq : compReq;
    const id = (r.domain_id ?? r.competency_id)!;
    target.set(id, { ...target.get(id), [r.management_level]: r.required_value });
  }
  const out = new Map<number, number>();
  for (const c of content.competencies) {
    const v = effectiveRequired(domainReq.get(c.domain_id) ?? {}, compReq.get(c.id) ?? {})[level];
    if (v !== undefined) out.set(c.id, v);
  }
  return out;
}

/** The competencies of each domain page, in order; pages are numbered from 1. */
export function domainPages(content: Content) {
  return content.domains.map((d, i) => ({
    number: i + 1,
    domain: d,
    competencies: content.competencies.filter((c) => c.domain_id === d.id),
  }));
}

/** Competencies still without a rating: submitting needs every one rated (a no-score level counts). */
export function unrated(content: Content, ratings: Pick<Rating, 'competencyId'>[]): number[] {
  const done = new Set(ratings.map((r) => r.competencyId));
  return content.competencies.filter((c) => !done.has(c.id)).map((c) => c.id);
}

// Evidence rules (docs/standards-assessment.md).
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

/** Accepted file types: the extension and the type the file is stored and served as. */
export const evidenceTypes: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
};

/**
 * The stored type of an upload, or why it is refused. The type comes from the extension, and the first bytes
 * must agree with it, so a renamed executable is not served back as a PDF.
 */
export function checkEvidenceFile(
  fileName: string,
  bytes: Buffer,
): { ok: true; contentType: string } | { ok: false; message: string } {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  const contentType = evidenceTypes[ext];
  const allowed = 'PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or text (.txt)';
  if (!contentType) return { ok: false, message: `The file must be a ${allowed} file` };
  if (bytes.length === 0) return { ok: false, message: 'The selected file is empty' };
  if (bytes.length > EVIDENCE_MAX_BYTES) return { ok: false, message: 'The file must be smaller than 5 MB' };
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const fits =
    ext === 'pdf'
      ? starts([0x25, 0x50, 0x44, 0x46])
      : ext === 'png'
        ? starts([0x89, 0x50, 0x4e, 0x47])
        : ext === 'jpg' || ext === 'jpeg'
          ? starts([0xff, 0xd8, 0xff])
          : ext === 'docx' || ext === 'xlsx'
            ? starts([0x50, 0x4b, 0x03, 0x04])
            : !bytes.includes(0);
  if (!fits) return { ok: false, message: `The file’s content is not a ${ext.toUpperCase()} file: check the file` };
  return { ok: true, contentType };
}

/** Links must be http or https addresses (no javascript:, data: or file: links). */
export function checkEvidenceUrl(value: string): string | null {
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** A file name safe for a content-disposition header. */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[\\/]/g, '_')
    .replace(/[^\w.\- ()]/g, '_')
    .slice(-120);
  return cleaned || 'evidence';
}
