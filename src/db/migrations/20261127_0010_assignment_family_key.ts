import { type Kysely, sql } from 'kysely';

// An organisation admin's (or ICB lead's) people search by name needs "people of these organisations whose family
// name starts with …" in name order. Neither the name index (all of England's Smiths, filtered one by one against
// the scope) nor the scope (every person of a 15,000-staff trust, filtered by name) answers that quickly, so each
// assignment carries its person's family name, lower-cased, with an index on (organisation, name). Triggers keep
// it right whoever writes assignments or renames a person.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE assignments ADD COLUMN family_key text;
    -- The key is a copy of the person's name, not a fact about the assignment: no history entry when it changes.
    CREATE OR REPLACE FUNCTION assignments_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (to_jsonb(OLD) - 'updated_at' - 'family_key') IS DISTINCT FROM (to_jsonb(NEW) - 'updated_at' - 'family_key') THEN
        INSERT INTO assignment_history (assignment_id, valid_from, valid_to, previous)
        VALUES (OLD.id, OLD.updated_at, now(), to_jsonb(OLD) - 'created_at' - 'updated_at' - 'family_key');
        NEW.updated_at := now();
      END IF;
      RETURN NEW;
    END $$;
    ALTER TABLE assignments DISABLE TRIGGER assignments_history;
    UPDATE assignments a SET family_key = lower(p.family_name) FROM people p WHERE p.id = a.person_id;
    ALTER TABLE assignments ENABLE TRIGGER assignments_history;

    CREATE FUNCTION assignments_family_key() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.family_key IS NULL OR TG_OP = 'UPDATE' THEN
        SELECT lower(family_name) INTO NEW.family_key FROM people WHERE id = NEW.person_id;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER assignments_family_key BEFORE INSERT OR UPDATE OF person_id ON assignments
      FOR EACH ROW EXECUTE FUNCTION assignments_family_key();

    CREATE FUNCTION people_family_key() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE assignments SET family_key = lower(NEW.family_name)
       WHERE person_id = NEW.id AND family_key IS DISTINCT FROM lower(NEW.family_name);
      RETURN NULL;
    END $$;
    CREATE TRIGGER people_family_key AFTER UPDATE OF family_name ON people
      FOR EACH ROW WHEN (OLD.family_name IS DISTINCT FROM NEW.family_name) EXECUTE FUNCTION people_family_key();

    CREATE INDEX assignments_org_family_idx ON assignments (organisation_id, family_key, person_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION assignments_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (to_jsonb(OLD) - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'updated_at') THEN
        INSERT INTO assignment_history (assignment_id, valid_from, valid_to, previous)
        VALUES (OLD.id, OLD.updated_at, now(), to_jsonb(OLD) - 'created_at' - 'updated_at');
        NEW.updated_at := now();
      END IF;
      RETURN NEW;
    END $$;
    DROP TRIGGER people_family_key ON people;
    DROP FUNCTION people_family_key();
    DROP TRIGGER assignments_family_key ON assignments;
    DROP FUNCTION assignments_family_key();
    DROP INDEX assignments_org_family_idx;
    ALTER TABLE assignments DROP COLUMN family_key;
  `.execute(db);
}
