import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { notFound } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { managementLevelLabels, managementLevels } from './document.ts';
import { readContent, versionMeta } from './document-queries.ts';
import { draftEditor, formView } from './draft-edit.ts';
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
import { authorDraft, type DraftForm, type DraftTarget, draftUrl, idParam, takeFlash, views } from './web.ts';

type Target = DraftTarget;
type Form = DraftForm;
type Key = { key: string };
type KeyId = { key: string; id: string };

// The rating scale of a draft (levels, threshold, red/amber/green rule) and its required-levels grid.

export async function scaleRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;
  const edit = draftEditor(ctx);
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
        ...formView(form, { ...rules, ...(form.values ?? {}) }),
        url: scaleUrl(t),
        draftUrl: draftUrl(t.framework.key),
      },
      status,
    );
  };

  app.get<{ Params: Key }>('/frameworks/:key/draft/scale', async (req, reply) => {
    const { target } = await authorDraft(db, req);
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
        ...formView(form),
        cancel: scaleUrl(t),
      },
      status,
    );

  /** Add (no id) or change a level; the same checks either way. */
  const saveLevel = (id?: number) =>
    edit<Key | KeyId>(async (e) => {
      const { target } = e;
      if (id !== undefined && !(await findLevel(db, target.draft.id, id))) throw notFound('Scale level');
      const rerender = (form: Form) =>
        id === undefined ? renderScale(e.req, e.reply, target, form, 400) : renderLevel(e.reply, target, id, form, 400);
      const parsed = e.parse(levelForm);
      if (!parsed.ok) return rerender(parsed.form);
      const level = parsed.data;
      const clash = await levelClash(db, target.draft.id, level, id);
      if (clash.label) return rerender(e.refusal('label', `The scale already has a level called ${level.label}`));
      if (clash.value) return rerender(e.refusal('value', `Another level already has the value ${level.value}`));
      if (id === undefined && (await readContent(db, target.draft.id)).levels.length >= 12) {
        return rerender(e.refusal('label', 'A scale can have at most 12 levels'));
      }
      const action = id === undefined ? 'framework.scale.add' : 'framework.scale.update';
      await e.save(action, { levelId: id, label: level.label, value: level.value }, async (trx) => {
        if (id === undefined) await addLevel(trx, target.draft.id, level);
        else await updateLevel(trx, target.draft.id, id, level);
      });
      return e.done(scaleUrl(target), `Scale level “${level.label}” saved.`);
    });

  app.post<{ Params: Key }>('/frameworks/:key/draft/scale/levels', saveLevel());

  app.get<{ Params: KeyId }>('/frameworks/:key/draft/scale/levels/:id', async (req, reply) => {
    const { target } = await authorDraft(db, req);
    const level = await findLevel(db, target.draft.id, idParam(req.params.id, 'Scale level'));
    if (!level) throw notFound('Scale level');
    return renderLevel(reply, target, level.id, { values: { ...level, value: level.value ?? '' } });
  });

  app.post<{ Params: KeyId }>('/frameworks/:key/draft/scale/levels/:id', (req, reply) =>
    saveLevel(idParam(req.params.id, 'Scale level'))(req, reply),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/scale/levels/:id/move',
    edit<KeyId>(async (e) => {
      const id = idParam(e.req.params.id, 'Scale level');
      await e.move('framework_scale_levels', id, 'framework.scale.move', { levelId: id });
      return e.done(`${scaleUrl(e.target)}#level-${id}`);
    }),
  );

  app.post<{ Params: KeyId }>(
    '/frameworks/:key/draft/scale/levels/:id/remove',
    edit<KeyId>(async (e) => {
      const level = await findLevel(db, e.target.draft.id, idParam(e.req.params.id, 'Scale level'));
      if (!level) throw notFound('Scale level');
      await e.save('framework.scale.remove', { levelId: level.id, label: level.label }, (trx) =>
        removeLevel(trx, e.target.draft.id, level.id),
      );
      const removed = `Scale level “${level.label}” removed, with any required levels and descriptors that used it.`;
      return e.done(scaleUrl(e.target), removed);
    }),
  );

  app.post<{ Params: Key }>(
    '/frameworks/:key/draft/scale/rules',
    edit(async (e) => {
      const parsed = e.parse(scaleRulesForm);
      if (!parsed.ok) return renderScale(e.req, e.reply, e.target, parsed.form, 400);
      const { levels } = await readContent(db, e.target.draft.id);
      const threshold = parsed.data.proficient_value;
      if (threshold !== null && !levels.some((l) => l.value === threshold)) {
        return renderScale(e.req, e.reply, e.target, e.refusal('proficient_value', 'Select a level of the scale'), 400);
      }
      await e.save('framework.scale.rules', parsed.data, (trx) =>
        updateScaleRules(trx, e.target.draft.id, parsed.data),
      );
      return e.done(scaleUrl(e.target), 'Threshold and rating bands saved.');
    }),
  );

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

  app.get<{ Params: Key }>('/frameworks/:key/draft/required', async (req, reply) => {
    const { target } = await authorDraft(db, req);
    return renderRequired(req, reply, target);
  });

  app.post<{ Params: Key }>(
    '/frameworks/:key/draft/required',
    edit(async ({ req, reply, target, values, save, done }) => {
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
      await save('framework.required.update', { cells: cells.length }, (trx) =>
        replaceRequired(trx, target.draft.id, cells),
      );
      return done(`${draftUrl(target.framework.key)}/required`, 'Required levels saved.');
    }),
  );
}
