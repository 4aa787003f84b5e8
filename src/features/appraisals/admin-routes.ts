import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import type { Viewer } from '../../plugins/access.ts';
import { guard, notFound } from '../../web/http.ts';
import { findOrganisation, type OrgDetail } from '../organisations/queries.ts';
import { cycleDateProblems, statusLabels } from './appraisals.ts';
import { cycleMembers, cyclesOf, findCycle } from './cycle-queries.ts';
import { type CycleInput, openCycle, reassignAppraiser } from './cycles.ts';
import { problemsView, setFlash, takeFlash, views } from './present.ts';
import { cycleName, type FormProblem, readDate } from './schemas.ts';
import { formPage, idOf } from './steps.ts';
import { readAppraisal } from './workflow.ts';

const PAGE = 100;
const dateFields = [
  ['starts_on', 'start date'],
  ['mid_year_on', 'mid-year review date'],
  ['due_on', 'due date'],
  ['ends_on', 'end date'],
] as const;

export const placeOf = (o: OrgDetail) => ({ id: o.id, icbId: o.icb_id, regionId: o.region_id });

/** Organisation admins open appraisal cycles, follow them, and choose another appraiser where needed. */
export async function adminRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;

  const orgOr404 = async (code: string) => {
    const org = await findOrganisation(db, code);
    if (!org) throw notFound('Organisation');
    return org;
  };

  const renderCycles = formPage<{ org: OrgDetail; flash?: string }>('cycles.njk', async ({ org, flash }) => ({
    title: `Appraisal cycles of ${org.name}`,
    breadcrumbs: [
      { href: '/appraisals', text: 'Appraisals' },
      { href: `/appraisals/organisations/${org.code}`, text: `${org.name} dashboard` },
    ],
    org,
    cycles: await cyclesOf(db, org.id),
    flash,
  }));

  app.get<{ Params: { code: string } }>('/appraisals/organisations/:code/cycles', async (req, reply) => {
    const org = await orgOr404(req.params.code);
    guard(req, { action: 'appraisals:manage', org: placeOf(org) });
    return renderCycles(reply, { org, flash: await takeFlash(deps, req) }, {});
  });

  app.post<{ Params: { code: string } }>('/appraisals/organisations/:code/cycles', async (req, reply) => {
    const org = await orgOr404(req.params.code);
    const viewer = guard(req, { action: 'appraisals:manage', org: placeOf(org) });
    const body = (req.body ?? {}) as Record<string, string>;
    const problems: FormProblem[] = [];
    const name = cycleName.safeParse(body.name ?? '');
    if (!name.success) problems.push({ field: 'name', message: name.error.issues[0]!.message });
    const dates: Record<string, string> = {};
    for (const [field, label] of dateFields) {
      const d = readDate(body, field, label);
      if (d.ok) dates[field] = d.value;
      else problems.push(...d.problems);
    }
    if (Object.keys(dates).length === dateFields.length) {
      for (const p of cycleDateProblems(dates as unknown as CycleInput)) {
        problems.push({ field: `${p.field}-day`, message: p.message });
      }
    }
    if (problems.length) return renderCycles(reply, { org }, body, problemsView(problems), 400);
    const input = { name: name.data!, ...dates } as CycleInput;
    const opened = await openCycle(deps, { viewer, ip: req.ip }, org, input);
    if (!opened.ok) {
      const field = opened.field === 'name' ? 'name' : `${opened.field}-day`;
      return renderCycles(reply, { org }, body, problemsView([{ field, message: opened.reason }]), 400);
    }
    await setFlash(
      deps,
      req,
      `Cycle “${input.name}” opened: ${opened.appraisals.toLocaleString('en-GB')} appraisals created.`,
    );
    return reply.redirect(`/appraisals/cycles/${opened.id}`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: { after?: string } }>('/appraisals/cycles/:id', async (req, reply) => {
    if (!/^\d{1,9}$/.test(req.params.id)) throw notFound('Cycle');
    const cycle = await findCycle(db, Number(req.params.id));
    if (!cycle) throw notFound('Cycle');
    const detail = await orgOr404(cycle.org_code);
    guard(req, { action: 'appraisals:manage', org: placeOf(detail) });
    const after = /^\d{1,15}$/.test(req.query.after ?? '') ? Number(req.query.after) : 0;
    const members = await cycleMembers(db, cycle.id, after, PAGE + 1);
    const page = members.slice(0, PAGE);
    return reply.render(`${views}/cycle.njk`, {
      title: cycle.name,
      breadcrumbs: [
        { href: '/appraisals', text: 'Appraisals' },
        { href: `/appraisals/organisations/${detail.code}/cycles`, text: `Cycles of ${detail.name}` },
      ],
      flash: await takeFlash(deps, req),
      cycle,
      org: detail,
      members: page.map((m) => ({ ...m, statusLabel: statusLabels[m.status as keyof typeof statusLabels] })),
      nextUrl: members.length > PAGE ? `/appraisals/cycles/${cycle.id}?after=${page[page.length - 1]!.id}` : undefined,
    });
  });

  type Req = FastifyRequest<{ Params: { id: string } }>;
  /** The appraisal for its organisation's admin; 404 for anyone else. */
  const forAdmin = async (req: Req, viewer: Viewer) => {
    const found = await readAppraisal(deps, { viewer, ip: req.ip }, idOf(req.params.id));
    if (!found) throw notFound('Appraisal');
    const org = await orgOr404(found.appraisal.org_code);
    guard(req, { action: 'appraisals:manage', org: placeOf(org) });
    return found.appraisal;
  };

  const renderAppraiser = formPage<Awaited<ReturnType<typeof forAdmin>>>('appraiser.njk', (a) => ({
    title: `Choose the appraiser of ${a.person_name}`,
    breadcrumbs: [
      { href: '/appraisals', text: 'Appraisals' },
      { href: `/appraisals/cycles/${a.cycle_id}`, text: a.cycle_name },
    ],
    a,
  }));

  app.get<{ Params: { id: string } }>('/appraisals/:id/appraiser', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    return renderAppraiser(reply, await forAdmin(req, viewer), {});
  });

  app.post<{ Params: { id: string } }>('/appraisals/:id/appraiser', async (req, reply) => {
    const viewer = guard(req, { action: 'signed-in' });
    const a = await forAdmin(req, viewer);
    const body = (req.body ?? {}) as Record<string, string>;
    const staffNumber = (body.staff_number ?? '').trim();
    if (!staffNumber) {
      return renderAppraiser(
        reply,
        a,
        body,
        problemsView([{ field: 'staff_number', message: 'Enter the staff number of the new appraiser' }]),
        400,
      );
    }
    const r = await reassignAppraiser(deps, { viewer, ip: req.ip }, a, staffNumber);
    if (!r.ok)
      return renderAppraiser(reply, a, body, problemsView([{ field: 'staff_number', message: r.reason }]), 400);
    await setFlash(deps, req, `${r.name} is now the appraiser of ${a.person_name}.`);
    return reply.redirect(`/appraisals/cycles/${a.cycle_id}`, 303);
  });
}
