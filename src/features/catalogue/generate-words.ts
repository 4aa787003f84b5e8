// Our own word lists for synthetic providers and programmes (no real provider or programme names).

export const universityPlaces = [
  'Northmoor',
  'Eastbridge',
  'Westhaven',
  'Southvale',
  'Kingsford',
  'Ashcombe',
  'Bramley Cross',
  'Dunmere',
  'Fairhollow',
  'Greystone',
  'Harrowfield',
  'Ivybridge Vale',
  'Juniper Bay',
  'Kestrel Downs',
  'Larkmoor',
  'Millbrook',
  'Norhaven',
  'Oakenshaw',
  'Pendlemere',
  'Queensmead',
  'Riverstone',
  'Stonebury',
];

export const professionalBodies = [
  'Society of Health Service Managers',
  'College of Clinical Leadership',
  'Association of Healthcare Finance Leaders',
  'Institute for Quality and Improvement Practice',
  'Guild of Operational Managers in Health',
  'Forum for Inclusive Leadership in Care',
];

export const privateProviders = [
  'Brightpath Leadership Ltd',
  'Cedar and Stone Consulting',
  'Northlight Learning',
  'Meridian Management Development',
  'Harbour Coaching Partners',
  'Keystone People Development',
  'Lanternfield Training',
  'Open Door Leadership',
  'Tidewater Learning Company',
  'Summit Health Education',
];

export const prefixes = [
  'Foundations of',
  'Essentials of',
  'Practical',
  'Applied',
  'Introduction to',
  'Masterclass in',
  'Certificate in',
  'Diploma in',
  'Leading with',
  'Developing',
  'Advanced',
  'Skills for',
];

export const topics = [
  'Quality Improvement',
  'Coaching Conversations',
  'Financial Management',
  'Systems Leadership',
  'Inclusive Leadership',
  'Strategic Planning',
  'Workforce Planning',
  'Data-informed Decisions',
  'Change Management',
  'Governance and Assurance',
  'Compassionate Leadership',
  'Partnership Working',
  'Managing Performance',
  'Project Delivery',
  'Patient Safety Leadership',
  'Digital Transformation',
  'Board Effectiveness',
  'Resilience and Wellbeing',
  'Operational Management',
  'Population Health',
  'Team Development',
  'Difficult Conversations',
  'Commissioning',
  'Service Redesign',
];

export const audiences = {
  first_line: 'for First-line Managers',
  middle: 'for Middle Managers',
  senior: 'for Senior Leaders',
  executive: 'for Executives',
  board: 'for Board Members',
};

export const summaryOpeners = [
  'A cohort-based programme on',
  'A practical course in',
  'An action-learning programme about',
  'A short, work-based course on',
  'A modular programme covering',
];

export const summaryClosers = [
  'Participants work on a live challenge from their own service.',
  'Each module ends with a reflective exercise and peer discussion.',
  'Sessions mix short inputs, case studies and coaching in small groups.',
  'Learners keep a portfolio that their line manager reviews.',
  'Includes a 360 feedback exercise and a personal development plan.',
];

export const outcomes = [
  'Explain the purpose of the change to your team and hear their concerns',
  'Use run charts to tell improvement from random variation',
  'Hold a coaching conversation that leaves the other person with the next step',
  'Build and defend a budget for your service',
  'Lead a meeting with partners from outside your organisation',
  'Recognise and address bias in recruitment and appraisal decisions',
  'Set clear objectives and review them fairly',
  'Plan a project with milestones, risks and owners',
  'Report risks to a board in a way that supports decisions',
  'Look after your own wellbeing and your team’s under pressure',
  'Use data on demand and capacity to plan staffing',
  'Involve patients and carers in redesigning a service',
];
