import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { HttpError, notFound, readUpload, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { checkEvidenceFile, checkEvidenceUrl, EVIDENCE_MAX_BYTES, safeFileName } from './assessments.ts';
import {
  deleteEvidence,
  type EvidenceRow,
  evidenceFile,
  evidenceOf,
  evidenceOfAssessment,
  findEvidence,
  insertEvidence,
  linkEvidence,
  type NewEvidence,
  unlinkEvidence,
} from './evidence-queries.ts';
import { presentAssessment } from './present.ts';
import { findAssessment } from './queries.ts';
import { scored } from './result.ts';
import {
  auditWrite,
  flash,
  formBody,
  home,
  idParam,
  lockedAsHttp,
  ownPerson,
  readSubject,
  takeFlash,
  views,
} from './web.ts';

// Evidence: typed notes, links and files added to a self-assessment in progress, the person's evidence bank,
// and the download of a file (to those who may see the person's development record).

const base = `${home}/assessments`;
type Form = { values?: Record<string, string>; errors?: FieldError[]; fields?: Record<string, { text: string }> };

export const evidenceKindLabels = { note: 'Note', link: 'Link', file: 'File' } as const;

function sizeText(n: number | null) {
  if (n === null) return '';
  return n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function presentEvidence<T extends Pick<EvidenceRow, 'id' | 'kind' | 'size_bytes' | 'has_file'>>(e: T) {
  return {
    ...e,
    kindLabel: evidenceKindLabels[e.kind],
    size: sizeText(e.size_bytes),
    href: e.kind === 'file' && e.has_file ? `/development/evidence/${e.id}/file` : undefined,
  };
}

/** Evidence in the bank, which also says whether a submitted assessment keeps it (then it cannot be deleted). */
const presentBankEvidence = (e: EvidenceRow) => ({ ...presentEvidence(e), inUse: e.submitted_uses > 0 });

export async function evidenceRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  /** The person's own assessment, still in progress (evidence is fixed once it is submitted). */
  const ownOpen = async (req: FastifyRequest<{ Params: { id: string } }>, forWrite: boolean) => {
    const { viewer, personId } = ownPerson(req);
    const a = await findAssessment(db, idParam(req.params.id, 'Self-assessment'));
    if (!a || a.person_id !== personId) throw notFound('Self-assessment');
    if (forWrite && a.status === 'submitted') lockedAsHttp({ code: 'LW101' });
    return { viewer, personId, s: await scored(db, a) };
  };

  const renderPage = async (
    req: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    form: Form = {},
    status = 200,
  ) => {
    const { personId, s } = await ownOpen(req, false);
    const attached = await evidenceOfAssessment(db, s.assessment.id);
    const attachedIds = new Set(attached.map((e) => e.id));
    const bank = (await evidenceOf(db, personId)).filter((e) => !attachedIds.has(e.id));
    const titleOf = new Map(s.model.content.competencies.map((c) => [c.id, `${c.code} ${c.title}`]));
    const competencyItems = (selected?: string) => [
      { value: '', text: 'The whole assessment', selected: !selected },
      ...s.model.content.competencies.map((c) => ({
        value: String(c.id),
        text: `${c.code} ${c.title}`,
        selected: selected === String(c.id),
      })),
    ];
    const v = form.values ?? {};
    return reply.render(
      `${views}/evidence.njk`,
      {
        title: 'Evidence for your self-assessment',
        breadcrumbs: [
          { href: home, text: 'Development' },
          { href: base, text: 'Self-assessment' },
        ],
        flash: await takeFlash(ctx, req),
        assessment: presentAssessment(s.assessment, s.model),
        open: s.assessment.status === 'in_progress',
        attached: attached.map((e) => ({
          ...presentEvidence(e),
          competency: e.competency_id ? titleOf.get(e.competency_id) : 'The whole assessment',
        })),
        bankItems: bank.length
          ? [
              { value: '', text: 'Select evidence' },
              ...bank.map((e) => ({ value: e.id, text: `${e.title} (${e.kind})` })),
            ]
          : [],
        competencyItems,
        values: v,
        maxMb: EVIDENCE_MAX_BYTES / 1024 / 1024,
        reviewHref: `${base}/${s.assessment.id}/review`,
        action: `${base}/${s.assessment.id}/evidence`,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  app.get<{ Params: { id: string } }>(`${base}/:id/evidence`, (req, reply) => renderPage(req, reply));

  /** Add evidence and attach it, in one transaction, then back to the page. */
  const addAndLink = async (
    req: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    e: Omit<NewEvidence, 'personId'>,
    competency: string | undefined,
  ) => {
    const { viewer, personId, s } = await ownOpen(req, true);
    const competencyId = competencyOf(s, competency);
    const id = await db
      .transaction()
      .execute(async (trx) => {
        const evidenceId = await insertEvidence(trx, { ...e, personId });
        await linkEvidence(trx, {
          assessmentId: s.assessment.id,
          versionId: s.assessment.framework_version_id,
          evidenceId,
          competencyId,
        });
        return evidenceId;
      })
      .catch(lockedAsHttp);
    await auditWrite(db, req, viewer, {
      action: 'evidence.add',
      subjectType: 'development_evidence',
      subjectId: id,
      details: { kind: e.kind, assessment: s.assessment.id, ...(e.file && { bytes: e.file.bytes.length }) },
    });
    await flash(ctx, req, `${evidenceKindLabels[e.kind]} “${e.title}” added.`);
    return reply.redirect(`${base}/${s.assessment.id}/evidence`, 303);
  };

  app.post<{ Params: { id: string } }>(`${base}/:id/evidence/note`, async (req, reply) => {
    const body = formBody(req);
    const title = (body.note_title ?? '').trim();
    const note = (body.note ?? '').trim();
    const errors: FieldError[] = [];
    const fields: Record<string, { text: string }> = {};
    if (!title || title.length > 200) {
      fields.note_title = { text: 'Enter a title for the note (up to 200 characters)' };
      errors.push({ text: fields.note_title.text, href: '#note_title' });
    }
    if (!note || note.length > 10_000) {
      fields.note = { text: 'Enter the note (up to 10,000 characters)' };
      errors.push({ text: fields.note.text, href: '#note' });
    }
    if (errors.length) return renderPage(req, reply, { values: body, errors, fields }, 400);
    return addAndLink(req, reply, { kind: 'note', title, note }, body.note_competency);
  });

  app.post<{ Params: { id: string } }>(`${base}/:id/evidence/link`, async (req, reply) => {
    const body = formBody(req);
    const title = (body.link_title ?? '').trim();
    const url = checkEvidenceUrl(body.url ?? '');
    const errors: FieldError[] = [];
    const fields: Record<string, { text: string }> = {};
    if (!title || title.length > 200) {
      fields.link_title = { text: 'Enter a title for the link (up to 200 characters)' };
      errors.push({ text: fields.link_title.text, href: '#link_title' });
    }
    if (!url || url.length > 2000) {
      fields.url = { text: 'Enter a web address that starts with http:// or https://' };
      errors.push({ text: fields.url.text, href: '#url' });
    }
    if (errors.length) return renderPage(req, reply, { values: body, errors, fields }, 400);
    return addAndLink(req, reply, { kind: 'link', title, url: url! }, body.link_competency);
  });

  app.post<{ Params: { id: string } }>(`${base}/:id/evidence/file`, { config: { csrf: false } }, async (req, reply) => {
    const upload = await readUpload(app, req, reply, EVIDENCE_MAX_BYTES);
    if (upload.tooLarge) return renderPage(req, reply, singleError('file', 'The file must be smaller than 5 MB'), 413);
    const { fields } = upload;
    const file = upload.file && { name: upload.file.filename, bytes: upload.file.bytes };
    const title = (fields.file_title ?? '').trim() || file?.name.slice(0, 200) || '';
    if (!file) return renderPage(req, reply, { values: fields, ...singleError('file', 'Select a file') }, 400);
    const check = checkEvidenceFile(file.name, file.bytes);
    if (!check.ok) return renderPage(req, reply, { values: fields, ...singleError('file', check.message) }, 400);
    return addAndLink(
      req,
      reply,
      {
        kind: 'file',
        title: title.slice(0, 200),
        file: { name: safeFileName(file.name), contentType: check.contentType, bytes: file.bytes },
      },
      fields.file_competency,
    );
  });

  app.post<{ Params: { id: string } }>(`${base}/:id/evidence/attach`, async (req, reply) => {
    const body = formBody(req);
    const { viewer, personId, s } = await ownOpen(req, true);
    const e = /^\d+$/.test(body.evidence ?? '') ? await findEvidence(db, Number(body.evidence)) : undefined;
    if (!e || e.person_id !== personId) {
      return renderPage(req, reply, { values: body, ...singleError('evidence', 'Select evidence to attach') }, 400);
    }
    await linkEvidence(db, {
      assessmentId: s.assessment.id,
      versionId: s.assessment.framework_version_id,
      evidenceId: e.id,
      competencyId: competencyOf(s, body.attach_competency),
    }).catch(lockedAsHttp);
    await auditWrite(db, req, viewer, {
      action: 'evidence.attach',
      subjectType: 'development_evidence',
      subjectId: e.id,
      details: { assessment: s.assessment.id },
    });
    await flash(ctx, req, `“${e.title}” attached.`);
    return reply.redirect(`${base}/${s.assessment.id}/evidence`, 303);
  });

  app.post<{ Params: { id: string; eid: string } }>(`${base}/:id/evidence/:eid/remove`, async (req, reply) => {
    const { viewer, s } = await ownOpen(req, true);
    const evidenceId = idParam(req.params.eid, 'Evidence');
    await unlinkEvidence(db, s.assessment.id, evidenceId).catch(lockedAsHttp);
    await auditWrite(db, req, viewer, {
      action: 'evidence.detach',
      subjectType: 'development_evidence',
      subjectId: evidenceId,
      details: { assessment: s.assessment.id },
    });
    await flash(ctx, req, 'Evidence removed from this self-assessment. It stays in your evidence.');
    return reply.redirect(`${base}/${s.assessment.id}/evidence`, 303);
  });

  app.get(`${home}/evidence`, async (req, reply) => {
    const { personId } = ownPerson(req);
    return reply.render(`${views}/evidence-bank.njk`, {
      title: 'Your evidence',
      breadcrumbs: [
        { href: '/', text: 'Home' },
        { href: home, text: 'Development' },
      ],
      flash: await takeFlash(ctx, req),
      evidence: (await evidenceOf(db, personId)).map(presentBankEvidence),
    });
  });

  app.post<{ Params: { eid: string } }>(`${home}/evidence/:eid/delete`, async (req, reply) => {
    const { viewer, personId } = ownPerson(req);
    const e = await findEvidence(db, idParam(req.params.eid, 'Evidence'));
    if (!e || e.person_id !== personId) throw notFound('Evidence');
    await deleteEvidence(db, e.id).catch(lockedAsHttp);
    await auditWrite(db, req, viewer, {
      action: 'evidence.delete',
      subjectType: 'development_evidence',
      subjectId: e.id,
      details: { kind: e.kind },
    });
    await flash(ctx, req, `“${e.title}” deleted.`);
    return reply.redirect(`${home}/evidence`, 303);
  });

  // Served as an attachment with its stored type and nosniff, so that an uploaded file never runs as a page here.
  app.get<{ Params: { eid: string } }>('/development/evidence/:eid/file', async (req, reply) => {
    const e = await findEvidence(db, idParam(req.params.eid, 'Evidence'));
    if (e?.kind !== 'file') throw notFound('Evidence');
    await readSubject(db, req, e.person_id, {
      action: 'evidence.download',
      subjectType: 'development_evidence',
      subjectId: e.id,
    });
    const bytes = await evidenceFile(db, e.id);
    if (!bytes)
      throw new HttpError(404, 'This file was listed in an imported record: the file itself was not transferred');
    return reply
      .header('content-disposition', `attachment; filename="${safeFileName(e.file_name ?? 'evidence')}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .type(e.content_type!)
      .send(bytes);
  });
}

function competencyOf(s: Awaited<ReturnType<typeof scored>>, value: string | undefined): number | null {
  if (!value) return null;
  const c = s.model.content.competencies.find((x) => String(x.id) === value);
  if (!c) throw new HttpError(400, 'The competency is not part of this self-assessment’s framework version');
  return c.id;
}
