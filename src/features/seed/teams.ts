import type { BandWeights, Group, ProfessionKey } from './workforce.ts';

// Kinds of team and the mix of professions in each. The mixes were tuned so that national staff-group shares come
// out near NHS Digital's published figures (see generate.test.ts and docs/data-generator.md).

export interface ManagerSpec {
  /** `{d}` is the department or directorate name, `{s}` its specialty, `{n}` its function noun. */
  title: string;
  group: Group;
  bands: BandWeights;
}

export interface TeamTemplate {
  mix: Partial<Record<ProfessionKey, number>>;
  manager: ManagerSpec;
  /** Team names, used in turn; `{d}`/`{s}` as above. A number is appended when the list is used up. */
  names: readonly string[];
}

export const m = (title: string, group: Group, bands: BandWeights): ManagerSpec => ({ title, group, bands });
const lead: BandWeights = { '7': 60, '8a': 40 };
const medical: BandWeights = { Medical: 1 };

const wardNames = ['Ash', 'Beech', 'Cedar', 'Elm', 'Hazel', 'Holly', 'Juniper', 'Larch', 'Maple', 'Oak', 'Rowan']
  .concat(['Willow', 'Birch', 'Alder', 'Aspen', 'Hawthorn', 'Lime', 'Poplar', 'Sycamore', 'Yew', 'Chestnut'])
  .map((t) => `${t} Ward`);
const localities = ['North', 'South', 'East', 'West', 'Central', 'Coastal', 'Rural', 'City', 'Valley', 'Moorland']
  .concat(['Riverside', 'Market Towns'])
  .map((l) => `{d} – ${l}`);

