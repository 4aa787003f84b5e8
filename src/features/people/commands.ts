import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type Command, type CommandIO, UsageError } from '../../command.ts';
import { encodingNames } from '../../text.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { type ImportReport, importStaff } from './import.ts';
import { parseMappingSpec } from './import-mapping.ts';

/** Rows in a file, counted from its line breaks: the denominator of the progress bar. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let i = chunk.indexOf(10);
    while (i !== -1) {
      lines++;
      i = chunk.indexOf(10, i + 1);
    }
  }
  return Math.max(0, lines - 1);
}

/** The report as the CLI prints it; the upload page shows the same facts. */
export function printReport(report: ImportReport, io: CommandIO, shown = 10_000): void {
  const readAs = report.encoding ? `Read as ${encodingNames[report.encoding]}.` : null;
  if (report.errorCount > 0) {
    io.err(`The file was not imported: ${report.errorCount.toLocaleString('en-GB')} problem(s). Nothing was changed.`);
    if (readAs) io.err(readAs);
    for (const e of report.errors.slice(0, shown)) {
      io.err(`  line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`);
    }
    const more = report.errorCount - Math.min(shown, report.errors.length);
    if (more > 0) io.err(`  … and ${more.toLocaleString('en-GB')} more`);
    return;
  }
  const verb = report.status === 'checked' ? 'would be' : 'were';
  const n = (x: number) => x.toLocaleString('en-GB');
  io.out(
    `${report.status === 'checked' ? 'Checked (dry run, nothing changed)' : 'Imported'}: ${n(report.rowsTotal)} rows.`,
  );
  io.out(`  created:   ${n(report.created)}`);
  io.out(`  updated:   ${n(report.updated)}`);
  io.out(`  unchanged: ${n(report.unchanged)}`);
  io.out(`  ended:     ${n(report.ended)}`);
  if (report.teamsCreated > 0) io.out(`  ${n(report.teamsCreated)} new team(s) ${verb} created.`);
  if (readAs) io.out(readAs);
}

export const commands: Command[] = [
  {
    name: 'import staff',
    summary: 'Import staff and assignments for one organisation from an ESR-style CSV file',
    usage:
      'leadwell import staff FILE --org CODE [--complete] [--map "Their Header=field,…"] [--dry-run]\n\n' +
      '  --org CODE    ODS code of the organisation the file belongs to\n' +
      '  --complete    the file lists every assignment: open ones it leaves out end today\n' +
      '  --map         name your own columns, e.g. --map "Emp No=staff_number,Dept=team"\n' +
      '  --dry-run     check the file and count the changes, then change nothing\n\n' +
      'Column names and rules: docs/staff-import.md',
    options: {
      org: { type: 'string' },
      complete: { type: 'boolean', default: false },
      map: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
    async run(deps, { values, positionals }, io) {
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new UsageError('Give exactly one FILE to import.');
      if (typeof values.org !== 'string' || !values.org.trim()) throw new UsageError('--org CODE is required.');
      const { mapping, errors } = parseMappingSpec(values.map as string | undefined);
      if (errors.length) throw new UsageError(`--map: ${errors.join('; ')}`);
      const info = await stat(file).catch(() => null);
      if (!info) throw new UsageError(`No such file: ${file}`);
      if (!info.isFile()) throw new UsageError(`${file} is a folder, not a file: name the CSV file inside it`);
      const organisation = await findOrganisation(deps.db, values.org.trim());
      if (!organisation) throw new UsageError(`No organisation with the ODS code ${values.org.trim().toUpperCase()}.`);
      const expectedRows = await countLines(file);
      const report = await importStaff(deps, {
        organisation,
        source: createReadStream(file),
        filename: path.basename(file),
        mapping,
        complete: values.complete === true,
        dryRun: values['dry-run'] === true,
        actor: { label: `leadwell import staff (${organisation.code})` },
        expectedRows,
        progress: (phase, done, total) => io.progress(phase.padEnd(8), done, total),
      });
      printReport(report, io);
      return report.errorCount > 0 ? 1 : 0;
    },
  },
];
