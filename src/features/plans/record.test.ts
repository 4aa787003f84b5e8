import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { type Client, signedIn, testApp } from '../../../test/helpers.ts';
import { currentGaps } from '../assessments/queries.ts';
import { standards, takeAssessment } from '../assessments/testing.ts';
import { addPlanItems } from './queries.ts';
import type { DevelopmentRecordT } from './record-format.ts';
import { importRecord } from './record-import.ts';

// Export at one employer, import at another: two databases, the same published framework in both.

const home = await testApp();
const away = await testApp();
const { versionId } = await standards(home.deps.db);
await standards(away.deps.db);

const homeTrust = (await makeHierarchy(home.deps.db, '81')).trust;
const awayTrust = (await makeHierarchy(away.deps.db, '82')).trust;
const person = await makePerson(home.deps.db, { orgId: homeTrust.id, band: '8a', given: 'Ada', family: 'Mover' });
const client = await signedIn(home, (await makeAccount(home.deps.db, { personId: person.id })).id);
const staffNumber = (
  await home.deps.db.selectFrom('people').select('staff_number').where('id', '=', person.id).executeTakeFirstOrThrow()
).staff_number;

// The same person at the new employer: same ESR staff number, a new person row.
const arrived = await away.deps.db
  .insertInto('people')
  .values({ staff_number: staffNumber, given_name: 'Ada', family_name: 'Mover', email: 'ada@new.example' })
  .returning('id')
  .executeTakeFirstOrThrow();
await away.deps.db
  .insertInto('assignments')
  .values({
    person_id: arrived.id,
    organisation_id: awayTrust.id,
    assignment_number: 'A-1',
    position_title: 'Head of service',
    band: '8b',
    start_date: '2026-01-01',
  })
  .execute();
const arrivedClient = await signedIn(away, (await makeAccount(away.deps.db, { personId: arrived.id })).id);

