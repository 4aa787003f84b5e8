import { describe, expect, it } from 'vitest';
import type { EligibilityRules, PersonPost } from './eligibility.ts';
import { type Candidate, type Gap, locationOf, recommend } from './recommend.ts';

const open: EligibilityRules = { bands: [], managementLevels: [], staffGroups: [], organisationIds: [], regionIds: [] };
const candidate = (c: Partial<Candidate> & { id: number }): Candidate => ({
  title: `Programme ${c.id}`,
  level: 'middle',
  format: 'online',
  scope: 'national',
  areaRegionId: null,
  areaIcbId: null,
  areaName: null,
  nextCohortStart: null,
  accredited: false,
  eligibility: open,
  competencyIds: [],
  ...c,
});
const post: PersonPost = { band: '8a', staffGroup: '08', isManager: true, organisationId: 10, regionId: 1 };
const person = { posts: [post], regionIds: [1], icbIds: [5] };
const gap = (competencyId: number, size: number, name = `Competency ${competencyId}`): Gap => ({
  frameworkVersionId: 1,
  competencyId,
  competencyName: name,
  domainName: 'Leading people',
  required: 3,
  achieved: 3 - size,
  gap: size,
});
const today = '2027-01-10';

describe('recommend', () => {
  it('ranks programmes by the size of the gaps they close and says which gaps', () => {
    const recs = recommend(
      [
        candidate({ id: 1, competencyIds: [100] }),
        candidate({ id: 2, competencyIds: [200, 100] }),
        candidate({ id: 3, competencyIds: [300] }),
      ],
      person,
      [gap(100, 1, 'Coaching'), gap(200, 2, 'Budgeting'), gap(300, 0)],
      today,
    );
    expect(recs.map((r) => r.programmeId)).toEqual([2, 1]);
    expect(recs[0].reasons.filter((r) => r.kind === 'gap').map((r) => r.text)).toEqual([
      'Develops Budgeting (Leading people), where you are 2 levels below what your role needs',
      'Develops Coaching (Leading people), where you are 1 level below what your role needs',
    ]);
  });

  it('leaves out programmes the person may not join, and says why the rest are open', () => {
    const recs = recommend(
      [
        candidate({ id: 1, competencyIds: [100], eligibility: { ...open, bands: ['7'] } }),
        candidate({ id: 2, competencyIds: [100], eligibility: { ...open, bands: ['8a'] } }),
      ],
      person,
      [gap(100, 1)],
      today,
    );
    expect(recs.map((r) => r.programmeId)).toEqual([2]);
    expect(recs[0].reasons.find((r) => r.kind === 'eligibility')?.text).toBe('You meet the rules on your band');
  });

  it('keeps face-to-face programmes near the person and prefers their ICB', () => {
    const recs = recommend(
      [
        candidate({ id: 1, competencyIds: [100], format: 'face_to_face', scope: 'regional', areaRegionId: 2 }),
        candidate({
          id: 2,
          competencyIds: [100],
          format: 'face_to_face',
          scope: 'regional',
          areaRegionId: 1,
          areaName: 'North',
        }),
        candidate({
          id: 3,
          competencyIds: [100],
          format: 'face_to_face',
          scope: 'icb',
          areaRegionId: 1,
          areaIcbId: 5,
          areaName: 'Riverside ICB',
        }),
      ],
      person,
      [gap(100, 1)],
      today,
    );
    expect(recs.map((r) => r.programmeId)).toEqual([3, 2]);
    expect(recs[0].reasons.find((r) => r.kind === 'location')?.text).toBe(
      'Run in your integrated care board area (Riverside ICB)',
    );
  });

  it('favours places soon, skips cohorts already started, and notes accreditation', () => {
    const recs = recommend(
      [
        candidate({ id: 1, competencyIds: [100], nextCohortStart: '2027-12-01' }),
        candidate({ id: 2, competencyIds: [100], nextCohortStart: '2027-02-01', accredited: true }),
        candidate({ id: 3, competencyIds: [100], nextCohortStart: '2027-01-01' }),
      ],
      person,
      [gap(100, 1)],
      today,
    );
    expect(recs.map((r) => r.programmeId)).toEqual([2, 1]);
    expect(recs[0].reasons.map((r) => r.kind)).toEqual(['gap', 'eligibility', 'location', 'date', 'accredited']);
    expect(recs[0].reasons.find((r) => r.kind === 'date')?.text).toBe('Next cohort starts 1 February 2027');
  });

  it('without any gaps, suggests programmes at the person’s own level', () => {
    const recs = recommend(
      [candidate({ id: 1, level: 'middle' }), candidate({ id: 2, level: 'board' })],
      person,
      [],
      today,
    );
    expect(recs.map((r) => r.programmeId)).toEqual([1]);
    expect(recs[0].reasons[0]).toEqual({ kind: 'level', text: 'Designed for managers at your level' });
  });
});

describe('locationOf', () => {
  it('describes online, ICB, region and national programmes and rejects others', () => {
    const place = { regionIds: [1], icbIds: [5] };
    expect(locationOf(candidate({ id: 1, format: 'online', scope: 'local', areaRegionId: 9 }), place)?.weight).toBe(2);
    expect(locationOf(candidate({ id: 1, format: 'blended', scope: 'national' }), place)?.text).toBe(
      'A national programme (blended (online and face to face))',
    );
    expect(
      locationOf(candidate({ id: 1, format: 'face_to_face', scope: 'local', areaRegionId: 9 }), place),
    ).toBeUndefined();
  });
});
