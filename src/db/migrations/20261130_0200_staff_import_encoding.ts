import { type Kysely, sql } from 'kysely';

// Staff imports: how the file's bytes were read as text (src/text.ts decodeText), shown on the import's report so
// that an admin whose names look wrong can see at once that Excel saved the file as Windows-1252 rather than UTF-8.
// Imports recorded before this have none.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE staff_imports ADD COLUMN encoding text
      CHECK (encoding IN ('utf-8', 'windows-1252', 'utf-16le'))
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE staff_imports DROP COLUMN encoding`.execute(db);
}
