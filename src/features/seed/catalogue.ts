import { type ManagerSpec, m, type TeamKind } from './teams.ts';
import type { BandWeights, Group } from './workforce.ts';

// The shape of a synthetic trust by kind of trust: directorates → departments → kinds of team, with weights that are
// shares of the trust's staff.

const medical: BandWeights = { Medical: 1 };

export interface DepartmentSpec {
  name: string;
  weight: number;
  /** Kinds of team, used in turn as the department's teams are created. */
  teams: readonly TeamKind[];
  specialty?: string;
  /** The function noun for corporate titles ('Finance Officer'). */
  noun?: string;
  head: ManagerSpec;
}

export interface DirectorateSpec {
  name: string;
  weight: number;
  director: ManagerSpec;
  /** Small trusts fold corporate directorates into one Corporate Services directorate. */
  corporate: boolean;
  /** The directorate of the chief executive, who is also its director. */
  chiefExecutive?: boolean;
  /** Staff per department when choosing how many departments a trust has (default 250). */
  staffPerDepartment?: number;
  departments: readonly DepartmentSpec[];
}

const matron = m('Matron – {d}', '03', { '8a': 60, '8b': 40 });
const generalManager = m('General Manager – {d}', '08', { '8b': 50, '8c': 35, '8d': 15 });
const head = (group: Group, bands: BandWeights = { '8b': 50, '8c': 35, '8d': 15 }) => m('Head of {d}', group, bands);
const exec = (title: string, group: Group = '08'): ManagerSpec => m(title, group, { VSM: 1 });
const divisional = (title: string): ManagerSpec => m(title, '08', { '8d': 40, '9': 60 });

const d = (
  name: string,
  weight: number,
  teams: readonly TeamKind[],
  headSpec: ManagerSpec,
  extra: Partial<DepartmentSpec> = {},
): DepartmentSpec => ({ name, weight, teams, head: headSpec, ...extra });
const corp = (name: string, noun: string, weight = 1, bands?: BandWeights) =>
  d(name, weight, ['corporate'], head('08', bands), { noun });

const chiefExecutiveOffice: DirectorateSpec = {
  name: "Chief Executive's Office",
  weight: 1.5,
  director: exec('Chief Executive'),
  corporate: true,
  chiefExecutive: true,
  departments: [
    corp('Corporate Governance', 'Governance'),
    corp('Communications and Engagement', 'Communications'),
    corp('Strategy and Partnerships', 'Strategy'),
  ],
};

const commonCorporate: DirectorateSpec[] = [
  {
    name: 'Nursing and Quality',
    weight: 3,
    director: exec('Chief Nurse', '03'),
    corporate: true,
    departments: [
      d('Safeguarding', 1, ['specialist_nursing'], head('03')),
      d('Infection Prevention and Control', 1, ['specialist_nursing'], head('03')),
      corp('Patient Experience', 'Patient Experience'),
      corp('Clinical Education', 'Education'),
    ],
  },
  {
    name: 'Finance',
    weight: 3,
    director: exec('Chief Finance Officer'),
    corporate: true,
    departments: [
      corp('Financial Management', 'Finance', 2),
      corp('Procurement', 'Procurement'),
      corp('Payroll', 'Payroll'),
    ],
  },
  {
    name: 'People',
    weight: 3.5,
    director: exec('Chief People Officer'),
    corporate: true,
    departments: [
      corp('HR Operations', 'HR', 2),
      corp('Organisational Development', 'Learning and Development'),
      corp('Recruitment', 'Recruitment'),
      d('Occupational Health', 1, ['specialist_nursing'], head('03')),
    ],
  },
  {
    name: 'Digital',
    weight: 3.5,
    director: exec('Chief Digital Information Officer'),
    corporate: true,
    departments: [
      corp('IT Services', 'IT', 2),
      corp('Clinical Systems', 'Clinical Systems'),
      corp('Information and Analytics', 'Information'),
    ],
  },
];

