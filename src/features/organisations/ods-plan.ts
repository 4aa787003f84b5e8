import type { OrgKind } from '../../db/schema.ts';
import type { OdsRecord, ParsedOdsFile } from './ods-parse.ts';
import type { OrgFields, StoredOrg } from './ods-queries.ts';

/**
 * What an import will do, worked out from the parsed files before touching the database. Pure.
 *
 * Column 4 of the trust and sub-ICB files is the "high-level health geography". Since July 2022 that is
 * the ICB (Q + two characters, at least one a letter: QE1, QHM). Older releases hold pre-2022 codes:
 * sustainability and transformation partnerships used the same Q-letter codes (most became the ICB of
 * the same code, so they are treated as ICBs), but area teams and commissioning regions used Q + two
 * digits (Q44, Q71). Those were never ICBs: an organisation pointing at one is placed directly under
 * its region (column 3), with no ICB, and the import warns.
 */

export interface OdsPlan {
  regions: OdsRecord[];
  /** ICBs named by an ICB names file. */
  icbs: OdsRecord[];
  /** Trusts and sub-ICB locations. */
  units: OdsRecord[];
  /** Region codes (Yxx) used by units, with where each is first used. */
  regionRefs: Map<string, string>;
  /** ICB codes used by units, with where each is first used. */
  icbRefs: Map<string, string>;
  /** Column-4 codes that are not ICBs, with where each is first used and how many rows use it. */
  legacyRefs: Map<string, { where: string; rows: number }>;
  /** Each referenced ICB's region, inferred from the column 3 of the organisations under it. */
  icbRegion: Map<string, string>;
  warnings: string[];
}

const ICB_CODE = /^Q(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2}$/;

export type Geography = { icb: string } | { legacy: string } | null;

export function geographyOf(code: string | null): Geography {
  if (!code) return null;
  return ICB_CODE.test(code) ? { icb: code } : { legacy: code };
}

function byCode(records: OdsRecord[], files: Map<OdsRecord, string>, warnings: string[]): OdsRecord[] {
  const seen = new Map<string, OdsRecord>();
  for (const r of records) {
    const before = seen.get(r.code);
    if (before) {
      warnings.push(
        `${r.code} appears in ${files.get(before)} line ${before.line} and ${files.get(r)} line ${r.line}: the later row is used`,
      );
    }
    seen.set(r.code, r);
  }
  return [...seen.values()];
}

export function planImport(files: ParsedOdsFile[]): OdsPlan {
  const warnings: string[] = [];
  const fileOf = new Map<OdsRecord, string>();
  for (const f of files) for (const r of f.records) fileOf.set(r, f.file);
  const all = files.flatMap((f) => f.records);
  const regions = byCode(
    all.filter((r) => r.kind === 'region'),
    fileOf,
    warnings,
  );
  const icbs = byCode(
    all.filter((r) => r.kind === 'icb'),
    fileOf,
    warnings,
  );
  const units = byCode(
    all.filter((r) => r.kind === 'trust' || r.kind === 'sub_icb'),
    fileOf,
    warnings,
  );

  const regionRefs = new Map<string, string>();
  const icbRefs = new Map<string, string>();
  const legacyRefs = new Map<string, { where: string; rows: number }>();
  // Votes for each ICB's region; open organisations outvote closed ones, which may carry an old region.
  const votes = new Map<string, Map<string, { open: number; all: number }>>();
  for (const u of units) {
    const where = `${fileOf.get(u)} line ${u.line}`;
    if (u.regionCode && !regionRefs.has(u.regionCode)) regionRefs.set(u.regionCode, where);
    const geo = geographyOf(u.geographyCode);
    if (geo && 'legacy' in geo) {
      const seen = legacyRefs.get(geo.legacy);
      legacyRefs.set(geo.legacy, { where: seen?.where ?? where, rows: (seen?.rows ?? 0) + 1 });
    }
    if (geo && 'icb' in geo) {
      if (!icbRefs.has(geo.icb)) icbRefs.set(geo.icb, where);
      if (u.regionCode) {
        const forIcb = votes.get(geo.icb) ?? new Map();
        const v = forIcb.get(u.regionCode) ?? { open: 0, all: 0 };
        v.all++;
        if (!u.closedOn) v.open++;
        forIcb.set(u.regionCode, v);
        votes.set(geo.icb, forIcb);
      }
    }
  }
  const icbRegion = new Map<string, string>();
  for (const [icb, forIcb] of votes) {
    const ranked = [...forIcb].sort((a, b) => b[1].open - a[1].open || b[1].all - a[1].all || a[0].localeCompare(b[0]));
    icbRegion.set(icb, ranked[0][0]);
    const openRegions = ranked.filter(([, v]) => v.open > 0).map(([r]) => r);
    if (openRegions.length > 1) {
      warnings.push(
        `open organisations under ICB ${icb} name different regions (${openRegions.join(', ')}): ${icb} is placed in ${ranked[0][0]}, the most common`,
      );
    }
  }
  return { regions, icbs, units, regionRefs, icbRefs, legacyRefs, icbRegion, warnings };
}

/** The fields of `want` that differ from what is stored; empty when the row is unchanged. */
export function changedFields(stored: StoredOrg, want: OrgFields): OrgFields {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(want)) {
    if (v === undefined) continue;
    if ((stored as unknown as Record<string, unknown>)[k] !== v) out[k] = v;
  }
  return out as OrgFields;
}

export interface Desired {
  code: string;
  /** Fields to set; undefined ones keep what is stored. `name` and `kind` are needed to create a row. */
  fields: OrgFields & { name?: string; kind: OrgKind };
}

export interface OdsSummary {
  created: number;
  updated: number;
  unchanged: number;
  /** Organisations this import newly recorded as closed (including new rows that arrive closed). */
  closed: number;
  warnings: string[];
  /** Rows read, by kind. */
  read: { region: number; icb: number; trust: number; sub_icb: number };
}

export function formatSummary(s: OdsSummary): string {
  const read = [
    s.read.region && `${s.read.region} regions`,
    s.read.icb && `${s.read.icb} ICBs`,
    s.read.trust && `${s.read.trust} trusts`,
    s.read.sub_icb && `${s.read.sub_icb} sub-ICB locations`,
  ].filter(Boolean);
  const counts = `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.closed} newly closed`;
  const warnings = s.warnings.length ? `; ${s.warnings.length} warning(s)` : '';
  return `${read.length ? `read ${read.join(', ')}: ` : ''}${counts}${warnings}`;
}
