import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import type { Viewer } from '../../plugins/access.ts';
import { encodingNames, type TextEncoding } from '../../text.ts';
import { formErrors, guard, HttpError, notFound, singleError, verifyCsrfToken } from '../../web/http.ts';
import { findOrganisation, type OrgDetail } from '../organisations/queries.ts';
import { type ImportReport, importStaff } from './import.ts';
import { fieldSpecs, importFields, parseMappingSpec } from './import-mapping.ts';
import type { RowError } from './import-values.ts';
import { findImport, listImports } from './queries.ts';
import { uploadForm } from './schemas.ts';

const view = 'features/people/views/staff-import.njk';
const reportView = 'features/people/views/staff-import-report.njk';
/** Row problems listed on a page; the rest are counted (the CLI prints up to 10,000). */
const SHOWN_ERRORS = 1000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the app-wide CSRF hook skips this route, which checks the token itself (see app.ts). */
    csrf?: boolean;
  }
}

const fieldValue = (part: MultipartFile, name: string) => {
  const f = part.fields[name];
  const v = Array.isArray(f) ? f[0] : f;
  return v && v.type === 'field' ? String((v as MultipartValue).value) : undefined;
};

/** Read the stream to its end without keeping it, so the request can be answered. */
async function discard(part: MultipartFile) {
  for await (const _chunk of part.file) {
    // nothing to keep
  }
}

export function errorSummary(report: Pick<ImportReport, 'errors' | 'errorCount'>) {
  const first = report.errors.slice(0, 10).map((e, i) => ({ text: describe(e), href: `#row-error-${i}` }));
  const more = report.errorCount - first.length;
  return more > 0
    ? [...first, { text: `and ${more.toLocaleString('en-GB')} more problems`, href: '#row-errors' }]
    : first;
}

/** A live report or a stored import, in the one shape the templates show. */
function present(r: {
  status: string;
  filename: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  ended: number;
  errorCount: number;
  errors: RowError[];
  encoding: TextEncoding | null;
}) {
  return {
    ...r,
    errors: r.errors.slice(0, SHOWN_ERRORS),
    hiddenErrors: Math.max(0, r.errorCount - SHOWN_ERRORS),
    encodingName: r.encoding ? encodingNames[r.encoding] : null,
  };
}

const describe = (e: RowError) => `Line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`;

export async function importRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;

  async function adminOf(
    req: FastifyRequest<{ Params: { code: string } }>,
  ): Promise<{ viewer: Viewer; org: OrgDetail }> {
    if (!req.viewer) throw new HttpError(401, 'Sign in to continue');
    const org = await findOrganisation(db, req.params.code);
    if (!org) throw notFound('Organisation');
    const viewer = guard(req, { action: 'org:admin', org: { id: org.id, icbId: org.icb_id, regionId: org.region_id } });
    return { viewer, org };
  }

  async function page(org: OrgDetail, extra: Record<string, unknown> = {}) {
    return {
      title: `Import staff for ${org.name}`,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: '/organisations', text: 'Organisations' },
        { href: `/organisations/${org.code}`, text: org.name },
      ],
      org,
      imports: await listImports(db, org.id),
      importFields: importFields.map((f) => ({ name: f, label: fieldSpecs[f].label, headers: fieldSpecs[f].headers })),
      form: {},
      ...extra,
    };
  }

  app.get<{ Params: { code: string } }>('/organisations/:code/staff-import', async (req, reply) => {
    const { org } = await adminOf(req);
    return reply.render(view, await page(org));
  });

  app.post<{ Params: { code: string } }>(
    '/organisations/:code/staff-import',
    { config: { csrf: false } },
    async (req, reply) => {
      const { viewer, org } = await adminOf(req);
      if (!req.isMultipart()) throw new HttpError(400, 'Upload the file with the form on this page');
      const part = await req.file();
      if (!part) {
        return reply.render(view, await page(org, singleError('file', 'Select a CSV file to upload')), 400);
      }
      // The token is not put in the query string, which would copy it into access logs and Referer headers.
      await verifyCsrfToken(app, req, reply, fieldValue(part, '_csrf'));
      const options = {
        mapping: fieldValue(part, 'mapping'),
        complete: fieldValue(part, 'complete'),
        dry_run: fieldValue(part, 'dry_run'),
      };
      const rerender = async (problem: { errors: unknown[]; fields: unknown }, status: number) => {
        await discard(part);
        return reply.render(view, await page(org, { ...problem, form: options }), status);
      };
      const parsed = uploadForm.safeParse(options);
      if (!parsed.success) return rerender(formErrors(parsed.error), 400);
      const { mapping, errors } = parseMappingSpec(parsed.data.mapping);
      if (errors.length) return rerender(singleError('mapping', `Column mapping: ${errors[0]}`), 400);
      if (!part.filename) return rerender(singleError('file', 'Select a CSV file to upload'), 400);
      if (/\.(xlsx?|ods|numbers)$/i.test(part.filename)) {
        return rerender(singleError('file', 'The file must be a CSV file: save the spreadsheet as CSV first'), 400);
      }
      let report: ImportReport;
      try {
        report = await importStaff(deps, {
          organisation: org,
          source: part.file,
          filename: part.filename,
          mapping,
          complete: parsed.data.complete === 'yes',
          dryRun: parsed.data.dry_run === 'yes',
          actor: { viewer, ip: req.ip },
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          return rerender(singleError('file', 'The file must be smaller than 50 MB'), 413);
        }
        throw err;
      }
      if (report.status === 'applied') {
        return reply.redirect(`/organisations/${org.code}/staff-import/${report.id}`, 303);
      }
      const status = report.status === 'rejected' ? 400 : 200;
      return reply.render(
        view,
        await page(org, {
          form: options,
          report: present({ ...report, rows: report.rowsTotal, filename: part.filename }),
          errors: report.status === 'rejected' ? errorSummary(report) : undefined,
        }),
        status,
      );
    },
  );

  app.get<{ Params: { code: string; id: string } }>('/organisations/:code/staff-import/:id', async (req, reply) => {
    const { org } = await adminOf(req);
    if (!/^\d{1,9}$/.test(req.params.id)) throw notFound('Import');
    const record = await findImport(db, org.id, Number(req.params.id));
    if (!record) throw notFound('Import');
    return reply.render(reportView, {
      title: `Staff import ${record.filename}`,
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: `/organisations/${org.code}`, text: org.name },
        { href: `/organisations/${org.code}/staff-import`, text: 'Import staff' },
      ],
      org,
      record,
      report: present({
        ...record,
        rows: record.rows_total,
        errorCount: record.error_count,
        errors: record.errors as RowError[],
      }),
      errors:
        record.status === 'rejected'
          ? errorSummary({ errors: record.errors as RowError[], errorCount: record.error_count })
          : undefined,
    });
  });
}
