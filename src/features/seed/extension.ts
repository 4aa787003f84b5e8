import type { Deps } from '../../deps.ts';

/**
 * Synthetic data a feature adds on top of the seeded staff (frameworks, assessments, appraisals, programmes,
 * pulses…). Extensions run after the staff seed has committed, in the order of `seedExtensions` in
 * src/features/seed-extensions.ts, each in its own transaction.
 *
 * An extension must be deterministic for a seed, must first remove what an earlier run of itself created (so
 * `leadwell seed --reset` and re-runs work), must mark its rows as synthetic where the table allows it, and must
 * load national scale with COPY or set-based INSERT … SELECT, never row by row.
 */
export interface SeedExtension {
  name: string;
  run(deps: Deps, ctx: SeedContext): Promise<string>;
  /**
   * Remove this extension's synthetic rows. The seed calls every extension's `remove` in reverse order before any
   * `run`, so rows that point at another extension's rows (cohorts at programmes) are gone before those are.
   */
  remove?(deps: Deps): Promise<void>;
}

export interface SeedContext {
  scale: 'demo' | 'region' | 'national';
  seed: number;
  /** The trusts that were seeded (organisation ids). */
  organisationIds: number[];
  /** The seed's "today" (YYYY-MM-DD), from the clock: generate dates relative to it. */
  today: string;
  log: (message: string) => void;
}
