import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { setFlash } from '../../plugins/session.ts';
import { formErrors, guard, HttpError, notFound } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { groupLabels, type RoundContent } from './feedback.ts';
import { findRound, type RaterRow, raterById, raterByToken, ratingsOf, saveResponse } from './queries.ts';
import { responseComments } from './schemas.ts';
import { auditWrite, contentOf, tokenHash } from './service.ts';
import { formBody, idParam, single, views } from './web.ts';

// The rater's form: through the single-use link (no sign-in, and the link opens nothing else), or signed in from
// the requests list. Answers are saved as the rater goes and submitted once; after that the link stops working.

const LINK_GONE =
  'This feedback link does not work. It may have been used already, replaced by a newer link in a reminder, or typed incorrectly.';

type Answers = Map<number, number>;

function readAnswers(body: Record<string, string | string[]>, content: RoundContent) {
  const levels = new Map(content.levels.map((l) => [l.id, l]));
  const answers: Answers = new Map();
  for (const c of content.competencies) {
    const v = single(body[`c_${c.id}`]);
    if (!v) continue;
    if (!/^\d{1,9}$/.test(v) || !levels.has(Number(v))) throw new HttpError(400, 'Choose one of the levels shown');
    answers.set(c.id, Number(v));
  }
  return answers;
}

