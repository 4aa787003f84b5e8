import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { HttpError, notFound } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { domainPages, type Rating, unrated } from './assessments.ts';
import { evidenceOfAssessment } from './evidence-queries.ts';
import { presentAssessment } from './present.ts';
import { discardAssessment, findAssessment, saveRatings, submitAssessment } from './queries.ts';
import { type ScoredAssessment, scored } from './result.ts';
import { storeResult } from './result-store.ts';
import { auditWrite, flash, formBody, home, idParam, lockedAsHttp, ownPerson, views } from './web.ts';

// Taking a self-assessment: one page per domain with "save and continue" (progress is kept on every save, so
// the person can leave and come back), a check-your-answers page, and submitting, which locks it.

const base = `${home}/assessments`;
const MAX_COMMENT = 2000;

/** The person's own assessment in progress, or the reason they cannot change it. */
async function ownOpen(ctx: AppContext, req: FastifyRequest<{ Params: { id: string } }>) {
  const { viewer, personId } = ownPerson(req);
  const a = await findAssessment(ctx.deps.db, idParam(req.params.id, 'Self-assessment'));
  if (!a || a.person_id !== personId) throw notFound('Self-assessment');
  return { viewer, s: await scored(ctx.deps.db, a) };
}

function pageOf(s: ScoredAssessment, n: string) {
  const pages = domainPages(s.model.content);
  const number = idParam(n, 'Page');
  const page = pages[number - 1];
  if (!page) throw notFound('Page');
  return { pages, page };
}

function presentPage(
  s: ScoredAssessment,
  page: ReturnType<typeof domainPages>[number],
  values: Record<string, string>,
) {
  const { content } = s.model;
  const descriptors = new Map(content.descriptors.map((d) => [`${d.competency_id}:${d.scale_level_id}`, d.text]));
  return page.competencies.map((c) => ({
    id: c.id,
    code: c.code,
    title: c.title,
    description: c.description,
    indicators: content.indicators.filter((i) => i.competency_id === c.id).map((i) => i.text),
    comment: values[`comment_${c.id}`] ?? '',
    items: content.levels.map((l) => ({
      value: String(l.id),
      text: l.label,
      hint: { text: descriptors.get(`${c.id}:${l.id}`) ?? l.descriptor },
      checked: values[`c${c.id}`] === String(l.id),
    })),
  }));
}

