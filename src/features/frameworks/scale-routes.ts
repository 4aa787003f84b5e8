import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { formErrors, notFound, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { managementLevelLabels, managementLevels } from './document.ts';
import { readContent, versionMeta } from './document-queries.ts';
import { moveRow } from './draft-queries.ts';
import { draftCrumbs } from './draft-routes.ts';
import { cellName, levelColumns, requiredGrid, requiredOptions } from './present.ts';
import {
  addLevel,
  findLevel,
  levelClash,
  type RequiredCell,
  removeLevel,
  replaceRequired,
  updateLevel,
  updateScaleRules,
} from './scale-queries.ts';
import { levelForm, scaleRulesForm } from './schemas.ts';
import {
  authorDraft,
  type DraftForm,
  type DraftTarget,
  directionOf,
  draftAudit,
  draftUrl,
  flash,
  formBody,
  idParam,
  inDraft,
  takeFlash,
  views,
} from './web.ts';

type Target = DraftTarget;
type Form = DraftForm;

// The rating scale of a draft (levels, threshold, red/amber/green rule) and its required-levels grid.

export async function scaleRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;
  const author = (req: FastifyRequest<{ Params: { key: string } }>) => authorDraft(db, req);
  const scaleUrl = (t: Target) => `${draftUrl(t.framework.key)}/scale`;

  const renderScale = async (req: FastifyRequest, reply: FastifyReply, t: Target, form: Form = {}, status = 200) => {
    const [meta, content] = await Promise.all([versionMeta(db, t.draft.id), readContent(db, t.draft.id)]);
    const rules = {
      proficient_value: meta!.proficient_value === null ? '' : String(meta!.proficient_value),
      green_within: String(meta!.green_within),
      amber_within: String(meta!.amber_within),
    };
    return reply.render(
      `${views}/scale.njk`,
      {
        title: `Rating scale of ${meta!.title}, draft version ${t.draft.version}`,
        breadcrumbs: draftCrumbs(t),
        flash: status === 200 ? await takeFlash(ctx, req) : undefined,
        framework: t.framework,
        draft: t.draft,
        levels: content.levels.map((l, i) => ({ ...l, first: i === 0, last: i === content.levels.length - 1 })),
        thresholdItems: requiredOptions(content, meta!.proficient_value ?? undefined, 'Not set').map((o) => ({
          ...o,
          selected: String(form.values?.proficient_value ?? rules.proficient_value) === o.value,
        })),
        values: { ...rules, ...(form.values ?? {}) },
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        url: scaleUrl(t),
        draftUrl: draftUrl(t.framework.key),
      },
      status,
    );
  };

  app.get<{ Params: { key: string } }>('/frameworks/:key/draft/scale', async (req, reply) => {
    const { target } = await author(req);
    return renderScale(req, reply, target);
  });

  const renderLevel = (reply: FastifyReply, t: Target, id: number, form: Form, status = 200) =>
    reply.render(
      `${views}/level.njk`,
      {
        title: 'Edit scale level',
        breadcrumbs: [...draftCrumbs(t), { href: scaleUrl(t), text: 'Rating scale' }],
        framework: t.framework,
        action: `${scaleUrl(t)}/levels/${id}`,
        values: form.values ?? {},
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        cancel: scaleUrl(t),
      },
      status,
    );

  /** Add (no id) or change a level; the same checks either way. */
  const saveLevel = async (req: FastifyRequest<{ Params: { key: string } }>, reply: FastifyReply, id?: number) => {
    const { viewer, target } = await author(req);
    if (id !== undefined && !(await findLevel(db, target.draft.id, id))) throw notFound('Scale level');
    const values = formBody(req);
    const rerender = (form: Form) =>
      id === undefined ? renderScale(req, reply, target, form, 400) : renderLevel(reply, target, id, form, 400);
    const parsed = levelForm.safeParse(values);
    if (!parsed.success) return rerender({ values, ...formErrors(parsed.error) });
    const clash = await levelClash(db, target.draft.id, parsed.data, id);
    if (clash.label)
      return rerender({ values, ...singleError('label', `The scale already has a level called ${parsed.data.label}`) });
    if (clash.value)
      return rerender({ values, ...singleError('value', `Another level already has the value ${parsed.data.value}`) });
    if (id === undefined && (await readContent(db, target.draft.id)).levels.length >= 12) {
      return rerender({ values, ...singleError('label', 'A scale can have at most 12 levels') });
    }
    await inDraft(db, async (trx) => {
      if (id === undefined) await addLevel(trx, target.draft.id, parsed.data);
      else await updateLevel(trx, target.draft.id, id, parsed.data);
      await draftAudit(trx, req, viewer, target, id === undefined ? 'framework.scale.add' : 'framework.scale.update', {
        levelId: id,
        label: parsed.data.label,
        value: parsed.data.value,
      });
    });
    await flash(ctx, req, `Scale level “${parsed.data.label}” saved.`);
    return reply.redirect(scaleUrl(target), 303);
  };

  app.post<{ Params: { key: string } }>('/frameworks/:key/draft/scale/levels', (req, reply) => saveLevel(req, reply));

  app.get<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/scale/levels/:id', async (req, reply) => {
    const { target } = await author(req);
    const level = await findLevel(db, target.draft.id, idParam(req.params.id, 'Scale level'));
    if (!level) throw notFound('Scale level');
    return renderLevel(reply, target, level.id, { values: { ...level, value: level.value ?? '' } });
  });

  app.post<{ Params: { key: string; id: string } }>('/frameworks/:key/draft/scale/levels/:id', (req, reply) =>
    saveLevel(req, reply, idParam(req.params.id, 'Scale level')),
  );

  app.post<{ Params: { key: string; id: string } }>(
    '/frameworks/:key/draft/scale/levels/:id/move',
    async (req, reply) => {
      const { viewer, target } = await author(req);
      const id = idParam(req.params.id, 'Scale level');
      const direction = directionOf(req);
      await inDraft(db, async (trx) => {
        if (await moveRow(trx, 'framework_scale_levels', target.draft.id, id, direction)) {
          await draftAudit(trx, req, viewer, target, 'framework.scale.move', { levelId: id, direction });
        }
      });
      return reply.redirect(`${scaleUrl(target)}#level-${id}`, 303);
    },
  );

  app.post<{ Params: { key: string; id: string } }>(
    '/frameworks/:key/draft/scale/levels/:id/remove',
    async (req, reply) => {
      const { viewer, target } = await author(req);
      const level = await findLevel(db, target.draft.id, idParam(req.params.id, 'Scale level'));
      if (!level) throw notFound('Scale level');
      await inDraft(db, async (trx) => {
        await removeLevel(trx, target.draft.id, level.id);
        await draftAudit(trx, req, viewer, target, 'framework.scale.remove', { levelId: level.id, label: level.label });
      });
      await flash(
        ctx,
        req,
        `Scale level “${level.label}” removed, with any required levels and descriptors that used it.`,
      );
      return reply.redirect(scaleUrl(target), 303);
    },
  );

  app.post<{ Params: { key: string } }>('/frameworks/:key/draft/scale/rules', async (req, reply) => {
    const { viewer, target } = await author(req);
    const values = formBody(req);
    const parsed = scaleRulesForm.safeParse(values);
    if (!parsed.success) return renderScale(req, reply, target, { values, ...formErrors(parsed.error) }, 400);
    const { levels } = await readContent(db, target.draft.id);
    const threshold = parsed.data.proficient_value;
    if (threshold !== null && !levels.some((l) => l.value === threshold)) {
      return renderScale(
        req,
        reply,
        target,
        { values, ...singleError('proficient_value', 'Select a level of the scale') },
        400,
      );
    }
    await inDraft(db, async (trx) => {
      await updateScaleRules(trx, target.draft.id, parsed.data);
      await draftAudit(trx, req, viewer, target, 'framework.scale.rules', parsed.data);
    });
    await flash(ctx, req, 'Threshold and rating bands saved.');
    return reply.redirect(scaleUrl(target), 303);
  });

  // Required levels

  const renderRequired = async (req: FastifyRequest, reply: FastifyReply, t: Target, form: Form = {}, status = 200) => {
    const content = await readContent(db, t.draft.id);
    const stored = requiredGrid(content);
    const chosen = (name: string): number | undefined => {
      if (form.values && name in form.values) {
        const v = String(form.values[name]);
        return v === '' ? undefined : Number(v);
      }
      return stored.get(name);
    };
    const cells = (owner: 'd' | 'c', id: number, what: string, empty: string) =>
      managementLevels.map((l) => {
        const name = cellName(owner, id, l);
        return {
          name,
          label: `Required level for ${managementLevelLabels[l].toLowerCase()}, ${what}`,
          items: requiredOptions(content, chosen(name), empty),
          error: form.fields?.[name],
        };
      });
    return reply.render(
      `${views}/required.njk`,
      {
        title: `Required levels, draft version ${t.draft.version}`,
        breadcrumbs: draftCrumbs(t),
        flash: status === 200 ? await takeFlash(ctx, req) : undefined,
        framework: t.framework,
        draft: t.draft,
        levelColumns,
        hasScale: content.levels.some((l) => l.value !== null),
        domains: content.domains.map((d) => ({
          ...d,
          cells: cells('d', d.id, `domain ${d.code}`, 'Not required'),
          competencies: content.competencies
            .filter((c) => c.domain_id === d.id)
            .map((c) => ({ ...c, cells: cells('c', c.id, `competency ${c.code}`, 'As the domain') })),
        })),
        errors: form.errors ?? [],
        url: `${draftUrl(t.framework.key)}/required`,
        draftUrl: draftUrl(t.framework.key),
      },
      status,
    );
  };

  app.get<{ Params: { key: string } }>('/frameworks/:key/draft/required', async (req, reply) => {
    const { target } = await author(req);
    return renderRequired(req, reply, target);
  });

  app.post<{ Params: { key: string } }>('/frameworks/:key/draft/required', async (req, reply) => {
    const { viewer, target } = await author(req);
    const values = formBody(req);
    const content = await readContent(db, target.draft.id);
    const scored = new Set(content.levels.map((l) => l.value).filter((v) => v !== null));
    const cells: RequiredCell[] = [];
    const errors: FieldError[] = [];
    const fields: Record<string, { text: string }> = {};
    const read = (owner: 'd' | 'c', id: number, what: string) => {
      for (const level of managementLevels) {
        const name = cellName(owner, id, level);
        const raw = (values[name] ?? '').trim();
        if (raw === '') continue;
        const value = /^-?\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
        if (!scored.has(value)) {
          const text = `Select a level of the scale for ${managementLevelLabels[level].toLowerCase()} in ${what}`;
          errors.push({ text, href: `#${name}` });
          fields[name] = { text };
          continue;
        }
        cells.push({
          management_level: level,
          domain_id: owner === 'd' ? id : null,
          competency_id: owner === 'c' ? id : null,
          required_value: value,
        });
      }
    };
    for (const d of content.domains) read('d', d.id, `domain ${d.code}`);
    for (const c of content.competencies) read('c', c.id, `competency ${c.code}`);
    if (errors.length) return renderRequired(req, reply, target, { values, errors, fields }, 400);
    await inDraft(db, async (trx) => {
      await replaceRequired(trx, target.draft.id, cells);
      await draftAudit(trx, req, viewer, target, 'framework.required.update', { cells: cells.length });
    });
    await flash(ctx, req, 'Required levels saved.');
    return reply.redirect(`${draftUrl(target.framework.key)}/required`, 303);
  });
}
