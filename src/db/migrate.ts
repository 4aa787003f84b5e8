import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Every file in db/migrations, in name order (names start with a timestamp). */
class FolderProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    // .ts from the sources, .js from the compiled tree (npm run build).
    const files = (await readdir(dir)).filter((f) => /^\d{8}_\d{4}_.+\.(ts|js)$/.test(f)).sort();
    const out: Record<string, Migration> = {};
    for (const f of files) out[f.replace(/\.(ts|js)$/, '')] = await import(pathToFileURL(path.join(dir, f)).href);
    return out;
  }
}

// Work on several features at once lands migrations whose timestamps are older than one already applied
// somewhere; each migration touches its own tables, so they apply in name order among the pending ones.
const migratorFor = (db: Kysely<any>) =>
  new Migrator({ db, provider: new FolderProvider(), allowUnorderedMigrations: true });

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = migratorFor(db);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every migration in the folder has been applied (used by /readyz). */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const migrator = migratorFor(db);
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
