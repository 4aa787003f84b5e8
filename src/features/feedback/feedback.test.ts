import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { Client, signedIn, testApp } from '../../../test/helpers.ts';
import { loadStarters } from '../frameworks/import.ts';
import { planOf } from '../plans/queries.ts';
import { publishedVersion } from './testing.ts';

// A whole round through the real HTTP stack: start, nominate (in Leadwell and by email), respond through the
// single-use link and signed in, close, release, share; and the anonymity rule in the page and the API.

const ctx = await testApp();
const { db } = ctx.deps;
await loadStarters(db);
const { id: versionId, content } = await publishedVersion(db);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const { trust } = await makeHierarchy(db, '71');
const boss = await makePerson(db, { orgId: trust.id, given: 'Bea', family: 'Boss', isManager: true });
const subject = await makePerson(db, {
  orgId: trust.id,
  given: 'Sam',
  family: 'Subject',
  isManager: true,
  managerAssignmentId: boss.assignmentId,
});
const reports = await Promise.all(
  ['Ada', 'Ben', 'Cy'].map((given) =>
    makePerson(db, { orgId: trust.id, given, family: 'Report', managerAssignmentId: subject.assignmentId }),
  ),
);
const subjectAccount = await makeAccount(db, { personId: subject.id, email: 'sam@example.nhs.uk' });
const bossAccount = await makeAccount(db, { personId: boss.id, email: 'bea@example.nhs.uk' });
const admin = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: trust.id }] });
const facilitator = await makeAccount(db, { email: 'coach@example.nhs.uk' });
const stranger = await makeAccount(db, {
  personId: (await makePerson(db, { orgId: trust.id, given: 'Stan', family: 'Ger' })).id,
});

const sam = await signedIn(ctx, subjectAccount.id);
const bea = await signedIn(ctx, bossAccount.id);

const outboxLinks = async (to: string) => {
  const rows = await db
    .selectFrom('mail_outbox')
    .select('body_text')
    .where('to_address', '=', to)
    .orderBy('id')
    .execute();
  return rows.flatMap((r) =>
    [...r.body_text.matchAll(/http:\/\/\S+\/feedback\/(?:respond|requests)\/[\w-]+/g)].map((m) => m[0]),
  );
};
const path = (url: string) => new URL(url).pathname;

/** Answers for every competency: the level at `position` (0-based) of the scale. */
const answers = (position: number, extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(content.competencies.map((c) => [`c_${c.id}`, String(content.levels[position]!.id)])),
  ...extra,
});

let roundId = 0;

