import type { Database } from '../../db/database.ts';
import type { Viewer } from '../../plugins/access.ts';
import { decodeCursor, encodeCursor, HttpError } from '../../web/http.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { type AuditFilter, CSV_MAX_ROWS, checkFilter, type FilterField, type Problem } from './audit.ts';
import { type AuditKey, type AuditRow, keyOf, searchAudit } from './queries.ts';

const fieldOrder: FilterField[] = ['actor', 'person', 'action', 'organisation', 'from', 'to'];

/**
 * A search as typed (page form or API query): the checked filter, the organisation it names, and every
 * problem in page order. An unknown ODS code is a problem, not an empty result, so that a typo is visible.
 */
export async function prepareFilter(
  db: Database,
  raw: Partial<Record<FilterField, string | undefined>>,
  known: Problem[] = [],
): Promise<{ filter: AuditFilter; organisationId?: number; problems: Problem[] }> {
  const { filter, problems } = checkFilter(raw, known);
  let organisationId: number | undefined;
  if (filter.organisation) {
    organisationId = (await findOrganisation(db, filter.organisation))?.id;
    if (organisationId === undefined) {
      problems.push({ field: 'organisation', text: `No organisation has the ODS code ${filter.organisation}` });
    }
  }
  problems.sort((a, b) => fieldOrder.indexOf(a.field) - fieldOrder.indexOf(b.field));
  return { filter, organisationId, problems };
}

export const cursorOf = (k: AuditKey) => encodeCursor([k.at, k.id]);

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` naming a moment that exists: a 13th month or a 25th hour would fail in the database. */
function isRealInstant(at: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/.exec(at);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s
  );
}

/** A page key from an opaque cursor; anything that is not one we issued is a 400, never a database error. */
export function keyFromCursor(cursor: string | undefined, param = 'cursor'): AuditKey | undefined {
  const v = decodeCursor(cursor);
  if (!v) return undefined;
  const [at, id] = v;
  if (typeof at === 'string' && isRealInstant(at) && typeof id === 'number' && Number.isSafeInteger(id) && id > 0) {
    return { at, id };
  }
  throw new HttpError(400, `${param} is not valid: use the value from the previous page`);
}

const CSV_BATCH = 5_000;

/**
 * The entries of a search for the CSV download, newest first, in keyset batches: memory stays at one
 * batch whatever the size, and each batch is an index range scan. Stops at CSV_MAX_ROWS.
 */
export async function* auditBatches(
  db: Database,
  viewer: Viewer,
  search: { filter: AuditFilter; organisationId?: number },
): AsyncGenerator<AuditRow[]> {
  let before: AuditKey | undefined;
  let left = CSV_MAX_ROWS;
  while (left > 0) {
    const page = await searchAudit(db, viewer, { ...search, limit: Math.min(CSV_BATCH, left), before });
    if (page.rows.length === 0) return;
    yield page.rows;
    left -= page.rows.length;
    if (!page.hasOlder) return;
    before = keyOf(page.rows[page.rows.length - 1]);
  }
}