const acute: DirectorateSpec[] = [
  chiefExecutiveOffice,
  {
    name: 'Medicine',
    weight: 26,
    director: divisional('Divisional Director of Medicine'),
    corporate: false,
    departments: [
      d('Emergency Department', 3, ['ed', 'ed', 'ed', 'medical'], matron, { specialty: 'Emergency Medicine' }),
      d('Acute Medicine', 2, ['ward', 'ward', 'medical'], matron),
      d('Cardiology', 1.5, ['ward', 'outpatients', 'ward', 'medical'], matron),
      d('Respiratory Medicine', 1.5, ['ward', 'ward', 'medical'], matron),
      d('Gastroenterology', 1, ['ward', 'outpatients', 'medical'], matron),
      d('Care of Older People', 2, ['ward', 'ward', 'ward', 'medical'], matron, { specialty: 'Geriatric Medicine' }),
      d('Stroke', 1, ['ward', 'therapies', 'ward', 'medical'], matron, { specialty: 'Stroke Medicine' }),
      d('Diabetes and Endocrinology', 0.7, ['outpatients', 'outpatients', 'medical'], matron),
    ],
  },
  {
    name: 'Surgery',
    weight: 20,
    director: divisional('Divisional Director of Surgery'),
    corporate: false,
    departments: [
      d('Theatres', 3, ['theatres'], head('03', { '8b': 60, '8c': 40 })),
      d('General Surgery', 2, ['ward', 'ward', 'medical'], matron),
      d('Trauma and Orthopaedics', 2, ['ward', 'ward', 'medical'], matron),
      d('Anaesthetics', 1, ['medical'], m('Clinical Director – {d}', '01', medical)),
      d('Critical Care', 1.5, ['critical'], matron),
      d('Urology', 0.8, ['ward', 'ward', 'medical'], matron),
      d('Ophthalmology', 0.7, ['outpatients', 'outpatients', 'medical'], matron),
    ],
  },
  {
    name: "Women's and Children's",
    weight: 10,
    director: divisional("Divisional Director of Women's and Children's Services"),
    corporate: false,
    departments: [
      d('Maternity', 3, ['maternity'], m('Head of Midwifery', '03', { '8b': 50, '8c': 50 })),
      d('Paediatrics', 2, ['ward', 'ward', 'medical'], matron),
      d('Neonatal Unit', 1, ['critical'], matron, { specialty: 'Neonatology' }),
      d('Gynaecology', 1, ['ward', 'ward', 'medical'], matron, { specialty: 'Obstetrics and Gynaecology' }),
    ],
  },
  {
    name: 'Clinical Support Services',
    weight: 14,
    director: divisional('Divisional Director of Clinical Support Services'),
    corporate: false,
    departments: [
      d('Radiology', 2, ['imaging'], head('04')),
      d('Pathology', 2, ['pathology'], head('06')),
      d('Pharmacy', 2, ['pharmacy'], m('Chief Pharmacist', '05', { '8c': 60, '8d': 40 })),
      d('Therapies', 2, ['therapies'], head('04')),
      d('Oncology and Haematology', 1.2, ['outpatients', 'ward', 'medical'], matron, {
        specialty: 'Clinical Oncology',
      }),
    ],
  },
  {
    name: 'Operations',
    weight: 6,
    director: exec('Chief Operating Officer'),
    corporate: true,
    departments: [
      d('Patient Access', 2, ['patient_access'], generalManager),
      d('Outpatient Services', 1.5, ['patient_access', 'outpatients'], generalManager),
      d('Health Records', 1, ['patient_access'], generalManager),
    ],
  },
  ...commonCorporate,
  {
    name: 'Estates and Facilities',
    weight: 5,
    director: exec('Director of Estates and Facilities'),
    corporate: true,
    departments: [
      d('Facilities', 3, ['facilities'], head('09', { '8a': 50, '8b': 50 })),
      d('Estates', 1, ['estates'], head('09', { '8a': 40, '8b': 60 })),
    ],
  },
  {
    name: "Medical Director's Office",
    weight: 1,
    director: exec('Medical Director', '01'),
    corporate: true,
    departments: [
      d('Medical Education', 1, ['corporate', 'medical'], head('08'), { noun: 'Medical Education' }),
      corp('Research and Development', 'Research'),
    ],
  },
];

