import type { Feature } from '../feature.ts';
import { accountsFeature } from './accounts/routes.ts';
import { apiTokensFeature } from './api-tokens/routes.ts';
import { appraisalsFeature } from './appraisals/routes.ts';
import { assessmentsFeature } from './assessments/routes.ts';
import { auditFeature } from './audit/routes.ts';
import { burdenFeature } from './burden/routes.ts';
import { catalogueFeature } from './catalogue/routes.ts';
import { cohortsFeature } from './cohorts/routes.ts';
import { feedbackFeature } from './feedback/routes.ts';
import { frameworksFeature } from './frameworks/routes.ts';
import { homeFeature } from './home/routes.ts';
import { learningRecordFeature } from './learning-record/routes.ts';
import { organisationsFeature } from './organisations/routes.ts';
import { peopleFeature } from './people/routes.ts';
import { plansFeature } from './plans/routes.ts';
import { prioritiesFeature } from './priorities/routes.ts';
import { pulseFeature } from './pulse/routes.ts';
import { reorganisationsFeature } from './reorganisations/routes.ts';
import { systemFeature } from './system/routes.ts';

/** The one registration list: every feature of the web app, in order. */
export const features: Feature[] = [
  systemFeature,
  homeFeature,
  accountsFeature,
  organisationsFeature,
  peopleFeature,
  auditFeature,
  apiTokensFeature,
  frameworksFeature,
  burdenFeature,
  catalogueFeature,
  cohortsFeature,
  prioritiesFeature,
  reorganisationsFeature,
  pulseFeature,
  feedbackFeature,
  learningRecordFeature,
  appraisalsFeature,
  assessmentsFeature,
  plansFeature,
];
