import type { ParseArgsConfig } from 'node:util';
import type { Deps } from './deps.ts';

export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  /** A progress bar on a terminal; nothing otherwise. */
  progress(label: string, done: number, total: number): void;
}

/** A `leadwell` sub-command, owned by a feature (features/<name>/commands.ts) and listed in cli.ts. */
export interface Command {
  /** Words after `leadwell`, e.g. 'import staff'. */
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Commands that must not migrate first (none yet) set this to false. */
  needsDatabase?: boolean;
  run(deps: Deps, args: { values: Record<string, unknown>; positionals: string[] }, io: CommandIO): Promise<number>;
}

export class UsageError extends Error {}
