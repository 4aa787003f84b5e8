import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { type Client, signedIn, testApp } from '../../../test/helpers.ts';
import { standards, takeAssessment } from '../assessments/testing.ts';
import { closeRound, insertRound, saveResponse, selfRaterOf, setShared } from '../feedback/queries.ts';
import { publishedVersion, respond } from '../feedback/testing.ts';
import type { DevelopmentRecordT } from './record-format.ts';

// The version 2 sections of the portable record (360 summaries, appraisals, learning): what the export holds, the
// round trip to another organisation, re-imports, bad files, and who may read someone else's record.

const home = await testApp();
const away = await testApp();
const { versionId } = await standards(home.deps.db);
await standards(away.deps.db);
const db = home.deps.db;

const { trust: homeTrust, icb } = await makeHierarchy(db, '83');
const awayTrust = (await makeHierarchy(away.deps.db, '84')).trust;
const boss = await makePerson(db, { orgId: homeTrust.id, given: 'Bea', family: 'Boss', isManager: true });
const person = await makePerson(db, {
  orgId: homeTrust.id,
  band: '8a',
  given: 'Ada',
  family: 'Mover',
  managerAssignmentId: boss.assignmentId,
});
const peer = await makePerson(db, { orgId: homeTrust.id, given: 'Pat', family: 'Peer' });
const ada = await signedIn(home, (await makeAccount(db, { personId: person.id })).id);
const bea = await signedIn(home, (await makeAccount(db, { personId: boss.id })).id);
const pat = await signedIn(home, (await makeAccount(db, { personId: peer.id })).id);
const admin = await signedIn(
  home,
  (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: homeTrust.id }] })).id,
);
const icbLead = await signedIn(home, (await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] })).id);
const { staff_number: staffNumber } = await db
  .selectFrom('people')
  .select('staff_number')
  .where('id', '=', person.id)
  .executeTakeFirstOrThrow();

