import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { guard, notFound } from '../../web/http.ts';
import { findItem, insertItem, itemNameTaken, listItems, returnsOfItem, updateItem } from './item-queries.ts';
import { similarItems } from './overlap-queries.ts';
import { NEAR_MATCH_THRESHOLD, sameNumbers } from './overlaps.ts';
import {
  type FormProblems,
  problemsInOrder,
  scopeText,
  setFlash,
  takeFlash,
  todayOf,
  views,
  zodProblems,
} from './present.ts';
import { refreshItemPairs, refreshRegisterAnalysis } from './refresh.ts';
import { itemFields } from './schemas.ts';

const PAGE_SIZE = 50;
const query = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
const crumbs = [
  { href: '/burden', text: 'Reporting requirements' },
  { href: '/burden/items', text: 'Data items' },
];

/** The data item dictionary: everyone may read it; national admins define and rename items. */
export async function itemRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;

  app.get('/burden/items', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:view' });
    const { q, page } = query.parse(req.query ?? {});
    const { rows, total } = await listItems(db, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const url = (p: number) => `/burden/items?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
    return reply.render(`${views}/items.njk`, {
      title: 'Data item dictionary',
      breadcrumbs: [{ href: '/burden', text: 'Reporting requirements' }],
      flash: await takeFlash(deps, req),
      q: q ?? '',
      rows,
      total,
      page,
      pages,
      previousUrl: page > 1 ? url(page - 1) : undefined,
      nextUrl: page < pages ? url(page + 1) : undefined,
      canDefine: authorise(viewer, { action: 'burden:curate-national' }),
    });
  });

  const itemOr404 = async (id: string) => {
    if (!/^\d{1,9}$/.test(id)) throw notFound('Data item');
    const item = await findItem(db, Number(id));
    if (!item) throw notFound('Data item');
    return item;
  };

  app.get<{ Params: { id: string } }>('/burden/items/:id', async (req, reply) => {
    const viewer = guard(req, { action: 'burden:view' });
    const item = await itemOr404(req.params.id);
    const [returns, similar] = await Promise.all([
      returnsOfItem(db, item.id),
      db.transaction().execute((trx) => similarItems(trx, item.id, NEAR_MATCH_THRESHOLD)),
    ]);
    const today = todayOf(deps);
    return reply.render(`${views}/item.njk`, {
      title: item.name,
      breadcrumbs: crumbs,
      flash: await takeFlash(deps, req),
      item,
      returns: returns.map((r) => ({
        ...r,
        scopeText: scopeText(r.scope, r.scope_org_name),
        past: r.sunset_date !== null && r.sunset_date < today,
      })),
      similar: similar.map((s) => ({
        ...s,
        similarity: s.similarity.toFixed(2),
        numbersDiffer: !sameNumbers(s.normalised_name, item.normalised_name),
      })),
      threshold: Math.round(NEAR_MATCH_THRESHOLD * 100),
      canDefine: authorise(viewer, { action: 'burden:curate-national' }),
    });
  });

  const renderForm = (
    reply: FastifyReply,
    form: { values: Record<string, string>; id?: number } & Partial<FormProblems>,
    status = 200,
  ) =>
    reply.render(
      `${views}/item-form.njk`,
      {
        title: form.id ? `Change ${form.values.name}` : 'Add a data item',
        breadcrumbs: crumbs,
        action: form.id ? `/burden/items/${form.id}` : '/burden/items',
        id: form.id,
        values: form.values,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );

  app.get('/burden/items/new', async (req, reply) => {
    guard(req, { action: 'burden:curate-national' });
    return renderForm(reply, { values: {} });
  });

  app.get<{ Params: { id: string } }>('/burden/items/:id/edit', async (req, reply) => {
    guard(req, { action: 'burden:curate-national' });
    const item = await itemOr404(req.params.id);
    return renderForm(reply, {
      id: item.id,
      values: { name: item.name, definition: item.definition ?? '', unit: item.unit ?? '' },
    });
  });

  const save = async (req: Parameters<typeof guard>[0], reply: FastifyReply, id?: number) => {
    const viewer = guard(req, { action: 'burden:curate-national' });
    const body = (req.body ?? {}) as Record<string, string>;
    const order = ['name', 'definition', 'unit'];
    const parsed = itemFields.safeParse(body);
    if (!parsed.success)
      return renderForm(reply, { values: body, id, ...problemsInOrder(zodProblems(parsed.error), order) }, 400);
    const v = parsed.data;
    if (await itemNameTaken(db, v.name, id)) {
      const p = new Map([
        ['name', `The dictionary already has an item called “${v.name}” (ignoring case and punctuation)`],
      ]);
      return renderForm(reply, { values: body, id, ...problemsInOrder(p, order) }, 400);
    }
    const savedId = await db.transaction().execute(async (trx) => {
      const itemId = id ?? (await insertItem(trx, v));
      if (id !== undefined) await updateItem(trx, id, v);
      await audit(
        trx,
        { viewer, ip: req.ip },
        {
          action: id === undefined ? 'burden.item.create' : 'burden.item.update',
          subjectType: 'burden_data_item',
          subjectId: itemId,
          details: { name: v.name },
        },
      );
      return itemId;
    });
    // A new name can make or break near matches.
    await refreshItemPairs(db, [savedId]);
    await refreshRegisterAnalysis(db, todayOf(deps));
    await setFlash(deps, req, `Data item “${v.name}” saved.`);
    return reply.redirect(`/burden/items/${savedId}`, 303);
  };

  app.post('/burden/items', async (req, reply) => save(req, reply));
  app.post<{ Params: { id: string } }>('/burden/items/:id', async (req, reply) => {
    guard(req, { action: 'burden:curate-national' });
    const item = await itemOr404(req.params.id);
    return save(req, reply, item.id);
  });
}
