import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { setFlash, takeFlash } from '../../plugins/session.ts';
import { guard, notFound, readUpload, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { type ImportTarget, importLearning, type RowError } from './import.ts';

// Upload of prior learning as CSV: a person for themselves, an organisation admin for their staff.

const MAX_BYTES = 5 * 1024 * 1024;
const view = 'features/learning-record/views/import.njk';

function summary(problems: RowError[]): FieldError[] {
  const first = problems.slice(0, 10).map((p, i) => ({ text: `Line ${p.line}: ${p.message}`, href: `#problem-${i}` }));
  const more = problems.length - first.length;
  return more > 0 ? [...first, { text: `and ${more} more problems`, href: '#problems' }] : first;
}

export async function importRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;

  const render = (
    reply: FastifyReply,
    page: { action: string; kind: ImportTarget['kind']; back: string; orgName?: string },
    extra: Record<string, unknown> = {},
    status = 200,
  ) =>
    reply.render(
      view,
      {
        title: page.kind === 'self' ? 'Import your prior learning' : `Import learning for staff of ${page.orgName}`,
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: page.back, text: page.kind === 'self' ? 'Your learning record' : page.orgName },
        ],
        errors: [],
        fields: {},
        ...page,
        ...extra,
      },
      status,
    );

  async function handle(
    req: FastifyRequest,
    reply: FastifyReply,
    page: Parameters<typeof render>[1],
    target: ImportTarget,
    success: string,
  ) {
    const viewer = req.viewer!;
    const { file, tooLarge } = await readUpload(app, req, reply, MAX_BYTES);
    if (tooLarge) return render(reply, page, singleError('file', 'The file must be smaller than 5 MB'), 413);
    if (!file || file.text.trim() === '')
      return render(reply, page, singleError('file', 'Select a CSV file to import'), 400);
    if (!/\.csv$/i.test(file.filename) && /\.(xlsx?|ods|numbers|json)$/i.test(file.filename)) {
      return render(
        reply,
        page,
        singleError('file', 'The file must be a CSV file: save the spreadsheet as CSV first'),
        400,
      );
    }
    const result = await importLearning(deps.db, {
      text: file.text,
      target,
      today: deps.clock.now().toISOString().slice(0, 10),
      actor: { viewer, ip: req.ip },
    });
    if (!result.ok) {
      return render(
        reply,
        page,
        { errors: summary(result.errors), problems: result.errors, filename: file.filename },
        400,
      );
    }
    const people =
      target.kind === 'organisation' ? ` for ${result.people} ${result.people === 1 ? 'person' : 'people'}` : '';
    await setFlash(
      deps,
      req,
      `${success}: ${result.rows} ${result.rows === 1 ? 'record' : 'records'} imported${people} (${result.created} new, ${result.updated} updated).`,
    );
    return reply.redirect(page.back, 303);
  }

  const selfPage = { action: '/me/learning/import', kind: 'self' as const, back: '/me/learning' };

  app.get('/me/learning/import', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    if (viewer.personId === null) throw notFound('Learning record');
    return render(reply, selfPage);
  });

  app.post('/me/learning/import', { config: { csrf: false } }, async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    if (viewer.personId === null) throw notFound('Learning record');
    return handle(req, reply, selfPage, { kind: 'self', personId: viewer.personId }, 'Your learning was imported');
  });

  async function orgPage(req: FastifyRequest<{ Params: { code: string } }>) {
    const org = await findOrganisation(deps.db, req.params.code);
    if (!org) throw notFound('Organisation');
    guard(req, { action: 'org:admin', org: { id: org.id, icbId: org.icb_id, regionId: org.region_id } });
    return {
      org,
      page: {
        action: `/organisations/${org.code}/learning-import`,
        kind: 'organisation' as const,
        back: `/organisations/${org.code}/learning-import`,
        orgName: org.name,
      },
    };
  }

  app.get<{ Params: { code: string } }>('/organisations/:code/learning-import', async (req, reply) => {
    const { page } = await orgPage(req);
    return render(reply, page, { flash: await takeFlash(deps, req) });
  });

  app.post<{ Params: { code: string } }>(
    '/organisations/:code/learning-import',
    { config: { csrf: false } },
    async (req, reply) => {
      const { org, page } = await orgPage(req);
      return handle(req, reply, page, { kind: 'organisation', organisationId: org.id }, 'Learning was imported');
    },
  );
}
