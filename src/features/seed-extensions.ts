import { seedExtension as assessments } from './assessments/generate.ts';
import { seedExtension as feedback } from './feedback/generate.ts';
import type { SeedExtension } from './seed/extension.ts';

/** Every feature's synthetic data, run after the staff seed in this order. */
export const seedExtensions: SeedExtension[] = [assessments, feedback];
