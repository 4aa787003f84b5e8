import type { Deps } from '../../deps.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { HttpError, notFound } from '../../web/http.ts';
import { managedTeams, type OrgRef, orgsById } from '../priorities/queries.ts';
import { areaOf, hoursText, percentText } from './present.ts';
import { type Aggregate, addSums, categories, categoryLabels, emptySums, roundName, type Sums } from './pulse.ts';
import { closedSums } from './queries.ts';
import { periodsHiddenIn } from './results.ts';
import { todayOf } from './submit.ts';
import { orgTeams, teamAndAncestors, teamById, teamClosedSums } from './team-queries.ts';
import { teamFigures } from './team-results.ts';

// The team view of the pulse: who may open it, and its figures for the latest closed period and each period
// before (docs/burden.md, "Results by team").

const TREND_MONTHS = 24;
const sinceOf = (today: string) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - TREND_MONTHS);
  return d.toISOString().slice(0, 10);
};
const place = (o: OrgRef) => ({ id: o.id, icbId: o.icb_id, regionId: o.region_id });

/** The team and its organisation when the viewer may see its figures: 404 for no such team, 403 otherwise. */
export async function teamForViewer(deps: Deps, viewer: Viewer, id: string) {
  if (!/^\d{1,9}$/.test(id)) throw notFound('Team');
  const team = await teamById(deps.db, Number(id));
  if (!team) throw notFound('Team');
  const [org] = await orgsById(deps.db, [team.organisation_id]);
  const managed = new Set((await managedTeams(deps.db, viewer.managerAssignmentIds)).map((t) => t.team_id));
  const managesTeam = managed.size > 0 && (await teamAndAncestors(deps.db, team.id)).some((t) => managed.has(t));
  if (!authorise(viewer, { action: 'pulse:team-results', org: place(org!), managesTeam })) {
    throw new HttpError(403, 'Only the organisation’s admins and the team’s line managers may see its figures');
  }
  return { team, org: org! };
}

/** The teams a viewer may open: the top teams of the organisations they administer, and the teams they manage. */
export async function viewableTeams(deps: Deps, viewer: Viewer) {
  const adminOrgs = viewer.grants.filter((g) => g.role === 'org_admin' && g.organisationId !== null);
  const orgs = [];
  for (const g of adminOrgs) {
    const teams = (await orgTeams(deps.db, g.organisationId!)).filter((t) => t.parent_team_id === null);
    orgs.push({ name: g.organisationName, teams });
  }
  const managed = await managedTeams(deps.db, viewer.managerAssignmentIds);
  return { orgs, managed };
}

const cell = (a: Aggregate, f: (a: Aggregate) => string) => (a.suppressed ? '*' : f(a));
const answersText = (a: Aggregate, minimum: number) =>
  a.responses === 0 ? 'None' : a.suppressed ? `Fewer than ${minimum} or hidden` : a.responses.toLocaleString('en-GB');

/** The figures of one team: latest period (the team, its parts), and every period's figure of the team. */
export async function teamResults(deps: Deps, team: { id: number; name: string }, org: OrgRef) {
  const today = todayOf(deps);
  const since = sinceOf(today);
  const minimum = deps.config.disclosureMin;
  const area = areaOf({ ...org, kind: org.kind as never });
  const [teams, orgRows, parentRows, teamRows] = await Promise.all([
    orgTeams(deps.db, org.id),
    closedSums(deps.db, 'organisation', org.id, today, since),
    area.parent ? closedSums(deps.db, area.parent.level, area.parent.id, today, since) : [],
    teamClosedSums(deps.db, org.id, today, since),
  ]);
  const hiddenPeriods = periodsHiddenIn(parentRows, org.id, minimum);
  const nodes = teams.map((t) => ({ id: t.id, parentId: t.parent_team_id, name: t.name }));
  const periods = [...new Set(orgRows.map((r) => r.opensOn))].sort();
  const orgByPeriod = new Map<string, Sums>();
  for (const r of orgRows) orgByPeriod.set(r.opensOn, addSums(orgByPeriod.get(r.opensOn) ?? emptySums(), r));
  const teamsByPeriod = new Map<string, Map<number, Sums>>();
  for (const r of teamRows) {
    const m = teamsByPeriod.get(r.opensOn) ?? new Map<number, Sums>();
    m.set(r.teamId, r.sums);
    teamsByPeriod.set(r.opensOn, m);
  }
  const perPeriod = periods.map((p) => {
    const orgSums = orgByPeriod.get(p)!;
    const direct = teamsByPeriod.get(p) ?? new Map<number, Sums>();
    return { opensOn: p, figures: teamFigures(nodes, orgSums, direct, minimum, hiddenPeriods.has(p), team.id) };
  });
  const latest = perPeriod[perPeriod.length - 1];
  const mine = latest?.figures.teams.get(team.id);
  const parts = nodes.filter((t) => t.parentId === team.id);
  return {
    minimum,
    latestName: latest ? roundName({ opensOn: latest.opensOn, closesOn: latest.opensOn }) : undefined,
    shown: mine !== undefined && !mine.aggregate.suppressed,
    answers: mine ? answersText(mine.aggregate, minimum) : 'None',
    meanTotal: mine && !mine.aggregate.suppressed ? hoursText(mine.aggregate.meanTotal!) : undefined,
    share: mine && !mine.aggregate.suppressed ? percentText(mine.aggregate.upwardShare!) : undefined,
    headline:
      mine && !mine.aggregate.suppressed
        ? categories.map((c) => [categoryLabels[c], hoursText(mine.aggregate.means![c])])
        : [],
    parts:
      mine && !mine.aggregate.suppressed
        ? [
            ...parts.map((t) => ({ t, a: latest!.figures.teams.get(t.id)!.aggregate })),
            { t: { id: 0, name: `Managers in ${team.name} itself` }, a: mine.own },
          ].map(({ t, a }) => ({
            id: t.id,
            name: t.name,
            answers: answersText(a, minimum),
            upward: cell(a, (x) => hoursText(x.means!.upward)),
            total: cell(a, (x) => hoursText(x.meanTotal!)),
            share: cell(a, (x) => percentText(x.upwardShare!)),
          }))
        : [],
    trend: perPeriod.map((p) => {
      const a = p.figures.teams.get(team.id)?.aggregate ?? { responses: 0, suppressed: true };
      return [
        roundName({ opensOn: p.opensOn, closesOn: p.opensOn }),
        answersText(a, minimum),
        cell(a, (x) => hoursText(x.means!.upward)),
        cell(a, (x) => percentText(x.upwardShare!)),
      ];
    }),
  };
}
