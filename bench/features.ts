import { bench as assessments } from './assessments.ts';
import type { FeatureBench } from './feature.ts';
import { bench as feedback } from './feedback.ts';

/** Every feature's benchmark, run by `npm run bench` after the foundation steps. */
export const featureBenches: FeatureBench[] = [assessments, feedback];
