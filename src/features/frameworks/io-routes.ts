import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { guard, notFound, readUpload, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { documentToCsv } from './csv.ts';
import { readDocument } from './document-queries.ts';
import { type ImportProblem, importFile } from './import.ts';
import { versionsOf } from './queries.ts';
import { actorOf, draftUrl, flash, frameworkOr404, idParam, views } from './web.ts';

// Upload (national admins) and download (anyone who may read the version) of whole versions.

const MAX_BYTES = 5 * 1024 * 1024;

/** The summary shows the first problems; the page lists them all. */
function summary(problems: ImportProblem[]): FieldError[] {
  const first = problems.slice(0, 10).map((p, i) => ({ text: `${p.where}: ${p.message}`, href: `#problem-${i}` }));
  const more = problems.length - first.length;
  return more > 0 ? [...first, { text: `and ${more} more problems`, href: '#problems' }] : first;
}

export async function ioRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  const renderImport = (reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    reply.render(
      `${views}/import.njk`,
      {
        title: 'Import a framework',
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: '/frameworks', text: 'Competency frameworks' },
        ],
        errors: [],
        fields: {},
        ...extra,
      },
      status,
    );

  app.get('/frameworks/import', async (req, reply) => {
    guard(req, { action: 'frameworks:author' });
    return renderImport(reply);
  });

  app.post('/frameworks/import', { config: { csrf: false } }, async (req, reply) => {
    const viewer = guard(req, { action: 'frameworks:author' });
    const { file, tooLarge } = await readUpload(app, req, reply, MAX_BYTES);
    if (tooLarge) return renderImport(reply, singleError('file', 'The file must be smaller than 5 MB'), 413);
    if (!file || file.text.trim() === '') {
      return renderImport(reply, singleError('file', 'Select a JSON or CSV file to import'), 400);
    }
    const result = await importFile(db, file, actorOf(req, viewer));
    if (!result.ok) {
      return renderImport(
        reply,
        { errors: summary(result.problems), problems: result.problems, filename: file.filename, format: result.format },
        400,
      );
    }
    await flash(
      ctx,
      req,
      `Imported ${file.filename} as draft version ${result.version}${result.created ? ' of a new framework' : ''}. Check it, then publish it.`,
    );
    return reply.redirect(draftUrl(result.key), 303);
  });

  for (const format of ['json', 'csv'] as const) {
    app.get<{ Params: { key: string; n: string } }>(
      `/frameworks/:key/versions/:n/export.${format}`,
      async (req, reply) => {
        const viewer = guard(req, { action: 'frameworks:read' });
        const framework = await frameworkOr404(db, req.params.key);
        const number = idParam(req.params.n, 'Version');
        const version = (await versionsOf(db, framework.id)).find((v) => v.version === number);
        if (!version || (version.status === 'draft' && !authorise(viewer, { action: 'frameworks:author' }))) {
          throw notFound(`Version ${number}`);
        }
        const doc = (await readDocument(db, version.id))!;
        const filename = `${framework.key}-v${version.version}.${format}`;
        reply.header('content-disposition', `attachment; filename="${filename}"`);
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(documentToCsv(doc));
        return reply.type('application/json; charset=utf-8').send(`${JSON.stringify(doc, null, 2)}\n`);
      },
    );
  }
}
