import { describe, expect, it } from 'vitest';
import {
  bookingWindow,
  CODE_ALPHABET,
  cancel,
  certificateCode,
  decide,
  initialDecisions,
  normaliseCode,
  percentile,
  promote,
} from './cohorts.ts';
import { londonToUtc } from './present.ts';
import { rollUpManagers } from './supply.ts';
import { disclose, perHundred } from './supply-present.ts';

const open = { status: 'open' as const, booking_opens_on: '2027-01-10', booking_closes_on: '2027-02-10' };

describe('booking rules', () => {
  it('opens booking only for open cohorts, between the opening and closing days inclusive', () => {
    expect(bookingWindow(open, '2027-01-09')).toBe('not-yet');
    expect(bookingWindow(open, '2027-01-10')).toBe('open');
    expect(bookingWindow(open, '2027-02-10')).toBe('open');
    expect(bookingWindow(open, '2027-02-11')).toBe('closed');
    expect(bookingWindow({ ...open, status: 'draft' }, '2027-01-20')).toBe('not-open');
  });

  it('asks the line manager when there is one, the funder when the cohort needs it, and counts a reservation as approval', () => {
    expect(initialDecisions({ hasLineManager: true, funderApproval: false })).toEqual({
      manager_decision: 'pending',
      funder_decision: 'not_required',
    });
    expect(initialDecisions({ hasLineManager: false, funderApproval: true })).toEqual({
      manager_decision: 'not_required',
      funder_decision: 'pending',
    });
    expect(
      initialDecisions({ hasLineManager: true, funderApproval: false, reservedByManager: true }).manager_decision,
    ).toBe('approved');
  });

  it('confirms a held place once every approval is in, keeps a waiting one waiting, and frees a rejected place', () => {
    const held = {
      status: 'awaiting_approval' as const,
      manager_decision: 'pending' as const,
      funder_decision: 'pending' as const,
    };
    const afterManager = decide(held, 'manager', true);
    expect(afterManager).toMatchObject({ status: 'awaiting_approval', notices: ['funder_approval_needed'] });
    if ('problem' in afterManager) throw new Error(afterManager.problem);
    expect(decide(afterManager, 'funder', true)).toMatchObject({ status: 'confirmed', notices: ['decision'] });
    expect(decide(afterManager, 'funder', false)).toMatchObject({ status: 'rejected', releasesPlace: true });
    expect(decide({ ...held, status: 'waitlisted' }, 'manager', false)).toMatchObject({
      status: 'rejected',
      releasesPlace: false,
    });
    expect(decide({ ...held, status: 'waitlisted', funder_decision: 'not_required' }, 'manager', true)).toMatchObject({
      status: 'waitlisted',
      notices: [],
    });
    expect(decide(held, 'funder', true)).toEqual({
      problem: 'The line manager decides first: funding is approved after them',
    });
    expect(decide({ ...held, status: 'rejected' }, 'manager', true)).toEqual({
      problem: 'This application has already been closed',
    });
  });

  it('cancels live places until completion, and promotes to a held or confirmed place by approvals', () => {
    const app = {
      status: 'confirmed' as const,
      manager_decision: 'approved' as const,
      funder_decision: 'not_required' as const,
    };
    expect(cancel({ ...app, completed_on: null })).toEqual({ status: 'cancelled', releasesPlace: true });
    expect(cancel({ ...app, status: 'waitlisted', completed_on: null })).toEqual({
      status: 'cancelled',
      releasesPlace: false,
    });
    expect(cancel({ ...app, completed_on: '2027-03-01' })).toEqual({
      problem: 'A completed place cannot be cancelled',
    });
    expect(promote(app).status).toBe('confirmed');
    expect(promote({ manager_decision: 'pending', funder_decision: 'not_required' }).status).toBe('awaiting_approval');
  });
});

describe('certificate codes', () => {
  it('are 10 characters from an alphabet without look-alikes, and differ each time', () => {
    const codes = new Set(Array.from({ length: 2000 }, certificateCode));
    expect(codes.size).toBe(2000);
    for (const c of codes) expect(c).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    expect(CODE_ALPHABET).not.toMatch(/[01ILO]/);
  });

  it('accept a typed code in any case with spaces or dashes, and refuse anything else', () => {
    expect(normaliseCode('7kq2-mxh4 pa')).toBe('7KQ2MXH4PA');
    expect(normaliseCode('7KQ2MXH4P')).toBeUndefined();
    expect(normaliseCode('7KQ2MXH4P0')).toBeUndefined();
  });
});

describe('figures', () => {
  it('interpolates percentiles as PostgreSQL percentile_cont does', () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('suppresses small counts of people and enough others that they cannot be recovered', () => {
    const rows = [
      { label: 'a', places: 3, applications: 20, waitlisted: 0, interest: 9, managers: 50 },
      { label: 'b', places: 40, applications: 60, waitlisted: 12, interest: 9, managers: 80 },
      { label: 'c', places: 25, applications: 30, waitlisted: 10, interest: 9, managers: 70 },
    ].map((r) => ({ ...r, programmes: 1, offered: null, wait_n: 0, wait_median: null, wait_p90: null }));
    const out = disclose(rows, 8);
    expect(out.map((r) => r.hidden.places)).toEqual([true, false, true]);
    expect(out.map((r) => r.hidden.waitlisted)).toEqual([false, false, false]);
    expect(perHundred(40, 80)).toBe(50);
    expect(perHundred(4, 0)).toBeNull();
  });

  it('adds managers up from organisations to ICBs, regions and the nation, by staff group and in all', () => {
    const m = rollUpManagers([
      { organisation_id: 1, staff_group: '03', managers: 5, icb_id: 10, region_id: 100 },
      { organisation_id: 2, staff_group: '08', managers: 7, icb_id: 10, region_id: 100 },
    ]);
    expect(m.get('icb|10|')).toBe(12);
    expect(m.get('region|100|03')).toBe(5);
    expect(m.get('nation|0|')).toBe(12);
    expect(m.get('organisation|2|08')).toBe(7);
  });

  it('turns UK wall-clock times into instants, in winter and in summer time', () => {
    expect(londonToUtc('2027-01-15', '09:30').toISOString()).toBe('2027-01-15T09:30:00.000Z');
    expect(londonToUtc('2027-07-15', '09:30').toISOString()).toBe('2027-07-15T08:30:00.000Z');
  });
});
