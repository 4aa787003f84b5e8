import type { Band } from '../../db/schema.ts';

// Professions, their Agenda for Change bands and position titles. Shares are approximate, shaped on NHS Digital's
// NHS Workforce Statistics (staff group and band breakdowns) and NHS Employers' national job profiles; see
// docs/data-generator.md. Each team template below mixes professions, so staff-group shares emerge from the mix.

/** ESR staff group codes (NHS Data Dictionary). */
export type Group = '01' | '03' | '04' | '05' | '06' | '07' | '08' | '09';

export type BandWeights = Partial<Record<Band, number>>;

export interface Profession {
  group: Group;
  bands: BandWeights;
  /** Titles per band; `{s}` is the department's specialty, `{n}` its function noun. */
  titles: Partial<Record<Band, readonly string[]>>;
}

const afc = (b5: string, b6: string, b7: string, b8a: string): Profession['titles'] => ({
  '5': [b5],
  '6': [b6],
  '7': [b7],
  '8a': [b8a],
});
const ahp = (name: string): Profession => ({
  group: '04',
  bands: { '5': 22, '6': 43, '7': 28, '8a': 7 },
  titles: afc(name, `Senior ${name}`, `Highly Specialist ${name}`, `Consultant ${name}`),
});

export const professions = {
  nurse: {
    group: '03',
    bands: { '5': 42, '6': 38, '7': 16, '8a': 4 },
    titles: {
      '5': ['Staff Nurse'],
      '6': ['Senior Staff Nurse', 'Deputy Sister', 'Charge Nurse'],
      '7': ['Clinical Nurse Specialist', 'Practice Educator'],
      '8a': ['Advanced Nurse Practitioner', 'Nurse Consultant'],
    },
  },
  midwife: {
    group: '03',
    bands: { '5': 20, '6': 60, '7': 17, '8a': 3 },
    titles: afc('Midwife (preceptorship)', 'Midwife', 'Senior Midwife', 'Consultant Midwife'),
  },
  mh_nurse: {
    group: '03',
    bands: { '5': 38, '6': 40, '7': 18, '8a': 4 },
    titles: {
      '5': ['Mental Health Nurse', 'Learning Disability Nurse'],
      '6': ['Senior Mental Health Nurse', 'Community Psychiatric Nurse'],
      '7': ['Clinical Nurse Specialist (Mental Health)'],
      '8a': ['Advanced Clinical Practitioner', 'Nurse Consultant'],
    },
  },
  community_nurse: {
    group: '03',
    bands: { '5': 35, '6': 40, '7': 20, '8a': 5 },
    titles: {
      '5': ['Community Staff Nurse'],
      '6': ['District Nurse', 'Health Visitor', 'School Nurse'],
      '7': ['Community Nurse Specialist', 'Community Matron'],
      '8a': ['Advanced Nurse Practitioner'],
    },
  },
  theatre_nurse: {
    group: '03',
    bands: { '5': 40, '6': 40, '7': 20 },
    titles: { '5': ['Theatre Staff Nurse'], '6': ['Senior Theatre Nurse'], '7': ['Theatre Practitioner Specialist'] },
  },
  clinical_advisor: {
    group: '03',
    bands: { '6': 70, '7': 30 },
    titles: { '6': ['Clinical Advisor'], '7': ['Senior Clinical Advisor'] },
  },
  hca: {
    group: '07',
    bands: { '2': 25, '3': 55, '4': 20 },
    titles: {
      '2': ['Healthcare Assistant'],
      '3': ['Healthcare Support Worker', 'Senior Healthcare Assistant'],
      '4': ['Assistant Practitioner', 'Nursing Associate'],
    },
  },
  mh_support: {
    group: '07',
    bands: { '3': 75, '4': 25 },
    titles: {
      '3': ['Support Worker', 'Mental Health Support Worker'],
      '4': ['Senior Support Worker', 'Peer Support Worker'],
    },
  },
  maternity_support: {
    group: '07',
    bands: { '2': 20, '3': 65, '4': 15 },
    titles: {
      '2': ['Maternity Care Assistant'],
      '3': ['Maternity Support Worker'],
      '4': ['Assistant Practitioner (Maternity)'],
    },
  },
  therapy_assistant: {
    group: '07',
    bands: { '3': 60, '4': 40 },
    titles: { '3': ['Therapy Assistant', 'Rehabilitation Assistant'], '4': ['Senior Therapy Assistant'] },
  },
  pharmacy_assistant: {
    group: '07',
    bands: { '2': 40, '3': 60 },
    titles: { '2': ['Pharmacy Assistant'], '3': ['Senior Pharmacy Assistant'] },
  },
  lab_assistant: {
    group: '07',
    bands: { '2': 35, '3': 45, '4': 20 },
    titles: {
      '2': ['Laboratory Assistant'],
      '3': ['Medical Laboratory Assistant'],
      '4': ['Associate Practitioner (Pathology)'],
    },
  },
  imaging_assistant: {
    group: '07',
    bands: { '2': 30, '3': 45, '4': 25 },
    titles: {
      '2': ['Imaging Department Assistant'],
      '3': ['Radiology Department Assistant'],
      '4': ['Assistant Practitioner (Imaging)'],
    },
  },
  ambulance_support: {
    group: '07',
    bands: { '3': 45, '4': 55 },
    titles: { '3': ['Emergency Care Assistant'], '4': ['Ambulance Technician', 'Associate Ambulance Practitioner'] },
  },
  call_handler: {
    group: '07',
    bands: { '3': 75, '4': 25 },
    titles: {
      '3': ['Emergency Medical Dispatcher', 'NHS 111 Health Advisor'],
      '4': ['Senior Emergency Medical Dispatcher'],
    },
  },
  pts_crew: {
    group: '07',
    bands: { '2': 45, '3': 55 },
    titles: { '2': ['Patient Transport Driver'], '3': ['Ambulance Care Assistant'] },
  },
  clerical: {
    group: '08',
    bands: { '2': 35, '3': 40, '4': 22, '5': 3 },
    titles: {
      '2': ['Ward Clerk', 'Receptionist'],
      '3': ['Administrator', 'Ward Administrator', 'Booking Clerk'],
      '4': ['Medical Secretary', 'Senior Administrator'],
      '5': ['Service Coordinator'],
    },
  },
  patient_access: {
    group: '08',
    bands: { '2': 30, '3': 40, '4': 25, '5': 5 },
    titles: {
      '2': ['Patient Access Clerk', 'Receptionist'],
      '3': ['Booking Coordinator', 'Medical Records Clerk'],
      '4': ['Patient Pathway Coordinator', 'Medical Secretary'],
      '5': ['Patient Access Officer'],
    },
  },
  corporate: {
    group: '08',
    bands: { '2': 10, '3': 20, '4': 20, '5': 19, '6': 14, '7': 11, '8a': 6 },
    titles: {
      '2': ['{n} Assistant'],
      '3': ['{n} Administrator'],
      '4': ['Senior {n} Administrator'],
      '5': ['{n} Officer'],
      '6': ['Senior {n} Officer', '{n} Analyst'],
      '7': ['{n} Business Partner', '{n} Lead'],
      '8a': ['Principal {n} Lead'],
    },
  },
  doctor: {
    group: '01',
    bands: { Medical: 1 },
    // Grades rather than bands; drawn by weight in `medicalTitle`.
    titles: { Medical: [] },
  },
  physio: ahp('Physiotherapist'),
  ot: ahp('Occupational Therapist'),
  slt: ahp('Speech and Language Therapist'),
  dietitian: ahp('Dietitian'),
  radiographer: ahp('Radiographer'),
  odp: {
    group: '04',
    bands: { '5': 45, '6': 40, '7': 15 },
    titles: {
      '5': ['Operating Department Practitioner'],
      '6': ['Senior Operating Department Practitioner'],
      '7': ['Lead Operating Department Practitioner'],
    },
  },
  paramedic: {
    group: '04',
    bands: { '5': 30, '6': 50, '7': 17, '8a': 3 },
    titles: afc('Newly Qualified Paramedic', 'Paramedic', 'Specialist Paramedic', 'Consultant Paramedic'),
  },
  pharmacy_staff: {
    group: '05',
    bands: { '4': 10, '5': 25, '6': 20, '7': 28, '8a': 12, '8b': 5 },
    titles: {
      '4': ['Trainee Pharmacy Technician'],
      '5': ['Pharmacy Technician'],
      '6': ['Pharmacist'],
      '7': ['Specialist Pharmacist'],
      '8a': ['Advanced Pharmacist'],
      '8b': ['Consultant Pharmacist'],
    },
  },
  psychologist: {
    group: '05',
    bands: { '4': 20, '5': 10, '6': 10, '7': 25, '8a': 25, '8b': 10 },
    titles: {
      '4': ['Assistant Psychologist'],
      '5': ['Psychological Wellbeing Practitioner'],
      '6': ['Trainee Clinical Psychologist'],
      '7': ['Clinical Psychologist', 'Cognitive Behavioural Therapist'],
      '8a': ['Senior Clinical Psychologist'],
      '8b': ['Principal Clinical Psychologist'],
    },
  },
  social_worker: {
    group: '05',
    bands: { '6': 65, '7': 35 },
    titles: { '6': ['Social Worker'], '7': ['Senior Social Worker', 'Approved Mental Health Professional'] },
  },
  theatre_tech: {
    group: '05',
    bands: { '3': 35, '4': 40, '5': 25 },
    titles: {
      '3': ['Sterile Services Technician'],
      '4': ['Senior Sterile Services Technician'],
      '5': ['Decontamination Lead Technician'],
    },
  },
  biomedical_scientist: {
    group: '06',
    bands: { '5': 25, '6': 40, '7': 25, '8a': 10 },
    titles: afc(
      'Trainee Biomedical Scientist',
      'Biomedical Scientist',
      'Specialist Biomedical Scientist',
      'Lead Biomedical Scientist',
    ),
  },
  physiologist: {
    group: '06',
    bands: { '5': 30, '6': 40, '7': 25, '8a': 5 },
    titles: afc(
      'Cardiac Physiologist',
      'Senior Cardiac Physiologist',
      'Chief Cardiac Physiologist',
      'Clinical Scientist',
    ),
  },
  physicist: {
    group: '06',
    bands: { '6': 30, '7': 45, '8a': 25 },
    titles: {
      '6': ['Trainee Clinical Scientist'],
      '7': ['Clinical Scientist (Medical Physics)'],
      '8a': ['Principal Clinical Scientist'],
    },
  },
  facilities: {
    group: '09',
    bands: { '2': 70, '3': 22, '4': 8 },
    titles: {
      '2': ['Domestic Assistant', 'Porter', 'Catering Assistant', 'Linen Assistant'],
      '3': ['Senior Porter', 'Ward Housekeeper', 'Cook', 'Security Officer'],
      '4': ['Facilities Supervisor', 'Chef'],
    },
  },
  estates_trade: {
    group: '09',
    bands: { '3': 20, '4': 45, '5': 25, '6': 10 },
    titles: {
      '3': ['Estates Assistant'],
      '4': ['Electrician', 'Plumber', 'Carpenter', 'Maintenance Technician'],
      '5': ['Estates Technician'],
      '6': ['Estates Officer', 'Building Services Engineer'],
    },
  },
  fleet: {
    group: '09',
    bands: { '2': 35, '4': 45, '5': 20 },
    titles: { '2': ['Vehicle Preparation Operative'], '4': ['Fleet Technician'], '5': ['Senior Fleet Technician'] },
  },
} as const satisfies Record<string, Profession>;

export type ProfessionKey = keyof typeof professions;

/** Medical grades and their approximate shares of doctors in trusts (NHS Digital, medical staff by grade). */
export const medicalGrades = {
  'Consultant in {s}': 42,
  'Specialty Doctor in {s}': 10,
  'Specialist in {s}': 3,
  'Specialty Registrar in {s}': 23,
  'Core Trainee in {s}': 10,
  'Foundation Year 2 Doctor': 6,
  'Foundation Year 1 Doctor': 6,
} as const;

/** Approximate shares of the NHS trust workforce by staff group (NHS Digital workforce statistics, headcount). */
export const nationalGroupShares: Record<Group, number> = {
  '03': 27,
  '07': 23,
  '08': 23,
  '01': 10,
  '04': 7,
  '05': 5,
  '09': 4,
  '06': 1,
};
