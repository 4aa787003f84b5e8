import type { Database } from '../../db/database.ts';
import { readContent } from '../frameworks/document-queries.ts';
import { type FrameworkSummary, listFrameworks, versionsOf } from '../frameworks/queries.ts';
import { keptFresh } from './reference.ts';

// The competencies programmes can develop: those of each framework's published version, read through the
// frameworks feature's query functions. The public search page lists them on every request, so each process keeps
// the list (reference.ts): every 5 seconds at most it reads the frameworks' list (one small query) and reads the
// competencies again only when a framework's published version or title has changed. A published version's
// content cannot change (the frameworks feature's guard triggers), so the version ids identify the list.

export interface CompetencyOption {
  versionId: number;
  competencyId: number;
  code: string;
  title: string;
  domainTitle: string;
  frameworkTitle: string;
}

async function load(db: Database, frameworks: FrameworkSummary[]): Promise<CompetencyOption[]> {
  const out: CompetencyOption[] = [];
  for (const f of frameworks) {
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

/** The published competencies; `fresh` reads them again now (writers that must not act on a list 5 s old). */
export const publishedCompetencies: (db: Database, fresh?: boolean) => Promise<CompetencyOption[]> = keptFresh({
  version: (db: Database) => listFrameworks(db, { includeDrafts: false }),
  keyOf: (fs) => JSON.stringify(fs.map((f) => [f.id, f.title, f.published_version])),
  load,
});
