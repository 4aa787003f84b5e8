import type { Deps } from '../src/deps.ts';
import type { benchSession } from './session.ts';

/**
 * What a feature adds to `npm run bench`: HTTP scenarios to load at national scale, and any direct measurements
 * (a submission's time, a concurrency check). Registered in bench/features.ts; run with `--only <name>`.
 */
export interface FeatureBench {
  /** Step name for `--only`, e.g. `appraisals`. */
  name: string;
  /** Make sure the feature's national data exists (run its seed extension when missing), build sessions, measure. */
  prepare(ctx: BenchContext): Promise<{ scenarios: HttpScenario[]; measured?: Record<string, unknown> }>;
}

export interface BenchContext {
  deps: Deps;
  session: typeof benchSession;
  log: (message: string) => void;
}

export interface HttpScenario {
  label: string;
  /** Rotated through during the run. */
  paths: string[];
  cookie?: string;
  connections: number;
  /** The goal, shown beside the result in docs/performance.md, e.g. 100 for "p95 under 100 ms". */
  goalP95Ms?: number;
}
