import { describe, expect, it } from 'vitest';
import { authorise, type OrgPlace, type Viewer } from '../../plugins/access.ts';
import { activeOn, bucketOf, moneyText, orderedPair, priorityInput, trendDays, unfundedShare } from './priorities.ts';

const viewer = (grants: Viewer['grants'], managerAssignmentIds: number[] = []): Viewer => ({
  accountId: 1,
  personId: 1,
  displayName: 'Test',
  email: 't@example.nhs.uk',
  grants,
  managerAssignmentIds,
  isDemo: false,
  via: 'session',
});
const grant = (role: Viewer['grants'][number]['role'], organisationId: number | null) => ({
  id: organisationId ?? 0,
  role,
  organisationId,
  organisationCode: null,
  organisationName: null,
});
const trust: OrgPlace = { id: 10, icbId: 2, regionId: 1 };
const icb: OrgPlace = { id: 2, icbId: null, regionId: 1 };

describe('the rules of the priorities register', () => {
  it('counts a priority active from the day set until the day before it ended', () => {
    const p = { set_on: '2026-04-01', ended_on: '2026-06-30' };
    expect(activeOn(p, '2026-03-31')).toBe(false);
    expect(activeOn(p, '2026-04-01')).toBe(true);
    expect(activeOn(p, '2026-06-29')).toBe(true);
    expect(activeOn(p, '2026-06-30')).toBe(false);
    expect(activeOn({ set_on: '2026-04-01', ended_on: null }, '2030-01-01')).toBe(true);
  });

  it('takes month ends for the trend and today for the current month', () => {
    expect(trendDays('2026-03-15', 4)).toEqual(['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-15']);
  });

  it('buckets, shares and money text', () => {
    expect([0, 1, 4, 5, 19, 20, 57].map(bucketOf)).toEqual([
      'None',
      '1 to 4',
      '1 to 4',
      '5 to 9',
      '15 to 19',
      '20 or more',
      '20 or more',
    ]);
    expect(unfundedShare(1, 3)).toBe(33.3);
    expect(unfundedShare(0, 0)).toBeUndefined();
    expect(moneyText('£12,500.50')).toBe(12500.5);
    expect(moneyText('lots')).toBe('lots');
    expect(orderedPair(9, 3)).toEqual([3, 9]);
  });

  it('refuses a target date before the date set and an amount on an unfunded priority', () => {
    const r = priorityInput.safeParse({
      title: 'X',
      source: 'board',
      set_on: '2026-04-01',
      measure: 'M',
      target_date: '2026-03-01',
      funded: false,
      funding_amount: 10,
      owner: 'O',
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path[0]).sort()).toEqual(['funding_amount', 'target_date']);
  });
});

describe('who may place priorities and see detail', () => {
  it('lets each role place priorities at its own level and below, never above', () => {
    const place = (v: Viewer, scope: 'national' | 'region' | 'icb' | 'organisation', area: OrgPlace | null) =>
      authorise(v, { action: 'priorities:place', scope, area });
    const orgAdmin = viewer([grant('org_admin', 10)]);
    const icbLead = viewer([grant('icb_lead', 2)]);
    const regional = viewer([grant('regional_lead', 1)]);
    const national = viewer([grant('national_admin', null)]);
    expect(place(orgAdmin, 'organisation', trust)).toBe(true);
    expect(place(orgAdmin, 'organisation', { id: 11, icbId: 2, regionId: 1 })).toBe(false);
    expect(place(orgAdmin, 'icb', icb)).toBe(false);
    expect(place(icbLead, 'icb', icb)).toBe(true);
    expect(place(icbLead, 'organisation', trust)).toBe(true);
    expect(place(icbLead, 'region', { id: 1, icbId: null, regionId: null })).toBe(false);
    expect(place(regional, 'region', { id: 1, icbId: null, regionId: null })).toBe(true);
    expect(place(regional, 'national', null)).toBe(false);
    expect(place(national, 'national', null)).toBe(true);
  });

  it('keeps an organisation’s detail to its admins; line managers mark links only where they manage a team', () => {
    expect(authorise(viewer([grant('org_admin', 10)]), { action: 'workload:org-detail', org: trust })).toBe(true);
    for (const g of [grant('icb_lead', 2), grant('regional_lead', 1), grant('national_admin', null)]) {
      expect(authorise(viewer([g]), { action: 'workload:org-detail', org: trust })).toBe(false);
      expect(authorise(viewer([g]), { action: 'workload:aggregates' })).toBe(true);
    }
    const manager = viewer([], [5]);
    expect(authorise(manager, { action: 'priorities:mark-link', org: trust, managesTeamThere: true })).toBe(true);
    expect(authorise(manager, { action: 'priorities:mark-link', org: trust, managesTeamThere: false })).toBe(false);
    expect(authorise(viewer([]), { action: 'workload:aggregates' })).toBe(false);
  });
});
