import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { guard, readUpload } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { setFlash, views } from './present.ts';
import { exportRegister, importRegister } from './transfer.ts';
import type { LineError } from './transfer-format.ts';

const MAX_BYTES = 5 * 1024 * 1024;

/** The summary shows the first ten problems; the page lists every one with its line. */
function summary(problems: LineError[]): FieldError[] {
  const first = problems.slice(0, 10).map((p, i) => ({ text: `Line ${p.line}: ${p.message}`, href: `#problem-${i}` }));
  const more = problems.length - first.length;
  return more > 0 ? [...first, { text: `and ${more} more problems`, href: '#problems' }] : first;
}

/** Import (curators, each for the returns they may curate) and export (everyone) of the register. */
export async function transferRoutes(app: FastifyInstance, { deps }: AppContext) {
  const render = (reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    reply.render(
      `${views}/import.njk`,
      {
        title: 'Import returns into the register',
        breadcrumbs: [{ href: '/burden', text: 'Reporting requirements' }],
        errors: [],
        fields: {},
        ...extra,
      },
      status,
    );

  app.get('/burden/import', async (req, reply) => {
    guard(req, { action: 'burden:curate-any' });
    return render(reply);
  });

  app.post('/burden/import', { config: { csrf: false } }, async (req, reply) => {
    const viewer = guard(req, { action: 'burden:curate-any' });
    const { file, tooLarge } = await readUpload(app, req, reply, MAX_BYTES);
    if (tooLarge) {
      const text = 'The file must be smaller than 5 MB';
      return render(reply, { errors: [{ text, href: '#file' }], fields: { file: { text } } }, 413);
    }
    if (!file) {
      const text = 'Select a CSV or JSON file to import';
      return render(reply, { errors: [{ text, href: '#file' }], fields: { file: { text } } }, 400);
    }
    if (!/\.(csv|json)$/i.test(file.filename)) {
      const text = 'The file must be a CSV file (.csv) or a JSON file (.json)';
      return render(reply, { errors: [{ text, href: '#file' }], fields: { file: { text } } }, 400);
    }
    const result = await importRegister(deps, file, { viewer, ip: req.ip });
    if (!result.ok) {
      return render(reply, { errors: summary(result.errors), problems: result.errors, filename: file.filename }, 400);
    }
    await setFlash(
      deps,
      req,
      `Imported ${file.filename}: ${result.created} return(s) added, ${result.updated} updated. Nothing else changed.` +
        (result.nearMatchesPending
          ? ` Near matches of the ${result.newItems} new data items will be found by the next nightly refresh.`
          : ''),
    );
    return reply.redirect('/burden', 303);
  });

  for (const format of ['csv', 'json'] as const) {
    app.get(`/burden/export.${format}`, async (req, reply) => {
      guard(req, { action: 'burden:view' });
      const body = await exportRegister(deps.db, format, deps.clock.now());
      const day = deps.clock.now().toISOString().slice(0, 10);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="reporting-register-${day}.${format}"`)
        .send(body);
    });
  }
}
