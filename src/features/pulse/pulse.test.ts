import { describe, expect, it } from 'vitest';
import { bankHolidays, bankHolidaysUntil, parseBankHolidays } from './bank-holidays.ts';
import {
  aggregate,
  answerSchema,
  isWorkingDay,
  nthWorkingDay,
  periodOf,
  reminderDue,
  roundName,
  totalHours,
} from './pulse.ts';

describe('pulse rounds', () => {
  it('cover a calendar month, or a calendar quarter', () => {
    expect(periodOf('2026-02-14', 'monthly')).toEqual({ opensOn: '2026-02-01', closesOn: '2026-02-28' });
    expect(periodOf('2026-12-31', 'monthly')).toEqual({ opensOn: '2026-12-01', closesOn: '2026-12-31' });
    expect(periodOf('2026-05-20', 'quarterly')).toEqual({ opensOn: '2026-04-01', closesOn: '2026-06-30' });
    expect(periodOf('2026-12-01', 'quarterly')).toEqual({ opensOn: '2026-10-01', closesOn: '2026-12-31' });
    expect(roundName({ opensOn: '2026-04-01', closesOn: '2026-04-30' })).toBe('April 2026');
    expect(roundName({ opensOn: '2026-04-01', closesOn: '2026-06-30' })).toBe('April to June 2026');
  });

  it('count working days Monday to Friday, skipping bank holidays of England and Wales', () => {
    // 1 November 2026 is a Sunday: working days 2, 3, 4 November.
    expect(nthWorkingDay('2026-11-01', 1)).toBe('2026-11-02');
    expect(nthWorkingDay('2026-11-01', 3)).toBe('2026-11-04');
    // 1 May 2026 is a Friday; Monday 4 May is the early May bank holiday: then Tuesday 5, Wednesday 6.
    expect(nthWorkingDay('2026-05-01', 3)).toBe('2026-05-06');
    // Without the holiday list, Monday 4 counts.
    expect(nthWorkingDay('2026-05-01', 3, new Set())).toBe('2026-05-05');
    // Christmas 2027 falls on a Saturday: Monday 27 and Tuesday 28 December are the substitute days.
    expect(isWorkingDay('2027-12-27')).toBe(false);
    expect(isWorkingDay('2027-12-28')).toBe(false);
    expect(isWorkingDay('2027-12-29')).toBe(true);
    expect(nthWorkingDay('2027-12-24', 2)).toBe('2027-12-29');
  });

  it('ships the bank holidays of 2025 to 2028, eight a year, none on a weekend', () => {
    const byYear = new Map<string, number>();
    for (const d of bankHolidays) {
      byYear.set(d.slice(0, 4), (byYear.get(d.slice(0, 4)) ?? 0) + 1);
      expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    }
    expect(Object.fromEntries(byYear)).toEqual({ '2025': 8, '2026': 8, '2027': 8, '2028': 8 });
    expect(bankHolidaysUntil).toBe('2028-12-31');
    expect(() => parseBankHolidays('date,title\n2026-13-01,Nonsense\n')).toThrow(/line 2/);
  });

  it('move a reminder due on a weekend or bank holiday to the next working day', () => {
    // March 2026 closes on Tuesday 31: the closing reminder falls due on Saturday 28 and goes on Monday 30.
    const march = { opensOn: '2026-03-01', closesOn: '2026-03-31' };
    expect(reminderDue(march, '2026-03-27')).toBe('opening');
    expect(reminderDue(march, '2026-03-28')).toBeUndefined();
    expect(reminderDue(march, '2026-03-29')).toBeUndefined();
    expect(reminderDue(march, '2026-03-30')).toBe('closing');
    // December 2026 closes on Thursday 31: due on Monday 28 (Boxing Day's substitute), goes on Tuesday 29.
    const december = { opensOn: '2026-12-01', closesOn: '2026-12-31' };
    expect(reminderDue(december, '2026-12-28')).toBeUndefined();
    expect(reminderDue(december, '2026-12-29')).toBe('closing');
  });

  it('remind on the 3rd working day and from 3 days before closing, and not outside the round', () => {
    const round = { opensOn: '2026-11-01', closesOn: '2026-11-30' };
    expect(reminderDue(round, '2026-11-03')).toBeUndefined();
    expect(reminderDue(round, '2026-11-04')).toBe('opening');
    expect(reminderDue(round, '2026-11-20')).toBe('opening');
    expect(reminderDue(round, '2026-11-27')).toBe('closing');
    expect(reminderDue(round, '2026-11-30')).toBe('closing');
    expect(reminderDue(round, '2026-12-01')).toBeUndefined();
  });
});

describe('pulse answers', () => {
  const ok = { upward: '4', meetings: '10.5', people_mgmt: '6', improvement: '2', operational: '12', other: '3' };

  it('accept hours with one decimal place and add them up', () => {
    const r = answerSchema.safeParse(ok);
    expect(r.success).toBe(true);
    expect(totalHours(r.data!)).toBe(37.5);
  });

  it('name the field and the problem', () => {
    const blank = answerSchema.safeParse({ ...ok, meetings: ' ' });
    expect(blank.error?.issues[0]).toMatchObject({
      path: ['meetings'],
      message: 'Enter the hours you spent on meetings last week, or 0',
    });
    const bad = answerSchema.safeParse({ ...ok, upward: '2.25' });
    expect(bad.error?.issues[0]?.message).toBe('Hours on upward reporting must be a number like 4 or 2.5');
    const big = answerSchema.safeParse({ ...ok, other: '90' });
    expect(big.error?.issues[0]?.message).toBe('The hours add up to 124.5: a week’s total must be 100 or fewer');
    const none = answerSchema.safeParse({
      upward: '0',
      meetings: '0',
      people_mgmt: '0',
      improvement: '0',
      operational: '0',
      other: '0',
    });
    expect(none.error?.issues[0]?.message).toMatch(/add up to 0/);
  });

  it('are aggregated as means and the share of all hours, or not at all below the minimum', () => {
    const sums = {
      responses: 8,
      upward: 40,
      meetings: 80,
      people_mgmt: 40,
      improvement: 16,
      operational: 120,
      other: 24,
    };
    const a = aggregate(sums, 8);
    expect(a.suppressed).toBe(false);
    expect(a.means?.upward).toBe(5);
    expect(a.meanTotal).toBe(40);
    expect(a.upwardShare).toBe(0.125);
    expect(aggregate({ ...sums, responses: 7 }, 8)).toEqual({ responses: 7, suppressed: true });
    expect(aggregate(sums, 8, true).suppressed).toBe(true);
  });
});
