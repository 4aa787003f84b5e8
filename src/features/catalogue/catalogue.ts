import type {
  AccreditationStatus,
  ManagementLevel,
  ProgrammeFormat,
  ProgrammeFunding,
  ProgrammeScope,
  ProgrammeStatus,
  ProviderKind,
} from '../../db/schema.ts';

// The catalogue's vocabulary and rules that need no database: labels, the accreditation criteria, what a
// provider may do with a programme in each state, and the dates of accreditation reminders.

export const levels: ManagementLevel[] = ['first_line', 'middle', 'senior', 'executive', 'board'];
export const levelLabels: Record<ManagementLevel, string> = {
  first_line: 'First-line managers',
  middle: 'Middle managers',
  senior: 'Senior managers',
  executive: 'Executives',
  board: 'Board members',
};

export const formats: ProgrammeFormat[] = ['online', 'face_to_face', 'blended'];
export const formatLabels: Record<ProgrammeFormat, string> = {
  online: 'Online',
  face_to_face: 'Face to face',
  blended: 'Blended (online and face to face)',
};

export const fundings: ProgrammeFunding[] = ['none', 'part_funded', 'fully_funded'];
export const fundingLabels: Record<ProgrammeFunding, string> = {
  none: 'Not funded: the employer pays',
  part_funded: 'Part funded',
  fully_funded: 'Fully funded',
};

export const scopes: ProgrammeScope[] = ['national', 'regional', 'icb', 'local'];
export const scopeLabels: Record<ProgrammeScope, string> = {
  national: 'National',
  regional: 'Regional',
  icb: 'Integrated care board',
  local: 'Local (one organisation)',
};

export const providerKinds: ProviderKind[] = [
  'nhs_organisation',
  'academy',
  'university',
  'professional_body',
  'private',
];
export const providerKindLabels: Record<ProviderKind, string> = {
  nhs_organisation: 'NHS organisation',
  academy: 'National leadership academy',
  university: 'University',
  professional_body: 'Professional body',
  private: 'Private provider',
};

export const statusLabels: Record<ProgrammeStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  withdrawn: 'Withdrawn',
};

export const accreditationLabels: Record<AccreditationStatus, string> = {
  none: 'Not accredited',
  submitted: 'Submitted for accreditation',
  changes_requested: 'Changes requested',
  accredited: 'Accredited',
  rejected: 'Not accredited (rejected)',
  expired: 'Accreditation expired',
};

/** Where a lifecycle action may start from. */
export function canPublish(status: ProgrammeStatus): boolean {
  return status === 'draft' || status === 'withdrawn';
}
export function canWithdraw(status: ProgrammeStatus): boolean {
  return status === 'published';
}

/**
 * A programme may be submitted when it is published (reviewers judge what learners see) and has no open
 * submission; an accredited programme may be resubmitted to renew before it expires.
 */
export function submissionRefusal(p: { status: ProgrammeStatus; accreditation_status: AccreditationStatus }) {
  if (p.status !== 'published') return 'Publish the programme before submitting it for accreditation';
  if (p.accreditation_status === 'submitted') return 'The programme is already waiting for a decision';
  return undefined;
}

/** The criteria a reviewer checks, in our own words. Keys are stored with each decision: never rename one. */
export const criteria = [
  {
    key: 'standards_mapping',
    title: 'Mapped to the management standards',
    hint: 'Each competency the programme claims is developed by named sessions or activities.',
  },
  {
    key: 'clear_outcomes',
    title: 'Clear, observable outcomes',
    hint: 'Learning outcomes say what a participant will be able to do at work afterwards.',
  },
  {
    key: 'level_fit',
    title: 'Pitched at the stated level',
    hint: 'Content, pace and expectations suit the management level the programme is for.',
  },
  {
    key: 'assessment',
    title: 'Learning is assessed',
    hint: 'Participants are assessed against the outcomes, not only marked as attending.',
  },
  {
    key: 'workplace_application',
    title: 'Applied in the workplace',
    hint: 'Participants practise in their own service, with a line manager or mentor involved.',
  },
  {
    key: 'inclusion',
    title: 'Inclusive and accessible',
    hint: 'Materials and delivery are accessible, and inclusive leadership runs through the content.',
  },
  {
    key: 'faculty',
    title: 'Qualified faculty',
    hint: 'Facilitators have relevant expertise and current NHS or comparable experience.',
  },
  {
    key: 'evaluation',
    title: 'Evaluated and improved',
    hint: 'Feedback and outcomes are collected for each cohort and used to improve the programme.',
  },
] as const;
export type CriterionKey = (typeof criteria)[number]['key'];

export type Decision = 'accredited' | 'changes_requested' | 'rejected';
export const decisionLabels: Record<Decision, string> = {
  accredited: 'Accredit',
  changes_requested: 'Request changes',
  rejected: 'Reject',
};

/**
 * A decision is consistent with the checklist: accreditation needs every criterion met; a rejection or a
 * request for changes needs at least one criterion not met and a note saying why.
 */
export function decisionProblem(
  decision: Decision,
  met: Record<string, boolean>,
  note: string,
  expiresOn: string | undefined,
  today: string,
): { field: string; message: string } | undefined {
  const unmet = criteria.filter((c) => !met[c.key]);
  if (decision === 'accredited') {
    if (unmet.length)
      return { field: 'criteria', message: `To accredit, every criterion must be met: check “${unmet[0].title}”` };
    if (!expiresOn) return { field: 'expires_on', message: 'Enter the date the accreditation expires' };
    if (expiresOn <= today) return { field: 'expires_on', message: 'The expiry date must be in the future' };
    return undefined;
  }
  if (!unmet.length)
    return {
      field: 'criteria',
      message: 'Every criterion is marked as met: accredit the programme, or untick what is not met',
    };
  if (!note.trim())
    return { field: 'note', message: 'Say what the provider needs to change, or why the programme is rejected' };
  return undefined;
}

/** Reminders before expiry: each is sent once, when the expiry date is this many days away or closer. */
export const reminderDays = { due_90: 90, due_30: 30 } as const;
export type ReminderKind = keyof typeof reminderDays;

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The reminder to send now for an accreditation expiring on `expiresOn`, or none. Only the most urgent unsent one:
 * an accreditation granted 40 days before expiry gets the 90-day reminder at once, then the 30-day one later.
 */
export function reminderDue(expiresOn: string, today: string, sent: ReminderKind[]): ReminderKind | undefined {
  if (expiresOn <= today) return undefined;
  if (!sent.includes('due_30') && expiresOn <= addDays(today, reminderDays.due_30)) return 'due_30';
  if (!sent.includes('due_90') && !sent.includes('due_30') && expiresOn <= addDays(today, reminderDays.due_90)) {
    return 'due_90';
  }
  return undefined;
}

/** Cost filters of the public search: free, funded (fully or partly), or up to an amount in pounds. */
export type CostFilter = { kind: 'free' } | { kind: 'funded' } | { kind: 'max'; pounds: number };

export function parseCost(cost: string | undefined, maxPounds: number | undefined): CostFilter | undefined {
  if (cost === 'free') return { kind: 'free' };
  if (cost === 'funded') return { kind: 'funded' };
  if (cost === 'max' && maxPounds !== undefined) return { kind: 'max', pounds: maxPounds };
  return undefined;
}

export const money = (pounds: number) => (pounds === 0 ? 'Free' : `£${pounds.toLocaleString('en-GB')}`);

/** The outcomes as a list: one a line, blanks dropped. */
export const outcomeLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
