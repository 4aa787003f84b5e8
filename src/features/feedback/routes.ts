import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise, loadDevelopmentSubject } from '../../plugins/access.ts';
import { hashToken, setFlash, takeFlash } from '../../plugins/session.ts';
import { formErrors, guard, HttpError, notFound } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { findActiveAccountByEmail } from '../accounts/queries.ts';
import { readContent, versionMeta } from '../frameworks/document-queries.ts';
import { listFrameworks, versionsOf } from '../frameworks/queries.ts';
import { directReports, findPerson } from '../people/queries.ts';
import { api } from './api.ts';
import { closingDateProblem, newLinkToken } from './feedback.ts';
import { nominateRoutes } from './nominate-routes.ts';
import {
  accountOfPerson,
  closeRound,
  insertRound,
  progress,
  releaseRound,
  requestsFor,
  roundsFacilitatedBy,
  roundsOfPerson,
  selfRaterOf,
  setShared,
} from './queries.ts';
import { reportRoutes } from './report-routes.ts';
import { storeReportsOf } from './report-store.ts';
import { respondRoutes } from './respond-routes.ts';
import { roundForm } from './schemas.ts';
import {
  auditRead,
  auditWrite,
  loadRound,
  mayManage,
  mayRelease,
  progressPermission,
  roundPermission,
} from './service.ts';
import { actorOf, formBody, idParam, presentRound, progressRows, roundUrl, single, views } from './web.ts';

const newQuery = z.object({
  person: z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
  version: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
});