async function newcomer(given: string, staff: string | null) {
  const row = await away.deps.db
    .insertInto('people')
    .values({ staff_number: staff, given_name: given, family_name: 'Mover', email: `${given}@new.example` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await away.deps.db
    .insertInto('assignments')
    .values({
      person_id: row.id,
      organisation_id: awayTrust.id,
      assignment_number: `A-${given}`,
      position_title: 'Head of service',
      band: '8b',
      start_date: '2026-01-01',
    })
    .execute();
  return { id: row.id, client: await signedIn(away, (await makeAccount(away.deps.db, { personId: row.id })).id) };
}
const arrived = await newcomer('Ada', staffNumber);

async function upload(c: Client, text: string) {
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
  return away.app.inject({
    method: 'POST',
    url: '/me/development/record/import',
    payload,
    headers: { cookie: c.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

// A self-assessment, and a released 360 round: self, line manager and three peers shown; two direct reports
// (below the minimum of three) hidden. Every rater leaves a comment; none may travel.
await takeAssessment(ada, db, { versionId });
const hlm = await publishedVersion(db);
const roundId = await db.transaction().execute((trx) =>
  insertRound(trx, {
    personId: person.id,
    frameworkVersionId: hlm.id,
    domainIds: null,
    closesOn: '2026-10-31',
    minimums: { peer: 3, direct_report: 3, other: 3 },
    facilitatorAccountId: null,
    createdBy: null,
    selfName: 'Ada Mover',
    selfEmail: null,
    selfTokenHash: null,
  }),
);
const scored = hlm.content.levels.filter((l) => l.value !== null);
await saveResponse(db, {
  raterId: (await selfRaterOf(db, roundId))!.id,
  ratings: hlm.content.competencies.map((c) => ({
    competencyId: c.id,
    levelId: scored[1]!.id,
    value: scored[1]!.value,
  })),
  strengths: 'Self remark',
  development: '',
  submit: true,
  at: new Date(),
});
await respond(db, roundId, 'line_manager', hlm.content, () => 2, { strengths: 'Manager remark' });
for (let i = 0; i < 3; i++)
  await respond(db, roundId, 'peer', hlm.content, (n) => (n + i) % 4, { strengths: `Peer remark ${i}` });
for (let i = 0; i < 2; i++)
  await respond(db, roundId, 'direct_report', hlm.content, () => 0, { development: `Report remark ${i}` });
await closeRound(db, roundId, new Date('2026-11-01T00:15:00Z'), true);

// A signed and locked appraisal with an addendum, and two learning records.
const cycle = await db
  .insertInto('appraisal_cycles')
  .values({
    organisation_id: homeTrust.id,
    name: 'Appraisals 2025/26',
    starts_on: '2025-04-01',
    mid_year_on: '2025-10-01',
    due_on: '2025-06-30',
    ends_on: '2026-03-31',
    template_key: 'nhs-standard-appraisal',
    template_version: 1,
    framework_version_id: versionId,
  })
  .returning('id')
  .executeTakeFirstOrThrow();
const domain = (await db
  .selectFrom('framework_domains')
  .select(['code'])
  .where('version_id', '=', versionId)
  .orderBy('position')
  .executeTakeFirstOrThrow()) as { code: string };
const appraisal = await db
  .insertInto('appraisals')
  .values({
    cycle_id: cycle.id,
    organisation_id: homeTrust.id,
    person_id: person.id,
    assignment_id: person.assignmentId,
    appraiser_person_id: boss.id,
    template_key: 'nhs-standard-appraisal',
    template_version: 1,
    framework_version_id: versionId,
    status: 'locked',
    content: JSON.stringify({
      objectives: [
        {
          title: 'Inclusive recruitment',
          specific: 'Diverse panels',
          measurable: 'Share of panels',
          achievable: 'Trained members',
          relevant: 'WRES plan',
          timeBound: 'By 30 September 2026',
          edi: true,
        },
      ],
      behaviours: { [domain.code]: { value: 2, comment: 'Steady under pressure' } },
      reflection: 'A hard winter',
      wellbeing: 'Private wellbeing note',
      career: '',
      plan: ['Mary Seacole programme'],
    }),
    overall_rating: 'strong',
    meeting_on: '2025-06-10',
    due_on: '2025-06-30',
    appraisee_signed_at: new Date('2025-06-12T10:00:00Z'),
    appraiser_signed_at: new Date('2025-06-13T10:00:00Z'),
    locked_at: new Date('2025-06-13T10:00:00Z'),
  })
  .returning('id')
  .executeTakeFirstOrThrow();
await db
  .insertInto('appraisal_addenda')
  .values({ appraisal_id: appraisal.id, body: 'Objective date moved to October' })
  .execute();
await db
  .insertInto('learning_records')
  .values([
    {
      person_id: person.id,
      title: 'Mary Seacole programme',
      provider_name: 'NHS Leadership Academy',
      completed_on: '2026-02-01',
      outcome: 'completed',
      hours: '60',
      source: 'manual',
    },
    {
      person_id: person.id,
      title: 'Safeguarding level 3',
      provider_name: null,
      completed_on: '2025-09-15',
      outcome: 'passed',
      hours: null,
      mandatory: true,
      source: 'manual',
    },
  ])
  .execute();

const exported = async () => (await ada.get('/me/development/record.json')).json() as DevelopmentRecordT;
const count = async (table: 'development_imports' | 'imported_record_items' | 'self_assessments') =>
  (
    await away.deps.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;

describe('the development record, version 2', () => {
  it('exports every section: assessments, plan, 360 summaries, appraisals and learning', async () => {
    const record = await exported();
    expect(record.version).toBe(2);
    expect(record.assessments).toHaveLength(1);
    expect(record.feedback).toHaveLength(1);
    const f = record.feedback[0]!;
    expect(f.framework.key).toBe('healthcare-leadership-model');
    expect(f.groups.map((g) => g.group)).toEqual(['self', 'line_manager', 'peer']);
    expect(f.groups.find((g) => g.group === 'peer')!.responses).toBe(3);
    expect(record.appraisals).toHaveLength(1);
    expect(record.appraisals[0]).toMatchObject({
      cycle: { name: 'Appraisals 2025/26' },
      overall_rating: 'Strong',
      objectives: [{ title: 'Inclusive recruitment', edi: true }],
      behaviours: [{ domain: domain.code, value: 2, comment: 'Steady under pressure' }],
      appraisee_signed_at: '2025-06-12T10:00:00.000Z',
      addenda: [{ body: 'Objective date moved to October' }],
      imported: null,
    });
    expect(record.learning.map((l) => [l.title, l.outcome, l.hours])).toEqual([
      ['Mary Seacole programme', 'completed', 60],
      ['Safeguarding level 3', 'passed', null],
    ]);
    const text = JSON.stringify(record);
    expect(text).not.toContain('Private wellbeing note');

    const page = await ada.get('/me/development/record');
    expect(page.statusCode).toBe(200);
    for (const heading of ['Self-assessments', 'Development plan', '360 feedback received', 'Appraisals', 'Learning']) {
      expect(page.body).toContain(`<h2>${heading}</h2>`);
    }
    expect(page.body).toContain('Appraisals 2025/26');
    expect(page.body).toContain('Safeguarding level 3');
  });

  it('holds in its 360 section only groups that passed the anonymity rule, and no comments', async () => {
    const f = (await exported()).feedback[0]!;
    const lines = f.domains.flatMap((d) => [d, ...d.competencies]);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) {
      expect(l.by_group.map((g) => g.group)).not.toContain('direct_report');
      for (const g of l.by_group) expect(f.groups.map((x) => x.group)).toContain(g.group);
    }
    const text = JSON.stringify(f);
    expect(text).not.toContain('direct_report');
    expect(text).not.toMatch(/remark/i);
  });

  it('imports at another organisation as labelled history, and a later export adds nothing twice', async () => {
    const text = JSON.stringify(await exported());
    const res = await upload(arrived.client, text);
    expect(res.statusCode, res.body).toBe(303);
    const held = await away.deps.db
      .selectFrom('imported_record_items')
      .select(['section', 'content'])
      .where('person_id', '=', arrived.id)
      .orderBy('id')
      .execute();
    expect(held.map((h) => h.section)).toEqual(['feedback', 'appraisals', 'learning', 'learning']);
    const source = (JSON.parse(text) as DevelopmentRecordT).source.organisation;
    expect(held[0]!.content).toMatchObject({ imported: { organisation: source } });

    const page = await arrived.client.get('/me/development/record');
    expect(page.body).toContain('Appraisals 2025/26');
    expect(page.body).toContain(`Imported from ${source}, exported`);
    expect(page.body).toContain('Mary Seacole programme');
    // Exported again from here, the history travels on with its origin.
    const again = (await arrived.client.get('/me/development/record.json')).json() as DevelopmentRecordT;
    expect(again.feedback[0]!.imported!.organisation).toBe(source);
    expect(again.appraisals).toHaveLength(1);
    expect(again.learning).toHaveLength(2);

    // The same file again: refused. A later export of the same record: nothing added twice.
    const before = {
      imports: await count('development_imports'),
      items: await count('imported_record_items'),
      assessments: await count('self_assessments'),
    };
    expect((await upload(arrived.client, text)).body).toContain('has already been imported');
    const later = { ...(JSON.parse(text) as DevelopmentRecordT), exported_at: '2026-11-27T09:00:00.000Z' };
    const second = await upload(arrived.client, JSON.stringify(later));
    expect(second.statusCode, second.body).toBe(303);
    expect(await count('imported_record_items')).toBe(before.items);
    expect(await count('self_assessments')).toBe(before.assessments);
    expect(await count('development_imports')).toBe(before.imports + 1);
    const plan = await away.deps.db
      .selectFrom('development_plan_items')
      .select('id')
      .where('person_id', '=', arrived.id)
      .execute();
    expect(plan).toHaveLength((JSON.parse(text) as DevelopmentRecordT).plan.length);
    const flashed = await arrived.client.get('/me/development/record');
    expect(flashed.body).toMatch(/items? you already had (was|were) not added again/);
  });

  it('still imports a version 1 record', async () => {
    const cleo = await newcomer('Cleo', null);
    const { feedback: _f, appraisals: _a, learning: _l, ...rest } = await exported();
    const v1 = { ...rest, version: 1, exported_at: '2026-11-26T09:00:00.000Z' };
    const res = await upload(cleo.client, JSON.stringify(v1));
    expect(res.statusCode, res.body).toBe(303);
    const own = await away.deps.db
      .selectFrom('self_assessments')
      .select('id')
      .where('person_id', '=', cleo.id)
      .execute();
    expect(own).toHaveLength(1);
  });

  it('refuses bad files with the reason and stores nothing', async () => {
    const dora = await newcomer('Dora', null);
    const before = { imports: await count('development_imports'), items: await count('imported_record_items') };
    const record = { ...(await exported()), person: { given_name: 'Dora', family_name: 'Mover', staff_number: null } };
    expect((await upload(dora.client, JSON.stringify({ ...record, version: 3 }))).body).toContain(
      'this Leadwell reads versions 1 and 2',
    );
    const bad = structuredClone(record) as DevelopmentRecordT;
    (bad.feedback[0]!.groups[0] as { group: string }).group = 'friend';
    (bad.learning[1] as { completed_on: string }).completed_on = 'last year';
    (bad.appraisals[0] as { secret?: string }).secret = 'extra';
    const res = await upload(dora.client, JSON.stringify(bad));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('feedback[0].groups[0].group');
    expect(res.body).toContain('learning[1].completed_on');
    expect(res.body).toContain('appraisals[0]');
    expect(await count('development_imports')).toBe(before.imports);
    expect(await count('imported_record_items')).toBe(before.items);
  });

  it('lets only line managers and admins read someone else’s record, audited, without unshared 360s', async () => {
    const url = `/development/people/${person.id}/record`;
    expect((await pat.get(url)).statusCode).toBe(403);
    expect((await icbLead.get(url)).statusCode).toBe(403);
    // Pat's own export is Pat's record, whatever they ask for.
    expect(((await pat.get('/me/development/record.json')).json() as DevelopmentRecordT).person.given_name).toBe('Pat');

    const seen = await bea.get(url);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain('Appraisals 2025/26');
    expect(seen.body).toContain('No released 360 report shared');
    expect(seen.body).not.toContain('Download my record');
    await setShared(db, roundId, true, new Date());
    expect((await admin.get(url)).body).toContain('Healthcare Leadership Model');
    const audited = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'development.record.read')
      .where('person_id', '=', person.id)
      .execute();
    expect(audited.map((a) => (a.details as { access: string }).access)).toEqual(['line_manager', 'org_admin']);
    // The person reading their own record through the same address is not audited.
    expect((await ada.get(url)).statusCode).toBe(200);
    const after = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'development.record.read')
      .execute();
    expect(after).toHaveLength(2);
  });
});