export const teamTemplates = {
  ward: {
    mix: { nurse: 52, hca: 44, clerical: 1, physio: 1.5, ot: 1.5 },
    manager: m('Ward Manager', '03', { '7': 85, '8a': 15 }),
    names: wardNames,
  },
  critical: {
    mix: { nurse: 78, hca: 16, clerical: 4, physio: 2 },
    manager: m('Unit Manager – {d}', '03', { '7': 50, '8a': 50 }),
    names: ['{d}'],
  },
  ed: {
    mix: { nurse: 50, hca: 36, clerical: 8, physio: 2, doctor: 4 },
    manager: m('Emergency Department Nurse Manager', '03', lead),
    names: ['Majors', 'Minors', 'Resuscitation', 'Same Day Emergency Care', 'Paediatric Emergency'],
  },
  medical: {
    mix: { doctor: 94, clerical: 6 },
    manager: m('Clinical Lead – {s}', '01', medical),
    names: ['{s} Medical Team'],
  },
  outpatients: {
    mix: { nurse: 32, hca: 40, clerical: 26, physiologist: 2 },
    manager: m('Outpatients Manager', '03', { '7': 80, '8a': 20 }),
    names: ['{d} Outpatients', '{d} Clinics'],
  },
  theatres: {
    mix: { theatre_nurse: 40, odp: 18, hca: 25, theatre_tech: 13, clerical: 4 },
    manager: m('Theatre Manager', '03', lead),
    names: ['Main Theatres', 'Day Surgery Unit', 'Recovery', 'Anaesthetic Team', 'Sterile Services'],
  },
  maternity: {
    mix: { midwife: 60, maternity_support: 33, clerical: 7 },
    manager: m('Midwifery Manager', '03', lead),
    names: ['Labour Ward', 'Birth Centre', 'Antenatal Clinic', 'Postnatal Ward', 'Community Midwifery'],
  },
  therapies: {
    mix: { physio: 34, ot: 28, slt: 9, dietitian: 8, therapy_assistant: 17, clerical: 4 },
    manager: m('Therapy Team Lead', '04', { '7': 45, '8a': 55 }),
    names: ['Physiotherapy', 'Occupational Therapy', 'Speech and Language Therapy', 'Dietetics', 'Musculoskeletal'],
  },
  imaging: {
    mix: { radiographer: 54, imaging_assistant: 22, clerical: 14, physicist: 4, doctor: 6 },
    manager: m('Imaging Services Manager', '04', { '8a': 70, '8b': 30 }),
    names: ['CT', 'MRI', 'Ultrasound', 'Plain Film', 'Interventional Radiology', 'Breast Imaging'],
  },
  pathology: {
    mix: { biomedical_scientist: 34, lab_assistant: 46, clerical: 10, physiologist: 5, doctor: 5 },
    manager: m('Laboratory Manager', '06', { '8a': 70, '8b': 30 }),
    names: ['Blood Sciences', 'Microbiology', 'Cellular Pathology', 'Haematology', 'Blood Transfusion'],
  },
  pharmacy: {
    mix: { pharmacy_staff: 62, pharmacy_assistant: 30, clerical: 8 },
    manager: m('Pharmacy Services Manager', '05', { '8a': 50, '8b': 50 }),
    names: ['Dispensary', 'Clinical Pharmacy', 'Aseptic Services', 'Medicines Information', 'Medicines Procurement'],
  },
  patient_access: {
    mix: { patient_access: 88, clerical: 12 },
    manager: m('Patient Access Manager', '08', { '7': 80, '8a': 20 }),
    names: ['{d} Team', 'Booking and Scheduling', 'Referrals', 'Health Records', 'Reception Services'],
  },
  corporate: {
    mix: { corporate: 94, clerical: 6 },
    manager: m('{n} Manager', '08', lead),
    names: ['{d} Team'],
  },
  specialist_nursing: {
    mix: { nurse: 72, clerical: 20, hca: 8 },
    manager: m('Lead Nurse – {d}', '03', { '8a': 70, '8b': 30 }),
    names: ['{d} Team'],
  },
  facilities: {
    mix: { facilities: 92, clerical: 5, estates_trade: 3 },
    manager: m('Facilities Manager', '09', { '6': 25, '7': 55, '8a': 20 }),
    names: ['Portering', 'Domestic Services', 'Catering', 'Linen Services', 'Security', 'Housekeeping'],
  },
  estates: {
    mix: { estates_trade: 82, corporate: 18 },
    manager: m('Estates Manager', '09', { '7': 60, '8a': 40 }),
    names: ['Maintenance', 'Engineering', 'Capital Projects', 'Energy and Sustainability'],
  },
  mh_ward: {
    mix: { mh_nurse: 42, mh_support: 49, clerical: 4, ot: 4, psychologist: 1 },
    manager: m('Ward Manager', '03', { '7': 85, '8a': 15 }),
    names: wardNames,
  },
  mh_community: {
    mix: { mh_nurse: 34, social_worker: 11, psychologist: 9, ot: 8, mh_support: 23, clerical: 10, doctor: 5 },
    manager: m('Team Manager – {d}', '03', lead),
    names: localities,
  },
  psychology: {
    mix: { psychologist: 84, clerical: 16 },
    manager: m('Psychological Services Lead', '05', { '8a': 40, '8b': 60 }),
    names: ['{d} – Adults', '{d} – Children and Families', '{d} – Older Adults', '{d} – Talking Therapies'],
  },
  community: {
    mix: { community_nurse: 55, hca: 28, physio: 5, ot: 5, clerical: 7 },
    manager: m('Community Team Leader', '03', { '7': 85, '8a': 15 }),
    names: localities,
  },
  community_therapy: {
    mix: { physio: 34, ot: 34, slt: 10, dietitian: 6, therapy_assistant: 12, clerical: 4 },
    manager: m('Community Therapy Lead', '04', lead),
    names: localities,
  },
  eoc: {
    mix: { call_handler: 64, clinical_advisor: 9, paramedic: 12, clerical: 15 },
    manager: m('Emergency Operations Centre Manager', '08', lead),
    names: ['{d} – Watch A', '{d} – Watch B', '{d} – Watch C', '{d} – Watch D'],
  },
  ambulance: {
    mix: { paramedic: 55, ambulance_support: 42, clerical: 3 },
    manager: m('Ambulance Station Manager', '04', { '7': 70, '8a': 30 }),
    names: ['{d} – Station 1'],
  },
  pts: {
    mix: { pts_crew: 88, clerical: 12 },
    manager: m('Patient Transport Manager', '08', { '6': 30, '7': 70 }),
    names: localities,
  },
  fleet: {
    mix: { fleet: 80, corporate: 20 },
    manager: m('Fleet Manager', '09', lead),
    names: ['Fleet Workshop', 'Make Ready', 'Vehicle Maintenance'],
  },
} as const satisfies Record<string, TeamTemplate>;

export type TeamKind = keyof typeof teamTemplates;
