import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Viewer } from '../../plugins/access.ts';
import { guard, notFound } from '../../web/http.ts';
import { behaviourFramework } from './cycle-queries.ts';
import { appraisalView, problemsView, setFlash, views } from './present.ts';
import { addendaOf } from './queries.ts';
import type { FormRead } from './schemas.ts';
import { type Actor, type Outcome, problemsOf, readAppraisal } from './workflow.ts';

// The shape every appraisal form shares, so that a route says only what differs: which page, which check,
// which step of the workflow and what to tell the user.

/** The NHS error summary and per-field messages of a form page. */
export type Problems = { errors: unknown[]; fields: Record<string, unknown> };
type Values = Record<string, string>;

/**
 * A form page: shown with stored values, or shown again with what was sent and what is wrong (status 400).
 * `page` gives the rest of it (title, breadcrumbs, what the form is about).
 */
export const formPage =
  <S>(template: string, page: (subject: S, values: Values) => object | Promise<object>) =>
  async (reply: FastifyReply, subject: S, values: Values, problems?: Problems, status = 200) =>
    reply.render(
      `${views}/${template}`,
      { ...(await page(subject, values)), values, ...(problems ?? { errors: [], fields: {} }) },
      status,
    );

export const idOf = (raw: string, what = 'Appraisal') => {
  if (!/^\d{1,15}$/.test(raw)) throw notFound(what);
  return Number(raw);
};

export const crumbs = (id?: number, name?: string) => [
  { href: '/appraisals', text: 'Appraisals' },
  ...(id ? [{ href: `/appraisals/${id}`, text: name ?? 'Appraisal' }] : []),
];

type Req = FastifyRequest<{ Params: { id: string; addendum?: string } }>;
export type Found = NonNullable<Awaited<ReturnType<typeof readAppraisal>>>;

/** A workflow step posted from a page: the form it reads (if any), the rule it calls, what to say when done. */
export interface Step<V> {
  form?: {
    /** `found` loads the appraisal (once) for a check that needs it. */
    read: (body: Values, found: () => Promise<Found>) => FormRead<V> | Promise<FormRead<V>>;
    /** The page the form is on, shown again with the problems. */
    show: (reply: FastifyReply, found: Found, body: Values, problems: Problems, status: number) => unknown;
  };
  run: (actor: Actor, id: number, value: V, req: Req) => Promise<Outcome>;
  done: string | ((outcome: { locked?: boolean }) => string);
}

export function appraisalPages(deps: Deps) {
  const { db } = deps;

  /** The appraisal, if the viewer may see it (audited when it is someone else's); 404 otherwise. */
  const load = async (req: Req, viewer: Viewer): Promise<Found> => {
    const found = await readAppraisal(deps, { viewer, ip: req.ip }, idOf(req.params.id));
    if (!found) throw notFound('Appraisal');
    return found;
  };

  const renderAppraisal = async (
    reply: FastifyReply,
    found: Found,
    extra: { errors?: unknown[]; flash?: string } = {},
    status = 200,
  ) => {
    const a = found.appraisal;
    const [framework, addenda, problems] = await Promise.all([
      behaviourFramework(db, a.framework_version_id),
      addendaOf(db, a.id),
      a.status === 'recorded' ? problemsOf(db, a) : Promise.resolve([]),
    ]);
    return reply.render(
      `${views}/appraisal.njk`,
      {
        title: `Appraisal of ${a.person_name}`,
        breadcrumbs: crumbs(),
        a: appraisalView(a, framework, addenda, found.party, problems),
        access: found.access,
        ...extra,
      },
      status,
    );
  };

  /**
   * The route of a step: signed in → the form checked (its page again with status 400) → the rule → a flash and
   * back to the appraisal (303), or the rule's refusal on the appraisal page (409). Who may take the step is the
   * rule's decision, so that the page and the API refuse alike.
   */
  const step =
    <V = undefined>(s: Step<V>) =>
    async (req: Req, reply: FastifyReply) => {
      const viewer = guard(req, { action: 'signed-in' });
      let value = undefined as V;
      if (s.form) {
        let loaded: Promise<Found> | undefined;
        const found = () => {
          loaded ??= load(req, viewer);
          return loaded;
        };
        const body = (req.body ?? {}) as Values;
        const input = await s.form.read(body, found);
        if (!input.ok) return s.form.show(reply, await found(), body, problemsView(input.problems), 400);
        value = input.value;
      }
      const outcome = await s.run({ viewer, ip: req.ip }, idOf(req.params.id), value, req);
      if (!outcome.ok) {
        const refusal = { errors: [{ text: outcome.reason, href: '#main' }] };
        return renderAppraisal(reply, await load(req, viewer), refusal, 409);
      }
      const withdrawn = outcome.withdrawn?.length
        ? ' The content changed, so the signature given so far was withdrawn.'
        : '';
      await setFlash(deps, req, `${typeof s.done === 'string' ? s.done : s.done(outcome)}${withdrawn}`);
      return reply.redirect(`/appraisals/${req.params.id}`, 303);
    };

  return { load, renderAppraisal, step };
}
