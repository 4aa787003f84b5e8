import type { Database } from '../../db/database.ts';

/** Load the ODS files bundled in reference/ods into the database. Returns a one-line summary. */
export async function loadBundledOds(_db: Database): Promise<string> {
  throw new Error('ODS import is not built yet');
}
