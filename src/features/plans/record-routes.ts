import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { readUpload, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { auditWrite, flash, home, idParam, ownPerson, readSubject, takeFlash } from '../assessments/web.ts';
import { buildRecord } from './record.ts';
import { type ImportProblem, importRecord } from './record-import.ts';

// "My development record": one printable page of the person's self-assessments, plan, 360 summaries, appraisals and
// learning, its JSON download, and the import of a record from a previous employer. Line managers and admins read
// a person's record on the same page (audited, without the 360 reports the person has not shared); only the person
// downloads or imports it.

const views = 'features/plans/views';
const recordUrl = `${home}/record`;
const MAX_BYTES = 5 * 1024 * 1024;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function summary(problems: ImportProblem[]): FieldError[] {
  const first = problems.slice(0, 10).map((p, i) => ({ text: `${p.where}: ${p.message}`, href: `#problem-${i}` }));
  const more = problems.length - first.length;
  return more > 0 ? [...first, { text: `and ${more} more problems`, href: '#problems' }] : first;
}

const levelLabels: Record<string, string> = {
  first_line: 'First-line managers',
  middle: 'Middle managers',
  senior: 'Senior managers',
  executive: 'Executives',
  board: 'Board members',
};

export async function recordRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get(recordUrl, async (req, reply) => {
    const { personId } = ownPerson(req);
    const record = await buildRecord(db, personId, ctx.deps.clock.now());
    return reply.render(`${views}/record.njk`, {
      title: 'My development record',
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: home, text: 'Development' },
      ],
      flash: await takeFlash(ctx, req),
      record,
      own: true,
      levelLabels,
    });
  });

  // The same record of someone else, for their line manager or an admin of their organisation (readSubject audits
  // the read and refuses anyone else).
  app.get<{ Params: { pid: string } }>('/development/people/:pid/record', async (req, reply) => {
    const personId = idParam(req.params.pid, 'Person');
    const { person, access } = await readSubject(db, req, personId, {
      action: 'development.record.read',
      subjectType: 'person',
    });
    const self = access === 'self';
    const record = await buildRecord(db, personId, ctx.deps.clock.now(), self ? 'self' : 'other');
    const name = `${person.given_name} ${person.family_name}`;
    return reply.render(`${views}/record.njk`, {
      title: `Development record of ${name}`,
      breadcrumbs: [
        { href: home, text: 'Development' },
        { href: `/development/people/${personId}`, text: `Development of ${name}` },
      ],
      record,
      own: self,
      access,
      levelLabels,
    });
  });

  app.get(`${recordUrl}.json`, async (req, reply) => {
    const { viewer, personId } = ownPerson(req);
    const record = await buildRecord(db, personId, ctx.deps.clock.now());
    await auditWrite(db, req, viewer, { action: 'record.export', subjectType: 'person', subjectId: personId });
    const day = record.exported_at.slice(0, 10);
    return reply
      .header('content-disposition', `attachment; filename="development-record-${day}.json"`)
      .type('application/json; charset=utf-8')
      .send(`${JSON.stringify(record, null, 2)}\n`);
  });

  const renderImport = (reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    reply.render(
      `${views}/import.njk`,
      {
        title: 'Import a development record',
        breadcrumbs: [
          { href: home, text: 'Development' },
          { href: recordUrl, text: 'My development record' },
        ],
        errors: [],
        fields: {},
        ...extra,
      },
      status,
    );

  app.get(`${recordUrl}/import`, async (req, reply) => {
    ownPerson(req);
    return renderImport(reply);
  });

  app.post(`${recordUrl}/import`, { config: { csrf: false } }, async (req, reply) => {
    const { viewer, personId } = ownPerson(req);
    const { file, tooLarge } = await readUpload(app, req, reply, MAX_BYTES);
    if (tooLarge) return renderImport(reply, singleError('file', 'The file must be smaller than 5 MB'), 413);
    if (!file || file.text.trim() === '') {
      return renderImport(reply, singleError('file', 'Select your development record (a JSON file)'), 400);
    }
    const result = await importRecord(db, personId, file.text, { accountId: viewer.accountId });
    if (!result.ok) {
      return renderImport(
        reply,
        { errors: summary(result.problems), problems: result.problems, filename: file.filename },
        400,
      );
    }
    await auditWrite(db, req, viewer, {
      action: 'record.import',
      subjectType: 'development_import',
      subjectId: result.importId,
      details: {
        assessments: result.assessments,
        history: result.history,
        plan: result.planItems,
        feedback: result.feedback,
        appraisals: result.appraisals,
        learning: result.learning,
        skipped: result.skipped,
      },
    });
    const parts = [
      plural(result.assessments + result.history, 'self-assessment'),
      plural(result.planItems, 'plan item'),
      plural(result.feedback, '360 summary', '360 summaries'),
      plural(result.appraisals, 'appraisal'),
      plural(result.learning, 'learning record'),
    ];
    await flash(
      ctx,
      req,
      `Imported ${parts.slice(0, -1).join(', ')} and ${parts.at(-1)} from ${file.filename}.${
        result.skipped
          ? ` ${plural(result.skipped, 'item')} you already had ${result.skipped === 1 ? 'was' : 'were'} not added again.`
          : ''
      }`,
    );
    return reply.redirect(recordUrl, 303);
  });
}
