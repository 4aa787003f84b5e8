import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { Client, signedIn, testApp } from '../../../test/helpers.ts';
import { publishDraft, startNewVersion } from '../frameworks/lifecycle.ts';
import { findFramework } from '../frameworks/queries.ts';
import { addPlanItems } from '../plans/queries.ts';
import { checkEvidenceFile, checkEvidenceUrl, scoreAssessment, suggestedLevel } from './assessments.ts';
import { assessableVersions, DEFAULT_FRAMEWORK } from './framework.ts';
import { currentGaps, findAssessment, ratingsOf } from './queries.ts';
import { standards, takeAssessment } from './testing.ts';

const ctx = await testApp();
const { db } = ctx.deps;
const { versionId, model } = await standards(db);
const { trust, icb, region } = await makeHierarchy(db, '71');
const manager = await makePerson(db, {
  orgId: trust.id,
  band: '8b',
  isManager: true,
  given: 'Mina',
  family: 'Manager',
});
const me = await makePerson(db, {
  orgId: trust.id,
  band: '8a',
  managerAssignmentId: manager.assignmentId,
  given: 'Sam',
  family: 'Self',
});
const peer = await makePerson(db, { orgId: trust.id, band: '8a', managerAssignmentId: manager.assignmentId });
const meAccount = await makeAccount(db, { personId: me.id });
const client = await signedIn(ctx, meAccount.id);
const boss = await signedIn(ctx, (await makeAccount(db, { personId: manager.id })).id);

