import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, UsageError } from '../../command.ts';
import { audit } from '../../plugins/audit.ts';
import { decodeBytes } from '../../text.ts';
import { bundledPayScales, loadPayScales } from './pay-scales.ts';
import { refreshBurden, refreshItemPairs, refreshRegisterAnalysis } from './refresh.ts';
import { exportRegister, importRegister } from './transfer.ts';

const today = (now: Date) => now.toISOString().slice(0, 10);

const importCommand: Command = {
  name: 'burden import',
  summary: 'Import returns into the reporting requirements register from a CSV or JSON file',
  usage:
    'leadwell burden import FILE [--format csv|json]\n\n' +
    'Each return is matched on its name within its scope and area: new ones are added, known ones updated.\n' +
    'The whole file is checked first: if any return is bad, nothing is imported and each bad line is listed.',
  options: { format: { type: 'string' } },
  async run(deps, { values, positionals }, io) {
    const format = values.format as string | undefined;
    if (format !== undefined && format !== 'csv' && format !== 'json') {
      throw new UsageError(`--format must be csv or json, not "${format}"`);
    }
    if (positionals.length !== 1) throw new UsageError('Give one file to import.');
    let text: string;
    try {
      text = decodeBytes(await readFile(positionals[0]));
    } catch (err) {
      io.err(`Cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 1;
    }
    const result = await importRegister(
      deps,
      { text, filename: path.basename(positionals[0]), format },
      { label: 'leadwell burden import (command line)' },
    );
    if (!result.ok) {
      io.err(`Nothing was imported: ${result.errors.length} problem(s).`);
      for (const e of result.errors) io.err(`${path.basename(positionals[0])} line ${e.line}: ${e.message}`);
      return 1;
    }
    io.out(`Imported ${result.returns} return(s): ${result.created} added, ${result.updated} updated.`);
    if (result.nearMatchesPending) {
      io.out(`${result.newItems} new data items: run \`leadwell burden refresh\` to find their near matches.`);
    }
    return 0;
  },
};

const exportCommand: Command = {
  name: 'burden export',
  summary: 'Export the reporting requirements register as CSV or JSON',
  usage:
    'leadwell burden export [--format csv|json] [--output FILE]\n\nWithout --output, the register is written to standard output.',
  options: { format: { type: 'string' }, output: { type: 'string' } },
  async run(deps, { values }, io) {
    const format = (values.format as string | undefined) ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, not "${format}"`);
    const text = await exportRegister(deps.db, format, deps.clock.now());
    if (values.output) {
      await writeFile(values.output as string, text, 'utf8');
      io.out(`Wrote the register to ${values.output}.`);
    } else io.out(text.replace(/\r?\n$/, ''));
    return 0;
  },
};

const refreshCommand: Command = {
  name: 'burden refresh',
  summary:
    'Recompute the reporting burden summaries, overlaps and flags (run daily; effort changes refresh by themselves)',
  usage: 'leadwell burden refresh',
  async run(deps, _args, io) {
    const day = today(deps.clock.now());
    const pairs = await refreshItemPairs(deps.db);
    const register = await refreshRegisterAnalysis(deps.db, day);
    const burden = await refreshBurden(deps.db, day);
    io.out(
      `Burden as at ${day}: ${burden.organisations} organisation(s) with effort on ${burden.returns} return(s); ` +
        `${pairs} near match(es) between data items; ${register.groups} consolidation candidate(s); ` +
        `${register.duplicates} local request(s) duplicating a national return.`,
    );
    return 0;
  },
};

const payScalesCommand: Command = {
  name: 'burden pay-scales',
  summary: 'Load a pay scale file (default: the bundled Agenda for Change 2025/26 scale), then refresh costs',
  usage:
    'leadwell burden pay-scales [FILE]\n\n' +
    'Columns: scale,band,valid_from,valid_to,annual_min,annual_max,on_cost_percent,source (see reference/pay/README.md).\n' +
    'Rows are matched on band and valid_from. If any row is bad, nothing is loaded.',
  async run(deps, { positionals }, io) {
    if (positionals.length > 1) throw new UsageError('Give at most one pay scale file.');
    const file = positionals[0] ?? bundledPayScales;
    let result: Awaited<ReturnType<typeof loadPayScales>>;
    try {
      result = await loadPayScales(deps.db, file);
    } catch (err) {
      io.err(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 1;
    }
    if (!result.ok) {
      io.err(`Nothing was loaded: ${result.errors.length} problem(s).`);
      for (const e of result.errors) io.err(`${path.basename(file)} line ${e.line}: ${e.message}`);
      return 1;
    }
    await audit(
      deps.db,
      { label: 'leadwell burden pay-scales (command line)' },
      {
        action: 'burden.pay_scales.load',
        subjectType: 'pay_scale',
        details: { file: path.basename(file), rows: result.written },
      },
    );
    await refreshBurden(deps.db, today(deps.clock.now()));
    io.out(`Loaded ${result.written} pay scale row(s) from ${path.basename(file)}; costs recomputed.`);
    return 0;
  },
};

export const commands: Command[] = [importCommand, exportCommand, refreshCommand, payScalesCommand];
