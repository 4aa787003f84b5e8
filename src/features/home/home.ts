import type { Permission } from '../../plugins/access.ts';

export interface HomeCard {
  href: string;
  heading: string;
  description: string;
  permission: Permission;
}

/**
 * What the home page offers, by capability. A card shows only when the viewer may use it, and only
 * capabilities that exist are listed: no placeholders.
 */
export const homeCards: HomeCard[] = [
  {
    href: '/account',
    heading: 'Your account',
    description: 'Your details, your roles, API tokens and signing out of every device.',
    permission: { action: 'signed-in' },
  },
  {
    href: '/organisations',
    heading: 'Organisations',
    description: 'Browse NHS regions, integrated care boards, trusts and their teams, or search by name or ODS code.',
    permission: { action: 'organisations:browse' },
  },
  {
    href: '/people',
    heading: 'People',
    description: 'Find the people you are responsible for and see their roles and reporting lines.',
    permission: { action: 'people:search' },
  },
  {
    href: '/me/development',
    heading: 'Your development',
    description:
      'Self-assessment, 360 feedback, appraisals, your development plan and learning record, and programmes for you.',
    permission: { action: 'development:own' },
  },
  {
    href: '/catalogue',
    heading: 'Training and development',
    description: 'National, regional and local programmes for managers and leaders, and which are accredited.',
    permission: { action: 'signed-in' },
  },
  {
    href: '/catalogue/manage',
    heading: 'Your programmes',
    description: 'Publish programmes and cohorts, submit them for accreditation, record attendance and completions.',
    permission: { action: 'catalogue:author' },
  },
  {
    href: '/catalogue/reviews',
    heading: 'Accreditation reviews',
    description: 'Programmes submitted for accreditation against the management standards, waiting for a decision.',
    permission: { action: 'catalogue:review-any' },
  },
  {
    href: '/cohorts/supply',
    heading: 'Development supply and demand',
    description: 'Places per 100 managers, waits and unmet demand by area, staff group, level and competency domain.',
    permission: { action: 'cohorts:supply-any' },
  },
  {
    href: '/learning/equity',
    heading: 'Equity of access to development',
    description: 'Who takes up development by band and protected characteristic, with the WRES and WDES lens.',
    permission: { action: 'learning:equity-any' },
  },
  {
    href: '/frameworks',
    heading: 'Competency frameworks',
    description: 'The management and leadership standards, their versions, rating scales and required levels.',
    permission: { action: 'frameworks:read' },
  },
  {
    href: '/burden',
    heading: 'Reporting requirements',
    description:
      'The register of upward reporting requirements, the hours and cost they take, and the overlaps between them.',
    permission: { action: 'burden:view' },
  },
  {
    href: '/pulse',
    heading: 'Time-use pulse',
    description: 'Managers: say in under two minutes how you spent last week. Everyone: see the results as averages.',
    permission: { action: 'pulse:results' },
  },
  {
    href: '/priorities',
    heading: 'Competing priorities and reorganisations',
    description:
      'Priorities placed on teams and managers, where they overlap or conflict, and how often units are restructured.',
    permission: { action: 'workload:aggregates' },
  },
  {
    href: '/admin/audit',
    heading: 'Audit log',
    description: 'Who signed in, who changed what, and who looked at whose record.',
    permission: { action: 'audit:read' },
  },
  {
    href: '/admin/outbox',
    heading: 'Mail outbox',
    description: 'Messages the service has sent or would send (when no mail server is configured).',
    permission: { action: 'outbox:read' },
  },
  {
    href: '/account/tokens',
    heading: 'API tokens',
    description: 'Create and revoke personal tokens for scripts and other systems to use the Leadwell API.',
    permission: { action: 'api-tokens:manage' },
  },
];

export function homeSections(can: (p: Permission) => boolean): HomeCard[] {
  return homeCards.filter((c) => can(c.permission));
}
