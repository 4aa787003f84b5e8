import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { loadStarters } from '../frameworks/import.ts';
import { jobs } from './jobs.ts';
import { closeRound, findRound, insertRound, saveResponse, selfRaterOf } from './queries.ts';
import { readStoredReport } from './report-queries.ts';
import { reportOf } from './service.ts';
import { publishedVersion, respond } from './testing.ts';

// A closed round's report is computed once and stored: the stored row must be exactly what the live computation
// (the anonymity rule) gives, whether it was stored by the close action, by the closing job, or on a first read.

const ctx = await testApp();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const { db } = ctx.deps;
await loadStarters(db);
const { id: versionId, content } = await publishedVersion(db);
const { trust } = await makeHierarchy(db, '73');
const person = await makePerson(db, { orgId: trust.id, given: 'Stella', family: 'Stored' });
const account = await makeAccount(db, { personId: person.id });
const stella = await signedIn(ctx, account.id);

async function answeredRound(closesOn: string) {
  const id = await db.transaction().execute((trx) =>
    insertRound(trx, {
      personId: person.id,
      frameworkVersionId: versionId,
      domainIds: null,
      closesOn,
      minimums: { peer: 3, direct_report: 3, other: 4 },
      facilitatorAccountId: null,
      createdBy: null,
      selfName: 'Stella Stored',
      selfEmail: null,
      selfTokenHash: null,
    }),
  );
  const scale = content.levels.filter((l) => l.value !== null).length;
  const top = content.levels.filter((l) => l.value !== null).at(-1)!;
  await saveResponse(db, {
    raterId: (await selfRaterOf(db, id))!.id,
    ratings: content.competencies.map((c) => ({ competencyId: c.id, levelId: top.id, value: top.value })),
    strengths: 'My own view',
    development: '',
    submit: true,
    at: new Date(),
  });
  await respond(db, id, 'line_manager', content, (i) => i % scale, { strengths: 'Calm in a crisis' });
  for (let r = 0; r < 4; r++) {
    await respond(db, id, 'peer', content, (i) => (i + r) % scale, { development: `Peer note ${r}` });
  }
  // Two direct reports and three others: both below their minimum, so neither may appear anywhere.
  for (let r = 0; r < 2; r++) await respond(db, id, 'direct_report', content, () => 0);
  for (let r = 0; r < 3; r++) await respond(db, id, 'other', content, () => scale - 1);
  return id;
}

/** The live report as it would be stored: through JSON, like the jsonb column. */
const live = async (id: number) => JSON.parse(JSON.stringify(await reportOf(db, (await findRound(db, id))!)));

describe('stored 360 reports', () => {
  it('are stored by the close action, equal to the live computation, and served from the row', async () => {
    const id = await answeredRound(day(20));
    expect(await readStoredReport(db, id)).toBeUndefined();
    const closed = await stella.post(`/feedback/${id}/close`, {}, { csrfFrom: `/feedback/${id}` });
    expect(closed.statusCode).toBe(303);
    const row = (await readStoredReport(db, id))!;
    expect(row.report).toEqual(await live(id));
    expect(row.framework_version).toBe(1);
    expect((row.chart as { svg: string }).svg).toContain('<svg');

    const report = row.report as { groups: { group: string; disclosed: boolean; responses: number | null }[] };
    expect(report.groups.filter((g) => g.disclosed).map((g) => g.group)).toEqual(['self', 'line_manager', 'peer']);
    expect(report.groups.find((g) => g.group === 'direct_report')).toMatchObject({ disclosed: false, responses: null });

    const page = await stella.get(`/feedback/${id}/report`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Fewer than 3');
    expect(page.body).toContain('Fewer than 4');
    expect(page.body).toContain('Peer note 2');
    const api = (await stella.get(`/api/v1/feedback/${id}/report`)).json();
    expect(api.groups.map((g: { disclosed: boolean }) => g.disclosed)).toEqual([true, true, true, false, false]);
    expect(api.domains[0].others).toEqual((row.report as { domains: { others: unknown }[] }).domains[0]!.others);
  });

  it('are filled on the first read for rounds closed before reports were stored, and by the closing job', async () => {
    const early = await answeredRound(day(20));
    await closeRound(db, early, new Date(), true);
    expect(await readStoredReport(db, early)).toBeUndefined();
    expect((await stella.get(`/feedback/${early}/report`)).statusCode).toBe(200);
    expect((await readStoredReport(db, early))!.report).toEqual(await live(early));

    const waiting = await answeredRound(day(20));
    await closeRound(db, waiting, new Date(), true);
    const due = await answeredRound(day(-1));
    const said = await jobs.find((j) => j.name === 'feedback.close')!.run(ctx.deps, {});
    expect(said).toMatch(/^closed 1 360 rounds, released 1 reports, stored 2 reports$/);
    expect((await readStoredReport(db, due))!.report).toEqual(await live(due));
    expect((await readStoredReport(db, waiting))!.report).toEqual(await live(waiting));
  });
});
