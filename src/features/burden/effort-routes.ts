import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { audit } from '../../plugins/audit.ts';
import { guard, notFound } from '../../web/http.ts';
import { formatDate } from '../../web/nunjucks.ts';
import { findOrganisation, type OrgDetail } from '../organisations/queries.ts';
import { cyclesPerYear, type EffortLine, priceEffort } from './burden.ts';
import { effortVersions, payScales, returnsApplyingTo, saveEffortVersion } from './effort-queries.ts';
import {
  bodyLabel,
  costText,
  type FormProblems,
  flagsOf,
  hours,
  problemsInOrder,
  setFlash,
  takeFlash,
  todayOf,
  views,
} from './present.ts';
import { findReturn, type ReturnRow } from './queries.ts';
import { refreshBurden } from './refresh.ts';
import { appliesToOrg, frequencyLabels } from './register.ts';
import { placeOf } from './returns.ts';
import { datePartsToIso, EFFORT_LINES, effortBands, effortLine } from './schemas.ts';

const orgUrl = (code: string) => `/burden/organisations/${encodeURIComponent(code)}`;

/** Read the effort form: the version's date and its filled-in lines, or the problems in page order. */
export function readEffortForm(body: Record<string, string>) {
  const problems = new Map<string, string>();
  const order = ['effective_from'];
  const date = datePartsToIso('Effective from date', {
    day: body['effective_from-day'],
    month: body['effective_from-month'],
    year: body['effective_from-year'],
  });
  if ('problem' in date) problems.set('effective_from', date.problem);
  else if (date.iso === '') problems.set('effective_from', 'Enter the date this effort applies from');
  const lines: EffortLine[] = [];
  for (let i = 1; i <= EFFORT_LINES; i++) {
    const raw = { role: body[`role_${i}`] ?? '', band: body[`band_${i}`] ?? '', hours: body[`hours_${i}`] ?? '' };
    order.push(`role_${i}`, `band_${i}`, `hours_${i}`);
    if (!raw.role.trim() && !raw.band && !raw.hours.trim()) continue;
    const parsed = effortLine.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = `${String(issue.path[0])}_${i}`;
        if (!problems.has(field)) problems.set(field, `Line ${i}: ${issue.message}`);
      }
      continue;
    }
    lines.push({ role: parsed.data.role, band: parsed.data.band, hoursPerCycle: parsed.data.hours });
  }
  if (lines.length === 0 && ![...problems.keys()].some((k) => k !== 'effective_from')) {
    problems.set('role_1', 'Enter at least one role with its band and hours each time');
  }
  return {
    effectiveFrom: 'iso' in date ? date.iso : '',
    lines,
    problems: problemsInOrder(problems, order, ['effective_from']),
    ok: problems.size === 0,
  };
}