export async function respondRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db, clock } = ctx.deps;

  const byToken = async (token: string) => {
    const hash = tokenHash(token);
    const rater = hash ? await raterByToken(db, hash) : undefined;
    if (!rater) throw new HttpError(404, LINK_GONE);
    return rater;
  };

  const bySignIn = async (req: FastifyRequest<{ Params: { rid: string } }>) => {
    const viewer = guard(req, { action: 'signed-in' });
    const rater = await raterById(db, idParam(req.params.rid, 'Feedback request'));
    if (!rater || rater.person_id === null || rater.person_id !== viewer.personId) throw notFound('Feedback request');
    return rater;
  };

  const render = async (
    reply: FastifyReply,
    rater: RaterRow,
    action: string,
    form: {
      answers?: Answers;
      body?: Record<string, string>;
      errors?: FieldError[];
      fields?: Record<string, { text: string }>;
      saved?: boolean;
    } = {},
    status = 200,
  ) => {
    const round = (await findRound(db, rater.round_id))!;
    if (rater.submitted_at) {
      return reply.render(`${views}/responded.njk`, { title: 'Feedback already submitted', round, already: true }, 200);
    }
    if (round.status !== 'open') throw new HttpError(410, 'This 360 round has closed: it no longer takes responses.');
    const content = await contentOf(db, round);
    const answers =
      form.answers ?? new Map((await ratingsOf(db, rater.id)).map((r) => [r.competency_id, r.scale_level_id]));
    const self = rater.rater_group === 'self';
    return reply.render(
      `${views}/respond.njk`,
      {
        title: self ? 'Your self-assessment' : `Feedback for ${round.given_name} ${round.family_name}`,
        round,
        rater,
        self,
        groupLabel: groupLabels[rater.rater_group],
        anonymous: !['self', 'line_manager'].includes(rater.rater_group),
        action,
        domains: content.domains.map((d) => ({
          ...d,
          competencies: content.competencies
            .filter((c) => c.domain_id === d.id)
            .map((c) => ({
              ...c,
              items: content.levels.map((l) => ({
                value: String(l.id),
                text: l.label,
                hint: l.descriptor ? { text: l.descriptor } : undefined,
                checked: answers.get(c.id) === l.id,
              })),
            })),
        })),
        strengths: form.body?.strengths ?? rater.strengths,
        development: form.body?.development ?? rater.development,
        saved: form.saved,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  /** Save or submit: a submission needs an answer for every competency ("not able to say" counts). */
  const save = async (req: FastifyRequest, reply: FastifyReply, rater: RaterRow, action: string) => {
    const round = (await findRound(db, rater.round_id))!;
    if (rater.submitted_at) return render(reply, rater, action);
    if (round.status !== 'open') throw new HttpError(410, 'This 360 round has closed: it no longer takes responses.');
    const content = await contentOf(db, round);
    const body = formBody(req);
    const answers = readAnswers(body, content);
    const flat = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, single(v)]));
    const parsed = responseComments.safeParse(flat);
    if (!parsed.success) return render(reply, rater, action, { answers, body: flat, ...formErrors(parsed.error) }, 400);
    const submit = parsed.data.action === 'submit';
    if (submit) {
      const missing = content.competencies.filter((c) => !answers.has(c.id));
      if (missing.length) {
        const errors = missing.map((c) => ({ text: `Choose a level for ${c.title}`, href: `#c_${c.id}` }));
        const fields = Object.fromEntries(missing.map((c) => [`c_${c.id}`, { text: `Choose a level for ${c.title}` }]));
        return render(reply, rater, action, { answers, body: flat, errors, fields }, 400);
      }
    }
    const levels = new Map(content.levels.map((l) => [l.id, l.value]));
    const outcome = await saveResponse(db, {
      raterId: rater.id,
      ratings: [...answers].map(([competencyId, levelId]) => ({
        competencyId,
        levelId,
        value: levels.get(levelId) ?? null,
      })),
      strengths: parsed.data.strengths,
      development: parsed.data.development,
      submit,
      at: clock.now(),
    });
    if (outcome === 'closed') throw new HttpError(410, 'This 360 round has closed: it no longer takes responses.');
    if (outcome === 'already-submitted')
      return reply.render(`${views}/responded.njk`, { title: 'Feedback already submitted', round, already: true });
    // The audit says a response was saved, never which rater gave which answers.
    await auditWrite(
      db,
      req.viewer ? { viewer: req.viewer, ip: req.ip } : { label: 'Invited rater (link)' },
      { round },
      submit ? 'response.submit' : 'response.save',
      { group: rater.rater_group },
    );
    return outcome;
  };

  app.get<{ Params: { token: string } }>('/feedback/respond/:token', async (req, reply) => {
    const rater = await byToken(req.params.token);
    return render(reply, rater, `/feedback/respond/${req.params.token}`, {
      saved: single((req.query as Record<string, string>).saved) === '1',
    });
  });

  app.post<{ Params: { token: string } }>('/feedback/respond/:token', async (req, reply) => {
    const rater = await byToken(req.params.token);
    const action = `/feedback/respond/${req.params.token}`;
    const outcome = await save(req, reply, rater, action);
    if (outcome === 'saved') return reply.redirect(`${action}?saved=1`, 303);
    if (outcome === 'submitted') return reply.redirect('/feedback/thanks', 303);
    return outcome;
  });

  app.get('/feedback/thanks', async (_req, reply) =>
    reply.render(`${views}/responded.njk`, { title: 'Thank you for your feedback', already: false }),
  );

  app.get<{ Params: { rid: string } }>('/feedback/requests/:rid', async (req, reply) => {
    const rater = await bySignIn(req);
    return render(reply, rater, `/feedback/requests/${rater.id}`, {
      saved: single((req.query as Record<string, string>).saved) === '1',
    });
  });

  app.post<{ Params: { rid: string } }>('/feedback/requests/:rid', async (req, reply) => {
    const rater = await bySignIn(req);
    const action = `/feedback/requests/${rater.id}`;
    const outcome = await save(req, reply, rater, action);
    if (outcome === 'saved') return reply.redirect(`${action}?saved=1`, 303);
    if (outcome === 'submitted') {
      await setFlash(ctx.deps, req, 'Thank you: your feedback is submitted.');
      return reply.redirect(rater.rater_group === 'self' ? `/feedback/${rater.round_id}` : '/me/feedback', 303);
    }
    return outcome;
  });
}
