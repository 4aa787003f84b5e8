import { bench as assessments } from './assessments.ts';
import type { FeatureBench } from './feature.ts';

/** Every feature's benchmark, run by `npm run bench` after the foundation steps. */
export const featureBenches: FeatureBench[] = [assessments];
