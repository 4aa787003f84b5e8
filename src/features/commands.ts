import type { Command } from '../command.ts';

/** Every feature's `leadwell` commands, in the order `leadwell --help` lists them. */
export const commands: Command[] = [];
