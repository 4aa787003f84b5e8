import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { formErrors, guard, notFound, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { api } from './api.ts';
import { readDocument } from './document-queries.ts';
import { draftRoutes } from './draft-routes.ts';
import { reservedKeys, statusLabels } from './frameworks.ts';
import { ioRoutes } from './io-routes.ts';
import { createDraftFrom, emptyDocument, retire, startNewVersion } from './lifecycle.ts';
import { levelColumns, presentDocument, presentVersionRow } from './present.ts';
import { findFramework, listFrameworks, type VersionRow, versionsOf } from './queries.ts';
import { scaleRoutes } from './scale-routes.ts';
import { frameworkForm } from './schemas.ts';
import {
  actorOf,
  asHttp,
  draftUrl,
  flash,
  formBody,
  frameworkOr404,
  frameworkUrl,
  idParam,
  takeFlash,
  views,
} from './web.ts';

const versionQuery = z.object({ version: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined) });

/** The version a reader sees by default: the latest published, else the latest retired, else (authors) the draft. */
function defaultVersion(versions: VersionRow[], canAuthor: boolean): VersionRow | undefined {
  return (
    versions.find((v) => v.status === 'published') ??
    versions.find((v) => v.status === 'retired') ??
    (canAuthor ? versions.find((v) => v.status === 'draft') : undefined)
  );
}

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get('/frameworks', async (req, reply) => {
    const viewer = guard(req, { action: 'frameworks:read' });
    const canAuthor = authorise(viewer, { action: 'frameworks:author' });
    const rows = await listFrameworks(db, { includeDrafts: canAuthor });
    return reply.render(`${views}/list.njk`, {
      title: 'Competency frameworks',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      flash: await takeFlash(ctx, req),
      canAuthor,
      frameworks: rows.map((f) => ({
        ...f,
        href: frameworkUrl(f.key),
        published_on: f.published_at?.toISOString().slice(0, 10),
        latestStatusLabel: f.latest_status ? statusLabels[f.latest_status] : undefined,
      })),
    });
  });

  const renderNew = (
    reply: FastifyReply,
    form: { values: Record<string, unknown>; errors?: FieldError[]; fields?: Record<string, { text: string }> },
    status = 200,
  ) =>
    reply.render(
      `${views}/new.njk`,
      {
        title: 'Create a framework',
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: '/frameworks', text: 'Competency frameworks' },
        ],
        values: form.values,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );

  app.get('/frameworks/new', async (req, reply) => {
    guard(req, { action: 'frameworks:author' });
    return renderNew(reply, { values: {} });
  });

  app.post('/frameworks', async (req, reply) => {
    const viewer = guard(req, { action: 'frameworks:author' });
    const values = formBody(req);
    const parsed = frameworkForm.safeParse(values);
    if (!parsed.success) return renderNew(reply, { values, ...formErrors(parsed.error) }, 400);
    const f = parsed.data;
    const keyProblem = reservedKeys.includes(f.key)
      ? `“${f.key}” cannot be a framework key: choose another`
      : (await findFramework(db, f.key))
        ? `A framework with the key ${f.key} already exists`
        : undefined;
    if (keyProblem) return renderNew(reply, { values, ...singleError('key', keyProblem) }, 400);
    const doc = emptyDocument({ key: f.key, title: f.title, description: f.description, owner: f.owner });
    try {
      await createDraftFrom(db, doc, actorOf(req, viewer), { action: 'framework.create' });
    } catch (err) {
      // Two admins choosing the same key at once: the unique index decides.
      if ((err as { code?: string }).code === '23505') {
        return renderNew(
          reply,
          { values, ...singleError('key', `A framework with the key ${f.key} already exists`) },
          400,
        );
      }
      throw err;
    }
    await flash(ctx, req, `Framework “${f.title}” created as a draft. Add its domains, competencies and rating scale.`);
    return reply.redirect(draftUrl(f.key), 303);
  });

  app.get<{ Params: { key: string } }>('/frameworks/:key', async (req, reply) => {
    const viewer = guard(req, { action: 'frameworks:read' });
    const canAuthor = authorise(viewer, { action: 'frameworks:author' });
    const framework = await frameworkOr404(db, req.params.key);
    const versions = (await versionsOf(db, framework.id)).filter((v) => canAuthor || v.status !== 'draft');
    const asked = versionQuery.parse(req.query).version;
    const shown = asked !== undefined ? versions.find((v) => v.version === asked) : defaultVersion(versions, canAuthor);
    if (!shown) throw notFound(asked !== undefined ? `Version ${asked}` : 'Framework');
    const doc = (await readDocument(db, shown.id))!;
    const draft = versions.find((v) => v.status === 'draft');
    return reply.render(`${views}/show.njk`, {
      title: `${doc.framework.title}${shown.status === 'published' ? '' : ` (version ${shown.version}, ${shown.status})`}`,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/frameworks', text: 'Competency frameworks' },
      ],
      flash: await takeFlash(ctx, req),
      framework,
      doc,
      shown: presentVersionRow(shown),
      view: presentDocument(doc),
      versions: versions.map((v) => ({
        ...presentVersionRow(v),
        href: `${frameworkUrl(framework.key)}?version=${v.version}`,
      })),
      canAuthor,
      draft,
      levelColumns,
      url: frameworkUrl(framework.key),
    });
  });

  app.post<{ Params: { key: string } }>('/frameworks/:key/versions', async (req, reply) => {
    const viewer = guard(req, { action: 'frameworks:author' });
    const framework = await frameworkOr404(db, req.params.key);
    const made = await startNewVersion(db, framework, actorOf(req, viewer)).catch(asHttp);
    await flash(
      ctx,
      req,
      `Version ${made.version} started as a copy of the latest version. It is a draft until you publish it.`,
    );
    return reply.redirect(draftUrl(framework.key), 303);
  });

  const retirePage = async (key: string, n: string) => {
    const framework = await frameworkOr404(db, key);
    const number = idParam(n, 'Version');
    const version = (await versionsOf(db, framework.id)).find((v) => v.version === number);
    if (!version) throw notFound(`Version ${number}`);
    return { framework, version };
  };

  app.get<{ Params: { key: string; n: string } }>('/frameworks/:key/versions/:n/retire', async (req, reply) => {
    guard(req, { action: 'frameworks:author' });
    const { framework, version } = await retirePage(req.params.key, req.params.n);
    return reply.render(`${views}/confirm.njk`, {
      title: `Retire version ${version.version} of ${framework.title}`,
      breadcrumbs: [
        { href: '/frameworks', text: 'Competency frameworks' },
        { href: frameworkUrl(framework.key), text: framework.title },
      ],
      heading: `Retire version ${version.version}?`,
      caption: framework.title,
      body: [
        'A retired version stays readable, with its content unchanged, so that results recorded against it still make sense.',
        'It is no longer offered as the current version of the framework. Retiring cannot be undone.',
      ],
      canProceed: version.status === 'published',
      notPossible: `Version ${version.version} is ${version.status}: only a published version can be retired.`,
      action: `${frameworkUrl(framework.key)}/versions/${version.version}/retire`,
      button: `Retire version ${version.version}`,
      cancel: frameworkUrl(framework.key),
    });
  });

  app.post<{ Params: { key: string; n: string } }>('/frameworks/:key/versions/:n/retire', async (req, reply) => {
    const viewer = guard(req, { action: 'frameworks:author' });
    const { framework, version } = await retirePage(req.params.key, req.params.n);
    await retire(db, framework, version.version, actorOf(req, viewer)).catch(asHttp);
    await flash(ctx, req, `Version ${version.version} of ${framework.title} is retired.`);
    return reply.redirect(`${frameworkUrl(framework.key)}?version=${version.version}`, 303);
  });

  await draftRoutes(app, ctx);
  await scaleRoutes(app, ctx);
  await ioRoutes(app, ctx);
}

export const frameworksFeature: Feature = { name: 'frameworks', routes, api };
