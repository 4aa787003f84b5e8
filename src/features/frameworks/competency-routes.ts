import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { formErrors, notFound, singleError } from '../../web/http.ts';
import { readContent } from './document-queries.ts';
import {
  addCompetency,
  addIndicator,
  codesOf,
  codeTaken,
  countIndicators,
  findCompetency,
  findDomain,
  findIndicator,
  moveRow,
  removeCompetency,
  removeIndicator,
  setDescriptors,
  updateCompetency,
  updateIndicator,
} from './draft-queries.ts';
import { draftCrumbs } from './draft-routes.ts';
import { nextCode } from './frameworks.ts';
import { competencyForm, indicatorForm } from './schemas.ts';
import {
  authorDraft,
  type DraftForm,
  type DraftTarget,
  directionOf,
  draftAudit,
  draftUrl,
  flash,
  formBody,
  idParam,
  inDraft,
  takeFlash,
  views,
} from './web.ts';

type Target = DraftTarget;
type Form = DraftForm;

export async function competencyRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  const author = (req: FastifyRequest<{ Params: { key: string } }>) => authorDraft(db, req);
  const competencyUrl = (t: Target, id: number) => `${draftUrl(t.framework.key)}/competencies/${id}`;

  const competencyOr404 = async (t: Target, id: string) => {
    const c = await findCompetency(db, t.draft.id, idParam(id, 'Competency'));
    if (!c) throw notFound('Competency');
    return c;
  };

  const renderNew = (
    reply: FastifyReply,
    t: Target,
    domain: { id: number; code: string; title: string },
    form: Form,
    status = 200,
  ) =>
    reply.render(
      `${views}/competency-new.njk`,
      {
        title: `Add a competency to ${domain.title}`,
        breadcrumbs: draftCrumbs(t),
        framework: t.framework,
        domain,
        action: `${draftUrl(t.framework.key)}/domains/${domain.id}/competencies`,
        values: form.values ?? {},
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        cancel: `${draftUrl(t.framework.key)}#domain-${domain.id}`,
      },
      status,
    );

  app.get<{ Params: { key: string; id: string } }>(
    '/frameworks/:key/draft/domains/:id/competencies/new',
    async (req, reply) => {
      const { target } = await author(req);
      const domain = await findDomain(db, target.draft.id, idParam(req.params.id, 'Domain'));
      if (!domain) throw notFound('Domain');
      return renderNew(reply, target, domain, {});
    },
  );

  app.post<{ Params: { key: string; id: string } }>(
    '/frameworks/:key/draft/domains/:id/competencies',
    async (req, reply) => {
      const { viewer, target } = await author(req);
      const domain = await findDomain(db, target.draft.id, idParam(req.params.id, 'Domain'));
      if (!domain) throw notFound('Domain');
      const values = formBody(req);
      const parsed = competencyForm.safeParse(values);
      if (!parsed.success) return renderNew(reply, target, domain, { values, ...formErrors(parsed.error) }, 400);
      const code =
        parsed.data.code ?? nextCode(await codesOf(db, target.draft.id, 'framework_competencies'), `${domain.code}.`);
      if (await codeTaken(db, target.draft.id, 'framework_competencies', code)) {
        const e = singleError('code', `Another competency of this version already has the code ${code}`);
        return renderNew(reply, target, domain, { values, ...e }, 400);
      }
      const { title, description, indicators } = parsed.data;
      const id = await inDraft(db, async (trx) => {
        const id = await addCompetency(trx, target.draft.id, domain.id, { code, title, description, indicators });
        await draftAudit(trx, req, viewer, target, 'framework.competency.add', { competencyId: id, code });
        return id;
      });
      await flash(ctx, req, `Competency ${code} “${title}” added.`);
      return reply.redirect(competencyUrl(target, id), 303);
    },
  );

  const renderCompetency = async (
    reply: FastifyReply,
    t: Target,
    id: number,
    form: Form = {},
    status = 200,
    flashText?: string,
  ) => {
    const competency = await findCompetency(db, t.draft.id, id);
    if (!competency) throw notFound('Competency');
    const content = await readContent(db, t.draft.id);
    const indicators = content.indicators.filter((i) => i.competency_id === id);
    const descriptors = new Map(
      content.descriptors.filter((d) => d.competency_id === id).map((d) => [d.scale_level_id, d.text]),
    );
    const values = form.values ?? {};
    return reply.render(
      `${views}/competency.njk`,
      {
        title: `Edit competency ${competency.code}`,
        breadcrumbs: draftCrumbs(t),
        flash: flashText,
        framework: t.framework,
        competency,
        values: { ...competency, domain_id: String(competency.domain_id), ...values },
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        domains: content.domains.map((d) => ({ value: String(d.id), text: `${d.code} ${d.title}` })),
        indicators: indicators.map((i, n) => ({
          ...i,
          number: n + 1,
          first: n === 0,
          last: n === indicators.length - 1,
        })),
        levels: content.levels.map((l) => ({
          ...l,
          field: `level_${l.id}`,
          text: values[`level_${l.id}`] ?? descriptors.get(l.id) ?? '',
        })),
        url: competencyUrl(t, id),
        draftUrl: draftUrl(t.framework.key),
      },
      status,
    );
  };

  app.get<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/competencies/:id', async (req, reply) => {
    const { target } = await author(req);
    const id = idParam(req.params.id, 'Competency');
    return renderCompetency(reply, target, id, {}, 200, await takeFlash(ctx, req));
  });

  app.post<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/competencies/:id', async (req, reply) => {
    const { viewer, target } = await author(req);
    const competency = await competencyOr404(target, req.params.id);
    const values = formBody(req);
    const parsed = competencyForm.safeParse(values);
    if (!parsed.success)
      return renderCompetency(reply, target, competency.id, { values, ...formErrors(parsed.error) }, 400);
    const code = parsed.data.code ?? competency.code;
    const domainId = parsed.data.domain_id ?? competency.domain_id;
    let problem: ReturnType<typeof singleError> | undefined;
    if (await codeTaken(db, target.draft.id, 'framework_competencies', code, competency.id)) {
      problem = singleError('code', `Another competency of this version already has the code ${code}`);
    } else if (!(await findDomain(db, target.draft.id, domainId))) {
      problem = singleError('domain_id', 'Select a domain of this version');
    }
    if (problem) return renderCompetency(reply, target, competency.id, { values, ...problem }, 400);
    await inDraft(db, async (trx) => {
      const { title, description } = parsed.data;
      await updateCompetency(trx, target.draft.id, competency.id, { code, title, description, domain_id: domainId });
      await draftAudit(trx, req, viewer, target, 'framework.competency.update', { competencyId: competency.id, code });
    });
    await flash(ctx, req, `Competency ${code} saved.`);
    return reply.redirect(competencyUrl(target, competency.id), 303);
  });

  app.post<{ Params: { key: string; id: string } }>(
    '/frameworks/:key/draft/competencies/:id/move',
    async (req, reply) => {
      const { viewer, target } = await author(req);
      const competency = await competencyOr404(target, req.params.id);
      const direction = directionOf(req);
      await inDraft(db, async (trx) => {
        if (await moveRow(trx, 'framework_competencies', target.draft.id, competency.id, direction)) {
          await draftAudit(trx, req, viewer, target, 'framework.competency.move', {
            competencyId: competency.id,
            direction,
          });
        }
      });
      return reply.redirect(`${draftUrl(target.framework.key)}#competency-${competency.id}`, 303);
    },
  );

  app.post<{ Params: { key: string; id: string } }>(
    '/frameworks/:key/draft/competencies/:id/remove',
    async (req, reply) => {
      const { viewer, target } = await author(req);
      const competency = await competencyOr404(target, req.params.id);
      await inDraft(db, async (trx) => {
        await removeCompetency(trx, target.draft.id, competency.id);
        await draftAudit(trx, req, viewer, target, 'framework.competency.remove', {
          competencyId: competency.id,
          code: competency.code,
        });
      });
      await flash(ctx, req, `Competency ${competency.code} “${competency.title}” removed.`);
      return reply.redirect(`${draftUrl(target.framework.key)}#domain-${competency.domain_id}`, 303);
    },
  );

  app.post<{ Params: { key: string; id: string } }>(
    '/frameworks/:key/draft/competencies/:id/descriptors',
    async (req, reply) => {
      const { viewer, target } = await author(req);
      const competency = await competencyOr404(target, req.params.id);
      const values = formBody(req);
      const { levels } = await readContent(db, target.draft.id);
      const texts = levels.map((l) => ({
        scaleLevelId: l.id,
        text: (values[`level_${l.id}`] ?? '').trim().replace(/\r\n?/g, '\n'),
      }));
      const tooLong = texts.find((t) => t.text.length > 2000);
      if (tooLong) {
        const label = levels.find((l) => l.id === tooLong.scaleLevelId)?.label;
        const e = singleError(
          `level_${tooLong.scaleLevelId}`,
          `The descriptor for ${label} must be 2,000 characters or fewer`,
        );
        return renderCompetency(reply, target, competency.id, { values, ...e }, 400);
      }
      await inDraft(db, async (trx) => {
        await setDescriptors(trx, target.draft.id, competency.id, texts);
        await draftAudit(trx, req, viewer, target, 'framework.descriptors.update', { competencyId: competency.id });
      });
      await flash(ctx, req, 'Level descriptors saved.');
      return reply.redirect(`${competencyUrl(target, competency.id)}#descriptors`, 303);
    },
  );

  // Indicator statements

  app.post<{ Params: { key: string; id: string } }>(
    '/frameworks/:key/draft/competencies/:id/indicators',
    async (req, reply) => {
      const { viewer, target } = await author(req);
      const competency = await competencyOr404(target, req.params.id);
      const values = formBody(req);
      const parsed = indicatorForm.safeParse(values);
      if (!parsed.success)
        return renderCompetency(reply, target, competency.id, { values, ...formErrors(parsed.error) }, 400);
      if ((await countIndicators(db, competency.id)) >= 30) {
        const e = singleError('text', 'A competency can have at most 30 indicator statements');
        return renderCompetency(reply, target, competency.id, { values, ...e }, 400);
      }
      await inDraft(db, async (trx) => {
        await addIndicator(trx, target.draft.id, competency.id, parsed.data.text);
        await draftAudit(trx, req, viewer, target, 'framework.indicator.add', { competencyId: competency.id });
      });
      await flash(ctx, req, 'Indicator statement added.');
      return reply.redirect(`${competencyUrl(target, competency.id)}#indicators`, 303);
    },
  );

  const indicatorOr404 = async (t: Target, id: string) => {
    const i = await findIndicator(db, t.draft.id, idParam(id, 'Indicator'));
    if (!i) throw notFound('Indicator statement');
    return i;
  };

  const renderIndicator = (
    reply: FastifyReply,
    t: Target,
    i: { id: number; competency_id: number },
    form: Form,
    status = 200,
  ) =>
    reply.render(
      `${views}/indicator.njk`,
      {
        title: 'Edit indicator statement',
        breadcrumbs: [...draftCrumbs(t), { href: competencyUrl(t, i.competency_id), text: 'Competency' }],
        framework: t.framework,
        action: `${draftUrl(t.framework.key)}/indicators/${i.id}`,
        values: form.values ?? {},
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        cancel: `${competencyUrl(t, i.competency_id)}#indicators`,
      },
      status,
    );

  app.get<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/indicators/:id', async (req, reply) => {
    const { target } = await author(req);
    const indicator = await indicatorOr404(target, req.params.id);
    return renderIndicator(reply, target, indicator, { values: indicator });
  });

  app.post<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/indicators/:id', async (req, reply) => {
    const { viewer, target } = await author(req);
    const indicator = await indicatorOr404(target, req.params.id);
    const values = formBody(req);
    const parsed = indicatorForm.safeParse(values);
    if (!parsed.success) return renderIndicator(reply, target, indicator, { values, ...formErrors(parsed.error) }, 400);
    await inDraft(db, async (trx) => {
      await updateIndicator(trx, target.draft.id, indicator.id, parsed.data.text);
      await draftAudit(trx, req, viewer, target, 'framework.indicator.update', { indicatorId: indicator.id });
    });
    await flash(ctx, req, 'Indicator statement saved.');
    return reply.redirect(`${competencyUrl(target, indicator.competency_id)}#indicators`, 303);
  });

  for (const op of ['move', 'remove'] as const) {
    app.post<{ Params: { key: string; id: string } }>(
      `/frameworks/:key/draft/indicators/:id/${op}`,
      async (req, reply) => {
        const { viewer, target } = await author(req);
        const indicator = await indicatorOr404(target, req.params.id);
        const direction = op === 'move' ? directionOf(req) : undefined;
        await inDraft(db, async (trx) => {
          let changed = true;
          if (direction) changed = await moveRow(trx, 'framework_indicators', target.draft.id, indicator.id, direction);
          else await removeIndicator(trx, target.draft.id, indicator.id);
          if (changed) {
            await draftAudit(trx, req, viewer, target, `framework.indicator.${op}`, {
              indicatorId: indicator.id,
              direction,
            });
          }
        });
        if (op === 'remove') await flash(ctx, req, 'Indicator statement removed.');
        return reply.redirect(`${competencyUrl(target, indicator.competency_id)}#indicators`, 303);
      },
    );
  }
}
