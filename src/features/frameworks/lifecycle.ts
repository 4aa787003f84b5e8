import type { Database } from '../../db/database.ts';
import type { Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { type Problem, publishProblems, type VersionDocument } from './document.ts';
import { insertDraft, readDocument } from './document-queries.ts';
import { reservedKeys } from './frameworks.ts';
import {
  discardDraft,
  type FrameworkRow,
  findFramework,
  insertFramework,
  lockFramework,
  publishVersion,
  retireVersion,
  versionsOf,
} from './queries.ts';

// The lifecycle of a framework version: draft → published → retired, with every step audited.
// Each step runs in one transaction; the database triggers are the last line of defence.

export type Actor = { viewer: Viewer | null; ip?: string } | { label: string };

/** A lifecycle step that cannot be taken, with a reason to show as it is. */
export class LifecycleError extends Error {
  constructor(
    message: string,
    public status: 400 | 404 | 409 = 409,
  ) {
    super(message);
  }
}

const accountOf = (actor: Actor) => ('viewer' in actor ? (actor.viewer?.accountId ?? null) : null);

/** An empty document: what a new framework's first draft starts from. */
export function emptyDocument(f: { key: string; title: string; description: string; owner: string }): VersionDocument {
  return {
    format: 'leadwell-framework',
    format_version: 1,
    framework: f,
    version: { notes: '', source: '', starter: false },
    scale: { levels: [], proficient_value: null },
    rating_bands: { green_within: 0, amber_within: 1 },
    domains: [],
  };
}

/**
 * A document becomes a new draft: of a new framework when its key is new, else the next version of the
 * existing one (refused while that framework already has a draft). All or nothing.
 */
export async function createDraftFrom(
  db: Database,
  doc: VersionDocument,
  actor: Actor,
  how: { action: string; details?: Record<string, unknown> },
): Promise<{ key: string; version: number; versionId: number; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    let framework = await findFramework(trx, doc.framework.key);
    let created = false;
    let basedOn: number | null = null;
    if (framework) {
      await lockFramework(trx, framework.id);
      const versions = await versionsOf(trx, framework.id);
      const draft = versions.find((v) => v.status === 'draft');
      if (draft) {
        throw new LifecycleError(
          `${framework.title} already has a draft (version ${draft.version}): publish or discard it first`,
        );
      }
      basedOn = versions[0]?.id ?? null;
    } else {
      const { key, title, description, owner } = doc.framework;
      if (reservedKeys.includes(key))
        throw new LifecycleError(`“${key}” cannot be a framework key: choose another`, 400);
      const id = await insertFramework(trx, { key, title, description, owner });
      framework = { id, key, title, description, owner };
      created = true;
    }
    const v = await insertDraft(trx, {
      frameworkId: framework.id,
      doc,
      basedOnVersionId: basedOn,
      accountId: accountOf(actor),
    });
    await audit(trx, actor, {
      action: how.action,
      subjectType: 'framework_version',
      subjectId: v.id,
      details: { key: framework.key, version: v.version, newFramework: created, ...how.details },
    });
    return { key: framework.key, version: v.version, versionId: v.id, created };
  });
}

/** "Start a new version": a deep copy of the latest version as a new draft. */
export async function startNewVersion(db: Database, framework: FrameworkRow, actor: Actor) {
  const versions = await versionsOf(db, framework.id);
  const latest = versions[0];
  if (!latest) throw new LifecycleError(`${framework.title} has no versions to copy`, 404);
  if (latest.status === 'draft') {
    throw new LifecycleError(`${framework.title} already has a draft (version ${latest.version})`);
  }
  const doc = await readDocument(db, latest.id);
  if (!doc) throw new LifecycleError(`${framework.title} has no versions to copy`, 404);
  return createDraftFrom(db, doc, actor, {
    action: 'framework.version.create',
    details: { copiedFrom: latest.version },
  });
}

/** Publish the draft if it is complete; otherwise every problem, and nothing changes. */
export async function publishDraft(
  db: Database,
  framework: FrameworkRow,
  actor: Actor,
): Promise<{ ok: true; version: number } | { ok: false; problems: Problem[] }> {
  return db.transaction().execute(async (trx) => {
    await lockFramework(trx, framework.id);
    const draft = (await versionsOf(trx, framework.id)).find((v) => v.status === 'draft');
    if (!draft) throw new LifecycleError(`${framework.title} has no draft to publish`, 404);
    const doc = await readDocument(trx, draft.id);
    const problems = publishProblems(doc!);
    if (problems.length) return { ok: false as const, problems };
    await publishVersion(trx, draft.id, accountOf(actor));
    await audit(trx, actor, {
      action: 'framework.publish',
      subjectType: 'framework_version',
      subjectId: draft.id,
      details: { key: framework.key, version: draft.version },
    });
    return { ok: true as const, version: draft.version };
  });
}

export async function retire(db: Database, framework: FrameworkRow, version: number, actor: Actor) {
  await db.transaction().execute(async (trx) => {
    const v = (await versionsOf(trx, framework.id)).find((x) => x.version === version);
    if (!v) throw new LifecycleError(`${framework.title} has no version ${version}`, 404);
    if (v.status !== 'published') {
      throw new LifecycleError(`Version ${version} is ${v.status}: only a published version can be retired`);
    }
    await retireVersion(trx, v.id, accountOf(actor));
    await audit(trx, actor, {
      action: 'framework.retire',
      subjectType: 'framework_version',
      subjectId: v.id,
      details: { key: framework.key, version },
    });
  });
}

/** Throw the draft away; a framework that never had anything else goes too. */
export async function discard(
  db: Database,
  framework: FrameworkRow,
  actor: Actor,
): Promise<{ frameworkGone: boolean }> {
  return db.transaction().execute(async (trx) => {
    await lockFramework(trx, framework.id);
    const draft = (await versionsOf(trx, framework.id)).find((v) => v.status === 'draft');
    if (!draft) throw new LifecycleError(`${framework.title} has no draft`, 404);
    const frameworkGone = await discardDraft(trx, draft.id, framework.id);
    await audit(trx, actor, {
      action: 'framework.draft.discard',
      subjectType: 'framework_version',
      subjectId: draft.id,
      details: { key: framework.key, version: draft.version, frameworkRemoved: frameworkGone },
    });
    return { frameworkGone };
  });
}
