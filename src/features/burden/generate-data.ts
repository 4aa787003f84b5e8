import type { RequestingBody, ReturnFrequency } from '../../db/schema.ts';
import { Random } from '../seed/random.ts';

/**
 * The synthetic register the data generator loads: about 300 national returns named like real NHS collections,
 * whose data items overlap the way real ones do (the same measure asked for by several returns, often under a
 * slightly different name), plus ICB and local requests. Pure and deterministic for a seed.
 */

// Measures asked for across many topics, each with the spellings different collections use.
const common: string[][] = [
  ['Number of staff in post', 'Staff in post (headcount)', 'Staff in post headcount'],
  ['Staff in post (WTE)', 'Whole time equivalent staff in post'],
  ['Vacancies (WTE)', 'Vacancy WTE', 'Number of vacancies'],
  ['Sickness absence rate', 'Sickness absence rate (%)'],
  ['Agency spend', 'Agency staff spend'],
  ['Bank spend', 'Bank staff spend'],
  ['Number of beds open', 'Beds open (general and acute)'],
  ['Total occupied bed days', 'Occupied bed days'],
  ['Number of complaints received', 'Complaints received'],
  ['Patient safety incidents reported', 'Number of patient safety incidents'],
];

// Topics: the name stem of their returns and the measures only they ask for.
const topics: { name: string; body: RequestingBody; items: string[] }[] = [
  {
    name: 'Workforce',
    body: 'nhse_national',
    items: ['Starters', 'Leavers', 'Turnover rate', 'Staff in post by staff group', 'Temporary staffing fill rate'],
  },
  {
    name: 'Elective recovery',
    body: 'nhse_national',
    items: [
      'Patients waiting over 52 weeks',
      'Patients waiting more than 65 weeks',
      'Elective ordinary admissions',
      'Day case admissions',
      'Outpatient first attendances',
    ],
  },
  {
    name: 'Cancer waiting times',
    body: 'nhse_national',
    items: [
      'Cancer 62 day performance',
      'Cancer 31 day performance',
      'Faster diagnosis standard performance',
      'Urgent suspected cancer referrals',
    ],
  },
  {
    name: 'Diagnostics waiting times',
    body: 'nhse_national',
    items: [
      'Diagnostic tests waiting over 6 weeks',
      'Diagnostic tests performed',
      'MRI scans performed',
      'CT scans performed',
    ],
  },
  {
    name: 'Urgent and emergency care',
    body: 'nhse_national',
    items: ['A&E attendances', 'A&E attendances over 4 hours', 'Emergency admissions', '12 hour trolley waits'],
  },
  {
    name: 'Ambulance handover',
    body: 'nhse_national',
    items: ['Ambulance handovers over 30 minutes', 'Ambulance handovers over 60 minutes', 'Ambulance arrivals'],
  },
  {
    name: 'Discharge',
    body: 'dhsc',
    items: [
      'Patients no longer meeting criteria to reside',
      'Patients discharged by 5pm',
      'Delayed discharges',
      'Discharges to usual place of residence',
    ],
  },
  {
    name: 'Critical care capacity',
    body: 'nhse_national',
    items: ['Adult critical care beds open', 'Adult critical care beds occupied', 'Critical care transfers'],
  },
  {
    name: 'Mental health services',
    body: 'nhse_national',
    items: [
      'Out of area placements',
      'Mental health bed occupancy',
      'Early intervention in psychosis waiting times',
      'Talking therapies referrals',
    ],
  },
  {
    name: 'Community services',
    body: 'nhse_national',
    items: [
      'Community waiting list',
      'Virtual ward capacity',
      'Virtual ward occupancy',
      '2 hour urgent community response',
    ],
  },
  {
    name: 'Maternity',
    body: 'nhse_national',
    items: ['Births', 'Midwife to birth ratio', 'Stillbirths', 'Maternity unit closures'],
  },
  {
    name: 'Infection prevention',
    body: 'nhse_national',
    items: ['MRSA bacteraemia cases', 'C. difficile cases', 'E. coli bacteraemia cases', 'Hand hygiene compliance'],
  },
  {
    name: 'Safeguarding',
    body: 'cqc',
    items: ['Safeguarding referrals', 'Safeguarding training compliance', 'Deprivation of liberty applications'],
  },
  {
    name: 'Finance',
    body: 'nhse_national',
    items: ['Income and expenditure position', 'Cash balance', 'Efficiency savings delivered', 'Capital expenditure'],
  },
  {
    name: 'Estates',
    body: 'nhse_national',
    items: ['Backlog maintenance cost', 'Gross internal floor area', 'Energy consumption', 'Estates running costs'],
  },
  {
    name: 'Vaccination',
    body: 'dhsc',
    items: ['Staff flu vaccinations given', 'Frontline staff flu vaccination uptake', 'COVID-19 vaccinations given'],
  },
  {
    name: 'Clinical negligence',
    body: 'nhs_resolution',
    items: ['Claims received', 'Incidents reported to the scheme', 'Maternity incentive scheme compliance'],
  },
  {
    name: 'Patient experience',
    body: 'cqc',
    items: [
      'Friends and Family Test responses',
      'Friends and Family Test positive score',
      'Complaints responded to within target',
    ],
  },
  {
    name: 'Freedom to speak up',
    body: 'other',
    items: ['Speaking up cases raised', 'Speaking up cases with an element of bullying'],
  },
  {
    name: 'Data security',
    body: 'nhse_national',
    items: ['Data security training compliance', 'Data breaches reported', 'Cyber security incidents'],
  },
  {
    name: 'Learning disability',
    body: 'nhse_national',
    items: ['Inpatients with a learning disability or autism', 'Care and treatment reviews completed'],
  },
  {
    name: 'Children and young people',
    body: 'nhse_national',
    items: ['Children and young people mental health referrals', 'Paediatric waiting list'],
  },
  {
    name: 'Medical education',
    body: 'royal_college',
    items: ['Training posts filled', 'Trainee rota gaps', 'Exception reports'],
  },
  {
    name: 'Nursing establishment',
    body: 'nhse_national',
    items: ['Registered nurse fill rate (day)', 'Registered nurse fill rate (night)', 'Care hours per patient day'],
  },
  {
    name: 'Equality',
    body: 'nhse_national',
    items: ['Staff by ethnicity', 'Board members by ethnicity', 'Disabled staff'],
  },
  {
    name: 'Public health',
    body: 'local_authority',
    items: ['Smoking at time of delivery', 'Alcohol related admissions', 'NHS health checks offered'],
  },
];

