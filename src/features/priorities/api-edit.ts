import type { FastifyInstance } from 'fastify';
import type { PriorityStatus } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import type { Viewer } from '../../plugins/access.ts';
import { HttpError, notFound } from '../../web/http.ts';
import {
  editableFields,
  errorReply,
  idParams,
  type PatchBody,
  patchBody,
  placeFields,
  priorityItem,
} from './api-schemas.ts';
import { priorityInput } from './priorities.ts';
import { findPriority, mayRead, orgByCode, type PriorityRow, viewerAreas } from './queries.ts';
import { changePriority, inputOf, mayChange } from './register.ts';

// Reading one priority and editing it through the API: the same fields, checks, rights, audit and refresh as the
// edit page and the status buttons (docs/workload-priorities.md, "API").

const tags = ['Competing priorities'];
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };

/** The priority when the viewer may read it; 404 otherwise, so that its existence is not given away. */
async function readable(deps: Deps, viewer: Viewer, id: string): Promise<PriorityRow> {
  if (!/^\d{1,9}$/.test(id)) throw notFound('Priority');
  if (!(await mayRead(deps.db, await viewerAreas(deps.db, viewer), Number(id)))) throw notFound('Priority');
  return (await findPriority(deps.db, Number(id)))!;
}

/** What is wrong with the fields of a PATCH body that are not fields of an edit, if anything. */
function unknownFields(body: Record<string, unknown>): string | undefined {
  const keys = Object.keys(body);
  const place = keys.find((k) => (placeFields as readonly string[]).includes(k));
  if (place) {
    return `${place}: where a priority is placed cannot be changed; mark it dropped and place a new one`;
  }
  const unknown = keys.find((k) => !editableFields.includes(k));
  if (unknown) return `${unknown}: not a field of a priority (give ${editableFields.join(', ')})`;
  if (!keys.length) return `request: give at least one field to change (${editableFields.join(', ')})`;
  return undefined;
}

export async function editApi(
  app: FastifyInstance,
  deps: Deps,
  itemJson: (p: PriorityRow) => Promise<unknown>,
): Promise<void> {
  app.get(
    '/priorities/:id',
    {
      schema: {
        tags,
        summary: 'Read one priority',
        description: 'A priority you may read (as in the list), with its targets.',
        params: idParams,
        response: { 200: priorityItem, ...errors },
      },
    },
    async (req) => itemJson(await readable(deps, req.viewer!, (req.params as { id: string }).id)),
  );

  app.patch(
    '/priorities/:id',
    {
      schema: {
        tags,
        summary: 'Edit a priority or change its status',
        description:
          'Send only the fields to change; the priority is then checked as a whole, as on the edit page (a target date on or after the date set; no funding amount for an unfunded priority, so send funding_amount: null with funded: false). Where it is placed cannot change. Whoever may place a priority where it is placed may edit it. Each change is audited field by field; when the date set, the funding or the status changes, the thicket figures are refreshed (within minutes for a priority that reaches many organisations: see pending_since of the thicket).',
        params: idParams,
        body: patchBody,
        response: { 200: priorityItem, ...errors },
      },
    },
    async (req) => {
      const viewer = req.viewer!;
      const body = (req.body ?? {}) as PatchBody & Record<string, unknown>;
      const p = await readable(deps, viewer, (req.params as { id: string }).id);
      const area = p.scope_org_code ? ((await orgByCode(deps.db, p.scope_org_code)) ?? null) : null;
      if (!mayChange(viewer, p, area)) throw new HttpError(403, 'You may not change this priority');
      const problem = unknownFields(body);
      if (problem) throw new HttpError(400, problem);
      const { status, ...fields } = body;
      const merged = inputOf(p);
      for (const [k, v] of Object.entries(fields)) merged[k] = v === null ? undefined : v;
      const parsed = priorityInput.safeParse(merged);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HttpError(400, `${String(issue.path[0] ?? 'request')}: ${issue.message}`);
      }
      await changePriority(deps, { viewer, ip: req.ip }, p, parsed.data, status as PriorityStatus | undefined);
      return itemJson((await findPriority(deps.db, p.id))!);
    },
  );
}
