import type { Feature } from '../../feature.ts';

export const accountsFeature: Feature = { name: 'accounts' };
