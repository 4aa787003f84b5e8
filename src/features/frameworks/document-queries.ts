import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, FrameworkStatus, ManagementLevel } from '../../db/schema.ts';
import type { RequiredLevelsDoc, VersionDocument } from './document.ts';

// Reading a version's content as rows (for the editor) or as the document (export, API, copies), and
// writing a whole document into a draft. Every write goes through the tables' draft-only triggers.

export type Db = Kysely<DB> | Transaction<DB>;

export interface VersionMeta {
  id: number;
  framework_id: number;
  key: string;
  version: number;
  status: FrameworkStatus;
  title: string;
  description: string;
  owner: string;
  notes: string;
  source: string;
  is_starter: boolean;
  based_on: number | null;
  proficient_value: number | null;
  green_within: number;
  amber_within: number;
  created_at: Date;
  published_at: Date | null;
  retired_at: Date | null;
}

export async function versionMeta(db: Db, versionId: number): Promise<VersionMeta | undefined> {
  return db
    .selectFrom('framework_versions as v')
    .innerJoin('frameworks as f', 'f.id', 'v.framework_id')
    .leftJoin('framework_versions as b', 'b.id', 'v.based_on_version_id')
    .select([
      'v.id',
      'v.framework_id',
      'f.key',
      'v.version',
      'v.status',
      'v.title',
      'v.description',
      'v.owner',
      'v.notes',
      'v.source',
      'v.is_starter',
      'b.version as based_on',
      'v.proficient_value',
      'v.green_within',
      'v.amber_within',
      'v.created_at',
      'v.published_at',
      'v.retired_at',
    ])
    .where('v.id', '=', versionId)
    .executeTakeFirst();
}

export interface Content {
  levels: { id: number; position: number; value: number | null; label: string; descriptor: string }[];
  domains: { id: number; position: number; code: string; title: string; description: string }[];
  competencies: {
    id: number;
    domain_id: number;
    position: number;
    code: string;
    title: string;
    description: string;
  }[];
  indicators: { id: number; competency_id: number; position: number; text: string }[];
  descriptors: { competency_id: number; scale_level_id: number; text: string }[];
  required: {
    domain_id: number | null;
    competency_id: number | null;
    management_level: ManagementLevel;
    required_value: number;
  }[];
}

