import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { notFound } from '../../web/http.ts';
import { readContent } from './document-queries.ts';
import { type DraftEdit, draftEditor, formView } from './draft-edit.ts';
import {
  addCompetency,
  addIndicator,
  codesOf,
  codeTaken,
  countIndicators,
  findCompetency,
  findDomain,
  findIndicator,
  removeCompetency,
  removeIndicator,
  setDescriptors,
  updateCompetency,
  updateIndicator,
} from './draft-queries.ts';
import { draftCrumbs } from './draft-routes.ts';
import { nextCode } from './frameworks.ts';
import { competencyForm, indicatorForm } from './schemas.ts';
import { authorDraft, type DraftForm, type DraftTarget, draftUrl, idParam, takeFlash, views } from './web.ts';

type Target = DraftTarget;
type Form = DraftForm;
type KeyId = { key: string; id: string };

export async function competencyRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;
  const edit = draftEditor(ctx);
  const competencyUrl = (t: Target, id: number) => `${draftUrl(t.framework.key)}/competencies/${id}`;

  const competencyOr404 = async (t: Target, id: string) => {
    const c = await findCompetency(db, t.draft.id, idParam(id, 'Competency'));
    if (!c) throw notFound('Competency');
    return c;
  };
  const domainOr404 = async (t: Target, id: string) => {
    const domain = await findDomain(db, t.draft.id, idParam(id, 'Domain'));
    if (!domain) throw notFound('Domain');
    return domain;
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
        ...formView(form),
        cancel: `${draftUrl(t.framework.key)}#domain-${domain.id}`,
      },
      status,
    );

  app.get<{ Params: KeyId }>('/frameworks/:key/draft/domains/:id/competencies/new', async (req, reply) => {
    const { target } = await authorDraft(db, req);
    return renderNew(reply, target, await domainOr404(target, req.params.id), {});
  });

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/domains/:id/competencies',
    edit<KeyId>(async (e) => {
      const { target } = e;
      const domain = await domainOr404(target, e.req.params.id);
      const parsed = e.parse(competencyForm);
      if (!parsed.ok) return renderNew(e.reply, target, domain, parsed.form, 400);
      const code =
        parsed.data.code ?? nextCode(await codesOf(db, target.draft.id, 'framework_competencies'), `${domain.code}.`);
      if (await codeTaken(db, target.draft.id, 'framework_competencies', code)) {
        const refusal = e.refusal('code', `Another competency of this version already has the code ${code}`);
        return renderNew(e.reply, target, domain, refusal, 400);
      }
      const { title, description, indicators } = parsed.data;
      const id = await e.save<number>(
        'framework.competency.add',
        (id) => ({ competencyId: id, code }),
        (trx) => addCompetency(trx, target.draft.id, domain.id, { code, title, description, indicators }),
      );
      return e.done(competencyUrl(target, id), `Competency ${code} “${title}” added.`);
    }),
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
        ...formView(form, { ...competency, domain_id: String(competency.domain_id), ...values }),
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

  app.get<{ Params: KeyId }>('/frameworks/:key/draft/competencies/:id', async (req, reply) => {
    const { target } = await authorDraft(db, req);
    const id = idParam(req.params.id, 'Competency');
    return renderCompetency(reply, target, id, {}, 200, await takeFlash(ctx, req));
  });

  /** A competency's own edits (details, descriptors, indicators), each refused on the competency's page. */
  const competencyEdit = (
    handler: (
      e: DraftEdit<KeyId>,
      competency: Awaited<ReturnType<typeof competencyOr404>>,
      refuse: (form: Form) => unknown,
    ) => Promise<unknown>,
  ) =>
    edit<KeyId>(async (e) => {
      const competency = await competencyOr404(e.target, e.req.params.id);
      return handler(e, competency, (form) => renderCompetency(e.reply, e.target, competency.id, form, 400));
    });

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/competencies/:id',
    competencyEdit(async (e, competency, refuse) => {
      const { target } = e;
      const parsed = e.parse(competencyForm);
      if (!parsed.ok) return refuse(parsed.form);
      const code = parsed.data.code ?? competency.code;
      const domainId = parsed.data.domain_id ?? competency.domain_id;
      if (await codeTaken(db, target.draft.id, 'framework_competencies', code, competency.id)) {
        return refuse(e.refusal('code', `Another competency of this version already has the code ${code}`));
      }
      if (!(await findDomain(db, target.draft.id, domainId))) {
        return refuse(e.refusal('domain_id', 'Select a domain of this version'));
      }
      const { title, description } = parsed.data;
      await e.save('framework.competency.update', { competencyId: competency.id, code }, (trx) =>
        updateCompetency(trx, target.draft.id, competency.id, { code, title, description, domain_id: domainId }),
      );
      return e.done(competencyUrl(target, competency.id), `Competency ${code} saved.`);
    }),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/competencies/:id/move',
    competencyEdit(async (e, competency) => {
      await e.move('framework_competencies', competency.id, 'framework.competency.move', {
        competencyId: competency.id,
      });
      return e.done(`${draftUrl(e.target.framework.key)}#competency-${competency.id}`);
    }),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/competencies/:id/remove',
    competencyEdit(async (e, competency) => {
      await e.save('framework.competency.remove', { competencyId: competency.id, code: competency.code }, (trx) =>
        removeCompetency(trx, e.target.draft.id, competency.id),
      );
      return e.done(
        `${draftUrl(e.target.framework.key)}#domain-${competency.domain_id}`,
        `Competency ${competency.code} “${competency.title}” removed.`,
      );
    }),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/competencies/:id/descriptors',
    competencyEdit(async (e, competency, refuse) => {
      const { levels } = await readContent(db, e.target.draft.id);
      const texts = levels.map((l) => ({
        scaleLevelId: l.id,
        text: (e.values[`level_${l.id}`] ?? '').trim().replace(/\r\n?/g, '\n'),
      }));
      const tooLong = texts.find((t) => t.text.length > 2000);
      if (tooLong) {
        const label = levels.find((l) => l.id === tooLong.scaleLevelId)?.label;
        const text = `The descriptor for ${label} must be 2,000 characters or fewer`;
        return refuse(e.refusal(`level_${tooLong.scaleLevelId}`, text));
      }
      await e.save('framework.descriptors.update', { competencyId: competency.id }, (trx) =>
        setDescriptors(trx, e.target.draft.id, competency.id, texts),
      );
      return e.done(`${competencyUrl(e.target, competency.id)}#descriptors`, 'Level descriptors saved.');
    }),
  );

  // Indicator statements

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/competencies/:id/indicators',
    competencyEdit(async (e, competency, refuse) => {
      const parsed = e.parse(indicatorForm);
      if (!parsed.ok) return refuse(parsed.form);
      if ((await countIndicators(db, competency.id)) >= 30) {
        return refuse(e.refusal('text', 'A competency can have at most 30 indicator statements'));
      }
      await e.save('framework.indicator.add', { competencyId: competency.id }, (trx) =>
        addIndicator(trx, e.target.draft.id, competency.id, parsed.data.text),
      );
      return e.done(`${competencyUrl(e.target, competency.id)}#indicators`, 'Indicator statement added.');
    }),
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
        ...formView(form),
        cancel: `${competencyUrl(t, i.competency_id)}#indicators`,
      },
      status,
    );

  app.get<{ Params: KeyId }>('/frameworks/:key/draft/indicators/:id', async (req, reply) => {
    const { target } = await authorDraft(db, req);
    const indicator = await indicatorOr404(target, req.params.id);
    return renderIndicator(reply, target, indicator, { values: indicator });
  });

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/indicators/:id',
    edit<KeyId>(async (e) => {
      const indicator = await indicatorOr404(e.target, e.req.params.id);
      const parsed = e.parse(indicatorForm);
      if (!parsed.ok) return renderIndicator(e.reply, e.target, indicator, parsed.form, 400);
      await e.save('framework.indicator.update', { indicatorId: indicator.id }, (trx) =>
        updateIndicator(trx, e.target.draft.id, indicator.id, parsed.data.text),
      );
      return e.done(`${competencyUrl(e.target, indicator.competency_id)}#indicators`, 'Indicator statement saved.');
    }),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/indicators/:id/move',
    edit<KeyId>(async (e) => {
      const indicator = await indicatorOr404(e.target, e.req.params.id);
      await e.move('framework_indicators', indicator.id, 'framework.indicator.move', { indicatorId: indicator.id });
      return e.done(`${competencyUrl(e.target, indicator.competency_id)}#indicators`);
    }),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/indicators/:id/remove',
    edit<KeyId>(async (e) => {
      const indicator = await indicatorOr404(e.target, e.req.params.id);
      await e.save('framework.indicator.remove', { indicatorId: indicator.id }, (trx) =>
        removeIndicator(trx, e.target.draft.id, indicator.id),
      );
      return e.done(`${competencyUrl(e.target, indicator.competency_id)}#indicators`, 'Indicator statement removed.');
    }),
  );
}
