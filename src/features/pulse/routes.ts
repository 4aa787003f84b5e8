import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext, Feature } from '../../feature.ts';
import { audit } from '../../plugins/audit.ts';
import { setFlash, takeFlash } from '../../plugins/session.ts';
import { formErrors, guard, notFound } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { api } from './api.ts';
import { areaOf, pulseResults, showResults, views } from './present.ts';
import {
  answerSchema,
  cadenceLabels,
  categories,
  categoryHints,
  categoryLabels,
  DEFAULT_CADENCE,
  roundName,
  totalHours,
} from './pulse.ts';
import { cadenceOf, ownResponse, setCadence } from './queries.ts';
import { seatAndRound, submitAnswer } from './submit.ts';
import { teamForViewer, teamResults, viewableTeams } from './team-view.ts';

const crumbs = [{ href: '/burden', text: 'Reporting requirements' }];
const cadenceForm = z.object({ cadence: z.enum(['monthly', 'quarterly'], { error: 'Select how often rounds run' }) });

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  const renderForm = (
    reply: FastifyReply,
    page: Record<string, unknown> & { values: Record<string, string> },
    status = 200,
  ) =>
    reply.render(
      `${views}/form.njk`,
      {
        title: 'Time-use pulse',
        breadcrumbs: crumbs,
        questions: categories.map((c) => ({ name: c, label: categoryLabels[c], hint: categoryHints[c] })),
        minimum: deps.config.disclosureMin,
        errors: [],
        fields: {},
        ...page,
      },
      status,
    );

  app.get('/pulse', async (req, reply) => {
    const viewer = guard(req, { action: 'pulse:respond' });
    const target = await seatAndRound(deps, viewer);
    const adminOf = viewer.grants
      .filter((g) => g.role === 'org_admin' && g.organisationCode)
      .map((g) => ({ code: g.organisationCode, name: g.organisationName }));
    if (!target) return renderForm(reply, { notManager: true, values: {}, adminOf });
    const mine = await ownResponse(db, target.round.id, viewer.personId!);
    return renderForm(reply, {
      flash: await takeFlash(deps, req),
      round: { ...target.round, name: roundName(target.round) },
      org: target.seat,
      adminOf,
      answered: mine !== undefined,
      total: mine ? totalHours(mine) : undefined,
      values: Object.fromEntries(categories.map((c) => [c, mine ? String(mine[c]) : ''])),
    });
  });

  app.post('/pulse', async (req, reply) => {
    const viewer = guard(req, { action: 'pulse:respond' });
    const target = await seatAndRound(deps, viewer);
    if (!target) return renderForm(reply, { notManager: true, values: {} }, 403);
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = answerSchema.safeParse(body);
    if (!parsed.success) {
      return renderForm(
        reply,
        {
          round: { ...target.round, name: roundName(target.round) },
          org: target.seat,
          values: body,
          ...formErrors(parsed.error),
        },
        400,
      );
    }
    const r = await submitAnswer(deps, { viewer, ip: req.ip }, target, parsed.data);
    await setFlash(
      deps,
      req,
      `${r.created ? 'Thank you: your answers' : 'Your changed answers'} for ${roundName(target.round)} are saved. You can change them until the round closes.`,
    );
    return reply.redirect('/pulse', 303);
  });

  app.get<{ Querystring: { area?: string } }>('/pulse/results', async (req, reply) => {
    guard(req, { action: 'pulse:results' });
    const code = (req.query.area ?? '').trim();
    const org = code ? await findOrganisation(db, code) : undefined;
    if (code && (!org || org.kind === 'nation')) throw notFound('Area');
    const area = areaOf(org);
    const shown = showResults(await pulseResults(deps, area));
    return reply.render(`${views}/results.njk`, {
      title: `Time-use pulse results: ${area.name}`,
      breadcrumbs: [...crumbs, ...(area.level === 'nation' ? [] : [{ href: '/pulse/results', text: 'England' }])],
      area,
      r: shown,
    });
  });

  app.get('/pulse/teams', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const { orgs, managed } = await viewableTeams(deps, viewer);
    return reply.render(`${views}/teams.njk`, {
      title: 'Time-use pulse results by team',
      breadcrumbs: [...crumbs, { href: '/pulse', text: 'Time-use pulse' }],
      orgs,
      managed,
      minimum: deps.config.disclosureMin,
    });
  });

  app.get<{ Params: { id: string } }>('/pulse/teams/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const { team, org } = await teamForViewer(deps, viewer, req.params.id);
    return reply.render(`${views}/team.njk`, {
      title: `Time-use pulse results: ${team.name}`,
      breadcrumbs: [...crumbs, { href: '/pulse/teams', text: 'Results by team' }],
      team,
      org,
      r: await teamResults(deps, team, org),
    });
  });

  const orgFor = async (code: string) => {
    const org = await findOrganisation(db, code);
    if (!org || org.kind === 'nation') throw notFound('Organisation');
    return org;
  };
  const place = (o: { id: number; icb_id: number | null; region_id: number | null }) => ({
    id: o.id,
    icbId: o.icb_id,
    regionId: o.region_id,
  });

  const renderSettings = async (
    reply: FastifyReply,
    org: Awaited<ReturnType<typeof orgFor>>,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const cadence = (await cadenceOf(db, org.id)) ?? DEFAULT_CADENCE;
    return reply.render(
      `${views}/settings.njk`,
      {
        title: `Time-use pulse rounds for ${org.name}`,
        breadcrumbs: [...crumbs, { href: '/pulse', text: 'Time-use pulse' }],
        org,
        items: (['monthly', 'quarterly'] as const).map((c) => ({
          value: c,
          text: cadenceLabels[c],
          checked: c === cadence,
          hint: {
            text:
              c === 'monthly'
                ? 'A round each calendar month'
                : 'A round each quarter: January, April, July and October',
          },
        })),
        errors: [],
        fields: {},
        ...extra,
      },
      status,
    );
  };

  app.get<{ Params: { code: string } }>('/pulse/settings/:code', async (req, reply) => {
    const org = await orgFor(req.params.code);
    guard(req, { action: 'pulse:configure', org: place(org) });
    return renderSettings(reply, org, { flash: await takeFlash(deps, req) });
  });

  app.post<{ Params: { code: string } }>('/pulse/settings/:code', async (req, reply) => {
    const org = await orgFor(req.params.code);
    const viewer = guard(req, { action: 'pulse:configure', org: place(org) });
    const parsed = cadenceForm.safeParse(req.body ?? {});
    if (!parsed.success) return renderSettings(reply, org, formErrors(parsed.error), 400);
    await setCadence(db, org.id, parsed.data.cadence, viewer.accountId);
    await audit(
      db,
      { viewer, ip: req.ip },
      {
        action: 'pulse.settings.update',
        subjectType: 'organisation',
        subjectId: org.id,
        organisationId: org.id,
        details: { cadence: parsed.data.cadence },
      },
    );
    await setFlash(deps, req, `Rounds for ${org.name} will be ${parsed.data.cadence} from the next round.`);
    return reply.redirect(`/pulse/settings/${encodeURIComponent(org.code)}`, 303);
  });
}

export const pulseFeature: Feature = { name: 'pulse', routes, api };