async function upload(c: Client, app: typeof away, text: string) {
  const token = await c.csrf('/me/development/record/import');
  const boundary = 'recordboundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="record.json"\r\nContent-Type: application/json\r\n\r\n`,
    ),
    Buffer.from(text),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.app.inject({
    method: 'POST',
    url: '/me/development/record/import',
    payload,
    headers: { cookie: c.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const assessmentId = await takeAssessment(client, home.deps.db, { versionId });
const gaps = await currentGaps(home.deps.db, person.id);
await addPlanItems(home.deps.db, person.id, [
  {
    frameworkVersionId: versionId,
    competencyId: gaps[0].competencyId,
    title: 'Learn SPC charts',
    source: 'assessment',
    sourceId: String(assessmentId),
    dueOn: '2027-03-31',
  },
]);

describe('the development record', () => {
  it('prints as one page and downloads as JSON in the record format', async () => {
    const html = await client.get('/me/development/record');
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('My development record');
    expect(html.body).toContain('Learn SPC charts');
    const res = await client.get('/me/development/record.json');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="development-record-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const record = res.json() as DevelopmentRecordT;
    expect(record).toMatchObject({ format: 'leadwell-development-record', version: 2 });
    expect(record.assessments).toHaveLength(1);
    expect(record.assessments[0].framework).toMatchObject({ key: 'leadwell-management-standards', version: 1 });
    expect(record.plan[0]).toMatchObject({ title: 'Learn SPC charts', due_on: '2027-03-31', source: 'assessment' });
    const api = await client.get('/api/v1/me/record');
    expect(api.statusCode).toBe(200);
    expect(api.json().plan).toHaveLength(1);
    expect((await client.get('/api/v1/me/plan')).json().items[0].title).toBe('Learn SPC charts');
  });

  it('imports at a new employer: marked as imported, same scores, no duplicate import', async () => {
    const text = (await client.get('/me/development/record.json')).body;
    const res = await upload(arrivedClient, away, text);
    expect(res.statusCode, res.body).toBe(303);
    const imported = await away.deps.db
      .selectFrom('self_assessments')
      .select(['status', 'level_source', 'import_id'])
      .where('person_id', '=', arrived.id)
      .execute();
    expect(imported).toEqual([{ status: 'submitted', level_source: 'imported', import_id: expect.any(Number) }]);
    const list = await arrivedClient.get('/me/development/assessments');
    expect(list.body).toContain(`Imported from ${homeTrust.name}`);
    const gapsThere = await currentGaps(away.deps.db, arrived.id);
    expect(gapsThere.map((g) => [g.competencyName, g.gap])).toEqual(gaps.map((g) => [g.competencyName, g.gap]));
    const plan = await arrivedClient.get('/me/development/plan');
    expect(plan.body).toContain('Learn SPC charts');
    expect(plan.body).toContain(`Imported from ${homeTrust.name}`);
    // Exported again from there, the record still says where the assessment came from.
    const again = (await arrivedClient.get('/me/development/record.json')).json() as DevelopmentRecordT;
    expect(again.assessments[0].imported_from).toContain(homeTrust.name);
    const twice = await upload(arrivedClient, away, text);
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('has already been imported');
  });

  it('keeps assessments of versions not held here as imported history, never mixed with local results', async () => {
    const record = (await client.get('/me/development/record.json')).json() as DevelopmentRecordT;
    record.exported_at = '2026-11-20T10:00:00.000Z';
    record.assessments[0].framework.version = 9;
    record.plan[0].competency!.version = 9;
    // A different item (an item already held, same title and creation time, is not imported twice).
    record.plan[0].created_at = '2026-11-19T10:00:00.000Z';
    const result = await importRecord(away.deps.db, arrived.id, JSON.stringify(record), { accountId: null });
    expect(result).toMatchObject({ ok: true, assessments: 0, history: 1, planItems: 1 });
    const history = await away.deps.db
      .selectFrom('imported_assessment_history')
      .select(['framework_key', 'framework_version'])
      .where('person_id', '=', arrived.id)
      .execute();
    expect(history).toEqual([{ framework_key: 'leadwell-management-standards', framework_version: 9 }]);
    const item = await away.deps.db
      .selectFrom('development_plan_items')
      .select(['competency_id', 'imported_competency'])
      .where('person_id', '=', arrived.id)
      .where('import_id', '=', (result as { importId: number }).importId)
      .executeTakeFirstOrThrow();
    expect(item.competency_id).toBeNull();
    expect(item.imported_competency).toMatchObject({ framework: 'leadwell-management-standards', version: 9 });
    expect((await arrivedClient.get('/me/development/assessments')).body).toContain(
      'Imported history of other framework versions',
    );
  });

  it('refuses a bad file with every problem at its place, and imports nothing', async () => {
    const before = await away.deps.db.selectFrom('development_imports').select('id').execute();
    expect((await upload(arrivedClient, away, 'not json')).body).toContain('The file is not valid JSON');
    expect((await upload(arrivedClient, away, '{"format":"something-else"}')).body).toContain(
      'not a Leadwell development record',
    );
    const record = (await client.get('/me/development/record.json')).json() as DevelopmentRecordT;
    record.exported_at = '2026-11-21T10:00:00.000Z';
    record.assessments[0].ratings[2].competency = 'NOPE.1';
    record.assessments[0].ratings[3].value = 7;
    (record.plan[0] as { status: string }).status = 'finished';
    const res = await upload(arrivedClient, away, JSON.stringify(record));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('plan[0].status');
    const fixedPlan = { ...record, plan: [] };
    const res2 = await upload(arrivedClient, away, JSON.stringify(fixedPlan));
    expect(res2.statusCode).toBe(400);
    expect(res2.body).toContain('assessments[0].ratings[2].competency');
    expect(res2.body).toContain('NOPE.1 is not a competency of leadwell-management-standards version 1');
    expect(res2.body).toContain('assessments[0].ratings[3].value');
    const someoneElse = { ...fixedPlan, person: { ...record.person, staff_number: 'S9999999' } };
    someoneElse.assessments = [];
    expect((await upload(arrivedClient, away, JSON.stringify(someoneElse))).body).toContain(
      'import only your own record',
    );
    expect(await away.deps.db.selectFrom('development_imports').select('id').execute()).toEqual(before);
  });
});
