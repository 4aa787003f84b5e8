import { bench as appraisals } from './appraisals.ts';
import { bench as assessments } from './assessments.ts';
import { bench as burden } from './burden.ts';
import { bench as catalogue } from './catalogue.ts';
import { bench as cohorts } from './cohorts.ts';
import type { FeatureBench } from './feature.ts';
import { bench as feedback } from './feedback.ts';
import { bench as learningRecord } from './learning-record.ts';
import { bench as priorities } from './priorities.ts';

/** Every feature's benchmark, run by `npm run bench` after the foundation steps. */
export const featureBenches: FeatureBench[] = [
  assessments,
  feedback,
  appraisals,
  catalogue,
  cohorts,
  learningRecord,
  burden,
  priorities,
];
