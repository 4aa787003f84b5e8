import { seedExtension as appraisals } from './appraisals/generate.ts';
import { seedExtension as assessments } from './assessments/generate.ts';
import { seedExtension as burden } from './burden/generate.ts';
import { seedExtension as catalogue } from './catalogue/generate.ts';
import { seedExtension as cohorts } from './cohorts/generate.ts';
import { seedExtension as feedback } from './feedback/generate.ts';
import { seedExtension as learningRecord } from './learning-record/generate.ts';
import { seedExtension as priorities } from './priorities/generate.ts';
import { seedExtension as pulse } from './pulse/generate.ts';
import { seedExtension as reorganisations } from './reorganisations/generate.ts';
import type { SeedExtension } from './seed/extension.ts';

/**
 * Every feature's synthetic data, run after the staff seed in this order. Order matters: the learning record
 * removes every synthetic learning record before cohorts add their completions, and cohorts need the
 * catalogue's programmes.
 */
export const seedExtensions: SeedExtension[] = [
  assessments,
  feedback,
  appraisals,
  catalogue,
  learningRecord,
  cohorts,
  burden,
  pulse,
  priorities,
  reorganisations,
];
