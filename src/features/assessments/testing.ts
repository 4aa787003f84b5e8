import { expect } from 'vitest';
import type { Client } from '../../../test/helpers.ts';
import type { Database } from '../../db/database.ts';
import { loadStarters } from '../frameworks/import.ts';
import { domainPages } from './assessments.ts';
import { assessableVersions, DEFAULT_FRAMEWORK, versionModel } from './framework.ts';

// Test helpers: the starter frameworks, and a self-assessment taken through the real pages.

export async function standards(db: Database) {
  await loadStarters(db);
  const v = (await assessableVersions(db)).find((x) => x.key === DEFAULT_FRAMEWORK)!;
  return { versionId: v.versionId, model: (await versionModel(db, v.versionId))! };
}

/**
 * Start, rate every domain page and (unless `submit` is false) submit. `pick` gives the scale value for the n-th
 * competency (0-based); the default rates everything "Capable" (2).
 */
export async function takeAssessment(
  client: Client,
  db: Database,
  opts: { versionId: number; level?: string; pick?: (n: number) => number; submit?: boolean },
): Promise<number> {
  const start = await client.post('/me/development/assessments/new', {
    version: String(opts.versionId),
    level: opts.level ?? 'middle',
  });
  expect(start.statusCode, start.body).toBe(303);
  const id = Number(start.headers.location!.match(/assessments\/(\d+)\//)![1]);
  const model = (await versionModel(db, opts.versionId))!;
  const byValue = new Map(model.content.levels.map((l) => [l.value, l.id]));
  let n = 0;
  for (const page of domainPages(model.content)) {
    const form: Record<string, string> = { action: 'next' };
    for (const c of page.competencies) form[`c${c.id}`] = String(byValue.get((opts.pick ?? (() => 2))(n++)));
    const url = `/me/development/assessments/${id}/domains/${page.number}`;
    const res = await client.post(url, form);
    expect(res.statusCode, res.body).toBe(303);
  }
  if (opts.submit !== false) {
    const res = await client.post(
      `/me/development/assessments/${id}/submit`,
      {},
      { csrfFrom: `/me/development/assessments/${id}/review` },
    );
    expect(res.statusCode, res.body).toBe(303);
  }
  return id;
}
