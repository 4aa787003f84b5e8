import { type Command, UsageError } from '../../command.ts';
import { importOds, readOdsFile } from './ods.ts';
import { type OdsFileKind, odsFileKinds } from './ods-parse.ts';
import { formatSummary } from './ods-plan.ts';

const importOdsCommand: Command = {
  name: 'import ods',
  summary: 'Import NHS organisations from ODS files (trusts, sub-ICB locations, ICB names, regions)',
  usage:
    'leadwell import ods FILE… [--kind etr|eccg|icb|regions]\n\n' +
    'Without --kind, each file’s kind is recognised from its header (ICB names, regions) or its rows (trusts, sub-ICB locations).\n' +
    'Every file is checked first: if any row is bad, nothing is imported and the bad lines are listed.',
  options: { kind: { type: 'string' } },
  async run(deps, args, io) {
    const kind = args.values.kind as string | undefined;
    if (kind !== undefined && !(odsFileKinds as readonly string[]).includes(kind)) {
      throw new UsageError(`--kind must be one of ${odsFileKinds.join(', ')}, not "${kind}"`);
    }
    if (args.positionals.length === 0) throw new UsageError('Give at least one ODS file to import.');
    const inputs = [];
    for (const file of args.positionals) {
      try {
        inputs.push(await readOdsFile(file, kind as OdsFileKind | undefined));
      } catch (err) {
        io.err(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        return 1;
      }
    }
    const result = await importOds(deps.db, inputs, { label: 'leadwell import ods (command line)' });
    if (!result.ok) {
      io.err(`Nothing was imported: ${result.errors.length} bad row(s).`);
      for (const e of result.errors) io.err(`${e.file} line ${e.line}: ${e.message}`);
      return 1;
    }
    io.out(`Imported: ${formatSummary(result.summary)}.`);
    for (const w of result.summary.warnings) io.out(`Warning: ${w}`);
    return 0;
  },
};

export const commands: Command[] = [importOdsCommand];
