import type { ApplicationStatus, CohortNoticeKind } from '../../db/schema.ts';

/** The words of each notice, pure: who it goes to and what it says. Links go to the pages that act on it. */

export interface NoticeFacts {
  kind: CohortNoticeKind;
  status?: ApplicationStatus;
  programmeTitle: string;
  cohortName: string;
  startsOn: string | null;
  closesOn: string | null;
  applicantName: string | null;
  sessionStartsAt: Date | null;
  sessionPlace: string | null;
  baseUrl: string;
  programmeId: number;
}

const day = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
const when = (d: Date) =>
  d.toLocaleString('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });

export function noticeMessage(f: NoticeFacts): { subject: string; text: string } {
  const what = `${f.programmeTitle} (${f.cohortName}${f.startsOn ? `, starting ${day(f.startsOn)}` : ''})`;
  const bookings = `${f.baseUrl}/me/bookings`;
  switch (f.kind) {
    case 'approval_needed':
      return {
        subject: `Approval needed: ${f.applicantName} applied for ${f.programmeTitle}`,
        text: `${f.applicantName} has applied for ${what}.\n\nAs their line manager, please approve or decline the application:\n${f.baseUrl}/cohorts/approvals\n`,
      };
    case 'funder_approval_needed':
      return {
        subject: `Funding approval needed: ${f.programmeTitle}`,
        text: `${f.applicantName} has applied for ${what}, which needs funding approval by their organisation.\n\nApprove or decline the funding:\n${f.baseUrl}/cohorts/approvals\n`,
      };
    case 'decision':
      return decisionMessage(f, what, bookings);
    case 'promoted':
      return {
        subject: `A place is now yours: ${f.programmeTitle}`,
        text: `A place has become free on ${what} and it has been given to you from the wait-list.\n\n${
          f.status === 'confirmed'
            ? 'Your place is confirmed.'
            : 'Your place is held while your application is approved.'
        }\n\nYour bookings: ${bookings}\n`,
      };
    case 'session_reminder':
      return {
        subject: `Reminder: ${f.programmeTitle} on ${f.sessionStartsAt ? when(f.sessionStartsAt) : 'soon'}`,
        text: `Your next session of ${what} is on ${f.sessionStartsAt ? when(f.sessionStartsAt) : 'a date to be confirmed'}${
          f.sessionPlace ? `, at ${f.sessionPlace}` : ''
        }.\n\nIf you can no longer attend, cancel your place so that someone on the wait-list can have it:\n${bookings}\n`,
      };
    case 'closing_reminder':
      return {
        subject: `Booking closes soon: ${f.programmeTitle}`,
        text: `You registered interest in ${f.programmeTitle}. Booking for ${f.cohortName}${
          f.startsOn ? ` (starting ${day(f.startsOn)})` : ''
        } closes on ${f.closesOn ? day(f.closesOn) : 'a date soon'}.\n\nSee the dates and apply:\n${f.baseUrl}/programmes/${f.programmeId}/cohorts\n`,
      };
  }
}

function decisionMessage(f: NoticeFacts, what: string, bookings: string) {
  switch (f.status) {
    case 'confirmed':
      return {
        subject: `Place confirmed: ${f.programmeTitle}`,
        text: `Your place on ${what} is confirmed.\n\nYour bookings: ${bookings}\n`,
      };
    case 'waitlisted':
      return {
        subject: `On the wait-list: ${f.programmeTitle}`,
        text: `${what} is full, so you are on its wait-list. When a place becomes free it goes to the person who has waited longest, and we will email you.\n\nYour bookings: ${bookings}\n`,
      };
    case 'rejected':
      return {
        subject: `Application not approved: ${f.programmeTitle}`,
        text: `Your application for ${what} was not approved. Talk to your line manager about other ways to develop.\n\nYour bookings: ${bookings}\n`,
      };
    default:
      return {
        subject: `Your application: ${f.programmeTitle}`,
        text: `There is news about your application for ${what}.\n\nYour bookings: ${bookings}\n`,
      };
  }
}
