import type { Feature } from '../feature.ts';
import { homeFeature } from './home/routes.ts';
import { systemFeature } from './system/routes.ts';

/** The one registration list: every feature of the web app, in order. */
export const features: Feature[] = [systemFeature, homeFeature];
