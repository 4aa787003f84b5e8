import type { Database } from '../../db/database.ts';
import type { RaterGroup } from '../../db/schema.ts';
import { readContent } from '../frameworks/document-queries.ts';
import { findFramework, versionsOf } from '../frameworks/queries.ts';
import { addRater, saveResponse } from './queries.ts';

// Helpers for tests and benchmarks: a published framework version, and responses given through the same query
// the rater form uses.

export async function publishedVersion(db: Database, key = 'healthcare-leadership-model') {
  const framework = await findFramework(db, key);
  if (!framework) throw new Error(`framework ${key} is not loaded (call loadStarters first)`);
  const version = (await versionsOf(db, framework.id)).find((v) => v.status === 'published');
  if (!version) throw new Error(`framework ${key} has no published version`);
  const content = await readContent(db, version.id);
  return { id: version.id, content };
}

/**
 * A submitted response from a new external rater of the group: `score(i)` gives the scale position (0-based) for
 * the i-th competency of the version.
 */
export async function respond(
  db: Database,
  roundId: number,
  group: RaterGroup,
  content: Awaited<ReturnType<typeof publishedVersion>>['content'],
  score: (i: number) => number,
  comments: { strengths?: string; development?: string } = {},
) {
  const n = Math.floor(Math.random() * 1e9);
  const id = await addRater(db, {
    roundId,
    group,
    personId: null,
    email: `rater${n}@example.org`,
    name: `Rater ${n}`,
    tokenHash: null,
  });
  if (id === 'duplicate') throw new Error('duplicate rater');
  await saveResponse(db, {
    raterId: id,
    ratings: content.competencies.map((c, i) => {
      const level = content.levels[score(i)]!;
      return { competencyId: c.id, levelId: level.id, value: level.value };
    }),
    strengths: comments.strengths ?? '',
    development: comments.development ?? '',
    submit: true,
    at: new Date(),
  });
  return id;
}
