import { parseArgs } from 'node:util';
import { prepareDatabase } from './bootstrap.ts';
import { type Command, type CommandIO, UsageError } from './command.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createDeps } from './deps.ts';
import { commands as featureCommands } from './features/commands.ts';
import { openDatabaseServer } from './runtime.ts';

const builtIn: Command[] = [
  {
    name: 'migrate',
    summary: 'Apply database migrations',
    usage: 'leadwell migrate',
    async run(deps, _args, io) {
      const applied = await migrateToLatest(deps.db);
      io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    },
  },
  {
    name: 'setup',
    summary: 'Migrate, then load the bundled organisations and (unless LOAD_DEMO_DATA=false) demo data',
    usage: 'leadwell setup',
    async run(deps, _args, io) {
      await prepareDatabase(deps, io.out);
      return 0;
    },
  },
];

const all: Command[] = [...builtIn, ...featureCommands];

function help(): string {
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    'Usage: leadwell <command> [options]',
    '',
    'Commands:',
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `leadwell <command> --help` for a command’s options.',
    'Configuration comes from the environment (see README): DATABASE_URL, or an embedded PostgreSQL in DATA_DIR.',
  ].join('\n');
}

function find(argv: string[]): { command: Command; rest: string[] } | undefined {
  // Longest match first: 'import staff' before 'import'.
  const sorted = [...all].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const c of sorted) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command: c, rest: argv.slice(words.length) };
  }
  return undefined;
}

function terminalIO(): CommandIO {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    progress(label, done, total) {
      if (!tty) return;
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      const width = 30;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
      process.stderr.write(`\r${label} ${bar} ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}`);
      if (done >= total) process.stderr.write('\n');
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    console.log(help());
    return 0;
  }
  const found = find(argv);
  if (!found) {
    console.error(`Unknown command: ${argv.join(' ')}\n\n${help()}`);
    return 64;
  }
  const { command, rest } = found;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...(command.options ?? {}), help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\nUsage: ${command.usage}`);
    return 64;
  }
  if (parsed.values.help) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    throw err;
  }
  const server = await openDatabaseServer(config);
  const deps = createDeps(config, server.url, {});
  try {
    if (command.name !== 'migrate') await migrateToLatest(deps.db);
    return await command.run(deps, parsed as never, terminalIO());
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\nUsage: ${command.usage}`);
      return 64;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await deps.close();
    await server.stop();
  }
}