describe('a 360 round', () => {
  it('is started by the person, with checks on the closing date and facilitator', async () => {
    expect((await sam.get('/feedback/new')).statusCode).toBe(200);
    const form = await sam.get(`/feedback/new?version=${versionId}`);
    expect(form.body).toContain(content.domains[0]!.title);
    const bad = await sam.post(
      '/feedback/new',
      { version_id: String(versionId), closes_on: day(-1), min_peer: '2', facilitator: 'nobody@example.org' },
      { csrfFrom: '/feedback/new' },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Minimum peers must be a whole number from 3 to 20');
    const late = await sam.post(
      '/feedback/new',
      { version_id: String(versionId), closes_on: day(-1), facilitator: 'nobody@example.org' },
      { csrfFrom: '/feedback/new' },
    );
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('The closing date must be in the future');
    expect(late.body).toContain('There is no Leadwell account with that email address');
    const ok = await sam.post(
      '/feedback/new',
      { version_id: String(versionId), closes_on: day(14), facilitator: 'coach@example.nhs.uk' },
      { csrfFrom: '/feedback/new' },
    );
    expect(ok.statusCode).toBe(303);
    roundId = Number(/\/feedback\/(\d+)\/nominate/.exec(ok.headers.location as string)![1]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'person_id'])
      .where('action', '=', 'feedback.round.create')
      .execute();
    expect(audit).toEqual([{ action: 'feedback.round.create', person_id: subject.id }]);
  });

  it('a colleague outside the person’s reporting line cannot start one for them or see it', async () => {
    const other = await signedIn(ctx, stranger.id);
    expect((await other.get(`/feedback/new?person=${subject.id}`)).statusCode).toBe(403);
    expect((await other.get(`/feedback/${roundId}`)).statusCode).toBe(403);
    expect((await other.get(`/feedback/${roundId}/nominate`)).statusCode).toBe(403);
  });

  it('takes nominations from the reporting line, the people search and by email', async () => {
    const url = `/feedback/${roundId}/raters`;
    const from = `/feedback/${roundId}/nominate`;
    const page = await sam.get(from);
    expect(page.body).toContain('Bea Boss (line manager)');
    expect(
      (await sam.post(url, { person_id: String(boss.id), group: 'line_manager' }, { csrfFrom: from })).statusCode,
    ).toBe(303);
    // Only the real line manager goes in the group that is not anonymous.
    const wrong = await sam.post(url, { person_id: String(reports[0]!.id), group: 'line_manager' }, { csrfFrom: from });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Only the person’s current line manager');
    for (const r of reports) {
      expect(
        (await sam.post(url, { person_id: String(r.id), group: 'direct_report' }, { csrfFrom: from })).statusCode,
      ).toBe(303);
    }
    const search = await sam.get(`${from}?q=report`);
    expect(search.body).toContain('Ada Report');
    for (const [name, email] of [
      ['Pat Peer', 'pat@example.org'],
      ['Quin Peer', 'quin@example.org'],
    ]) {
      expect((await sam.post(url, { name, email, group: 'peer' }, { csrfFrom: from })).statusCode).toBe(303);
    }
    expect(
      (await sam.post(url, { name: 'Olive Other', email: 'olive@example.org', group: 'other' }, { csrfFrom: from }))
        .statusCode,
    ).toBe(303);
    const dup = await sam.post(
      url,
      { name: 'Pat again', email: 'PAT@example.org', group: 'other' },
      { csrfFrom: from },
    );
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toContain('already nominated');
    const bad = await sam.post(url, { name: '', email: 'not an email', group: 'peer' }, { csrfFrom: from });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the rater’s name');
    expect(bad.body).toContain('Enter an email address in the correct format');
    // The line manager has an account: their invitation asks them to sign in. External raters get a link.
    expect(path((await outboxLinks('bea@example.nhs.uk'))[0]!)).toMatch(/^\/feedback\/requests\/\d+$/);
    expect(path((await outboxLinks('pat@example.org'))[0]!)).toMatch(/^\/feedback\/respond\/[\w-]{40,}$/);
  });

  it('lets an external rater save, come back and submit once through the link, without signing in', async () => {
    const link = path((await outboxLinks('pat@example.org'))[0]!);
    const guest = new Client(ctx.app);
    const form = await guest.get(link);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Your answers are anonymous');
    const first = content.competencies[0]!;
    const saved = await guest.post(link, {
      [`c_${first.id}`]: String(content.levels[0]!.id),
      strengths: 'Pat strength',
      action: 'save',
    });
    expect(saved.statusCode).toBe(303);
    const again = await guest.get(link);
    expect(again.body).toContain('Pat strength');
    const incomplete = await guest.post(link, { action: 'submit' });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.body).toContain(`Choose a level for ${content.competencies[1]!.title}`);
    const done = await guest.post(
      link,
      answers(0, { strengths: 'Pat strength', development: 'Pat development', action: 'submit' }),
    );
    expect(done.headers.location).toBe('/feedback/thanks');
    expect((await guest.get(link)).statusCode).toBe(404);
    // The link opened nothing else: the guest is still signed out.
    expect((await guest.get('/me/feedback')).statusCode).toBe(302);
  });

  it('collects the other responses, showing progress as counts only', async () => {
    const quin = path((await outboxLinks('quin@example.org'))[0]!);
    const guest = new Client(ctx.app);
    await guest.post(quin, answers(0, { strengths: 'Quin strength', action: 'submit' }));
    for (const [i, r] of reports.entries()) {
      const link = path((await outboxLinks(r.email!))[0]!);
      const res = await new Client(ctx.app).post(
        link,
        answers(2 + (i % 2), { strengths: `Report says ${i}`, action: 'submit' }),
      );
      expect(res.statusCode).toBe(303);
    }
    const request = path((await outboxLinks('bea@example.nhs.uk'))[0]!);
    expect(
      (await bea.post(request, answers(1, { development: 'Boss says delegate', action: 'submit' }))).statusCode,
    ).toBe(303);
    const self = /href="(\/feedback\/requests\/\d+)"/.exec((await sam.get(`/feedback/${roundId}`)).body)![1]!;
    expect((await sam.post(self, answers(3, { strengths: 'I think I am great', action: 'submit' }))).statusCode).toBe(
      303,
    );

    const progress = await bea.get(`/feedback/${roundId}`);
    expect(progress.statusCode).toBe(200);
    expect(progress.body).not.toContain('Pat Peer');
    expect(progress.body).toMatch(/Peers<\/th>\s*<td[^>]*>2<\/td>\s*<td[^>]*>2<\/td>/);
    const reads = await db
      .selectFrom('audit_log')
      .select('action')
      .where('actor_account_id', '=', bossAccount.id)
      .execute();
    expect(reads.map((r) => r.action)).toContain('feedback.progress.read');
  });

  it('keeps the report closed until the round closes and the facilitator or line manager releases it', async () => {
    expect((await sam.get(`/feedback/${roundId}/report`)).statusCode).toBe(403);
    expect((await sam.post(`/feedback/${roundId}/release`, {}, { csrfFrom: `/feedback/${roundId}` })).statusCode).toBe(
      403,
    );
    expect((await sam.post(`/feedback/${roundId}/close`, {}, { csrfFrom: `/feedback/${roundId}` })).statusCode).toBe(
      303,
    );
    // Closed: the unused link of the rater who never answered stops working.
    const olive = path((await outboxLinks('olive@example.org'))[0]!);
    expect((await new Client(ctx.app).get(olive)).statusCode).toBe(410);
    expect((await sam.get(`/feedback/${roundId}/report`)).statusCode).toBe(403);
    const coach = await signedIn(ctx, facilitator.id);
    expect(
      (await coach.post(`/feedback/${roundId}/release`, {}, { csrfFrom: `/feedback/${roundId}` })).statusCode,
    ).toBe(303);
    expect((await sam.get(`/feedback/${roundId}/report`)).statusCode).toBe(200);
    expect((await coach.get(`/feedback/${roundId}/report`)).statusCode).toBe(200);
  });

  it('shows a group of 2 nowhere: not in the page, the totals or the API', async () => {
    const page = (await sam.get(`/feedback/${roundId}/report`)).body;
    expect(page).toMatch(/Peers<\/th>\s*<td[^>]*>Fewer than 3<\/td>\s*<td[^>]*>Not shown: fewer than 3 responses/);
    expect(page).toContain('Report says 0');
    expect(page).not.toContain('Pat strength');
    expect(page).not.toContain('Quin strength');
    expect(page).toContain('Boss says delegate');
    const svg = /<svg[^>]*class="app-chart"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    expect(svg).toContain(content.domains[0]!.title);

    const api = await sam.get(`/api/v1/feedback/${roundId}/report`);
    expect(api.statusCode).toBe(200);
    const report = api.json();
    const peers = report.groups.find((g: { group: string }) => g.group === 'peer');
    expect(peers).toMatchObject({ disclosed: false, responses: null });
    const value = (p: number) => content.levels[p]!.value!;
    // Direct reports answered positions 2, 3, 2; the line manager 1; the peers 0 (hidden). "All except self" is the
    // line manager and the direct reports only: adding the peers would have pulled it down.
    const expected = (value(1) + value(2) * 2 + value(3)) / 4;
    for (const d of report.domains) {
      expect(d.by_group.peer).toBeNull();
      expect(d.others).toEqual({ mean: expected, n: 4 });
      for (const c of d.competencies) {
        expect(c.by_group.peer).toBeNull();
        expect(c.others.mean).toBeCloseTo(expected);
        expect(c.by_group.direct_report.n).toBe(3);
        expect(c.by_group.line_manager).toEqual({ mean: value(1), n: 1 });
      }
    }
    expect(JSON.stringify(report)).not.toMatch(/Pat|Quin/);
    expect(report.comments.strengths).toEqual(['Report says 0', 'Report says 1', 'Report says 2']);
    // Self 4 against others ≈ 2.8: a blind spot.
    expect(report.blind_spots.length).toBe(content.competencies.length);
  });

  it('is read by line managers and admins only when the person shares it, each read audited', async () => {
    const adminClient = await signedIn(ctx, admin.id);
    expect((await bea.get(`/feedback/${roundId}/report`)).statusCode).toBe(403);
    expect((await adminClient.get(`/feedback/${roundId}/report`)).statusCode).toBe(403);
    expect((await adminClient.get(`/feedback/${roundId}`)).statusCode).toBe(200);
    expect(
      (await sam.post(`/feedback/${roundId}/share`, { shared: 'yes' }, { csrfFrom: `/feedback/${roundId}` }))
        .statusCode,
    ).toBe(303);
    expect((await bea.get(`/feedback/${roundId}/report`)).statusCode).toBe(200);
    expect((await adminClient.get(`/api/v1/feedback/${roundId}/report`)).statusCode).toBe(200);
    const other = await signedIn(ctx, stranger.id);
    expect((await other.get(`/feedback/${roundId}/report`)).statusCode).toBe(403);
    expect((await other.get(`/api/v1/feedback/${roundId}/report`)).statusCode).toBe(403);
    const reads = await db
      .selectFrom('audit_log')
      .select(['actor_account_id', 'person_id'])
      .where('action', '=', 'feedback.report.read')
      .execute();
    expect(reads).toEqual(
      expect.arrayContaining([
        { actor_account_id: bossAccount.id, person_id: subject.id },
        { actor_account_id: admin.id, person_id: subject.id },
        { actor_account_id: facilitator.id, person_id: subject.id },
      ]),
    );
    // The person's own reads are not someone else's record: not audited.
    expect(reads.some((r) => r.actor_account_id === subjectAccount.id)).toBe(false);
  });

  it('lists the caller’s rounds and requests in the API', async () => {
    const mine = (await sam.get('/api/v1/me/feedback')).json();
    expect(mine.rounds).toHaveLength(1);
    expect(mine.rounds[0]).toMatchObject({
      id: roundId,
      status: 'closed',
      released: true,
      shared: true,
      report_available: true,
    });
    expect(mine.rounds[0].progress).toEqual(expect.arrayContaining([{ group: 'peer', nominated: 2, submitted: 2 }]));
    const boss = (await bea.get('/api/v1/me/feedback')).json();
    expect(boss.requests).toEqual([
      expect.objectContaining({ round_id: roundId, group: 'line_manager', submitted: true }),
    ]);
    expect((await bea.get('/api/v1/feedback/999999/report')).statusCode).toBe(404);
    const spec = (await sam.get('/api/v1/openapi.json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/me/feedback', '/api/v1/feedback/{id}/report']),
    );
  });

  it('adds the lowest-rated competencies to the person’s development plan, once', async () => {
    const from = `/feedback/${roundId}/report`;
    expect((await bea.post(`/feedback/${roundId}/plan`, {}, { csrfFrom: from })).statusCode).toBe(403);
    expect((await sam.post(`/feedback/${roundId}/plan`, {}, { csrfFrom: from })).statusCode).toBe(303);
    const report = (await sam.get(`/api/v1/feedback/${roundId}/report`)).json();
    const plan = await planOf(db, subject.id);
    expect(plan.map((i) => i.competency_id).sort()).toEqual([...report.lowest].sort());
    expect(plan.every((i) => i.source === 'feedback')).toBe(true);
    await sam.post(`/feedback/${roundId}/plan`, {}, { csrfFrom: from });
    expect(await planOf(db, subject.id)).toHaveLength(plan.length);
    expect((await sam.get(from)).body).toContain('These competencies are already in your development plan');
  });
});
