import { describe, expect, it } from 'vitest';
import { cycleDateProblems, reminderKind, signAddendum, transition, type WorkflowState } from './appraisals.ts';
import { type AppraisalContent, emptyContent, readContent, signingProblems } from './template.ts';

const at = (status: WorkflowState['status'], signedBy: WorkflowState['signedBy'] = []): WorkflowState => ({
  status,
  signedBy,
});

describe('the appraisal state machine', () => {
  it('walks not started → preparing → meeting held → recorded → locked', () => {
    const prepared = transition(at('not_started'), { type: 'prepare', by: 'appraisee', changed: true });
    expect(prepared).toMatchObject({ ok: true, state: { status: 'preparing' } });
    const met = transition(at('preparing'), { type: 'hold_meeting', by: 'appraiser', changed: true });
    expect(met).toMatchObject({ ok: true, state: { status: 'meeting_held' } });
    const recorded = transition(at('meeting_held'), { type: 'record', by: 'appraiser', changed: true });
    expect(recorded).toMatchObject({ ok: true, state: { status: 'recorded' } });
    const first = transition(at('recorded'), { type: 'sign', by: 'appraisee', problems: 0 });
    expect(first).toMatchObject({ ok: true, locked: false, state: { status: 'recorded', signedBy: ['appraisee'] } });
    const second = transition(at('recorded', ['appraisee']), { type: 'sign', by: 'appraiser', problems: 0 });
    expect(second).toMatchObject({
      ok: true,
      locked: true,
      state: { status: 'locked', signedBy: ['appraisee', 'appraiser'] },
    });
  });

  it('lets each party do only their own steps, in order', () => {
    expect(transition(at('not_started'), { type: 'prepare', by: 'appraiser', changed: true }).ok).toBe(false);
    expect(transition(at('not_started'), { type: 'hold_meeting', by: 'appraiser', changed: true })).toEqual({
      ok: false,
      reason: 'The appraisee has not started preparing yet',
    });
    expect(transition(at('preparing'), { type: 'hold_meeting', by: 'appraisee', changed: true }).ok).toBe(false);
    expect(transition(at('preparing'), { type: 'record', by: 'appraiser', changed: true }).ok).toBe(false);
    expect(transition(at('meeting_held'), { type: 'record', by: 'appraisee', changed: true }).ok).toBe(false);
    expect(transition(at('meeting_held'), { type: 'sign', by: 'appraisee', problems: 0 }).ok).toBe(false);
  });

  it('refuses to sign an incomplete appraisal, or to sign twice', () => {
    expect(transition(at('recorded'), { type: 'sign', by: 'appraiser', problems: 2 })).toEqual({
      ok: false,
      reason: 'The appraisal is not complete yet',
    });
    expect(transition(at('recorded', ['appraiser']), { type: 'sign', by: 'appraiser', problems: 0 })).toEqual({
      ok: false,
      reason: 'You have already signed this appraisal',
    });
  });

  it('withdraws the signature given so far when the content changes, and keeps it when nothing changed', () => {
    const changed = transition(at('recorded', ['appraisee']), { type: 'record', by: 'appraiser', changed: true });
    expect(changed).toMatchObject({ ok: true, withdrawn: ['appraisee'], state: { status: 'recorded', signedBy: [] } });
    const unchanged = transition(at('recorded', ['appraisee']), { type: 'record', by: 'appraiser', changed: false });
    expect(unchanged).toMatchObject({ ok: true, withdrawn: [], state: { signedBy: ['appraisee'] } });
    const prepared = transition(at('recorded', ['appraiser']), { type: 'prepare', by: 'appraisee', changed: true });
    expect(prepared).toMatchObject({ ok: true, withdrawn: ['appraiser'], state: { status: 'recorded' } });
  });

  it('changes nothing once locked', () => {
    for (const e of [
      { type: 'prepare', by: 'appraisee', changed: true },
      { type: 'hold_meeting', by: 'appraiser', changed: true },
      { type: 'record', by: 'appraiser', changed: false },
      { type: 'sign', by: 'appraisee', problems: 0 },
    ] as const) {
      expect(transition(at('locked', ['appraisee', 'appraiser']), e)).toEqual({
        ok: false,
        reason: 'The appraisal is signed and locked: add an addendum to correct it',
      });
    }
  });

  it('locks an addendum when both have signed it', () => {
    expect(signAddendum([], 'appraiser')).toMatchObject({ ok: true, locked: false });
    expect(signAddendum(['appraiser'], 'appraiser').ok).toBe(false);
    expect(signAddendum(['appraiser'], 'appraisee')).toMatchObject({ ok: true, locked: true });
    expect(signAddendum(['appraiser', 'appraisee'], 'appraisee')).toEqual({
      ok: false,
      reason: 'The addendum is locked',
    });
  });
});

