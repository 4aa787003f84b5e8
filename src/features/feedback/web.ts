import type { FastifyRequest } from 'fastify';
import type { RaterGroup } from '../../db/schema.ts';
import { notFound } from '../../web/http.ts';
import { anonymousGroups } from './anonymity.ts';
import { groupLabels, roundState } from './feedback.ts';
import type { RoundRow } from './queries.ts';

// What the 360 pages share: addresses, ids from the URL, form bodies, and the progress table.

export const views = 'features/feedback/views';
export const roundUrl = (id: number) => `/feedback/${id}`;

export function idParam(value: string, what = '360 round'): number {
  if (!/^\d{1,9}$/.test(value)) throw notFound(what);
  return Number(value);
}

/** A form body as strings, keeping repeated fields (checkboxes) as arrays. */
export function formBody(req: FastifyRequest): Record<string, string | string[]> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v ?? '')]),
  );
}

export const single = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

export const actorOf = (req: FastifyRequest) => ({ viewer: req.viewer!, ip: req.ip });

/** Progress as a table: nominated and submitted per group, counts only (never who has answered). */
export function progressRows(
  rows: { rater_group: RaterGroup; nominated: number; submitted: number }[],
  round: RoundRow,
) {
  const minimum: Partial<Record<RaterGroup, number>> = {
    peer: round.min_peer,
    direct_report: round.min_direct_report,
    other: round.min_other,
  };
  return (['self', 'line_manager', ...anonymousGroups] as RaterGroup[]).map((g) => {
    const r = rows.find((x) => x.rater_group === g);
    const submitted = r?.submitted ?? 0;
    const need = minimum[g];
    return {
      group: g,
      label: groupLabels[g],
      nominated: r?.nominated ?? 0,
      submitted,
      note:
        need === undefined
          ? g === 'line_manager'
            ? 'Not anonymous'
            : ''
          : submitted >= need
            ? 'Enough responses to be shown'
            : `Shown only with at least ${need} responses`,
    };
  });
}

export function presentRound(r: RoundRow) {
  return {
    ...r,
    subjectName: `${r.given_name} ${r.family_name}`,
    state: roundState(r),
    href: roundUrl(r.id),
  };
}
