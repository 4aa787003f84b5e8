import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import type { Viewer } from '../../plugins/access.ts';
import { setFlash } from '../../plugins/session.ts';
import { guard, HttpError, notFound } from '../../web/http.ts';
import { errorList, type Fields, formValues, parsePriorityForm } from './form.ts';
import { sourceLabels, sources } from './priorities.ts';
import { findPriority, mayRead, orgByCode, type PriorityRow, viewerAreas } from './queries.ts';
import { editPriority, mayChange } from './register.ts';

// Editing what a priority says, by whoever may place a priority where it is placed (docs/workload-priorities.md).

export const queuedWords =
  ' It reaches many organisations, so their figures update within a few minutes rather than at once.';

const views = 'features/priorities/views';

export async function editRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;

  /** The priority when the viewer may read it (404 otherwise) and change it (403 otherwise). */
  const editable = async (viewer: Viewer, id: string) => {
    if (!/^\d{1,9}$/.test(id)) throw notFound('Priority');
    if (!(await mayRead(db, await viewerAreas(db, viewer), Number(id)))) throw notFound('Priority');
    const p = (await findPriority(db, Number(id)))!;
    const area = p.scope_org_code ? ((await orgByCode(db, p.scope_org_code)) ?? null) : null;
    if (!mayChange(viewer, p, area)) throw new HttpError(403, 'You may not change this priority');
    return p;
  };

  const render = (reply: FastifyReply, p: PriorityRow, values: Record<string, unknown>, fields?: Fields) =>
    reply.render(
      `${views}/form.njk`,
      {
        title: `Edit ${p.title}`,
        heading: 'Edit the priority',
        action: `/priorities/${p.id}/edit`,
        buttonText: 'Save changes',
        breadcrumbs: [
          { href: '/', text: 'Home' },
          { href: '/priorities', text: 'Competing priorities' },
          { href: `/priorities/${p.id}`, text: p.title },
        ],
        placeText: `Placed on ${p.scope_org_name ?? 'England (every organisation)'}`,
        note: 'Where it is placed cannot be changed here: to move it, mark it dropped and add a new one.',
        values,
        teams: [],
        orgs: [],
        sourceItems: sources.map((s) => ({ value: s, text: sourceLabels[s], checked: values.source === s })),
        errors: fields ? errorList(fields) : [],
        fields: fields ?? {},
      },
      fields ? 400 : 200,
    );

  app.get<{ Params: { id: string } }>('/priorities/:id/edit', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const p = await editable(viewer, req.params.id);
    return render(reply, p, formValues(p));
  });

  app.post<{ Params: { id: string } }>('/priorities/:id/edit', async (req, reply) => {
    const viewer = guard(req, { action: 'workload:aggregates' });
    const p = await editable(viewer, req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { data, fields } = parsePriorityForm(body);
    if (!data) return render(reply, p, body, fields);
    const r = await editPriority(deps, { viewer, ip: req.ip }, p, data);
    await setFlash(deps, req, r.changed ? `Changes saved.${r.queued ? queuedWords : ''}` : 'Nothing was changed.');
    return reply.redirect(`/priorities/${p.id}`, 303);
  });
}
