import type { Clock } from '../../deps.ts';

/** A clock the tests move by hand (lockouts, reset-link expiry, session time-outs). */
export class ManualClock implements Clock {
  private t: number;
  constructor(start = '2026-11-26T09:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export const MINUTE = 60_000;
