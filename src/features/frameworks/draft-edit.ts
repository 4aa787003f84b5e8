import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { ZodType } from 'zod';
import type { DB } from '../../db/schema.ts';
import type { AppContext } from '../../feature.ts';
import type { Viewer } from '../../plugins/access.ts';
import { formErrors, singleError } from '../../web/http.ts';
import { moveRow } from './draft-queries.ts';
import {
  authorDraft,
  type DraftForm,
  type DraftTarget,
  directionOf,
  draftAudit,
  flash,
  formBody,
  inDraft,
} from './web.ts';

// Every edit of a draft has the same frame: the author's draft (national admins only), the form as sent, the
// change with its audit entry in one transaction, then a flash and POST-redirect-GET. A route says the rest.

/** The form fields of a draft page: what was sent (or `values`), and what is wrong with it. */
export const formView = (form: DraftForm, values: object | undefined = form.values ?? {}) => ({
  values,
  errors: form.errors ?? [],
  fields: form.fields ?? {},
});

type Ordered = Parameters<typeof moveRow>[1];

export interface DraftEdit<P> {
  req: FastifyRequest<{ Params: P }>;
  reply: FastifyReply;
  viewer: Viewer;
  target: DraftTarget;
  /** The form as sent (repeated fields keep their first value). */
  values: Record<string, string>;
  /** The form checked by `schema`; a refusal carries what was sent, for the page to show again. */
  parse<T>(schema: ZodType<T>): { ok: true; data: T } | { ok: false; form: DraftForm };
  /** One problem with the form, on `field`. */
  refusal(field: string, text: string): DraftForm;
  /** The change and its audit entry, in one transaction; `details` may name what the change created. */
  save<T>(
    action: string,
    details: Record<string, unknown> | ((result: T) => Record<string, unknown>),
    write: (trx: Transaction<DB>) => Promise<T>,
  ): Promise<T>;
  /** An up/down button: the row changes place with its neighbour, audited only when there was one. */
  move(table: Ordered, id: number, action: string, details: Record<string, unknown>): Promise<void>;
  /** POST-redirect-GET, with a flash message when there is news. */
  done(url: string, message?: string): Promise<FastifyReply>;
}

/** Routes of draft edits: `edit(handler)` is the route handler. */
export function draftEditor(ctx: AppContext) {
  const { db } = ctx.deps;
  return <P extends { key: string }>(handler: (e: DraftEdit<P>) => Promise<unknown>) =>
    async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply) => {
      const { viewer, target } = await authorDraft(db, req);
      const values = formBody(req);
      const audited = (trx: Transaction<DB>, action: string, details: Record<string, unknown>) =>
        draftAudit(trx, req, viewer, target, action, details);
      return handler({
        req,
        reply,
        viewer,
        target,
        values,
        parse: (schema) => {
          const parsed = schema.safeParse(values);
          return parsed.success
            ? { ok: true, data: parsed.data }
            : { ok: false, form: { values, ...formErrors(parsed.error) } };
        },
        refusal: (field, text) => ({ values, ...singleError(field, text) }),
        save: (action, details, write) =>
          inDraft(db, async (trx) => {
            const result = await write(trx);
            await audited(trx, action, typeof details === 'function' ? details(result) : details);
            return result;
          }),
        move: async (table, id, action, details) => {
          const direction = directionOf(req);
          await inDraft(db, async (trx) => {
            if (await moveRow(trx, table, target.draft.id, id, direction)) {
              await audited(trx, action, { ...details, direction });
            }
          });
        },
        done: async (url, message) => {
          if (message) await flash(ctx, req, message);
          return reply.redirect(url, 303);
        },
      });
    };
}
