import type { Deps } from '../../deps.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { HttpError, notFound } from '../../web/http.ts';
import { managedTeams, type OrgRef } from '../priorities/queries.ts';
import { areaOf, hoursText, percentText } from './present.ts';
import { type Aggregate, addSums, categories, categoryLabels, emptySums, roundName, type Sums } from './pulse.ts';
import { closedCounts, closedSums } from './queries.ts';
import { periodsHiddenIn } from './results.ts';
import { todayOf } from './submit.ts';
import { orgTeams, teamAndAncestors, teamClosedSums, teamWithOrg } from './team-queries.ts';
import { teamFigures } from './team-results.ts';
import { sinceOf, storedAggregate, storedOwn } from './team-store.ts';
import { storedTeamView } from './team-store-queries.ts';

// The team view of the pulse: who may open it, and its figures for the latest closed period and each period
// before (docs/burden.md, "Results by team").

const place = (o: OrgRef) => ({ id: o.id, icbId: o.icb_id, regionId: o.region_id });

/** The team and its organisation when the viewer may see its figures: 404 for no such team, 403 otherwise. */
export async function teamForViewer(deps: Deps, viewer: Viewer, id: string) {
  if (!/^\d{1,9}$/.test(id)) throw notFound('Team');
  const found = await teamWithOrg(deps.db, Number(id));
  if (!found) throw notFound('Team');
  const { team, org } = found;
  const managed = new Set((await managedTeams(deps.db, viewer.managerAssignmentIds)).map((t) => t.team_id));
  const managesTeam = managed.size > 0 && (await teamAndAncestors(deps.db, team.id)).some((t) => managed.has(t));
  if (!authorise(viewer, { action: 'pulse:team-results', org: place(org), managesTeam })) {
    throw new HttpError(403, 'Only the organisation’s admins and the team’s line managers may see its figures');
  }
  return { team, org };
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

/** One period of a team's page: the team's figure and, for the latest period, its parts' figures. */
interface PeriodView {
  opensOn: string;
  mine: { aggregate: Aggregate; own?: Aggregate };
  parts?: Map<number, Aggregate>;
}

/**
 * The periods whose stored decisions no longer hold (or are not taken yet), computed as the job would, but only
 * on the way down to the team.
 */
async function liveViews(
  deps: Deps,
  org: OrgRef,
  teamId: number,
  rounds: { roundId: number; opensOn: string }[],
  hiddenPeriods: ReadonlySet<string>,
  range: { today: string; since: string },
): Promise<Map<string, PeriodView>> {
  const minimum = deps.config.disclosureMin;
  const [teams, orgRows, teamRows] = await Promise.all([
    orgTeams(deps.db, org.id),
    closedSums(deps.db, 'organisation', org.id, range.today, range.since),
    teamClosedSums(
      deps.db,
      org.id,
      range.today,
      range.since,
      rounds.map((r) => r.roundId),
    ),
  ]);
  const nodes = teams.map((t) => ({ id: t.id, parentId: t.parent_team_id, name: t.name }));
  const parts = nodes.filter((t) => t.parentId === teamId);
  const orgByPeriod = new Map<string, Sums>();
  for (const r of orgRows) orgByPeriod.set(r.opensOn, addSums(orgByPeriod.get(r.opensOn) ?? emptySums(), r));
  const teamsByPeriod = new Map<string, Map<number, Sums>>();
  for (const r of teamRows) {
    const m = teamsByPeriod.get(r.opensOn) ?? new Map<number, Sums>();
    m.set(r.teamId, r.sums);
    teamsByPeriod.set(r.opensOn, m);
  }
  const out = new Map<string, PeriodView>();
  for (const { opensOn: p } of rounds) {
    const orgSums = orgByPeriod.get(p) ?? emptySums();
    const direct = teamsByPeriod.get(p) ?? new Map<number, Sums>();
    const f = teamFigures(nodes, orgSums, direct, minimum, hiddenPeriods.has(p), teamId);
    out.set(p, {
      opensOn: p,
      mine: f.teams.get(teamId) ?? { aggregate: { responses: 0, suppressed: true } },
      parts: new Map(parts.map((t) => [t.id, f.teams.get(t.id)?.aggregate ?? { responses: 0, suppressed: true }])),
    });
  }
  return out;
}

/**
 * A team's figure in every closed period and its parts' in the latest: from the decisions the job stored, about a
 * dozen rows, and computed live for any period whose stored decisions do not hold (docs/burden.md).
 */
async function teamPeriods(deps: Deps, teamId: number, org: OrgRef, today: string) {
  const since = sinceOf(today);
  const minimum = deps.config.disclosureMin;
  const area = areaOf({ ...org, kind: org.kind as never });
  const [parentRows, { rounds: stored, parts: children }] = await Promise.all([
    area.parent ? closedCounts(deps.db, area.parent.level, area.parent.id, today, since) : [],
    storedTeamView(deps.db, org.id, teamId, { today, since }, minimum),
  ]);
  const hiddenPeriods = periodsHiddenIn(parentRows, org.id, minimum);
  const latest = stored[stored.length - 1];
  const stale = stored.filter((r) => !r.fresh);
  const live = stale.length
    ? await liveViews(deps, org, teamId, stale, hiddenPeriods, { today, since })
    : new Map<string, PeriodView>();
  const periods: PeriodView[] = stored.map((r) => {
    const computed = live.get(r.opensOn);
    if (computed) return computed;
    const orgHidden = hiddenPeriods.has(r.opensOn);
    const mine = { aggregate: storedAggregate(r.row, minimum, orgHidden) };
    if (r !== latest) return { opensOn: r.opensOn, mine };
    return {
      opensOn: r.opensOn,
      mine: {
        ...mine,
        own:
          r.row && !mine.aggregate.suppressed
            ? storedOwn(
                r.row,
                children.map((c) => c.row),
                minimum,
              )
            : undefined,
      },
      parts: new Map(children.map((c) => [c.id, storedAggregate(c.row, minimum, orgHidden)])),
    };
  });
  return { periods, children: children.map((c) => ({ id: c.id, name: c.name })) };
}

/** The figures of one team: latest period (the team, its parts), and every period's figure of the team. */
export async function teamResults(deps: Deps, team: { id: number; name: string }, org: OrgRef) {
  const minimum = deps.config.disclosureMin;
  const { periods, children } = await teamPeriods(deps, team.id, org, todayOf(deps));
  const latest = periods[periods.length - 1];
  const mine = latest?.mine;
  const shown = mine !== undefined && !mine.aggregate.suppressed;
  return {
    minimum,
    latestName: latest ? roundName({ opensOn: latest.opensOn, closesOn: latest.opensOn }) : undefined,
    shown,
    answers: mine ? answersText(mine.aggregate, minimum) : 'None',
    meanTotal: shown ? hoursText(mine.aggregate.meanTotal!) : undefined,
    share: shown ? percentText(mine.aggregate.upwardShare!) : undefined,
    headline: shown ? categories.map((c) => [categoryLabels[c], hoursText(mine.aggregate.means![c])]) : [],
    parts: shown
      ? [
          ...children.map((t) => ({ t, a: latest!.parts!.get(t.id)! })),
          { t: { id: 0, name: `Managers in ${team.name} itself` }, a: mine.own! },
        ].map(({ t, a }) => ({
          id: t.id,
          name: t.name,
          answers: answersText(a, minimum),
          upward: cell(a, (x) => hoursText(x.means!.upward)),
          total: cell(a, (x) => hoursText(x.meanTotal!)),
          share: cell(a, (x) => percentText(x.upwardShare!)),
        }))
      : [],
    trend: periods.map((p) => {
      const a = p.mine.aggregate;
      return [
        roundName({ opensOn: p.opensOn, closesOn: p.opensOn }),
        answersText(a, minimum),
        cell(a, (x) => hoursText(x.means!.upward)),
        cell(a, (x) => percentText(x.upwardShare!)),
      ];
    }),
  };
}
