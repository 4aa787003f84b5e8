import type { ManagementLevel } from '../../db/schema.ts';
import { type Db, readContent, versionMeta } from '../frameworks/document-queries.ts';
import { listFrameworks, versionsOf } from '../frameworks/queries.ts';
import type { VersionModel } from './assessments.ts';

// Framework versions as assessments use them, read through the frameworks feature's query functions.
// A published or retired version never changes (database triggers), so its content is kept in memory once
// read: the result pages then need no framework queries. Drafts are never cached (nor assessed).

const cache = new Map<number, VersionModel>();
const CACHE_LIMIT = 200;

export async function versionModel(db: Db, versionId: number): Promise<VersionModel | undefined> {
  const hit = cache.get(versionId);
  if (hit) return hit;
  const meta = await versionMeta(db, versionId);
  if (!meta) return undefined;
  const model = { meta, content: await readContent(db, versionId) };
  if (meta.status !== 'draft') {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(versionId, model);
  }
  return model;
}

export interface AssessableVersion {
  versionId: number;
  key: string;
  title: string;
  version: number;
  /** Management levels that have at least one required level in this version. */
  levels: ManagementLevel[];
}

/** The key of the framework offered first: the Leadwell management standards. */
export const DEFAULT_FRAMEWORK = 'leadwell-management-standards';

/** The current published version of each framework, the default framework first. */
export async function assessableVersions(db: Db): Promise<AssessableVersion[]> {
  const frameworks = await listFrameworks(db, { includeDrafts: false });
  const out: AssessableVersion[] = [];
  for (const f of frameworks) {
    if (f.published_version === null) continue;
    const v = (await versionsOf(db, f.id)).find((x) => x.version === f.published_version && x.status === 'published');
    if (!v) continue;
    const model = await versionModel(db, v.id);
    if (!model) continue;
    out.push({
      versionId: v.id,
      key: f.key,
      title: f.title,
      version: v.version,
      levels: [...new Set(model.content.required.map((r) => r.management_level))],
    });
  }
  return out.sort((a, b) => Number(b.key === DEFAULT_FRAMEWORK) - Number(a.key === DEFAULT_FRAMEWORK));
}
