import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { formErrors, notFound, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { competencyRoutes } from './competency-routes.ts';
import type { Problem } from './document.ts';
import { readContent, versionMeta } from './document-queries.ts';
import {
  addDomain,
  codesOf,
  codeTaken,
  findDomain,
  moveRow,
  removeDomain,
  updateDetails,
  updateDomain,
} from './draft-queries.ts';
import { nextCode } from './frameworks.ts';
import { discard, publishDraft } from './lifecycle.ts';
import { presentDraftTree } from './present.ts';
import { syncFramework } from './queries.ts';
import { detailsForm, domainForm } from './schemas.ts';
import {
  actorOf,
  asHttp,
  authorDraft,
  type DraftForm,
  type DraftTarget,
  directionOf,
  draftAudit,
  draftUrl,
  flash,
  formBody,
  frameworkUrl,
  idParam,
  inDraft,
  takeFlash,
  views,
} from './web.ts';

type Target = DraftTarget;
type Form = DraftForm;

const crumbs = (t: Target) => [
  { href: '/frameworks', text: 'Competency frameworks' },
  { href: frameworkUrl(t.framework.key), text: t.framework.title },
];
export const draftCrumbs = (t: Target) => [
  ...crumbs(t),
  { href: draftUrl(t.framework.key), text: `Draft version ${t.draft.version}` },
];

/** Each publishing problem, linked to the part of the editor that fixes it. */
function problemLinks(key: string, problems: Problem[]): FieldError[] {
  const href = {
    details: '#title',
    domains: '#domains',
    scale: `${draftUrl(key)}/scale`,
    required: `${draftUrl(key)}/required`,
  };
  return problems.map((p) => ({ text: p.message, href: href[p.area] }));
}

export async function draftRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  const author = (req: FastifyRequest<{ Params: { key: string } }>) => authorDraft(db, req);

  const renderDraft = async (req: FastifyRequest, reply: FastifyReply, t: Target, form: Form = {}, status = 200) => {
    const [meta, content] = await Promise.all([versionMeta(db, t.draft.id), readContent(db, t.draft.id)]);
    return reply.render(
      `${views}/draft.njk`,
      {
        title: `Edit ${meta!.title}, draft version ${t.draft.version}`,
        breadcrumbs: crumbs(t),
        flash: status === 200 ? await takeFlash(ctx, req) : undefined,
        framework: t.framework,
        draft: t.draft,
        meta,
        values: form.values ?? meta,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        domains: presentDraftTree(content),
        levels: content.levels.map((l) => ({ ...l, counts: l.value !== null })),
        proficientLabel: content.levels.find((l) => l.value !== null && l.value === meta!.proficient_value)?.label,
        requiredCount: content.required.length,
        url: draftUrl(t.framework.key),
        frameworkUrl: frameworkUrl(t.framework.key),
      },
      status,
    );
  };

  app.get<{ Params: { key: string } }>('/frameworks/:key/draft', async (req, reply) => {
    const { target } = await author(req);
    return renderDraft(req, reply, target);
  });

  app.post<{ Params: { key: string } }>('/frameworks/:key/draft/details', async (req, reply) => {
    const { viewer, target } = await author(req);
    const values = formBody(req);
    const parsed = detailsForm.safeParse(values);
    if (!parsed.success) return renderDraft(req, reply, target, { values, ...formErrors(parsed.error) }, 400);
    await inDraft(db, async (trx) => {
      await updateDetails(trx, target.draft.id, parsed.data);
      await syncFramework(trx, target.framework.id);
      await draftAudit(trx, req, viewer, target, 'framework.details.update', { title: parsed.data.title });
    });
    await flash(ctx, req, 'Details saved.');
    return reply.redirect(draftUrl(target.framework.key), 303);
  });

  // Domains

  const renderDomain = (reply: FastifyReply, t: Target, domainId: number | undefined, form: Form, status = 200) =>
    reply.render(
      `${views}/domain.njk`,
      {
        title: domainId ? 'Edit domain' : 'Add a domain',
        breadcrumbs: draftCrumbs(t),
        framework: t.framework,
        draft: t.draft,
        action: domainId ? `${draftUrl(t.framework.key)}/domains/${domainId}` : `${draftUrl(t.framework.key)}/domains`,
        values: form.values ?? {},
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        cancel: draftUrl(t.framework.key),
      },
      status,
    );

  const saveDomain = async (
    req: FastifyRequest<{ Params: { key: string; id?: string } }>,
    reply: FastifyReply,
    domainId: number | undefined,
  ) => {
    const { viewer, target } = await author(req);
    if (domainId !== undefined && !(await findDomain(db, target.draft.id, domainId))) throw notFound('Domain');
    const values = formBody(req);
    const parsed = domainForm.safeParse(values);
    if (!parsed.success) return renderDomain(reply, target, domainId, { values, ...formErrors(parsed.error) }, 400);
    const code = parsed.data.code ?? nextCode(await codesOf(db, target.draft.id, 'framework_domains'), 'D');
    if (await codeTaken(db, target.draft.id, 'framework_domains', code, domainId)) {
      const e = singleError('code', `Another domain of this version already has the code ${code}`);
      return renderDomain(reply, target, domainId, { values, ...e }, 400);
    }
    const domain = { ...parsed.data, code };
    const id = await inDraft(db, async (trx) => {
      const id = domainId ?? (await addDomain(trx, target.draft.id, domain));
      if (domainId) await updateDomain(trx, target.draft.id, domainId, domain);
      await draftAudit(trx, req, viewer, target, domainId ? 'framework.domain.update' : 'framework.domain.add', {
        domainId: id,
        code,
      });
      return id;
    });
    await flash(ctx, req, `Domain ${code} “${domain.title}” saved.`);
    return reply.redirect(`${draftUrl(target.framework.key)}#domain-${id}`, 303);
  };

  app.get<{ Params: { key: string } }>('/frameworks/:key/draft/domains/new', async (req, reply) => {
    const { target } = await author(req);
    return renderDomain(reply, target, undefined, {});
  });

  app.post<{ Params: { key: string } }>('/frameworks/:key/draft/domains', (req, reply) =>
    saveDomain(req, reply, undefined),
  );

  app.get<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/domains/:id', async (req, reply) => {
    const { target } = await author(req);
    const domain = await findDomain(db, target.draft.id, idParam(req.params.id, 'Domain'));
    if (!domain) throw notFound('Domain');
    return renderDomain(reply, target, domain.id, { values: domain });
  });

  app.post<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/domains/:id', (req, reply) =>
    saveDomain(req, reply, idParam(req.params.id, 'Domain')),
  );

  app.post<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/domains/:id/move', async (req, reply) => {
    const { viewer, target } = await author(req);
    const id = idParam(req.params.id, 'Domain');
    const direction = directionOf(req);
    await inDraft(db, async (trx) => {
      if (await moveRow(trx, 'framework_domains', target.draft.id, id, direction)) {
        await draftAudit(trx, req, viewer, target, 'framework.domain.move', { domainId: id, direction });
      }
    });
    return reply.redirect(`${draftUrl(target.framework.key)}#domain-${id}`, 303);
  });

  app.post<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/domains/:id/remove', async (req, reply) => {
    const { viewer, target } = await author(req);
    const domain = await findDomain(db, target.draft.id, idParam(req.params.id, 'Domain'));
    if (!domain) throw notFound('Domain');
    await inDraft(db, async (trx) => {
      await removeDomain(trx, target.draft.id, domain.id);
      await draftAudit(trx, req, viewer, target, 'framework.domain.remove', { domainId: domain.id, code: domain.code });
    });
    await flash(ctx, req, `Domain ${domain.code} “${domain.title}” and its competencies removed.`);
    return reply.redirect(`${draftUrl(target.framework.key)}#domains`, 303);
  });

  // Publish and discard

  app.post<{ Params: { key: string } }>('/frameworks/:key/draft/publish', async (req, reply) => {
    const { viewer, target } = await author(req);
    const result = await publishDraft(db, target.framework, actorOf(req, viewer)).catch(asHttp);
    if (!result.ok) {
      return renderDraft(req, reply, target, { errors: problemLinks(target.framework.key, result.problems) }, 400);
    }
    await flash(ctx, req, `Version ${result.version} is published. Its content can no longer change.`);
    return reply.redirect(frameworkUrl(target.framework.key), 303);
  });

  app.get<{ Params: { key: string } }>('/frameworks/:key/draft/discard', async (req, reply) => {
    const { target } = await author(req);
    return reply.render(`${views}/confirm.njk`, {
      title: `Discard draft version ${target.draft.version} of ${target.framework.title}`,
      breadcrumbs: draftCrumbs(target),
      heading: `Discard draft version ${target.draft.version}?`,
      caption: target.framework.title,
      body: [
        'Everything in this draft is deleted. Published and retired versions are not affected.',
        target.draft.version === 1
          ? 'This framework has no other version, so the framework itself is deleted too.'
          : 'You can start a new version again at any time.',
      ],
      canProceed: true,
      action: `${draftUrl(target.framework.key)}/discard`,
      button: 'Discard draft',
      warning: true,
      cancel: draftUrl(target.framework.key),
    });
  });

  app.post<{ Params: { key: string } }>('/frameworks/:key/draft/discard', async (req, reply) => {
    const { viewer, target } = await author(req);
    const { frameworkGone } = await discard(db, target.framework, actorOf(req, viewer)).catch(asHttp);
    await flash(ctx, req, `Draft version ${target.draft.version} of ${target.framework.title} discarded.`);
    return reply.redirect(frameworkGone ? '/frameworks' : frameworkUrl(target.framework.key), 303);
  });

  await competencyRoutes(app, ctx);
}
