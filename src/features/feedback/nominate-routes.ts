import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { setFlash, takeFlash } from '../../plugins/session.ts';
import { formErrors, guard, HttpError, singleError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import { classifySearch } from '../people/people.ts';
import { directReports, findPerson, personAssignments, visiblePeople } from '../people/queries.ts';
import { SearchTooSlow, searchPeople } from '../people/search-queries.ts';
import { groupLabels, nominationGroups } from './feedback.ts';
import { nominations, removeRater } from './queries.ts';
import { emailRaterForm, personRaterForm } from './schemas.ts';
import {
  auditWrite,
  type LoadedRound,
  lineManagersOf,
  loadRound,
  mayManage,
  nominate,
  progressPermission,
} from './service.ts';
import { actorOf, formBody, idParam, presentRound, roundUrl, single, views } from './web.ts';

// Nominating raters: the subject's line managers and direct reports as suggestions, a search of the people the
// nominator may see (the people feature's own search), and anyone else by email.

type Form = { values?: Record<string, unknown>; errors?: FieldError[]; fields?: Record<string, { text: string }> };

export async function nominateRoutes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  const manageable = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const loaded = await loadRound(db, idParam(req.params.id));
    const viewer = guard(req, progressPermission(loaded));
    if (!mayManage(viewer, loaded))
      throw new HttpError(403, 'Only the person or their line manager can nominate raters');
    return loaded;
  };

  /** People the subject works with through their reporting line: their line managers and direct reports. */
  const suggestions = async (req: FastifyRequest, loaded: LoadedRound) => {
    const personId = loaded.round.person_id;
    const managers = await lineManagersOf(db, personId);
    const posts = (await personAssignments(db, personId)).filter((a) => a.end_date === null).map((a) => Number(a.id));
    const reports = await directReports(db, req.viewer!, posts);
    return {
      managers,
      reports: reports.map((r) => ({ id: Number(r.id), name: `${r.given_name} ${r.family_name}` })),
    };
  };

  const render = async (
    req: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    loaded: LoadedRound,
    form: Form = {},
    status = 200,
  ) => {
    const viewer = req.viewer!;
    const q = single((req.query as Record<string, string>).q).slice(0, 100);
    const canSearch = authorise(viewer, { action: 'people:search' });
    let results: { id: number; name: string; detail: string }[] = [];
    let searchProblem: string | undefined;
    if (canSearch && q.trim()) {
      try {
        const rows = await searchPeople(db, viewer, {
          search: classifySearch(q),
          managersOnly: false,
          includeLeavers: false,
          limit: 20,
        });
        results = rows
          .slice(0, 20)
          .filter((r) => Number(r.id) !== loaded.round.person_id)
          .map((r) => ({
            id: Number(r.id),
            name: `${r.given_name} ${r.family_name}`,
            detail: `${r.position_title}, ${r.organisation_name}`,
          }));
      } catch (err) {
        if (!(err instanceof SearchTooSlow)) throw err;
        searchProblem = err.message;
      }
    }
    const nominated = await nominations(db, loaded.round.id);
    const taken = new Set(nominated.map((n) => Number(n.person_id)));
    const suggested = await suggestions(req, loaded);
    return reply.render(
      `${views}/nominate.njk`,
      {
        title: `Nominate raters for ${loaded.round.given_name} ${loaded.round.family_name}`,
        breadcrumbs: [
          { href: '/me/feedback', text: '360 feedback' },
          { href: roundUrl(loaded.round.id), text: 'This 360 round' },
        ],
        flash: await takeFlash(ctx.deps, req),
        round: presentRound(loaded.round),
        url: roundUrl(loaded.round.id),
        nominated: nominated.map((n) => ({
          ...n,
          groupLabel: groupLabels[n.rater_group],
          external: n.person_id === null,
        })),
        suggested: {
          managers: suggested.managers.filter((m) => !taken.has(m.id)),
          reports: suggested.reports.filter((r) => !taken.has(r.id)),
        },
        canSearch,
        q,
        results,
        searchProblem,
        groups: nominationGroups.map((g) => ({ value: g, text: groupLabels[g] })),
        emailGroups: nominationGroups
          .filter((g) => g !== 'line_manager')
          .map((g) => ({ value: g, text: groupLabels[g] })),
        values: form.values ?? {},
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/feedback/:id/nominate', async (req, reply) => {
    const loaded = await manageable(req);
    return render(req, reply, loaded);
  });

  app.post<{ Params: { id: string } }>('/feedback/:id/raters', async (req, reply) => {
    const loaded = await manageable(req);
    const viewer = req.viewer!;
    const values = formBody(req);
    let result: { id: number } | { problem: string };
    let field = 'email';
    if (single(values.person_id)) {
      field = 'person';
      const parsed = personRaterForm.safeParse({ person_id: single(values.person_id), group: single(values.group) });
      if (!parsed.success) return render(req, reply, loaded, formErrors(parsed.error), 400);
      const { person_id: personId, group } = parsed.data;
      const suggested = await suggestions(req, loaded);
      const isManager = suggested.managers.some((m) => m.id === personId);
      // The line manager group is not anonymous: only the person's actual line managers go in it, so that nobody
      // can be put there to have their answers shown on their own.
      if (group === 'line_manager' && !isManager) {
        return render(
          req,
          reply,
          loaded,
          singleError('person', 'Only the person’s current line manager can be nominated in the line manager group'),
          400,
        );
      }
      const known =
        isManager ||
        suggested.reports.some((r) => r.id === personId) ||
        (await visiblePeople(db, viewer, [personId])).has(personId);
      const person = known ? await findPerson(db, personId) : undefined;
      if (!person)
        return render(req, reply, loaded, singleError('person', 'Select a person from the search results'), 400);
      result = await nominate(ctx.deps, actorOf(req), loaded.round, {
        group,
        personId,
        email: person.email,
        name: `${person.given_name} ${person.family_name}`,
      });
    } else {
      const parsed = emailRaterForm.safeParse(
        Object.fromEntries(Object.entries(values).map(([k, v]) => [k, single(v)])),
      );
      if (!parsed.success) return render(req, reply, loaded, { values, ...formErrors(parsed.error) }, 400);
      result = await nominate(ctx.deps, actorOf(req), loaded.round, {
        group: parsed.data.group,
        personId: null,
        email: parsed.data.email,
        name: parsed.data.name,
      });
    }
    if ('problem' in result) return render(req, reply, loaded, { values, ...singleError(field, result.problem) }, 400);
    await setFlash(ctx.deps, req, 'Rater nominated and invited by email.');
    return reply.redirect(`${roundUrl(loaded.round.id)}/nominate`, 303);
  });

  app.post<{ Params: { id: string; rid: string } }>('/feedback/:id/raters/:rid/remove', async (req, reply) => {
    const loaded = await manageable(req);
    const raterId = idParam(req.params.rid, 'Rater');
    if (!(await removeRater(db, loaded.round.id, raterId))) {
      throw new HttpError(
        409,
        'Nominations in a group can be removed only until the first response in that group arrives',
      );
    }
    await auditWrite(db, actorOf(req), loaded, 'rater.remove', { rater: raterId });
    await setFlash(ctx.deps, req, 'Nomination removed.');
    return reply.redirect(`${roundUrl(loaded.round.id)}/nominate`, 303);
  });
}
