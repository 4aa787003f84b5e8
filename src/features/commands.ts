import type { Command } from '../command.ts';
import { commands as accounts } from './accounts/commands.ts';
import { commands as appraisals } from './appraisals/commands.ts';
import { commands as burden } from './burden/commands.ts';
import { commands as cohorts } from './cohorts/commands.ts';
import { commands as dashboard } from './dashboard/commands.ts';
import { commands as frameworks } from './frameworks/commands.ts';
import { commands as learningRecord } from './learning-record/commands.ts';
import { commands as organisations } from './organisations/commands.ts';
import { commands as people } from './people/commands.ts';
import { commands as priorities } from './priorities/commands.ts';
import { commands as seed } from './seed/commands.ts';
import { commands as system } from './system/commands.ts';

/** Every feature's `leadwell` commands, in the order `leadwell --help` lists them. */
export const commands: Command[] = [
  ...organisations,
  ...people,
  ...accounts,
  ...seed,
  ...dashboard,
  ...frameworks,
  ...burden,
  ...cohorts,
  ...priorities,
  ...system,
  ...learningRecord,
  ...appraisals,
];