async function auditCount(action: string, personId: number) {
  const r = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// A middle manager who rates everything "Capable" (2) is below the required "Proficient" (3) wherever it is 3.
const assessed = await takeAssessment(client, db, { versionId });

describe('self-assessment', () => {
  it('suggests the management level from the band and records whether it was kept', async () => {
    expect(suggestedLevel('8a')).toBe('middle');
    expect(suggestedLevel('6')).toBe('first_line');
    expect(suggestedLevel('VSM')).toBe('executive');
    const a = (await findAssessment(db, assessed))!;
    expect(a).toMatchObject({ management_level: 'middle', level_source: 'suggested', band: '8a', status: 'submitted' });
    expect(a.framework_version_id).toBe(versionId);
  });

  it('saves progress page by page, so the person can leave and resume', async () => {
    const other = await makePerson(db, { orgId: trust.id, band: '7' });
    const c = await signedIn(ctx, (await makeAccount(db, { personId: other.id })).id);
    const id = await takeAssessment(c, db, { versionId, level: 'first_line', submit: false });
    expect((await ratingsOf(db, id)).length).toBe(model.content.competencies.length);
    const first = model.content.competencies[0];
    // "Save and come back later" with one rating changed and others left as they were.
    const later = await c.post(`/me/development/assessments/${id}/domains/1`, {
      action: 'later',
      [`c${first.id}`]: String(model.content.levels[3].id),
    });
    expect(later.statusCode).toBe(303);
    expect(later.headers.location).toBe('/me/development/assessments');
    const list = await c.get('/me/development/assessments');
    expect(list.body).toContain('Continue your self-assessment');
    const page = await c.get(`/me/development/assessments/${id}/domains/1`);
    expect(page.body).toMatch(new RegExp(`value="${model.content.levels[3].id}" checked`));
    // "Save and continue" with nothing chosen: the NHS error summary, status 400.
    const empty = await c.post(`/me/development/assessments/${id}/domains/2`, { action: 'next', [`c${first.id}`]: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain('Select a rating for');
  });

  it('locks a submitted assessment: pages, the database and a second submit refuse changes', async () => {
    const res = await client.post(
      `/me/development/assessments/${assessed}/domains/1`,
      { action: 'next' },
      { csrfFrom: '/me/development/assessments' },
    );
    expect(res.statusCode).toBe(409);
    await expect(
      db
        .updateTable('self_assessment_ratings')
        .set({ comment: 'changed' })
        .where('assessment_id', '=', assessed)
        .execute(),
    ).rejects.toMatchObject({ code: 'LW101' });
    await expect(
      db.updateTable('self_assessments').set({ management_level: 'board' }).where('id', '=', assessed).execute(),
    ).rejects.toMatchObject({ code: 'LW101' });
  });

  it('keeps its framework version after a new version is published', async () => {
    const framework = (await findFramework(db, DEFAULT_FRAMEWORK))!;
    await startNewVersion(db, framework, { label: 'test' });
    expect((await publishDraft(db, framework, { label: 'test' })).ok).toBe(true);
    const current = (await assessableVersions(db)).find((v) => v.key === DEFAULT_FRAMEWORK)!;
    expect(current.versionId).not.toBe(versionId);
    expect((await findAssessment(db, assessed))!.framework_version_id).toBe(versionId);
    const result = await client.get(`/me/development/assessments/${assessed}`);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain(`${model.meta.title}, version 1`);
    // A new assessment uses the new version, and history lists the two versions apart.
    const newer = await takeAssessment(client, db, { versionId: current.versionId });
    expect((await findAssessment(db, newer))!.framework_version_id).toBe(current.versionId);
    const list = await client.get('/me/development/assessments');
    expect(list.body).toContain(`${model.meta.title}, version 1`);
    expect(list.body).toContain(`${model.meta.title}, version 2`);
    // The newer result compares with nothing: its version has no earlier assessment.
    expect((await client.get(`/me/development/assessments/${newer}`)).body).not.toContain('Previous mean rating');
  });

  it('computes gaps against the required level with the framework’s red/amber/green rule', async () => {
    const all2 = model.content.competencies.map((c) => ({
      competencyId: c.id,
      scaleLevelId: model.content.levels.find((l) => l.value === 2)!.id,
      comment: '',
    }));
    const result = scoreAssessment(model, 'middle', all2);
    const data = result.competencies.filter((c) => c.domainCode === 'DATA');
    expect(data.every((c) => c.required === 3 && c.band === 'amber' && c.gap === 1)).toBe(true);
    const csl = result.competencies.filter((c) => c.domainCode === 'CSL');
    expect(csl.every((c) => c.band === 'green' && c.gap === 0)).toBe(true);
    const exec = scoreAssessment(model, 'executive', all2);
    expect(exec.competencies.find((c) => c.domainCode === 'CSL')).toMatchObject({ required: 4, band: 'red', gap: 2 });
    expect(result.domains.find((d) => d.code === 'DATA')).toMatchObject({ average: 2, requiredAverage: 3, amber: 4 });

    const gaps = await currentGaps(db, me.id);
    expect(gaps.length).toBe(result.gaps.length);
    expect(gaps[0]).toMatchObject({ required: 3, achieved: 2, gap: 1 });
    expect(gaps.every((g) => typeof g.competencyName === 'string' && typeof g.domainName === 'string')).toBe(true);
    expect(await currentGaps(db, peer.id)).toEqual([]);
  });

  it('shows the profile as a chart with a table, and gaps with text labels', async () => {
    const page = await client.get(`/me/development/assessments/${assessed}`);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('Self-assessment profile by domain');
    expect(page.body).toContain(
      '<caption class="nhsuk-table__caption nhsuk-table__caption--s">Self-assessment profile by domain',
    );
    expect(page.body).toContain('>Amber<');
    expect(page.body).toContain('Add to development plan');
  });

  it('adds selected gaps to the plan once', async () => {
    const gaps = await currentGaps(db, me.id);
    const form = { gap: gaps.slice(0, 2).map((g) => String(g.competencyId)) };
    const latest = (
      await db
        .selectFrom('self_assessments')
        .select('id')
        .where('person_id', '=', me.id)
        .where('status', '=', 'submitted')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
    const url = `/me/development/plan/from-assessment/${latest}`;
    const res = await client.post(url, form, { csrfFrom: `/me/development/assessments/${latest}` });
    expect(res.statusCode, res.body).toBe(303);
    expect((await client.get('/me/development/plan')).body).toContain('2 items added to your plan');
    const again = await client.post(url, form, { csrfFrom: `/me/development/assessments/${latest}` });
    expect(again.statusCode).toBe(303);
    expect((await client.get('/me/development/plan')).body).toContain('0 items added to your plan (2 already there)');
    const items = await db
      .selectFrom('development_plan_items')
      .select(['source', 'source_id'])
      .where('person_id', '=', me.id)
      .execute();
    expect(items).toHaveLength(2);
    expect(items.every((i) => i.source === 'assessment' && i.source_id === String(latest))).toBe(true);
    // The shared entry point for 360 and appraisal: same rule, no duplicates.
    const ids = await addPlanItems(db, me.id, [
      {
        frameworkVersionId: gaps[0].frameworkVersionId,
        competencyId: gaps[0].competencyId,
        title: 'From 360',
        source: 'feedback',
        sourceId: 'f1',
      },
      {
        frameworkVersionId: gaps[0].frameworkVersionId,
        competencyId: gaps[0].competencyId,
        title: 'From 360',
        source: 'feedback',
        sourceId: 'f1',
      },
    ]);
    expect(ids).toHaveLength(1);
  });
});

describe('evidence', () => {
  const pdf = Buffer.from('%PDF-1.4 test');
  it('accepts only allowed types, checks the content and the size, and only http(s) links', () => {
    expect(checkEvidenceFile('cv.pdf', pdf)).toEqual({ ok: true, contentType: 'application/pdf' });
    expect(checkEvidenceFile('run.exe', pdf).ok).toBe(false);
    expect(checkEvidenceFile('fake.pdf', Buffer.from('MZ not a pdf')).ok).toBe(false);
    expect(checkEvidenceFile('big.txt', Buffer.alloc(5 * 1024 * 1024 + 1, 65))).toMatchObject({
      ok: false,
      message: 'The file must be smaller than 5 MB',
    });
    expect(checkEvidenceUrl('https://example.org/x')).toBe('https://example.org/x');
    expect(checkEvidenceUrl('javascript:alert(1)')).toBeNull();
    expect(checkEvidenceUrl('ftp://example.org')).toBeNull();
  });

  it('adds notes, links and files; serves files as attachments; refuses to delete evidence in use', async () => {
    const person = await makePerson(db, { orgId: trust.id, band: '8a', managerAssignmentId: manager.assignmentId });
    const c = await signedIn(ctx, (await makeAccount(db, { personId: person.id })).id);
    const id = await takeAssessment(c, db, { versionId: (await assessableVersions(db))[0].versionId, submit: false });
    const page = `/me/development/assessments/${id}/evidence`;
    expect(
      (await c.post(`${page}/note`, { note_title: 'Led the review', note: 'I chaired it.' }, { csrfFrom: page }))
        .statusCode,
    ).toBe(303);
    const badLink = await c.post(`${page}/link`, { link_title: 'Bad', url: 'javascript:alert(1)' }, { csrfFrom: page });
    expect(badLink.statusCode).toBe(400);
    expect(badLink.body).toContain('Enter a web address that starts with http:// or https://');
    expect(
      (await c.post(`${page}/link`, { link_title: 'Report', url: 'https://example.org/report' }, { csrfFrom: page }))
        .statusCode,
    ).toBe(303);

    const upload = async (name: string, bytes: Buffer) => {
      const token = await c.csrf(page);
      const boundary = 'testboundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return ctx.app.inject({
        method: 'POST',
        url: `${page}/file`,
        payload: body,
        headers: { cookie: c.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    };
    const refused = await upload('tool.exe', pdf);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('The file must be a PDF, PNG, JPEG');
    expect((await upload('big.pdf', Buffer.concat([pdf, Buffer.alloc(5 * 1024 * 1024)]))).statusCode).toBe(413);
    expect((await upload('plan.pdf', pdf)).statusCode).toBe(303);

    const evidence = await db
      .selectFrom('development_evidence')
      .select(['id', 'kind'])
      .where('person_id', '=', person.id)
      .orderBy('id')
      .execute();
    expect(evidence.map((e) => e.kind)).toEqual(['note', 'link', 'file']);
    const file = evidence[2].id;
    const own = await c.get(`/development/evidence/${file}/file`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.headers['content-disposition']).toBe('attachment; filename="plan.pdf"');
    expect(own.rawPayload.equals(pdf)).toBe(true);
    const stranger = await signedIn(
      ctx,
      (await makeAccount(db, { personId: (await makePerson(db, { orgId: trust.id })).id })).id,
    );
    expect((await stranger.get(`/development/evidence/${file}/file`)).statusCode).toBe(403);
    expect((await boss.get(`/development/evidence/${file}/file`)).statusCode).toBe(200);
    expect(await auditCount('evidence.download', person.id)).toBe(1);

    // Before submission, evidence can be deleted; once submitted, it is kept.
    const bank = '/me/development/evidence';
    expect((await c.post(`${bank}/${evidence[0].id}/delete`, {}, { csrfFrom: bank })).statusCode).toBe(303);
    const submit = await c.post(
      `/me/development/assessments/${id}/submit`,
      {},
      { csrfFrom: `/me/development/assessments/${id}/review` },
    );
    expect(submit.statusCode).toBe(303);
    const inUse = await c.post(`${bank}/${file}/delete`, {}, { csrfFrom: bank });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.body).toContain('used by a submitted self-assessment');
    await expect(db.deleteFrom('development_evidence').where('id', '=', file).execute()).rejects.toMatchObject({
      code: 'LW102',
    });
    await expect(
      db.deleteFrom('development_evidence_files').where('evidence_id', '=', file).execute(),
    ).rejects.toMatchObject({ code: 'LW102' });

    // The result page lists the evidence the assessment kept, in the order it was added, for the person and
    // for their line manager.
    for (const [reader, url] of [
      [c, `/me/development/assessments/${id}`],
      [boss, `/development/people/${person.id}/assessments/${id}`],
    ] as const) {
      const result = await reader.get(url);
      expect(result.statusCode).toBe(200);
      const listed = result.body.slice(result.body.indexOf('<h2>Evidence</h2>'));
      expect(listed).toMatch(
        /<strong>Link:<\/strong>\s*<a href="https:\/\/example.org\/report" rel="noopener noreferrer">Report<\/a>\s*\(The whole assessment\)/,
      );
      expect(listed).toContain(`<a href="/development/evidence/${file}/file">plan.pdf</a> (plan.pdf, `);
      expect(listed.indexOf('Report')).toBeLessThan(listed.indexOf('plan.pdf'));
      expect(listed).not.toContain('Led the review');
    }
  });
});

describe('access to a person’s self-assessments', () => {
  const pageOf = `/development/people/${me.id}/assessments/${assessed}`;
  const apiOf = `/api/v1/people/${me.id}/assessments`;

  it('lets the person, their line manager and their organisation admin read them, auditing the others', async () => {
    expect((await client.get(apiOf)).statusCode).toBe(200);
    expect(await auditCount('assessment.list.read', me.id)).toBe(0);
    const team = await boss.get('/me/development/team');
    expect(team.statusCode).toBe(200);
    expect(team.body).toContain('Sam Self');
    expect((await boss.get(pageOf)).statusCode).toBe(200);
    expect((await boss.get(`/development/people/${me.id}`)).statusCode).toBe(200);
    const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] })).id);
    const json = await admin.get(apiOf);
    expect(json.statusCode).toBe(200);
    const items = json.json().items;
    expect(items.every((a: { status: string }) => a.status === 'submitted')).toBe(true);
    expect(items[0].framework.key).toBe(DEFAULT_FRAMEWORK);
    expect(await auditCount('assessment.read', me.id)).toBe(1);
    expect(await auditCount('development.read', me.id)).toBe(1);
    expect(await auditCount('assessment.list.read', me.id)).toBe(1);
  });

  it('refuses peers, ICB, regional and national roles', async () => {
    const peerClient = await signedIn(ctx, (await makeAccount(db, { personId: peer.id })).id);
    for (const grants of [
      [],
      [{ role: 'icb_lead' as const, orgId: icb.id }],
      [{ role: 'regional_lead' as const, orgId: region.id }],
      [{ role: 'national_admin' as const, orgId: null }],
    ]) {
      const c = grants.length ? await signedIn(ctx, (await makeAccount(db, { grants })).id) : peerClient;
      expect((await c.get(pageOf)).statusCode).toBe(403);
      expect((await c.get(apiOf)).statusCode).toBe(403);
      expect((await c.get(`/development/people/${me.id}`)).statusCode).toBe(403);
    }
    expect((await peerClient.get(`/me/development/assessments/${assessed}`)).statusCode).toBe(404);
    expect((await peerClient.get('/me/development/team')).statusCode).toBe(403);
  });

  it('serves the API of one’s own assessments and audits every write', async () => {
    const res = await client.get('/api/v1/me/assessments');
    expect(res.statusCode).toBe(200);
    const first = res.json().items.find((a: { id: number }) => a.id === assessed);
    expect(first.competencies.length).toBe(model.content.competencies.length);
    expect(first.domains.find((d: { code: string }) => d.code === 'DATA')).toMatchObject({
      mean_rating: 2,
      mean_required: 3,
    });
    expect(await auditCount('assessment.submit', me.id)).toBe(2);
    expect(await auditCount('assessment.start', me.id)).toBe(2);
    const anon = new Client(ctx.app);
    expect((await anon.get('/api/v1/me/assessments')).statusCode).toBe(401);
  });
});
