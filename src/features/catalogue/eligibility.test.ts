import { describe, expect, it } from 'vitest';
import {
  type EligibilityRules,
  eligibilityReason,
  failedRules,
  isEligible,
  levelOfPost,
  type PersonPost,
} from './eligibility.ts';

const open: EligibilityRules = { bands: [], managementLevels: [], staffGroups: [], organisationIds: [], regionIds: [] };
const rules = (r: Partial<EligibilityRules>) => ({ eligibility: { ...open, ...r } });
const post = (p: Partial<PersonPost> = {}): PersonPost => ({
  band: '7',
  staffGroup: '03',
  isManager: true,
  organisationId: 10,
  regionId: 1,
  ...p,
});

describe('levelOfPost', () => {
  it.each([
    [{ band: '6', isManager: false }, 'aspiring'],
    [{ band: '9', isManager: false }, 'aspiring'],
    [{ band: '5', isManager: true }, 'first_line'],
    [{ band: '7', isManager: true }, 'first_line'],
    [{ band: null, isManager: true }, 'first_line'],
    [{ band: 'Medical', isManager: true }, 'first_line'],
    [{ band: '8a', isManager: true }, 'middle'],
    [{ band: '8b', isManager: true }, 'middle'],
    [{ band: '8c', isManager: true }, 'senior'],
    [{ band: '8d', isManager: true }, 'senior'],
    [{ band: '9', isManager: true }, 'executive'],
    [{ band: 'VSM', isManager: true }, 'executive'],
  ] as const)('%o is %s', (p, level) => {
    expect(levelOfPost(p)).toBe(level);
  });
});

describe('isEligible', () => {
  it('lets anyone join a programme without rules, even with no current post', () => {
    expect(isEligible(rules({}), { posts: [] })).toBe(true);
    expect(isEligible(rules({}), { posts: [post()] })).toBe(true);
  });

  it('refuses a restricted programme to someone with no current post', () => {
    expect(isEligible(rules({ bands: ['7'] }), { posts: [] })).toBe(false);
  });

  it('checks the band', () => {
    expect(isEligible(rules({ bands: ['7', '8a'] }), { posts: [post({ band: '7' })] })).toBe(true);
    expect(isEligible(rules({ bands: ['7', '8a'] }), { posts: [post({ band: '6' })] })).toBe(false);
    expect(isEligible(rules({ bands: ['7'] }), { posts: [post({ band: null })] })).toBe(false);
  });

  it('checks the management level implied by band and reports', () => {
    expect(isEligible(rules({ managementLevels: ['middle'] }), { posts: [post({ band: '8a' })] })).toBe(true);
    expect(isEligible(rules({ managementLevels: ['middle'] }), { posts: [post({ band: '7' })] })).toBe(false);
    expect(isEligible(rules({ managementLevels: ['aspiring'] }), { posts: [post({ isManager: false })] })).toBe(true);
    expect(isEligible(rules({ managementLevels: ['aspiring'] }), { posts: [post({ isManager: true })] })).toBe(false);
  });

  it('lets executives join board-level programmes but not the reverse for lower levels', () => {
    expect(isEligible(rules({ managementLevels: ['board'] }), { posts: [post({ band: 'VSM' })] })).toBe(true);
    expect(isEligible(rules({ managementLevels: ['board'] }), { posts: [post({ band: '8d' })] })).toBe(false);
    expect(isEligible(rules({ managementLevels: ['executive'] }), { posts: [post({ band: 'VSM' })] })).toBe(true);
  });

  it('checks staff group, organisation and region', () => {
    expect(isEligible(rules({ staffGroups: ['08'] }), { posts: [post({ staffGroup: '08' })] })).toBe(true);
    expect(isEligible(rules({ staffGroups: ['08'] }), { posts: [post({ staffGroup: '03' })] })).toBe(false);
    expect(isEligible(rules({ staffGroups: ['08'] }), { posts: [post({ staffGroup: null })] })).toBe(false);
    expect(isEligible(rules({ organisationIds: [10, 11] }), { posts: [post({ organisationId: 11 })] })).toBe(true);
    expect(isEligible(rules({ organisationIds: [10] }), { posts: [post({ organisationId: 12 })] })).toBe(false);
    expect(isEligible(rules({ regionIds: [1] }), { posts: [post({ regionId: 1 })] })).toBe(true);
    expect(isEligible(rules({ regionIds: [1] }), { posts: [post({ regionId: 2 })] })).toBe(false);
    expect(isEligible(rules({ regionIds: [1] }), { posts: [post({ regionId: null })] })).toBe(false);
  });

  it('needs every rule met by the same post', () => {
    const r = rules({ bands: ['8a'], staffGroups: ['08'] });
    // Band 8a in one post and Administrative and Clerical in another do not combine.
    const split = { posts: [post({ band: '8a', staffGroup: '03' }), post({ band: '6', staffGroup: '08' })] };
    expect(isEligible(r, split)).toBe(false);
    expect(isEligible(r, { posts: [...split.posts, post({ band: '8a', staffGroup: '08' })] })).toBe(true);
  });

  it('combines all five rules', () => {
    const r = rules({
      bands: ['8a', '8b'],
      managementLevels: ['middle'],
      staffGroups: ['04'],
      organisationIds: [10],
      regionIds: [1],
    });
    const good = post({ band: '8b', staffGroup: '04', organisationId: 10, regionId: 1 });
    expect(isEligible(r, { posts: [good] })).toBe(true);
    expect(failedRules(r.eligibility, { ...good, isManager: false })).toEqual(['management_level']);
    expect(failedRules(r.eligibility, { ...good, band: '7', regionId: 2 })).toEqual([
      'band',
      'management_level',
      'region',
    ]);
  });
});

describe('eligibilityReason', () => {
  it('explains open, met and failed rules', () => {
    expect(eligibilityReason(rules({}), { posts: [] })).toEqual({ eligible: true, text: 'Open to everyone' });
    expect(eligibilityReason(rules({ bands: ['7'], regionIds: [1] }), { posts: [post()] })).toEqual({
      eligible: true,
      text: 'You meet the rules on your band and your region',
    });
    expect(eligibilityReason(rules({ bands: ['8a'], staffGroups: ['03'] }), { posts: [post()] })).toEqual({
      eligible: false,
      text: 'Not open to you: it does not include your band',
    });
    expect(eligibilityReason(rules({ bands: ['8a'] }), { posts: [] }).eligible).toBe(false);
  });
});