/** Published framework versions a round can use: the latest published version of each framework. */
async function publishedVersions(ctx: AppContext) {
  const { db } = ctx.deps;
  const out: { id: number; title: string; version: number }[] = [];
  for (const f of await listFrameworks(db, { includeDrafts: false })) {
    const v = (await versionsOf(db, f.id)).find((x) => x.status === 'published');
    if (v) out.push({ id: v.id, title: f.title, version: v.version });
  }
  return out;
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db, clock } = ctx.deps;
  const today = () => clock.now().toISOString().slice(0, 10);

  app.get('/me/feedback', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const mine = viewer.personId !== null ? await roundsOfPerson(db, viewer.personId) : [];
    const facilitated = await roundsFacilitatedBy(db, viewer.accountId);
    const requests = viewer.personId !== null ? await requestsFor(db, viewer.personId) : [];
    const team = await directReports(db, viewer, viewer.managerAssignmentIds);
    return reply.render(`${views}/mine.njk`, {
      title: '360 feedback',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      flash: await takeFlash(ctx.deps, req),
      canStart: viewer.personId !== null,
      mine: mine.map(presentRound),
      facilitated: facilitated.map(presentRound),
      requests: requests.map((r) => ({
        ...r,
        subjectName: `${r.given_name} ${r.family_name}`,
        href: `/feedback/requests/${r.id}`,
      })),
      team,
    });
  });

  const subjectFor = async (req: FastifyRequest) => {
    const q = newQuery.parse(req.query);
    const personId = q.person ?? req.viewer?.personId ?? undefined;
    if (personId === undefined)
      throw new HttpError(400, 'Choose whose 360 to start: your account is not linked to a person');
    const subject = await loadDevelopmentSubject(db, personId);
    if (!subject) throw notFound('Person');
    guard(req, { action: 'feedback:start', subject });
    const person = (await findPerson(db, personId))!;
    return { personId, person, version: q.version };
  };

  const renderNew = async (
    req: FastifyRequest,
    reply: FastifyReply,
    form: { values?: Record<string, unknown>; errors?: FieldError[]; fields?: Record<string, { text: string }> } = {},
    status = 200,
  ) => {
    const { personId, person, version } = await subjectFor(req);
    const versions = await publishedVersions(ctx);
    const chosen = versions.find((v) => v.id === (version ?? Number(single(form.values?.version_id as string))));
    const content = chosen ? await readContent(db, chosen.id) : undefined;
    const self = req.viewer!.personId === personId;
    return reply.render(
      `${views}/new.njk`,
      {
        title: `Start a 360${self ? '' : ` for ${person.given_name} ${person.family_name}`}`,
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: '/me/feedback', text: '360 feedback' },
        ],
        person,
        personId,
        self,
        versions,
        chosen,
        domains: content?.domains ?? [],
        values: { min_peer: '3', min_direct_report: '3', min_other: '3', ...form.values },
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  app.get('/feedback/new', (req, reply) => renderNew(req, reply));

  app.post('/feedback/new', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const { personId, person } = await subjectFor(req);
    const values = formBody(req);
    const parsed = roundForm.safeParse(values);
    if (!parsed.success) return renderNew(req, reply, { values, ...formErrors(parsed.error) }, 400);
    const f = parsed.data;
    const problems: FieldError[] = [];
    const fields: Record<string, { text: string }> = {};
    const fail = (field: string, text: string) => {
      problems.push({ text, href: `#${field}` });
      fields[field] = { text };
    };
    const meta = await versionMeta(db, f.version_id);
    if (meta?.status !== 'published') fail('version_id', 'Select a published framework');
    const dateProblem = closingDateProblem(f.closes_on, today());
    if (dateProblem) fail('closes_on', dateProblem);
    let domainIds: number[] | null = null;
    if (meta && f.domains.length) {
      const known = new Set((await readContent(db, meta.id)).domains.map((d) => d.id));
      if (!f.domains.every((d) => known.has(d))) fail('domains', 'Select domains of the chosen framework');
      domainIds = f.domains;
    }
    let facilitatorId: number | null = null;
    if (f.facilitator) {
      const account = await findActiveAccountByEmail(db, f.facilitator);
      if (!account) fail('facilitator', 'There is no Leadwell account with that email address');
      else if (account.id === viewer.accountId && viewer.personId === personId)
        fail('facilitator', 'The facilitator must be someone other than you');
      else facilitatorId = account.id;
    }
    if (problems.length) return renderNew(req, reply, { values, errors: problems, fields }, 400);
    // A person who cannot sign in (a line manager started their round) rates themselves through a link.
    const account = await accountOfPerson(db, personId);
    const selfToken = account ? null : newLinkToken();
    const selfEmail = account?.email ?? person.email;
    const id = await db.transaction().execute((trx) =>
      insertRound(trx, {
        personId,
        frameworkVersionId: f.version_id,
        domainIds,
        closesOn: f.closes_on,
        minimums: { peer: f.min_peer, direct_report: f.min_direct_report, other: f.min_other },
        facilitatorAccountId: facilitatorId,
        createdBy: viewer.accountId,
        selfName: `${person.given_name} ${person.family_name}`,
        selfEmail,
        selfTokenHash: selfToken ? hashToken(selfToken) : null,
      }),
    );
    if (selfToken && selfEmail) {
      await ctx.deps.mail.send({
        to: selfEmail,
        subject: 'Your 360 self-assessment',
        text: `Your line manager has started a 360 feedback round for you. Rate yourself here (a personal link that works until you submit or the round closes): ${ctx.deps.config.baseUrl}/feedback/respond/${selfToken}`,
      });
    }
    await auditWrite(db, actorOf(req), { round: { id, person_id: personId } }, 'round.create', {
      version: f.version_id,
      closes_on: f.closes_on,
      facilitator: facilitatorId,
    });
    await setFlash(ctx.deps, req, '360 round started. Now nominate raters in each group.');
    return reply.redirect(`${roundUrl(id)}/nominate`, 303);
  });

  app.get<{ Params: { id: string } }>('/feedback/:id', async (req, reply) => {
    const loaded = await loadRound(db, idParam(req.params.id));
    const viewer = guard(req, progressPermission(loaded));
    await auditRead(db, actorOf(req), loaded, 'progress');
    const { round } = loaded;
    const self = viewer.personId === round.person_id;
    const meta = await versionMeta(db, round.framework_version_id);
    const selfRater = self ? await selfRaterOf(db, round.id) : undefined;
    return reply.render(`${views}/round.njk`, {
      title: `360 feedback for ${round.given_name} ${round.family_name}`,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/me/feedback', text: '360 feedback' },
      ],
      flash: await takeFlash(ctx.deps, req),
      round: presentRound(round),
      framework: meta,
      self,
      selfRater,
      progress: progressRows(await progress(db, round.id), round),
      canManage: mayManage(viewer, loaded) && round.status === 'open',
      canRelease: mayRelease(viewer, loaded) && round.status === 'closed' && !round.released_at,
      canSeeReport: authorise(viewer, roundPermission(loaded)),
      url: roundUrl(round.id),
    });
  });

  app.post<{ Params: { id: string } }>('/feedback/:id/close', async (req, reply) => {
    const loaded = await loadRound(db, idParam(req.params.id));
    const viewer = guard(req, progressPermission(loaded));
    if (!mayManage(viewer, loaded))
      throw new HttpError(403, 'Only the person or their line manager can close the round');
    const release = loaded.round.facilitator_account_id === null;
    if (!(await closeRound(db, loaded.round.id, clock.now(), release)))
      throw new HttpError(409, 'This round is already closed');
    await storeReportsOf(db, [loaded.round.id]);
    await auditWrite(db, actorOf(req), loaded, 'round.close', { released: release });
    await setFlash(
      ctx.deps,
      req,
      release
        ? 'The round is closed and the report is released.'
        : 'The round is closed. The facilitator or line manager releases the report.',
    );
    return reply.redirect(roundUrl(loaded.round.id), 303);
  });

  app.post<{ Params: { id: string } }>('/feedback/:id/release', async (req, reply) => {
    const loaded = await loadRound(db, idParam(req.params.id));
    const viewer = guard(req, progressPermission(loaded));
    if (!mayRelease(viewer, loaded))
      throw new HttpError(403, 'Only the line manager or the facilitator can release the report');
    if (!(await releaseRound(db, loaded.round.id, viewer.accountId, clock.now())))
      throw new HttpError(409, 'The report can be released once the round is closed, and only once');
    await auditWrite(db, actorOf(req), loaded, 'report.release');
    await setFlash(ctx.deps, req, 'The report is released to the person.');
    return reply.redirect(roundUrl(loaded.round.id), 303);
  });

  app.post<{ Params: { id: string } }>('/feedback/:id/share', async (req, reply) => {
    const loaded = await loadRound(db, idParam(req.params.id));
    const viewer = guard(req, progressPermission(loaded));
    if (viewer.personId !== loaded.round.person_id) throw new HttpError(403, 'Only the person can share their report');
    const shared = single(formBody(req).shared) === 'yes';
    await setShared(db, loaded.round.id, shared, clock.now());
    await auditWrite(db, actorOf(req), loaded, shared ? 'report.share' : 'report.unshare');
    await setFlash(
      ctx.deps,
      req,
      shared
        ? 'Your line manager and your organisation’s admins can now read your report.'
        : 'Your report is no longer shared.',
    );
    return reply.redirect(roundUrl(loaded.round.id), 303);
  });

  await nominateRoutes(app, ctx);
  await respondRoutes(app, ctx);
  await reportRoutes(app, ctx);
}

export const feedbackFeature: Feature = { name: 'feedback', routes, api };
