import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, OrgKind } from '../../db/schema.ts';
import { audit } from '../../plugins/audit.ts';
import { type OdsFileKind, type OdsRowError, type ParsedOdsFile, parseOdsFile } from './ods-parse.ts';
import { changedFields, type Desired, formatSummary, geographyOf, type OdsSummary, planImport } from './ods-plan.ts';
import { insertOrgs, orgsByCode, refreshPlaces, type StoredOrg, updateOrg } from './ods-queries.ts';

/**
 * The ODS import: every file of one call is checked first, and if any row is bad nothing is applied.
 * Otherwise one transaction upserts on the ODS code (regions, then ICBs, then trusts and sub-ICB
 * locations, whatever the order of the files), then recomputes the denormalised icb_id/region_id.
 * Parent changes reach organisation_parent_history through the trigger on organisations.
 */

export interface OdsInput {
  file: string;
  text: string;
  kind?: OdsFileKind;
}

export type OdsImportResult = { ok: true; summary: OdsSummary } | { ok: false; errors: OdsRowError[] };

type Actor = Parameters<typeof audit>[1];

const here = path.dirname(fileURLToPath(import.meta.url));
export const bundledOdsDir = path.resolve(here, '../../../reference/ods');

/** ODS files are UTF-8 now; older releases were Windows-1252. */
export function decodeOdsBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export async function readOdsFile(file: string, kind?: OdsFileKind): Promise<OdsInput> {
  return { file: path.basename(file), text: decodeOdsBytes(await readFile(file)), kind };
}

export async function importOds(db: Database, inputs: OdsInput[], actor: Actor): Promise<OdsImportResult> {
  const files = inputs.map((i) => parseOdsFile(i.text, { file: i.file, kind: i.kind }));
  const errors = files.flatMap((f) => f.errors);
  if (errors.length) return { ok: false, errors };
  const summary = await db.transaction().execute(async (trx) => {
    const s = await applyOds(trx, files);
    await audit(trx, actor, {
      action: 'organisations.import',
      subjectType: 'organisation',
      details: {
        files: files.map((f) => ({ file: f.file, kind: f.kind, layout: f.layout, rows: f.records.length })),
        created: s.created,
        updated: s.updated,
        unchanged: s.unchanged,
        closed: s.closed,
        warnings: s.warnings.length,
      },
    });
    return s;
  });
  return { ok: true, summary };
}

/** Load regions, ICB names, trusts and sub-ICB locations from reference/ods. Used at first start. */
export async function loadBundledOds(db: Database): Promise<string> {
  const inputs = await Promise.all(
    (
      [
        ['regions.csv', 'regions'],
        ['icb-names-2024.csv', 'icb'],
        ['etr.csv', 'etr'],
        ['eccg.csv', 'eccg'],
      ] as const
    ).map(([f, kind]) => readOdsFile(path.join(bundledOdsDir, f), kind)),
  );
  const result = await importOds(db, inputs, { label: 'Leadwell setup (bundled ODS files)' });
  if (!result.ok) {
    const first = result.errors.slice(0, 5).map((e) => `${e.file} line ${e.line}: ${e.message}`);
    throw new Error(`The bundled ODS files are not valid:\n${first.join('\n')}`);
  }
  return formatSummary(result.summary);
}

class Upserter {
  readonly orgs: Map<string, Pick<StoredOrg, 'id' | 'kind'> & Partial<StoredOrg>>;
  readonly summary: OdsSummary = {
    created: 0,
    updated: 0,
    unchanged: 0,
    closed: 0,
    warnings: [],
    read: { region: 0, icb: 0, trust: 0, sub_icb: 0 },
  };

  constructor(
    private trx: Transaction<DB>,
    existing: Map<string, StoredOrg>,
  ) {
    this.orgs = new Map(existing);
  }

  idOf(code: string | null | undefined, kind: OrgKind): number | undefined {
    const o = code ? this.orgs.get(code) : undefined;
    return o && o.kind === kind ? o.id : undefined;
  }

