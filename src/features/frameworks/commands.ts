import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, UsageError } from '../../command.ts';
import { decodeBytes } from '../../text.ts';
import { documentToCsv } from './csv.ts';
import { readDocument } from './document-queries.ts';
import { importFile, loadStarters } from './import.ts';
import { findFramework, versionsOf } from './queries.ts';

const loadStartersCommand: Command = {
  name: 'frameworks load-starters',
  summary: 'Load the starter competency frameworks (reference/frameworks) that are not loaded yet',
  usage:
    'leadwell frameworks load-starters\n\n' +
    'Each starter whose key is not in use is loaded and published as version 1. Frameworks that exist are left alone.',
  async run(deps, _args, io) {
    const { loaded, skipped } = await loadStarters(deps.db, {
      label: 'leadwell frameworks load-starters (command line)',
    });
    for (const key of loaded) io.out(`Loaded and published ${key} version 1.`);
    for (const key of skipped) io.out(`Skipped ${key}: a framework with that key exists.`);
    return 0;
  },
};

const importCommand: Command = {
  name: 'frameworks import',
  summary: 'Import a framework version from a JSON or CSV file as a new draft',
  usage:
    'leadwell frameworks import FILE\n\n' +
    'The file (JSON: the export format; CSV: one row per competency) becomes a draft: of a new framework if its key is\n' +
    'new, otherwise the next version of that framework. If anything is wrong, nothing is imported and each problem is listed.',
  async run(deps, args, io) {
    const [file, ...rest] = args.positionals;
    if (!file || rest.length) throw new UsageError('Give exactly one file to import.');
    let text: string;
    try {
      text = decodeBytes(await readFile(file));
    } catch (err) {
      io.err(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 1;
    }
    const result = await importFile(
      deps.db,
      { filename: path.basename(file), text },
      { label: 'leadwell frameworks import (command line)' },
    );
    if (!result.ok) {
      io.err(`Nothing was imported: ${result.problems.length} problem(s).`);
      for (const p of result.problems) io.err(`${p.where}: ${p.message}`);
      return 1;
    }
    io.out(
      `Imported ${file} as draft version ${result.version} of ${result.key}${result.created ? ' (a new framework)' : ''}.`,
    );
    return 0;
  },
};

const exportCommand: Command = {
  name: 'frameworks export',
  summary: 'Export a framework version as JSON or CSV',
  usage:
    'leadwell frameworks export KEY [--version N] [--format json|csv] [--output FILE]\n\n' +
    'Without --version, the latest published version (or, if none, the latest version). Writes to standard output\n' +
    'unless --output is given.',
  options: { version: { type: 'string' }, format: { type: 'string' }, output: { type: 'string' } },
  async run(deps, args, io) {
    const [key, ...rest] = args.positionals;
    if (!key || rest.length) throw new UsageError('Give the key of one framework.');
    const format = (args.values.format as string | undefined) ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, not "${format}"`);
    const asked = args.values.version as string | undefined;
    if (asked !== undefined && !/^\d{1,6}$/.test(asked)) throw new UsageError('--version must be a version number');
    const framework = await findFramework(deps.db, key);
    if (!framework) {
      io.err(`No framework has the key ${key}.`);
      return 1;
    }
    const versions = await versionsOf(deps.db, framework.id);
    const version =
      asked !== undefined
        ? versions.find((v) => v.version === Number(asked))
        : (versions.find((v) => v.status === 'published') ?? versions[0]);
    if (!version) {
      io.err(`${key} has no version ${asked ?? ''}`.trim());
      return 1;
    }
    const doc = (await readDocument(deps.db, version.id))!;
    const text = format === 'csv' ? documentToCsv(doc) : `${JSON.stringify(doc, null, 2)}\n`;
    const output = args.values.output as string | undefined;
    if (output) {
      await writeFile(output, text);
      io.out(`Wrote version ${version.version} of ${key} to ${output}.`);
    } else {
      io.out(text.replace(/\r?\n$/, ''));
    }
    return 0;
  },
};

export const commands: Command[] = [loadStartersCommand, importCommand, exportCommand];