export async function takeRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  const renderPage = (
    reply: FastifyReply,
    s: ScoredAssessment,
    number: number,
    values: Record<string, string>,
    form: { errors?: FieldError[]; fields?: Record<string, { text: string }> } = {},
    status = 200,
  ) => {
    const pages = domainPages(s.model.content);
    const page = pages[number - 1];
    return reply.render(
      `${views}/domain.njk`,
      {
        title: `${page.domain.title}: self-assessment`,
        breadcrumbs: [
          { href: home, text: 'Development' },
          { href: base, text: 'Self-assessment' },
        ],
        assessment: presentAssessment(s.assessment, s.model),
        domain: page.domain,
        number,
        total: pages.length,
        competencies: presentPage(s, page, values),
        previousHref: number > 1 ? `${base}/${s.assessment.id}/domains/${number - 1}` : undefined,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  app.get<{ Params: { id: string; n: string } }>(`${base}/:id/domains/:n`, async (req, reply) => {
    const { s } = await ownOpen(ctx, req);
    if (s.assessment.status === 'submitted') return reply.redirect(`${base}/${s.assessment.id}`, 303);
    const { page } = pageOf(s, req.params.n);
    const values: Record<string, string> = {};
    for (const r of s.ratings) {
      values[`c${r.competencyId}`] = String(r.scaleLevelId);
      values[`comment_${r.competencyId}`] = r.comment;
    }
    return renderPage(reply, s, page.number, values);
  });

  app.post<{ Params: { id: string; n: string } }>(`${base}/:id/domains/:n`, async (req, reply) => {
    const { viewer, s } = await ownOpen(ctx, req);
    if (s.assessment.status === 'submitted') lockedAsHttp({ code: 'LW101' });
    const { pages, page } = pageOf(s, req.params.n);
    const body = formBody(req);
    const levelIds = new Set(s.model.content.levels.map((l) => l.id));
    const ratings: Rating[] = [];
    const errors: FieldError[] = [];
    const fields: Record<string, { text: string }> = {};
    for (const c of page.competencies) {
      const chosen = body[`c${c.id}`];
      const comment = (body[`comment_${c.id}`] ?? '').trim();
      if (comment.length > MAX_COMMENT) {
        fields[`comment_${c.id}`] = { text: `The comment on ${c.title} must be ${MAX_COMMENT} characters or fewer` };
        errors.push({ text: fields[`comment_${c.id}`].text, href: `#comment_${c.id}` });
        continue;
      }
      if (chosen && levelIds.has(Number(chosen))) {
        ratings.push({ competencyId: c.id, scaleLevelId: Number(chosen), comment });
      } else if (chosen) {
        throw new HttpError(400, 'The rating is not a level of this framework’s scale');
      } else if (body.action !== 'later') {
        fields[`c${c.id}`] = { text: `Select a rating for ${c.title}` };
        errors.push({ text: fields[`c${c.id}`].text, href: `#c${c.id}` });
      }
    }
    // Whatever was rated is kept, even when the page is not complete yet.
    await saveRatings(db, s.assessment.id, s.assessment.framework_version_id, ratings).catch(lockedAsHttp);
    if (ratings.length) {
      await auditWrite(db, req, viewer, {
        action: 'assessment.save',
        subjectType: 'self_assessment',
        subjectId: s.assessment.id,
        details: { domain: page.domain.code, ratings: ratings.length },
      });
    }
    if (errors.length) return renderPage(reply, s, page.number, body, { errors, fields }, 400);
    if (body.action === 'later') {
      await flash(ctx, req, 'Your answers are saved. Continue your self-assessment whenever you are ready.');
      return reply.redirect(base, 303);
    }
    const next = page.number < pages.length ? `${base}/${s.assessment.id}/domains/${page.number + 1}` : undefined;
    return reply.redirect(next ?? `${base}/${s.assessment.id}/review`, 303);
  });

  app.get<{ Params: { id: string } }>(`${base}/:id/review`, async (req, reply) => {
    const { s } = await ownOpen(ctx, req);
    if (s.assessment.status === 'submitted') return reply.redirect(`${base}/${s.assessment.id}`, 303);
    const missing = new Set(unrated(s.model.content, s.ratings));
    const pages = domainPages(s.model.content).map((p) => {
      const todo = p.competencies.filter((c) => missing.has(c.id)).length;
      return {
        ...p,
        href: `${base}/${s.assessment.id}/domains/${p.number}`,
        rated: p.competencies.length - todo,
        todo,
      };
    });
    return reply.render(`${views}/review.njk`, {
      title: 'Check your self-assessment',
      breadcrumbs: [
        { href: home, text: 'Development' },
        { href: base, text: 'Self-assessment' },
      ],
      assessment: presentAssessment(s.assessment, s.model),
      pages,
      complete: missing.size === 0,
      evidence: await evidenceOfAssessment(db, s.assessment.id),
      evidenceHref: `${base}/${s.assessment.id}/evidence`,
    });
  });

  app.post<{ Params: { id: string } }>(`${base}/:id/submit`, async (req, reply) => {
    const { viewer, s } = await ownOpen(ctx, req);
    if (s.assessment.status === 'submitted') lockedAsHttp({ code: 'LW101' });
    if (unrated(s.model.content, s.ratings).length) {
      throw new HttpError(400, 'Rate every competency before you submit: the check page shows which are left');
    }
    // The result is stored in the submitting transaction, after the status change has locked the ratings: every
    // submitted assessment has its result from the moment it is submitted.
    const submitted = await db.transaction().execute(async (trx) => {
      if (!(await submitAssessment(trx, s.assessment.id, ctx.deps.clock.now()))) return false;
      await storeResult(trx, { ...s.assessment, status: 'submitted' });
      return true;
    });
    if (!submitted) lockedAsHttp({ code: 'LW101' });
    await auditWrite(db, req, viewer, {
      action: 'assessment.submit',
      subjectType: 'self_assessment',
      subjectId: s.assessment.id,
      details: { framework_version_id: s.assessment.framework_version_id },
    });
    await flash(ctx, req, 'Self-assessment submitted. It is now locked and kept in your history.');
    return reply.redirect(`${base}/${s.assessment.id}`, 303);
  });

  app.post<{ Params: { id: string } }>(`${base}/:id/discard`, async (req, reply) => {
    const { viewer, s } = await ownOpen(ctx, req);
    if (!(await discardAssessment(db, s.assessment.id))) lockedAsHttp({ code: 'LW101' });
    await auditWrite(db, req, viewer, {
      action: 'assessment.discard',
      subjectType: 'self_assessment',
      subjectId: s.assessment.id,
    });
    await flash(ctx, req, 'The self-assessment in progress was discarded.');
    return reply.redirect(base, 303);
  });
}