  async apply(rows: Desired[]): Promise<void> {
    const inserts = [];
    for (const { code, fields } of rows) {
      const stored = this.orgs.get(code) as StoredOrg | undefined;
      if (!stored) {
        inserts.push({ ...fields, code, name: fields.name ?? code });
        if (fields.closed_on) this.summary.closed++;
        continue;
      }
      const changes = changedFields(stored, fields);
      if (Object.keys(changes).length === 0) {
        this.summary.unchanged++;
        continue;
      }
      await updateOrg(this.trx, stored.id, changes);
      this.orgs.set(code, { ...stored, ...changes });
      this.summary.updated++;
      if (changes.closed_on && !stored.closed_on) this.summary.closed++;
    }
    const ids = await insertOrgs(this.trx, inserts);
    for (const r of inserts) this.orgs.set(r.code, { ...r, id: ids.get(r.code)! });
    this.summary.created += inserts.length;
  }
}

async function applyOds(trx: Transaction<DB>, files: ParsedOdsFile[]): Promise<OdsSummary> {
  const plan = planImport(files);
  const codes = new Set([
    ...plan.regions.map((r) => r.code),
    ...plan.icbs.map((r) => r.code),
    ...plan.units.map((r) => r.code),
    ...plan.regionRefs.keys(),
    ...plan.icbRefs.keys(),
  ]);
  const up = new Upserter(trx, await orgsByCode(trx, [...codes]));
  const { summary } = up;
  summary.warnings.push(...plan.warnings);
  for (const r of [...plan.regions, ...plan.icbs, ...plan.units]) summary.read[r.kind]++;

  await up.apply(plan.regions.map((r) => ({ code: r.code, fields: { name: r.name, kind: 'region', source: 'ods' } })));
  for (const [code, where] of plan.regionRefs) {
    if (up.idOf(code, 'region') === undefined) {
      summary.warnings.push(
        `${code} (first used on ${where}) is not a known NHS England region: import reference/ods/regions.csv; until then those organisations have no region`,
      );
    }
  }

  const named = new Map(plan.icbs.map((r) => [r.code, r]));
  const icbCodes = new Set([...named.keys(), ...plan.icbRefs.keys()]);
  const icbRows: Desired[] = [];
  for (const code of icbCodes) {
    const n = named.get(code);
    const parent = up.idOf(plan.icbRegion.get(code), 'region');
    const fields: Desired['fields'] = { kind: 'icb', parent_id: parent };
    if (n) Object.assign(fields, { name: n.name, ons_code: n.onsCode, source: 'ods' });
    else if (!up.orgs.has(code)) {
      Object.assign(fields, { name: code, source: 'ods-placeholder' });
      summary.warnings.push(
        `ICB ${code} (first used on ${plan.icbRefs.get(code)}) is not in an ICB names file: created it with its code as its name; importing an ICB names file that lists it will name it`,
      );
    }
    icbRows.push({ code, fields });
  }
  await up.apply(icbRows);

  for (const [code, { where, rows }] of plan.legacyRefs) {
    summary.warnings.push(
      `${code} in column 4 (first on ${where}, ${rows} row(s)) is not an ICB code (a pre-2022 area team or commissioning region): those organisations are placed directly under their region, with no ICB`,
    );
  }
  await up.apply(
    plan.units.map((u) => {
      const geo = geographyOf(u.geographyCode);
      const icbId = geo && 'icb' in geo ? up.idOf(geo.icb, 'icb') : undefined;
      return {
        code: u.code,
        fields: {
          name: u.name,
          kind: u.kind,
          parent_id: icbId ?? up.idOf(u.regionCode, 'region') ?? null,
          address: u.address,
          postcode: u.postcode,
          phone: u.phone,
          opened_on: u.openedOn,
          closed_on: u.closedOn,
          source: 'ods',
        },
      };
    }),
  );
  await refreshPlaces(trx);
  return summary;
}
