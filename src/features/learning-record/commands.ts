import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, UsageError } from '../../command.ts';
import { decodeBytes } from '../../text.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { refreshEquity } from './equity-refresh.ts';
import { importLearning } from './import.ts';

const importCommand: Command = {
  name: 'learning import',
  summary: 'Import prior learning for the staff of an organisation from a CSV file',
  usage:
    'leadwell learning import FILE --organisation CODE\n\n' +
    'Each row names a current member of staff of the organisation by staff_number or email (see docs/learning-record.md).\n' +
    'The whole file is checked first: if any row is bad, nothing is imported and each bad line is listed.',
  options: { organisation: { type: 'string' } },
  async run(deps, { values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('Give one CSV file to import.');
    const code = values.organisation as string | undefined;
    if (!code) throw new UsageError('Give the organisation whose staff the file is about: --organisation CODE');
    const org = await findOrganisation(deps.db, code);
    if (!org) {
      io.err(`No organisation has the code ${code}.`);
      return 1;
    }
    let text: string;
    try {
      text = decodeBytes(await readFile(positionals[0]));
    } catch (err) {
      io.err(`Cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 1;
    }
    const name = path.basename(positionals[0]);
    const result = await importLearning(deps.db, {
      text,
      target: { kind: 'organisation', organisationId: org.id },
      today: deps.clock.now().toISOString().slice(0, 10),
      actor: { label: `leadwell learning import ${name} (command line)` },
    });
    if (!result.ok) {
      io.err(`Nothing was imported: ${result.errors.length} problem(s).`);
      for (const e of result.errors) io.err(`${name} line ${e.line}: ${e.message}`);
      return 1;
    }
    io.out(
      `Imported ${result.rows} record(s) for ${result.people} people of ${org.name}: ${result.created} added, ${result.updated} updated.`,
    );
    return 0;
  },
};

const refreshCommand: Command = {
  name: 'learning refresh',
  summary: 'Recompute the equity-of-access summaries now (the job learning.refresh-equity does it nightly)',
  usage: 'leadwell learning refresh',
  async run(deps, _args, io) {
    const r = await refreshEquity(deps);
    io.out(`Refreshed ${r.cells} equity cells over ${r.periods} periods (${r.suppressed} hidden) in ${r.millis} ms.`);
    return 0;
  },
};

export const commands: Command[] = [importCommand, refreshCommand];
