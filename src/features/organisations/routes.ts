import type { Feature } from '../../feature.ts';

export const organisationsFeature: Feature = { name: 'organisations' };
