import type { Job } from '../../job.ts';
import { bankHolidaysUntil } from './bank-holidays.ts';
import { reminderDue, roundName } from './pulse.ts';
import { claimReminders, openRounds, roundsOpenOn } from './queries.ts';
import { todayOf } from './submit.ts';
import { refreshTeamDisclosure } from './team-store.ts';

/**
 * The pulse's background work. Both jobs work from the database state, so they are safe to run twice and on
 * several instances: rounds are unique per organisation and opening day, and a reminder is recorded (primary key
 * round, person, kind) before it is written to the outbox. A crash between the two loses that reminder rather
 * than sending it twice.
 */

const openRoundsJob: Job = {
  name: 'pulse.open-rounds',
  description:
    'Open the time-use pulse round that covers today for every organisation that has none (monthly or quarterly)',
  schedule: '15 0 * * *',
  async run(deps) {
    const opened = await openRounds(deps.db, todayOf(deps));
    return `opened ${opened} round(s)`;
  },
};

const remindersJob: Job = {
  name: 'pulse.reminders',
  description:
    'Remind managers who have not answered the open pulse round: on its 3rd working day and 3 days before it closes, each once, never on a weekend or bank holiday',
  schedule: '0 8 * * *',
  async run(deps) {
    const today = todayOf(deps);
    const rounds = await roundsOpenOn(deps.db, today);
    let sent = 0;
    for (const kind of ['opening', 'closing'] as const) {
      const due = rounds.filter((r) => reminderDue(r, today) === kind);
      const byId = new Map(due.map((r) => [r.id, r]));
      const people = await claimReminders(
        deps.db,
        due.map((r) => r.id),
        kind,
      );
      for (const p of people) {
        if (!p.email) continue;
        const round = byId.get(p.round_id)!;
        await deps.mail.send({
          to: p.email,
          subject:
            kind === 'opening'
              ? `Time-use pulse for ${roundName(round)}: how did you spend last week?`
              : `Time-use pulse for ${roundName(round)} closes on ${round.closesOn}`,
          text: [
            `Dear ${p.given_name},`,
            '',
            'The time-use pulse asks managers how many hours they spent last week on upward reporting, meetings, people',
            'management, improvement work, operational management and other work. It takes under two minutes, and your',
            'answers are only ever published as averages of several managers.',
            '',
            `Answer it here: ${deps.config.baseUrl}/pulse`,
            '',
            `You can change your answers until ${round.closesOn}.`,
          ].join('\n'),
        });
        sent++;
      }
    }
    const beyond = today > bankHolidaysUntil ? `; bank holidays are known only until ${bankHolidaysUntil}` : '';
    return `sent ${sent} reminder(s)${beyond}`;
  },
};

const teamDisclosureJob: Job = {
  name: 'pulse.team-disclosure',
  description:
    'Take and store the disclosure decisions of the pulse results by team for rounds that have closed, and again for those whose team tree or disclosure minimum has changed',
  // After midnight, when yesterday's rounds have closed; pages compute a round live until it has run.
  schedule: '30 0 * * *',
  async run(deps) {
    const r = await refreshTeamDisclosure(deps.db, todayOf(deps), deps.config.disclosureMin);
    return `stored the team decisions of ${r.rounds} round(s) of ${r.organisations} organisation(s) (${r.teams} team figures)`;
  },
};

export const jobs: Job[] = [openRoundsJob, remindersJob, teamDisclosureJob];
