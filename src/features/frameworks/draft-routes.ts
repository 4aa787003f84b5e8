import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { notFound } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { competencyRoutes } from './competency-routes.ts';
import type { Problem } from './document.ts';
import { readContent, versionMeta } from './document-queries.ts';
import { draftEditor, formView } from './draft-edit.ts';
import {
  addDomain,
  codesOf,
  codeTaken,
  findDomain,
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
  draftUrl,
  frameworkUrl,
  idParam,
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

type Key = { key: string };
type KeyId = { key: string; id: string };

export async function draftRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;
  const edit = draftEditor(ctx);

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
        ...formView(form, form.values ?? meta),
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

  app.get<{ Params: Key }>('/frameworks/:key/draft', async (req, reply) => {
    const { target } = await authorDraft(db, req);
    return renderDraft(req, reply, target);
  });

  app.post<{ Params: Key }>(
    '/frameworks/:key/draft/details',
    edit(async (e) => {
      const parsed = e.parse(detailsForm);
      if (!parsed.ok) return renderDraft(e.req, e.reply, e.target, parsed.form, 400);
      await e.save('framework.details.update', { title: parsed.data.title }, async (trx) => {
        await updateDetails(trx, e.target.draft.id, parsed.data);
        await syncFramework(trx, e.target.framework.id);
      });
      return e.done(draftUrl(e.target.framework.key), 'Details saved.');
    }),
  );

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
        ...formView(form),
        cancel: draftUrl(t.framework.key),
      },
      status,
    );

  /** Add (no id) or change a domain; the same checks either way. */
  const saveDomain = (domainId?: number) =>
    edit<KeyId | Key>(async (e) => {
      const { target } = e;
      if (domainId !== undefined && !(await findDomain(db, target.draft.id, domainId))) throw notFound('Domain');
      const parsed = e.parse(domainForm);
      if (!parsed.ok) return renderDomain(e.reply, target, domainId, parsed.form, 400);
      const code = parsed.data.code ?? nextCode(await codesOf(db, target.draft.id, 'framework_domains'), 'D');
      if (await codeTaken(db, target.draft.id, 'framework_domains', code, domainId)) {
        const refusal = e.refusal('code', `Another domain of this version already has the code ${code}`);
        return renderDomain(e.reply, target, domainId, refusal, 400);
      }
      const domain = { ...parsed.data, code };
      const action = domainId ? 'framework.domain.update' : 'framework.domain.add';
      const id = await e.save<number>(
        action,
        (id) => ({ domainId: id, code }),
        async (trx) => {
          if (domainId === undefined) return addDomain(trx, target.draft.id, domain);
          await updateDomain(trx, target.draft.id, domainId, domain);
          return domainId;
        },
      );
      return e.done(`${draftUrl(target.framework.key)}#domain-${id}`, `Domain ${code} “${domain.title}” saved.`);
    });

  app.get<{ Params: Key }>('/frameworks/:key/draft/domains/new', async (req, reply) => {
    const { target } = await authorDraft(db, req);
    return renderDomain(reply, target, undefined, {});
  });

  app.post<{ Params: Key }>('/frameworks/:key/draft/domains', saveDomain());

  app.get<{ Params: KeyId }>('/frameworks/:key/draft/domains/:id', async (req, reply) => {
    const { target } = await authorDraft(db, req);
    const domain = await findDomain(db, target.draft.id, idParam(req.params.id, 'Domain'));
    if (!domain) throw notFound('Domain');
    return renderDomain(reply, target, domain.id, { values: domain });
  });

  app.post<{ Params: KeyId }>('/frameworks/:key/draft/domains/:id', (req, reply) =>
    saveDomain(idParam(req.params.id, 'Domain'))(req, reply),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/domains/:id/move',
    edit<KeyId>(async (e) => {
      const id = idParam(e.req.params.id, 'Domain');
      await e.move('framework_domains', id, 'framework.domain.move', { domainId: id });
      return e.done(`${draftUrl(e.target.framework.key)}#domain-${id}`);
    }),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/domains/:id/remove',
    edit<KeyId>(async (e) => {
      const domain = await findDomain(db, e.target.draft.id, idParam(e.req.params.id, 'Domain'));
      if (!domain) throw notFound('Domain');
      await e.save('framework.domain.remove', { domainId: domain.id, code: domain.code }, (trx) =>
        removeDomain(trx, e.target.draft.id, domain.id),
      );
      const removed = `Domain ${domain.code} “${domain.title}” and its competencies removed.`;
      return e.done(`${draftUrl(e.target.framework.key)}#domains`, removed);
    }),
  );

  // Publish and discard

  app.post<{ Params: Key }>(
    '/frameworks/:key/draft/publish',
    edit(async ({ req, reply, viewer, target, done }) => {
      const result = await publishDraft(db, target.framework, actorOf(req, viewer)).catch(asHttp);
      if (!result.ok) {
        return renderDraft(req, reply, target, { errors: problemLinks(target.framework.key, result.problems) }, 400);
      }
      const published = `Version ${result.version} is published. Its content can no longer change.`;
      return done(frameworkUrl(target.framework.key), published);
    }),
  );

  app.get<{ Params: Key }>('/frameworks/:key/draft/discard', async (req, reply) => {
    const { target } = await authorDraft(db, req);
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

  app.post<{ Params: Key }>(
    '/frameworks/:key/draft/discard',
    edit(async ({ req, viewer, target, done }) => {
      const { frameworkGone } = await discard(db, target.framework, actorOf(req, viewer)).catch(asHttp);
      const discarded = `Draft version ${target.draft.version} of ${target.framework.title} discarded.`;
      return done(frameworkGone ? '/frameworks' : frameworkUrl(target.framework.key), discarded);
    }),
  );

  await competencyRoutes(app, ctx);
}
