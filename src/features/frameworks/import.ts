import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/database.ts';
import { csvToDocument } from './csv.ts';
import { checkDocument, publishProblems, type VersionDocument } from './document.ts';
import { readDocument } from './document-queries.ts';
import { type Actor, createDraftFrom, LifecycleError, publishDraft } from './lifecycle.ts';
import { findFramework, versionsOf } from './queries.ts';

// Import of a whole version from JSON or CSV (pages and CLI), and the starter frameworks shipped as data.

export interface ImportProblem {
  /** "line 4, competency_code" for CSV; a JSON path such as "domains[0].title" for JSON. */
  where: string;
  message: string;
}

export type ImportResult =
  | { ok: true; key: string; version: number; created: boolean; format: 'json' | 'csv' }
  | { ok: false; format: 'json' | 'csv'; problems: ImportProblem[] };

export function formatOf(filename: string, text: string): 'json' | 'csv' {
  if (/\.json$/i.test(filename)) return 'json';
  if (/\.csv$/i.test(filename)) return 'csv';
  return text.trimStart().startsWith('{') ? 'json' : 'csv';
}

/** The latest version of a framework as a document, or undefined for a key not yet used. */
export async function latestDocument(db: Database, key: string): Promise<VersionDocument | undefined> {
  const framework = await findFramework(db, key);
  if (!framework) return undefined;
  const latest = (await versionsOf(db, framework.id))[0];
  return latest ? readDocument(db, latest.id) : undefined;
}

/** Parse and check the file; only a file without a single problem becomes a draft. */
export async function importFile(
  db: Database,
  file: { filename: string; text: string },
  actor: Actor,
): Promise<ImportResult> {
  const format = formatOf(file.filename, file.text);
  let doc: VersionDocument | undefined;
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(file.text.replace(/^\uFEFF/, ''));
    } catch (err) {
      return {
        ok: false,
        format,
        problems: [{ where: '(file)', message: `Not valid JSON: ${(err as Error).message}` }],
      };
    }
    const checked = checkDocument(data);
    if (!checked.doc) {
      return { ok: false, format, problems: checked.problems.map((p) => ({ where: p.path, message: p.message })) };
    }
    doc = checked.doc;
  } else {
    const parsed = await csvToDocument(file.text, (key) => latestDocument(db, key));
    if (!parsed.doc) {
      return {
        ok: false,
        format,
        problems: parsed.problems.map((p) => ({
          where: `line ${p.line}${p.column ? `, ${p.column}` : ''}`,
          message: p.message,
        })),
      };
    }
    // A safety net: the CSV checks mirror the document's rules, and this catches any they miss.
    const checked = checkDocument(parsed.doc);
    if (!checked.doc) {
      return { ok: false, format, problems: checked.problems.map((p) => ({ where: p.path, message: p.message })) };
    }
    doc = checked.doc;
  }
  try {
    const made = await createDraftFrom(db, doc, actor, {
      action: 'framework.import',
      details: { format, filename: file.filename },
    });
    return { ok: true, key: made.key, version: made.version, created: made.created, format };
  } catch (err) {
    if (err instanceof LifecycleError) {
      return { ok: false, format, problems: [{ where: 'framework', message: err.message }] };
    }
    throw err;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const startersDir = path.resolve(here, '../../../reference/frameworks');

/** The starter framework files, checked; a broken file is a bug in the repository, so it throws. */
export async function readStarters(dir = startersDir): Promise<VersionDocument[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const docs: VersionDocument[] = [];
  for (const f of files) {
    const checked = checkDocument(JSON.parse(await readFile(path.join(dir, f), 'utf8')));
    const problems = checked.doc ? publishProblems(checked.doc) : checked.problems;
    if (problems.length) {
      throw new Error(`${f}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    }
    docs.push(checked.doc!);
  }
  return docs;
}

/**
 * Load each starter framework whose key is not in use yet, published as its version 1. Frameworks that
 * exist are left alone, so running it again changes nothing and never touches national admins' edits.
 */
export async function loadStarters(
  db: Database,
  actor: Actor = { label: 'Leadwell starter frameworks' },
): Promise<{ loaded: string[]; skipped: string[] }> {
  const loaded: string[] = [];
  const skipped: string[] = [];
  for (const doc of await readStarters()) {
    if (await findFramework(db, doc.framework.key)) {
      skipped.push(doc.framework.key);
      continue;
    }
    const made = await createDraftFrom(db, doc, actor, { action: 'framework.starter.load' });
    const framework = (await findFramework(db, made.key))!;
    const published = await publishDraft(db, framework, actor);
    if (!published.ok) throw new Error(`Starter ${made.key} could not be published`);
    loaded.push(made.key);
  }
  return { loaded, skipped };
}