describe('the template', () => {
  const domains = [
    { code: 'CSL', title: 'Collaborative and system leadership' },
    { code: 'QI', title: 'Quality improvement' },
  ];
  const smart = {
    title: 'Cut agency spend',
    specific: 'a',
    measurable: 'b',
    achievable: 'c',
    relevant: 'd',
    timeBound: 'e',
  };
  const complete: AppraisalContent = {
    ...emptyContent(),
    objectives: [
      { ...smart, edi: false },
      { ...smart, title: 'Inclusive panels', edi: true },
    ],
    behaviours: { CSL: { value: 3, comment: 'Good' }, QI: { value: 2, comment: 'Growing' } },
  };

  it('is ready to sign with SMART objectives, one on EDI, the meeting, every domain rated and an overall rating', () => {
    expect(signingProblems({ content: complete, overallRating: 'strong', meetingOn: '2026-11-20', domains })).toEqual(
      [],
    );
  });

  it('names what is missing', () => {
    const problems = signingProblems({
      content: {
        ...complete,
        objectives: [{ ...smart, measurable: ' ', edi: false }],
        behaviours: { CSL: { value: 3, comment: '' } },
      },
      overallRating: null,
      meetingOn: null,
      domains,
    });
    expect(problems.map((p) => p.message)).toEqual([
      'Objective 1 is not SMART yet: complete its title and all five SMART fields',
      'Add at least one objective on equality, diversity and inclusion',
      'Record the date of the appraisal meeting',
      'Rate “Collaborative and system leadership” and add a comment',
      'Rate “Quality improvement” and add a comment',
      'Choose an overall rating',
    ]);
    expect(
      signingProblems({ content: emptyContent(), overallRating: 'strong', meetingOn: 'x', domains: [] })[0],
    ).toEqual({
      field: 'objectives',
      message: 'Add at least one objective',
    });
  });

  it('reads stored content defensively', () => {
    expect(readContent(null)).toEqual(emptyContent());
    expect(readContent({ objectives: [{ title: 'T', edi: 'yes' }], plan: ['a', 3] })).toMatchObject({
      objectives: [{ title: 'T', specific: '', edi: false }],
      plan: ['a'],
    });
  });
});

describe('dates', () => {
  it('reminds when overdue or due within 14 days', () => {
    expect(reminderKind('2026-11-25', '2026-11-26')).toBe('overdue');
    expect(reminderKind('2026-11-26', '2026-11-26')).toBe('due_soon');
    expect(reminderKind('2026-12-10', '2026-11-26')).toBe('due_soon');
    expect(reminderKind('2026-12-11', '2026-11-26')).toBeNull();
  });

  it('checks that a cycle’s dates are in order', () => {
    expect(
      cycleDateProblems({
        starts_on: '2026-04-01',
        mid_year_on: '2026-10-01',
        due_on: '2026-06-30',
        ends_on: '2027-03-31',
      }),
    ).toEqual([]);
    expect(
      cycleDateProblems({
        starts_on: '2026-04-01',
        mid_year_on: '2026-03-01',
        due_on: '2027-06-30',
        ends_on: '2026-02-01',
      }).map((p) => p.field),
    ).toEqual(['mid_year_on', 'ends_on', 'due_on']);
  });
});
