import type { Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { ensurePayScales } from './features/burden/pay-scales.ts';
import { loadStarters } from './features/frameworks/import.ts';
import { anyFramework } from './features/frameworks/queries.ts';
import { loadBundledOds } from './features/organisations/ods.ts';
import { seed } from './features/seed/seed.ts';

export async function getSetting<T>(db: Database, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value as T | undefined;
}

export async function setSetting(db: Database, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('app_settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}

/**
 * What `npm start` does before serving: migrate; load the bundled ODS organisations into an empty
 * database; load demo data when there are no people yet (unless LOAD_DEMO_DATA=false).
 */
export async function prepareDatabase(deps: Deps, log: (m: string) => void): Promise<{ demoMode: boolean }> {
  const applied = await migrateToLatest(deps.db);
  if (applied.length) log(`Applied ${applied.length} migration(s).`);
  const orgs = await deps.db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(orgs.n) === 0) {
    const summary = await loadBundledOds(deps.db);
    log(`Loaded NHS organisations from the bundled ODS files: ${summary}.`);
  }
  const scales = await ensurePayScales(deps.db);
  if (scales) log(scales);
  if (!(await anyFramework(deps.db))) {
    const { loaded } = await loadStarters(deps.db);
    log(`Loaded the starter competency frameworks: ${loaded.join(', ')}.`);
  }
  if (deps.config.loadDemoData) {
    const people = await deps.db.selectFrom('people').select('id').limit(1).executeTakeFirst();
    if (!people) {
      log('Loading demo data (one ICB, synthetic staff)…');
      await seed(deps, { scale: 'demo', seed: 1, log });
      await setSetting(deps.db, 'demo_data', true);
    }
  }
  const demoMode = deps.config.demoMode ?? (await getSetting<boolean>(deps.db, 'demo_data')) === true;
  return { demoMode };
}