const kinds: { suffix: string; frequency: ReturnFrequency }[] = [
  { suffix: 'monthly return', frequency: 'monthly' },
  { suffix: 'weekly situation report', frequency: 'weekly' },
  { suffix: 'quarterly return', frequency: 'quarterly' },
  { suffix: 'annual census', frequency: 'annual' },
  { suffix: 'assurance return', frequency: 'quarterly' },
  { suffix: 'data collection', frequency: 'monthly' },
  { suffix: 'deep dive', frequency: 'ad_hoc' },
  { suffix: 'benchmarking return', frequency: 'annual' },
  { suffix: 'daily position (weekly submission)', frequency: 'weekly' },
  { suffix: 'activity return', frequency: 'monthly' },
  { suffix: 'planning submission', frequency: 'annual' },
  { suffix: 'improvement tracker', frequency: 'monthly' },
];

export interface SyntheticReturn {
  name: string;
  requestingBody: RequestingBody;
  legalBasis: string;
  mandatory: boolean;
  approvalRef: string | null;
  frequency: ReturnFrequency;
  adHocCycles: number | null;
  deadlineRule: string;
  submissionRoute: string;
  startDate: string;
  sunsetDate: string | null;
  items: string[];
}

const deadlines: Record<ReturnFrequency, string> = {
  weekly: 'Thursday noon each week',
  monthly: '15th working day after the end of the month',
  quarterly: '25th working day after the end of the quarter',
  annual: '30 June each year',
  ad_hoc: 'As requested, usually within 10 working days',
};

