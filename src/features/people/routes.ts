import type { Feature } from '../../feature.ts';

export const peopleFeature: Feature = { name: 'people' };
