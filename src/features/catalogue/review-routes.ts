import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise, type Viewer } from '../../plugins/access.ts';
import { forbidden, guard, notFound } from '../../web/http.ts';
import { findSubmission, openSubmissions, type SubmissionRow } from './accreditation-queries.ts';
import {
  addDays,
  criteria,
  type Decision,
  decisionLabels,
  decisionProblem,
  levelLabels,
  outcomeLines,
} from './catalogue.ts';
import { dateOf, problemsInOrder, setFlash, takeFlash, todayOf, views, zodProblems } from './present.ts';
import { decideSubmission } from './programmes.ts';
import { findProgramme } from './queries.ts';
import { decisionForm } from './schemas.ts';

// Reviewers (regional leads for their region's programmes, national admins for all) assess submissions against
// the criteria and decide. Decisions are final for the submission: the provider resubmits after changes.

const outcomeText: Record<Decision, string> = {
  accredited: 'accredited',
  changes_requested: 'changes requested',
  rejected: 'rejected',
};

const regionalGrants = (v: Viewer) =>
  v.grants.filter((g) => g.role === 'regional_lead' && g.organisationId !== null).map((g) => g.organisationId!);

/** A date from the day, month and year boxes, or why not. */
export function dateFromParts(day: unknown, month: unknown, year: unknown): { iso?: string; problem?: string } {
  const [d, m, y] = [day, month, year].map((x) => String(x ?? '').trim());
  if (!d && !m && !y) return {};
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) {
    return { problem: 'Enter the expiry date as day, month and year, like 31 3 2029' };
  }
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const check = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso)
    return { problem: 'The expiry date must be a real date' };
  return { iso };
}

export async function reviewRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  app.get('/catalogue/reviews', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:review-any' });
    const national = authorise(viewer, { action: 'catalogue:manage-providers' });
    const rows = await openSubmissions(db, national ? 'all' : regionalGrants(viewer));
    return reply.render(`${views}/reviews.njk`, {
      title: 'Accreditation submissions to review',
      breadcrumbs: [{ href: '/catalogue', text: 'Training' }],
      flash: await takeFlash(deps, req),
      rows: rows.map((r) => ({
        ...r,
        submittedOn: dateOf(r.submitted_at),
        reviewer: r.review_region_name ?? 'National',
      })),
    });
  });

  const submissionOr404 = async (viewer: Viewer, sid: string) => {
    if (!/^\d{1,12}$/.test(sid)) throw notFound('Submission');
    const s = await findSubmission(db, Number(sid));
    if (!s) throw notFound('Submission');
    if (!authorise(viewer, { action: 'catalogue:review', regionId: s.review_region_id })) throw forbidden();
    return s;
  };

  const render = async (
    reply: FastifyReply,
    s: SubmissionRow,
    values: Record<string, unknown>,
    problems?: ReturnType<typeof problemsInOrder>,
    status = 200,
  ) => {
    const p = await findProgramme(db, s.programme_id);
    const snapshot = s.snapshot as {
      title?: string;
      outcomes?: string;
      level?: keyof typeof levelLabels;
      competencies?: { code: string; title: string }[];
    };
    const met = Array.isArray(values.criteria) ? values.criteria : values.criteria ? [values.criteria] : [];
    return reply.render(
      `${views}/review.njk`,
      {
        title: `Review ${s.programme_title}`,
        breadcrumbs: [
          { href: '/catalogue', text: 'Training' },
          { href: '/catalogue/reviews', text: 'Submissions to review' },
        ],
        s: { ...s, submittedOn: dateOf(s.submitted_at), decidedOn: dateOf(s.decided_at) },
        p,
        snapshot: {
          level: snapshot.level ? levelLabels[snapshot.level] : '',
          outcomes: outcomeLines(snapshot.outcomes ?? ''),
          competencies: snapshot.competencies ?? [],
        },
        open: s.status === 'submitted',
        values,
        criteriaItems: criteria.map((c) => ({
          value: c.key,
          text: c.title,
          hint: { text: c.hint },
          checked: met.includes(c.key),
        })),
        decisionItems: (Object.keys(decisionLabels) as Decision[]).map((d) => ({
          value: d,
          text: decisionLabels[d],
          checked: values.decision === d,
        })),
        errors: problems?.errors ?? [],
        fields: problems?.fields ?? {},
      },
      status,
    );
  };

  app.get<{ Params: { sid: string } }>('/catalogue/reviews/:sid', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:review-any' });
    const s = await submissionOr404(viewer, req.params.sid);
    const [y, m, d] = addDays(todayOf(deps), 3 * 365).split('-');
    return render(reply, s, {
      'expires_on-day': String(Number(d)),
      'expires_on-month': String(Number(m)),
      'expires_on-year': y,
    });
  });

  app.post<{ Params: { sid: string } }>('/catalogue/reviews/:sid', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:review-any' });
    const s = await submissionOr404(viewer, req.params.sid);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const order = ['criteria', 'decision', 'expires_on', 'note'];
    const fail = (problems: Map<string, string>, status = 400) =>
      render(reply, s, body, problemsInOrder(problems, order), status);
    if (s.status !== 'submitted') return fail(new Map([['decision', 'This submission has already been decided']]), 409);
    const parsed = decisionForm.safeParse(body);
    if (!parsed.success) return fail(zodProblems(parsed.error.issues));
    const expiry = dateFromParts(body['expires_on-day'], body['expires_on-month'], body['expires_on-year']);
    if (expiry.problem && parsed.data.decision === 'accredited') return fail(new Map([['expires_on', expiry.problem]]));
    const met = Object.fromEntries(criteria.map((c) => [c.key, parsed.data.criteria.includes(c.key)]));
    const problem = decisionProblem(parsed.data.decision, met, parsed.data.note, expiry.iso, todayOf(deps));
    if (problem) return fail(new Map([[problem.field, problem.message]]));
    const done = await decideSubmission(db, { viewer, ip: req.ip }, s.id, {
      decision: parsed.data.decision,
      criteria: Object.fromEntries(criteria.map((c) => [c.key, { met: met[c.key], note: '' }])),
      note: parsed.data.note,
      expiresOn: parsed.data.decision === 'accredited' ? (expiry.iso ?? null) : null,
    });
    if (!done) return fail(new Map([['decision', 'Another reviewer decided this submission first']]), 409);
    await setFlash(deps, req, `Decision recorded for ${s.programme_title}: ${outcomeText[parsed.data.decision]}.`);
    return reply.redirect('/catalogue/reviews', 303);
  });
}