function itemsFor(r: Random, topic: (typeof topics)[number]): string[] {
  const own = topic.items.filter(() => r.chance(0.7));
  if (own.length === 0) own.push(topic.items[0]!);
  const shared = common
    .filter(() => r.chance(0.22))
    .map((spellings) => (r.chance(0.6) ? spellings[0]! : r.pick(spellings)));
  // Near-duplicates of a topic's own measures, as a collection that copied and reworded another would ask.
  const countable = (i: string) => /s$/.test(i) && !/(performance|compliance)$/i.test(i);
  const lower = (i: string) => (/^[A-Z][A-Z0-9]/.test(i) ? i : `${i.charAt(0).toLowerCase()}${i.slice(1)}`);
  const reworded = own.filter((i) => countable(i) && r.chance(0.15)).map((i) => `Number of ${lower(i)}`);
  return [...new Set([...own, ...shared, ...reworded])];
}

function returnOf(
  r: Random,
  name: string,
  topic: (typeof topics)[number],
  kind: (typeof kinds)[number],
  today: string,
): SyntheticReturn {
  const startYear = 2012 + r.int(0, 12);
  const pastSunset = r.chance(0.08);
  const sunsetYear = Number(today.slice(0, 4)) - (pastSunset ? r.int(0, 2) : -r.int(1, 3));
  return {
    name,
    requestingBody: r.chance(0.85) ? topic.body : r.pick(['nhse_national', 'dhsc', 'cqc', 'other'] as const),
    legalBasis: r.chance(0.75)
      ? 'Health and Social Care Act 2012, s.259 (direction)'
      : r.chance(0.5)
        ? 'NHS Standard Contract'
        : 'None stated',
    mandatory: r.chance(0.8),
    approvalRef: r.chance(0.72) ? `DAPB${String(r.int(1, 4999)).padStart(4, '0')}` : null,
    frequency: kind.frequency,
    adHocCycles: kind.frequency === 'ad_hoc' ? r.int(1, 6) : null,
    deadlineRule: deadlines[kind.frequency],
    submissionRoute: r.pick([
      'Strategic Data Collection Service (SDCS)',
      'NHS England data collection portal',
      'Email to the requesting team',
      'Online form',
    ]),
    startDate: `${startYear}-04-01`,
    sunsetDate: pastSunset || r.chance(0.1) ? `${Math.max(sunsetYear, startYear + 1)}-03-31` : null,
    items: itemsFor(r, topic),
  };
}

/** About `count` national returns: every topic with several kinds of collection, in a seeded order. */
export function nationalReturns(seed: number, today: string, count = 300): SyntheticReturn[] {
  const r = new Random('burden-register', seed);
  const out: SyntheticReturn[] = [];
  for (const kind of kinds) {
    for (const topic of topics) {
      if (out.length >= count) break;
      out.push(returnOf(r, `${topic.name} ${kind.suffix}`, topic, kind, today));
    }
  }
  return out;
}

/** An ICB's or an organisation's own requests: some copy a national return's items outright, some add a few. */
export function localReturns(
  seed: number,
  area: string,
  national: readonly SyntheticReturn[],
  count: number,
  today: string,
): SyntheticReturn[] {
  const r = new Random('burden-local', seed, area);
  const out: SyntheticReturn[] = [];
  for (let i = 0; i < count; i++) {
    const copy = r.pick(national);
    const topic = topics.find((t) => copy.name.startsWith(t.name)) ?? topics[0]!;
    const base = returnOf(
      r,
      `${area} ${topic.name.toLowerCase()} ${r.pick(['tracker', 'flash report', 'dashboard return', 'assurance template'])}`,
      topic,
      r.pick(kinds.slice(0, 6)),
      today,
    );
    out.push({
      ...base,
      requestingBody: 'icb',
      approvalRef: null,
      legalBasis: 'None stated',
      mandatory: r.chance(0.4),
      // Half ask again for items the national return already collects (the "duplicates a national return" flag).
      items: r.chance(0.5) ? copy.items.slice(0, r.int(1, Math.min(4, copy.items.length))) : base.items,
    });
  }
  return out;
}
