import type { Job } from '../job.ts';
import { jobs as accounts } from './accounts/jobs.ts';
import { jobs as appraisals } from './appraisals/jobs.ts';
import { jobs as assessments } from './assessments/jobs.ts';
import { jobs as catalogue } from './catalogue/jobs.ts';
import { jobs as cohorts } from './cohorts/jobs.ts';
import { jobs as feedback } from './feedback/jobs.ts';
import { jobs as learningRecord } from './learning-record/jobs.ts';
import { jobs as priorities } from './priorities/jobs.ts';
import { jobs as pulse } from './pulse/jobs.ts';
import { jobs as reorganisations } from './reorganisations/jobs.ts';

/** Every feature's background jobs: the one list the worker registers. */
export const jobs: Job[] = [
  ...accounts,
  ...assessments,
  ...feedback,
  ...appraisals,
  ...catalogue,
  ...cohorts,
  ...learningRecord,
  ...pulse,
  ...priorities,
  ...reorganisations,
];
