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
