import type { Database } from '../../db/database.ts';
import { readContent } from '../frameworks/document-queries.ts';
import { listFrameworks, versionsOf } from '../frameworks/queries.ts';

// The competencies programmes can develop: those of each framework's published version, read through the
// frameworks feature's query functions. Frameworks change rarely and the public search page lists them on every
// request, so the list is kept for a minute per database.

export interface CompetencyOption {
  versionId: number;
  competencyId: number;
  code: string;
  title: string;
  domainTitle: string;
  frameworkTitle: string;
}

const cache = new WeakMap<object, { at: number; list: Promise<CompetencyOption[]> }>();
const TTL_MS = 60_000;

async function load(db: Database): Promise<CompetencyOption[]> {
  const out: CompetencyOption[] = [];
  for (const f of await listFrameworks(db, { includeDrafts: false })) {
    if (f.published_version === null) continue;
    const version = (await versionsOf(db, f.id)).find((v) => v.status === 'published');
    if (!version) continue;
    const content = await readContent(db, version.id);
    const domains = new Map(content.domains.map((d) => [d.id, d.title]));
    for (const c of content.competencies) {
      out.push({
        versionId: version.id,
        competencyId: c.id,
        code: c.code,
        title: c.title,
        domainTitle: domains.get(c.domain_id) ?? '',
        frameworkTitle: f.title,
      });
    }
  }
  return out;
}

export function publishedCompetencies(db: Database, fresh = false): Promise<CompetencyOption[]> {
  const hit = cache.get(db);
  if (!fresh && hit && Date.now() - hit.at < TTL_MS) return hit.list;
  const list = load(db);
  cache.set(db, { at: Date.now(), list });
  list.catch(() => cache.delete(db));
  return list;
}
