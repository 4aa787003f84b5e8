import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { scoreAssessment } from './assessments.ts';
import { jobs } from './jobs.ts';
import { profileChart } from './present.ts';
import { currentGaps, findAssessment, ratingsOf, submitAssessment } from './queries.ts';
import { insertStoredResult, readStoredResult } from './result-queries.ts';
import { standards, takeAssessment } from './testing.ts';

// A submitted self-assessment's result is computed once and stored: the stored row must be exactly what the live
// computation (scoring and the profile chart) gives, whether it was stored by the submit action, on a first read,
// or by the job, and every reader (the page, the API, the gaps) must serve it.

const ctx = await testApp();
const { db } = ctx.deps;
const { versionId, model } = await standards(db);
const { trust } = await makeHierarchy(db, '74');
const manager = await makePerson(db, { orgId: trust.id, band: '8b', isManager: true });
const person = await makePerson(db, {
  orgId: trust.id,
  band: '8a',
  managerAssignmentId: manager.assignmentId,
  given: 'Rhea',
  family: 'Result',
});
const rhea = await signedIn(ctx, (await makeAccount(db, { personId: person.id })).id);
const boss = await signedIn(ctx, (await makeAccount(db, { personId: manager.id })).id);

/** The result computed now from the ratings, as the jsonb columns would hold it. */
async function live(id: number) {
  const a = (await findAssessment(db, id))!;
  const result = scoreAssessment(model, a.management_level, await ratingsOf(db, id));
  return JSON.parse(JSON.stringify({ result, chart: profileChart(model, result) }));
}

/** An assessment submitted the way it was before results were stored: the status changes, nothing is stored. */
async function submittedBeforeStore(pick: (n: number) => number) {
  const id = await takeAssessment(rhea, db, { versionId, pick, submit: false });
  expect(await submitAssessment(db, id, new Date())).toBe(true);
  expect(await readStoredResult(db, id)).toBeUndefined();
  return id;
}

const job = jobs.find((j) => j.name === 'assessments.store-results')!;

describe('stored self-assessment results', () => {
  it('are stored by the submit action, equal to the live computation, and served from the row', async () => {
    const draft = await takeAssessment(rhea, db, { versionId, pick: (n) => 1 + (n % 4), submit: false });
    // In progress: the ratings may still change, so nothing is stored, even when asked.
    await insertStoredResult(db, draft, { result: {}, chart: {} });
    expect(await readStoredResult(db, draft)).toBeUndefined();
    const submit = await rhea.post(
      `/me/development/assessments/${draft}/submit`,
      {},
      { csrfFrom: `/me/development/assessments/${draft}/review` },
    );
    expect(submit.statusCode).toBe(303);
    const row = (await readStoredResult(db, draft))!;
    expect(row).toEqual(await live(draft));
    const stored = row as Awaited<ReturnType<typeof live>>;
    expect(stored.chart.svg).toContain('<svg');
    expect(stored.chart.svg).toContain('aria-labelledby="assessment-profile-title assessment-profile-desc"');
    expect(stored.result.gaps.length).toBeGreaterThan(0);

    // The page shows the stored chart and table, the gaps, and every competency from the stored result.
    const page = await rhea.get(`/me/development/assessments/${draft}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(stored.chart.svg);
    for (const cell of stored.chart.table.rows[0]) expect(page.body).toContain(cell);
    for (const g of stored.result.gaps) expect(page.body).toContain(`value="${g.id}"`);

    // The API and the gaps behind plans and recommendations give the same figures.
    const api = (await rhea.get('/api/v1/me/assessments')).json();
    const item = api.items.find((i: { id: number }) => i.id === draft);
    expect(item.domains.map((d: { mean_rating: number | null }) => d.mean_rating)).toEqual(
      stored.result.domains.map((d: { average: number | null }) => d.average),
    );
    expect(item.competencies.map((c: { gap: number | null }) => c.gap)).toEqual(
      stored.result.competencies.map((c: { gap: number | null }) => c.gap),
    );
    const gaps = await currentGaps(db, person.id);
    expect(gaps.map((g) => g.competencyId).sort()).toEqual(stored.result.gaps.map((g: { id: number }) => g.id).sort());

    // A stored result is written once: a second store changes nothing.
    await insertStoredResult(db, draft, { result: { changed: true }, chart: {} });
    expect(await readStoredResult(db, draft)).toEqual(row);
  });

  it('are stored on the first read for assessments submitted before results were stored', async () => {
    const older = await submittedBeforeStore(() => 1);
    const newer = await submittedBeforeStore(() => 3);
    // The line manager's read of the newer one stores it, and the previous one whose means its table shows.
    const page = await boss.get(`/development/people/${person.id}/assessments/${newer}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Previous mean rating');
    expect(await readStoredResult(db, newer)).toEqual(await live(newer));
    expect(await readStoredResult(db, older)).toEqual(await live(older));
    // Its table has the previous assessment's mean beside each domain's own.
    const mean = (await live(newer)).result.domains[0].average.toFixed(1);
    const before = (await live(older)).result.domains[0].average.toFixed(1);
    expect(page.body).toMatch(new RegExp(`${mean}</td>\\s*<td class="nhsuk-table__cell">${before}</td>`));
  });

  it('are stored by the job for assessments that have none, once', async () => {
    const first = await submittedBeforeStore((n) => 1 + (n % 3));
    const second = await submittedBeforeStore((n) => 1 + ((n + 1) % 4));
    expect(await job.run(ctx.deps, {})).toBe('stored 2 self-assessment results');
    expect(await readStoredResult(db, first)).toEqual(await live(first));
    expect(await readStoredResult(db, second)).toEqual(await live(second));
    expect(await job.run(ctx.deps, {})).toBe('stored 0 self-assessment results');
  });
});