/** All rows of a version, each list in display order. */
export async function readContent(db: Db, versionId: number): Promise<Content> {
  const [levels, domains, competencies, indicators, descriptors, required] = await Promise.all([
    db
      .selectFrom('framework_scale_levels')
      .select(['id', 'position', 'value', 'label', 'descriptor'])
      .where('version_id', '=', versionId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('framework_domains')
      .select(['id', 'position', 'code', 'title', 'description'])
      .where('version_id', '=', versionId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('framework_competencies as c')
      .innerJoin('framework_domains as d', 'd.id', 'c.domain_id')
      .select(['c.id', 'c.domain_id', 'c.position', 'c.code', 'c.title', 'c.description'])
      .where('c.version_id', '=', versionId)
      .orderBy('d.position')
      .orderBy('c.position')
      .execute(),
    db
      .selectFrom('framework_indicators')
      .select(['id', 'competency_id', 'position', 'text'])
      .where('version_id', '=', versionId)
      .orderBy('competency_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('framework_level_descriptors as ld')
      .innerJoin('framework_scale_levels as l', 'l.id', 'ld.scale_level_id')
      .select(['ld.competency_id', 'ld.scale_level_id', 'ld.text'])
      .where('ld.version_id', '=', versionId)
      .orderBy('ld.competency_id')
      .orderBy('l.position')
      .execute(),
    db
      .selectFrom('framework_required_levels')
      .select(['domain_id', 'competency_id', 'management_level', 'required_value'])
      .where('version_id', '=', versionId)
      .execute(),
  ]);
  return { levels, domains, competencies, indicators, descriptors, required };
}

function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

function requiredOf(rows: Content['required']): RequiredLevelsDoc {
  const out: RequiredLevelsDoc = {};
  // Keep the document's key order stable (first_line … board), whatever order the rows came in.
  for (const level of ['first_line', 'middle', 'senior', 'executive', 'board'] as const) {
    const r = rows.find((x) => x.management_level === level);
    if (r) out[level] = r.required_value;
  }
  return out;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toDocument(meta: VersionMeta, content: Content): VersionDocument {
  const indicators = groupBy(content.indicators, (i) => i.competency_id);
  const descriptors = groupBy(content.descriptors, (d) => d.competency_id);
  const byDomain = groupBy(content.competencies, (c) => c.domain_id);
  const domainReq = groupBy(
    content.required.filter((r) => r.domain_id !== null),
    (r) => r.domain_id,
  );
  const compReq = groupBy(
    content.required.filter((r) => r.competency_id !== null),
    (r) => r.competency_id,
  );
  const labelOf = new Map(content.levels.map((l) => [l.id, l.label]));
  return {
    format: 'leadwell-framework',
    format_version: 1,
    framework: { key: meta.key, title: meta.title, description: meta.description, owner: meta.owner },
    version: {
      number: meta.version,
      status: meta.status,
      published_at: iso(meta.published_at),
      retired_at: iso(meta.retired_at),
      based_on: meta.based_on,
      notes: meta.notes,
      source: meta.source,
      starter: meta.is_starter,
    },
    scale: {
      levels: content.levels.map((l) => ({ value: l.value, label: l.label, descriptor: l.descriptor })),
      proficient_value: meta.proficient_value,
    },
    rating_bands: { green_within: meta.green_within, amber_within: meta.amber_within },
    domains: content.domains.map((d) => ({
      code: d.code,
      title: d.title,
      description: d.description,
      required_levels: requiredOf(domainReq.get(d.id) ?? []),
      competencies: (byDomain.get(d.id) ?? []).map((c) => ({
        code: c.code,
        title: c.title,
        description: c.description,
        indicators: (indicators.get(c.id) ?? []).map((i) => i.text),
        required_levels: requiredOf(compReq.get(c.id) ?? []),
        level_descriptors: (descriptors.get(c.id) ?? []).map((ld) => ({
          level: labelOf.get(ld.scale_level_id) ?? '',
          text: ld.text,
        })),
      })),
    })),
  };
}

export async function readDocument(db: Db, versionId: number): Promise<VersionDocument | undefined> {
  const meta = await versionMeta(db, versionId);
  if (!meta) return undefined;
  return toDocument(meta, await readContent(db, versionId));
}

/** Insert rows a thousand at a time: PostgreSQL takes at most 65,535 parameters per statement. */
async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 1000) await insert(rows.slice(i, i + 1000));
}

/** Write a document's content into an empty draft version (a new draft, a copy, an import, a starter). */
export async function writeContent(trx: Transaction<DB>, versionId: number, doc: VersionDocument): Promise<void> {
  await trx
    .updateTable('framework_versions')
    .set({
      proficient_value: doc.scale.proficient_value,
      green_within: doc.rating_bands.green_within,
      amber_within: doc.rating_bands.amber_within,
    })
    .where('id', '=', versionId)
    .execute();
  const levelIds = new Map<string, number>();
  if (doc.scale.levels.length) {
    const rows = await trx
      .insertInto('framework_scale_levels')
      .values(doc.scale.levels.map((l, i) => ({ version_id: versionId, position: i + 1, ...l })))
      .returning(['id', 'label'])
      .execute();
    for (const r of rows) levelIds.set(r.label.trim().toLowerCase(), r.id);
  }
  if (!doc.domains.length) return;
  const domains = await trx
    .insertInto('framework_domains')
    .values(
      doc.domains.map((d, i) => ({
        version_id: versionId,
        position: i + 1,
        code: d.code,
        title: d.title,
        description: d.description,
      })),
    )
    .returning(['id', 'position'])
    .execute();
  const domainId = new Map(domains.map((d) => [d.position, d.id]));
  const competencyRows = doc.domains.flatMap((d, i) =>
    d.competencies.map((c, j) => ({
      version_id: versionId,
      domain_id: domainId.get(i + 1)!,
      position: j + 1,
      code: c.code,
      title: c.title,
      description: c.description,
    })),
  );
  const competencyId = new Map<string, number>();
  await insertChunks(competencyRows, async (chunk) => {
    const rows = await trx.insertInto('framework_competencies').values(chunk).returning(['id', 'code']).execute();
    for (const r of rows) competencyId.set(r.code.toLowerCase(), r.id);
  });
  const competencies = doc.domains.flatMap((d) => d.competencies);
  const idOf = (code: string) => competencyId.get(code.toLowerCase())!;
  await insertChunks(
    competencies.flatMap((c) =>
      c.indicators.map((text, k) => ({ version_id: versionId, competency_id: idOf(c.code), position: k + 1, text })),
    ),
    (chunk) => trx.insertInto('framework_indicators').values(chunk).execute(),
  );
  await insertChunks(
    competencies.flatMap((c) =>
      c.level_descriptors.map((ld) => ({
        version_id: versionId,
        competency_id: idOf(c.code),
        scale_level_id: levelIds.get(ld.level.trim().toLowerCase())!,
        text: ld.text,
      })),
    ),
    (chunk) => trx.insertInto('framework_level_descriptors').values(chunk).execute(),
  );
  const required = (req: RequiredLevelsDoc, owner: { domain_id: number | null; competency_id: number | null }) =>
    Object.entries(req)
      .filter((e): e is [ManagementLevel, number] => e[1] !== undefined)
      .map(([management_level, required_value]) => ({
        version_id: versionId,
        management_level,
        required_value,
        ...owner,
      }));
  await insertChunks(
    [
      ...doc.domains.flatMap((d, i) =>
        required(d.required_levels, { domain_id: domainId.get(i + 1)!, competency_id: null }),
      ),
      ...competencies.flatMap((c) => required(c.required_levels, { domain_id: null, competency_id: idOf(c.code) })),
    ],
    (chunk) => trx.insertInto('framework_required_levels').values(chunk).execute(),
  );
}

/** A new draft version of a framework holding the document's content. */
export async function insertDraft(
  trx: Transaction<DB>,
  args: { frameworkId: number; doc: VersionDocument; basedOnVersionId: number | null; accountId: number | null },
): Promise<{ id: number; version: number }> {
  const { doc } = args;
  const row = await trx
    .insertInto('framework_versions')
    .values({
      framework_id: args.frameworkId,
      version: sql<number>`(SELECT coalesce(max(version), 0) + 1 FROM framework_versions WHERE framework_id = ${args.frameworkId})`,
      status: 'draft',
      title: doc.framework.title,
      description: doc.framework.description,
      owner: doc.framework.owner,
      notes: doc.version.notes,
      source: doc.version.source,
      is_starter: doc.version.starter,
      based_on_version_id: args.basedOnVersionId,
      created_by: args.accountId,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await writeContent(trx, row.id, doc);
  return row;
}
