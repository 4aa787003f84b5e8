import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { prepareDatabase } from '../../bootstrap.ts';
import { listFrameworks } from './queries.ts';

describe('first start', () => {
  it('loads the starter frameworks into an empty database, once', async () => {
    const deps = await testDeps({ LOAD_DEMO_DATA: 'false' });
    const first: string[] = [];
    await prepareDatabase(deps, (m) => first.push(m));
    expect(first).toContain(
      'Loaded the starter competency frameworks: board-leadership-competency-framework, healthcare-leadership-model, leadwell-management-standards.',
    );
    const listed = await listFrameworks(deps.db, { includeDrafts: false });
    expect(listed.map((f) => [f.key, f.published_version])).toEqual([
      ['board-leadership-competency-framework', 1],
      ['healthcare-leadership-model', 1],
      ['leadwell-management-standards', 1],
    ]);
    const again: string[] = [];
    await prepareDatabase(deps, (m) => again.push(m));
    expect(again.some((m) => m.includes('starter competency frameworks'))).toBe(false);
  });
});