const mentalHealthAndCommunity: DirectorateSpec[] = [
  chiefExecutiveOffice,
  {
    name: 'Adult Mental Health',
    weight: 25,
    director: divisional('Director of Adult Mental Health Services'),
    corporate: false,
    departments: [
      d('Acute Inpatient Services', 3, ['mh_ward'], matron),
      d('Community Mental Health', 3, ['mh_community'], generalManager),
      d('Crisis and Home Treatment', 1.5, ['mh_community'], generalManager),
      d('Psychiatric Liaison', 0.8, ['mh_community'], generalManager),
      d('Psychiatry', 1.2, ['medical'], m('Clinical Director – {d}', '01', medical)),
    ],
  },
  {
    name: "Older People's Mental Health",
    weight: 9,
    director: divisional("Director of Older People's Services"),
    corporate: false,
    departments: [
      d('Older Adult Inpatients', 1, ['mh_ward'], matron),
      d('Memory Services', 1, ['mh_community'], generalManager),
    ],
  },
  {
    name: "Children and Young People's Services",
    weight: 12,
    director: divisional("Director of Children and Young People's Services"),
    corporate: false,
    departments: [
      d('CAMHS', 2, ['mh_community', 'psychology'], generalManager, { specialty: 'Child and Adolescent Psychiatry' }),
      d('Health Visiting', 1.5, ['community'], head('03')),
      d('School Nursing', 1, ['community'], head('03')),
    ],
  },
  {
    name: 'Community Health Services',
    weight: 18,
    director: divisional('Director of Community Services'),
    corporate: false,
    departments: [
      d('District Nursing', 3, ['community'], head('03')),
      d('Community Therapies', 1.5, ['community_therapy'], head('04')),
      d('Community Hospitals', 1.5, ['ward', 'medical', 'ward'], matron, { specialty: 'Geriatric Medicine' }),
    ],
  },
  {
    name: 'Specialist Services',
    weight: 8,
    director: divisional('Director of Specialist Services'),
    corporate: false,
    departments: [
      d('Learning Disabilities', 1, ['mh_community'], generalManager),
      d('Forensic Services', 1, ['mh_ward'], matron),
      d('Eating Disorders', 0.6, ['mh_community'], generalManager),
      d('Pharmacy', 0.6, ['pharmacy'], m('Chief Pharmacist', '05', { '8c': 60, '8d': 40 })),
    ],
  },
  {
    name: 'Psychological Services',
    weight: 6,
    director: divisional('Director of Psychological Professions'),
    corporate: false,
    departments: [d('Psychological Therapies', 1, ['psychology'], head('05'))],
  },
  {
    name: 'Operations',
    weight: 5,
    director: exec('Chief Operating Officer'),
    corporate: true,
    departments: [
      d('Patient Access', 1, ['patient_access'], generalManager),
      d('Health Records', 1, ['patient_access'], generalManager),
    ],
  },
  ...commonCorporate,
  {
    name: 'Estates and Facilities',
    weight: 3.5,
    director: exec('Director of Estates and Facilities'),
    corporate: true,
    departments: [
      d('Facilities', 2, ['facilities'], head('09', { '8a': 50, '8b': 50 })),
      d('Estates', 1, ['estates'], head('09', { '8a': 40, '8b': 60 })),
    ],
  },
  {
    name: "Medical Director's Office",
    weight: 1,
    director: exec('Medical Director', '01'),
    corporate: true,
    departments: [corp('Research and Development', 'Research')],
  },
];

const ambulance: DirectorateSpec[] = [
  chiefExecutiveOffice,
  {
    name: 'Emergency Operations Centres',
    weight: 20,
    director: divisional('Director of Integrated Urgent Care'),
    corporate: false,
    departments: [
      d('999 Emergency Operations', 2, ['eoc'], generalManager),
      d('NHS 111', 1.5, ['eoc'], generalManager),
      d('Clinical Hub', 0.6, ['eoc'], head('04')),
    ],
  },
  {
    name: 'Operations',
    weight: 50,
    director: exec('Chief Operating Officer'),
    corporate: false,
    departments: ['North', 'South', 'East', 'West', 'Central'].map((area) =>
      d(`${area} Area`, 1, ['ambulance'], m('Area Operations Manager – {d}', '04', { '8b': 60, '8c': 40 })),
    ),
  },
  {
    name: 'Patient Transport Services',
    weight: 7,
    director: divisional('Director of Patient Transport'),
    corporate: false,
    departments: [d('Patient Transport', 1, ['pts'], generalManager)],
  },
  {
    name: 'Fleet and Estates',
    weight: 6,
    director: exec('Director of Fleet and Estates'),
    corporate: true,
    departments: [
      d('Fleet', 2, ['fleet'], head('09', { '8a': 50, '8b': 50 })),
      d('Estates', 1, ['estates'], head('09', { '8a': 40, '8b': 60 })),
    ],
  },
  {
    name: 'Paramedicine and Clinical Education',
    weight: 3,
    director: exec('Director of Paramedicine', '04'),
    corporate: true,
    departments: [corp('Clinical Education', 'Clinical Education'), corp('Clinical Governance', 'Governance')],
  },
  ...commonCorporate.filter((c) => c.name !== 'Nursing and Quality'),
];

export type TrustKind = 'acute' | 'mental_health_community' | 'ambulance';

export const catalogues: Record<TrustKind, readonly DirectorateSpec[]> = {
  acute,
  mental_health_community: mentalHealthAndCommunity,
  ambulance,
};

/** Small trusts: one Corporate Services directorate holding the corporate directorates as departments. */
export const corporateServices = {
  name: 'Corporate Services',
  director: exec('Director of Corporate Services'),
  departmentHead: head('08'),
};