/** Organisation admins record, for their own organisation, who compiles each applicable return and for how long. */
export async function effortRoutes(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;

  async function orgFor(req: FastifyRequest<{ Params: { code: string } }>): Promise<OrgDetail> {
    if (!req.viewer) guard(req, { action: 'burden:view' });
    const org = await findOrganisation(db, req.params.code);
    if (!org) throw notFound('Organisation');
    guard(req, { action: 'burden:record-effort', org: placeOf(org) });
    return org;
  }

  const seat = (o: OrgDetail) => ({ id: o.id, icbId: o.icb_id, regionId: o.region_id });

  app.get<{ Params: { code: string } }>('/burden/organisations/:code/effort', async (req, reply) => {
    const org = await orgFor(req);
    const today = todayOf(deps);
    const rows = await returnsApplyingTo(db, seat(org));
    const recorded = rows.filter((r) => r.hours_year !== null).length;
    return reply.render(`${views}/effort-list.njk`, {
      title: `Reporting effort for ${org.name}`,
      breadcrumbs: [
        { href: '/burden', text: 'Reporting requirements' },
        { href: orgUrl(org.code), text: org.name },
      ],
      flash: await takeFlash(deps, req),
      org,
      recorded,
      rows: rows.map((r) => ({
        ...r,
        bodyLabel: bodyLabel(r.requesting_body),
        frequencyLabel: frequencyLabels[r.frequency],
        flags: flagsOf(r, today),
        hoursText: r.hours_year === null ? undefined : hours(Number(r.hours_year)),
        costText:
          r.hours_year === null
            ? undefined
            : costText({
                hoursYear: Number(r.hours_year),
                costYear: Number(r.cost_year),
                uncostedHoursYear: Number(r.uncosted_hours_year),
              }),
      })),
    });
  });

  async function returnFor(org: OrgDetail, id: string): Promise<ReturnRow> {
    if (!/^\d{1,9}$/.test(id)) throw notFound('Return');
    const r = await findReturn(db, Number(id));
    if (!r || !appliesToOrg({ scope: r.scope, scopeOrgId: r.scope_org_id }, seat(org))) throw notFound('Return');
    return r;
  }

  async function renderForm(
    reply: FastifyReply,
    org: OrgDetail,
    r: ReturnRow,
    form: { values: Record<string, string> } & Partial<FormProblems>,
    status = 200,
  ) {
    const [versions, scales] = await Promise.all([effortVersions(db, org.id, r.id), payScales(db)]);
    const ret = { frequency: r.frequency, adHocCycles: r.ad_hoc_cycles };
    const bandItems = (chosen: string) => [
      { value: '', text: 'Select a band' },
      ...effortBands.map((b) => ({ value: b, text: /^\d/.test(b) ? `Band ${b}` : b, selected: b === chosen })),
    ];
    return reply.render(
      `${views}/effort-form.njk`,
      {
        title: `Effort on ${r.name}`,
        breadcrumbs: [
          { href: '/burden', text: 'Reporting requirements' },
          { href: orgUrl(org.code), text: org.name },
          { href: `${orgUrl(org.code)}/effort`, text: 'Reporting effort' },
        ],
        org,
        r: { ...r, frequencyLabel: frequencyLabels[r.frequency], cycles: cyclesPerYear(r.frequency, r.ad_hoc_cycles) },
        lineNumbers: Array.from({ length: EFFORT_LINES }, (_, i) => i + 1),
        bandItems,
        values: form.values,
        errors: form.errors ?? [],
        fields: form.fields ?? {},
        versions: versions.map((v) => {
          const priced = priceEffort(v.lines, ret, scales, v.effectiveFrom);
          return {
            ...v,
            lines: v.lines.map((l) => ({
              ...l,
              hours: hours(l.hoursPerCycle),
              bandLabel: /^\d/.test(l.band) ? `band ${l.band}` : l.band,
            })),
            hoursYear: hours(priced.hoursYear),
            cost: costText(priced),
            scales: priced.scales.join(', '),
          };
        }),
      },
      status,
    );
  }

  app.get<{ Params: { code: string; id: string } }>('/burden/organisations/:code/effort/:id', async (req, reply) => {
    const org = await orgFor(req);
    const r = await returnFor(org, req.params.id);
    const [latest] = await effortVersions(db, org.id, r.id);
    const [y, m, d] = todayOf(deps).split('-');
    const values: Record<string, string> = {
      'effective_from-day': String(Number(d)),
      'effective_from-month': String(Number(m)),
      'effective_from-year': y,
    };
    latest?.lines.forEach((l, i) => {
      values[`role_${i + 1}`] = l.role;
      values[`band_${i + 1}`] = l.band;
      values[`hours_${i + 1}`] = String(l.hoursPerCycle);
    });
    return renderForm(reply, org, r, { values });
  });

  app.post<{ Params: { code: string; id: string } }>('/burden/organisations/:code/effort/:id', async (req, reply) => {
    const org = await orgFor(req);
    const viewer = req.viewer!;
    const r = await returnFor(org, req.params.id);
    const body = (req.body ?? {}) as Record<string, string>;
    const form = readEffortForm(body);
    if (!form.ok) return renderForm(reply, org, r, { values: body, ...form.problems }, 400);
    const saved = await db.transaction().execute(async (trx) => {
      const result = await saveEffortVersion(trx, {
        orgId: org.id,
        returnId: r.id,
        effectiveFrom: form.effectiveFrom,
        lines: form.lines,
        accountId: viewer.accountId,
      });
      await audit(
        trx,
        { viewer, ip: req.ip },
        {
          action: 'burden.effort.record',
          subjectType: 'burden_return',
          subjectId: r.id,
          organisationId: org.id,
          details: {
            effectiveFrom: form.effectiveFrom,
            replaced: result.replaced,
            lines: form.lines.map((l) => ({ role: l.role, band: l.band, hours: l.hoursPerCycle })),
          },
        },
      );
      return result;
    });
    // Incremental: this organisation's figures and the ICB, region and national totals it counts in.
    await refreshBurden(db, todayOf(deps), [org.id]);
    await setFlash(
      deps,
      req,
      `Effort on “${r.name}” ${saved.replaced ? 'corrected' : 'recorded'} from ${formatDate(form.effectiveFrom)}.`,
    );
    return reply.redirect(`${orgUrl(org.code)}/effort`, 303);
  });
}
