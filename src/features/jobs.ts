import type { Job } from '../job.ts';
import { jobs as accounts } from './accounts/jobs.ts';
import { jobs as feedback } from './feedback/jobs.ts';

/** Every feature's background jobs: the one list the worker registers. */
export const jobs: Job[] = [...accounts, ...feedback];
