import type { Deps } from '../../deps.ts';

export type Scale = 'demo' | 'region' | 'national';

export async function seed(
  _deps: Deps,
  _opts: { scale: Scale; seed: number; log?: (m: string) => void },
): Promise<void> {
  throw new Error('The data generator is not built yet');
}
