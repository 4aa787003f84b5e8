import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { Client, signedIn, type TestContext, testApp } from '../../../test/helpers.ts';
import { formatDate } from '../../web/nunjucks.ts';
import type { CompetencyOption } from './competencies.ts';
import { setNextCohortStart } from './queries.ts';
import { grantProvider, makeProgramme, makeProvider, withCompetencies } from './testing.ts';

let ctx: TestContext;
let comps: CompetencyOption[];
let h: Awaited<ReturnType<typeof makeHierarchy>>;
let other: Awaited<ReturnType<typeof makeHierarchy>>;

beforeAll(async () => {
  ctx = await testApp();
  comps = await withCompetencies(ctx.deps.db);
  h = await makeHierarchy(ctx.deps.db, '71');
  other = await makeHierarchy(ctx.deps.db, '72');
});

describe('public catalogue', () => {
  let ids: Record<string, number>;
  beforeAll(async () => {
    const { db } = ctx.deps;
    const uni = await makeProvider(db, { name: 'University of Testshire' });
    const coaching = await makeProgramme(db, uni.id, {
      title: 'Coaching conversations for ward managers',
      summary: 'Practical coaching skills for first-line leaders.',
      level: 'first_line',
      competencies: [comps[0]],
      cost_pounds: 0,
    });
    const finance = await makeProgramme(db, uni.id, {
      title: 'Finance for service managers',
      summary: 'Budgets, business cases and a little coaching of budget holders.',
      level: 'middle',
      format: 'face_to_face',
      scope: 'regional',
      scope_org_id: h.region.id,
      area_region_id: h.region.id,
      cost_pounds: 1200,
      funding: 'part_funded',
      competencies: [comps[1]],
      accreditation_status: 'accredited',
      accredited_until: '2030-01-01',
    });
    const elsewhere = await makeProgramme(db, uni.id, {
      title: 'Strategy in another region',
      level: 'senior',
      format: 'face_to_face',
      scope: 'regional',
      scope_org_id: other.region.id,
      area_region_id: other.region.id,
      cost_pounds: 3000,
    });
    const draft = await makeProgramme(db, uni.id, { title: 'Secret coaching draft', status: 'draft' });
    await setNextCohortStart(db, finance.id, '2027-02-01');
    ids = { coaching: coaching.id, finance: finance.id, elsewhere: elsewhere.id, draft: draft.id };
  });

  const titles = async (qs: string) => {
    const res = await new Client(ctx.app).get(`/catalogue?${qs}`);
    expect(res.statusCode).toBe(200);
    return [...res.body.matchAll(/<a href="\/catalogue\/(\d+)">/g)].map((m) => Number(m[1]));
  };

  it('needs no sign-in and ranks title matches above summary matches', async () => {
    expect(await titles('q=coaching')).toEqual([ids.coaching, ids.finance]);
  });

  it('never shows drafts to the public', async () => {
    expect(await titles('q=secret')).toEqual([]);
    const res = await new Client(ctx.app).get(`/catalogue/${ids.draft}`);
    expect(res.statusCode).toBe(404);
  });

  it('filters by level, format, region, competency, cost, start date and accreditation', async () => {
    expect(await titles('level=middle')).toEqual([ids.finance]);
    expect(await titles('format=face_to_face')).toEqual([ids.finance, ids.elsewhere]);
    expect(await titles(`region=${h.region.id}`)).toEqual([ids.coaching, ids.finance]);
    expect(await titles(`competency=${comps[1].competencyId}`)).toEqual([ids.finance]);
    expect(await titles('cost=free')).toEqual([ids.coaching]);
    expect(await titles('cost=funded')).toEqual([ids.finance]);
    expect(await titles('cost=max&max_cost=1500')).toEqual([ids.coaching, ids.finance]);
    expect(await titles('starts_by=2099-12-31')).toEqual([ids.finance]);
    expect(await titles('accredited=yes')).toEqual([ids.finance]);
  });

  it('counts the whole result on every page, with and without words', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    await sql`INSERT INTO programmes (provider_id, title, level, format, hours, duration_weeks, scope, status, published_at)
              SELECT ${provider.id}, 'Yy executive ' || lpad(i::text, 2, '0'), 'executive', 'online', 5, 2, 'national',
                     'published', now()
                FROM generate_series(1, 23) i`.execute(db);
    const heading = async (qs: string) =>
      (await new Client(ctx.app).get(`/catalogue?${qs}`)).body.match(/<h2 id="results"[^>]*>([^<]*)</)?.[1];
    expect(await heading('level=executive')).toBe('23 programmes, page 1 of 2');
    expect(await heading('level=executive&page=2')).toBe('23 programmes, page 2 of 2');
    expect(await titles('level=executive&page=2')).toHaveLength(3);
    // A hand-made page past the end still tells the total.
    expect(await heading('level=executive&page=3')).toMatch(/^23 programmes/);
    expect(await heading('q=executive&level=executive')).toBe('23 programmes, page 1 of 2');
    expect(await heading('q=executive&level=executive&page=4')).toMatch(/^23 programmes/);
    expect(await heading('level=executive&format=face_to_face')).toBe('0 programmes');
  });

  it('ignores malformed filters instead of failing', async () => {
    const res = await new Client(ctx.app).get('/catalogue?level=bogus&region=x&page=-3&max_cost=abc');
    expect(res.statusCode).toBe(200);
  });

  it('shows a programme page with eligibility, competencies and accreditation', async () => {
    const res = await new Client(ctx.app).get(`/catalogue/${ids.finance}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Finance for service managers');
    expect(res.body).toContain(comps[1].title);
    expect(res.body).toContain('Accredited until 1 January 2030');
    expect(res.body).toContain('1 February 2027');
    expect(res.body).toContain('Open to everyone');
  });

  it('lists accredited programmes in the public register and its CSV', async () => {
    const page = await new Client(ctx.app).get('/catalogue/accredited');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Finance for service managers');
    expect(page.body).not.toContain('Coaching conversations');
    const csv = await new Client(ctx.app).get('/catalogue/accredited.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('programme_id,title,provider,level,scope,area,accredited_on,accredited_until,status');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('2030-01-01');
  });

  it('pages the register 50 at a time, forwards and back, with region and level filters', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    await sql`INSERT INTO programmes (provider_id, title, level, format, hours, duration_weeks, scope, status, published_at,
                                      accreditation_status, accredited_until)
              SELECT ${provider.id}, 'Zz bulk ' || lpad(i::text, 3, '0'), CASE WHEN i % 2 = 0 THEN 'senior' ELSE 'middle' END,
                     'online', 5, 2, 'national', 'published', now(), 'accredited', '2031-01-01'
                FROM generate_series(1, 101) i`.execute(db);
    const client = new Client(ctx.app);
    const linkOf = (body: string, rel: 'next' | 'prev') =>
      body.match(new RegExp(`href="(/catalogue/accredited\\?[^"]+)" rel="${rel}"`))?.[1]?.replaceAll('&amp;', '&');
    // Finance, then Zz bulk 001 to 101: pages of 50.
    const first = await client.get('/catalogue/accredited');
    expect(first.body).toContain('Zz bulk 049');
    expect(first.body).not.toContain('Zz bulk 050');
    expect(first.body).toContain('nhsuk-pagination');
    expect(linkOf(first.body, 'prev')).toBeUndefined();
    const second = await client.get(linkOf(first.body, 'next')!);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Zz bulk 050');
    expect(second.body).toContain('Zz bulk 099');
    const third = await client.get(linkOf(second.body, 'next')!);
    expect(third.body).toContain('Zz bulk 101');
    expect(third.body).not.toContain('Zz bulk 099');
    expect(linkOf(third.body, 'next')).toBeUndefined();
    const back = await client.get(linkOf(third.body, 'prev')!);
    expect(back.body).toContain('Zz bulk 050');
    expect(back.body).toContain('Zz bulk 099');
    expect(back.body).not.toContain('Zz bulk 100');
    const backAgain = await client.get(linkOf(back.body, 'prev')!);
    expect(backAgain.body).toContain('Finance for service managers');
    expect(linkOf(backAgain.body, 'prev')).toBeUndefined();

    const senior = await client.get('/catalogue/accredited?level=senior');
    expect(senior.body).toContain('Zz bulk 002');
    expect(senior.body).toContain('Zz bulk 100');
    expect(senior.body).not.toContain('Zz bulk 001');
    expect(senior.body).not.toContain('Finance for service managers');
    expect(linkOf(senior.body, 'next')).toBeUndefined();
    const csv = await client.get('/catalogue/accredited.csv?level=senior');
    expect(csv.body.trim().split('\n')).toHaveLength(51);
    expect((await client.get('/catalogue/accredited?after=rubbish')).statusCode).toBe(400);
    expect((await client.get('/catalogue/accredited?before=rubbish')).statusCode).toBe(400);
  });

  it('tells a signed-in person whether they can join', async () => {
    const { db } = ctx.deps;
    const person = await makePerson(db, { orgId: h.trust.id, band: '6' });
    const account = await makeAccount(db, { personId: person.id });
    const restricted = await makeProgramme(db, (await makeProvider(db)).id, {
      title: 'Band 8 only',
      elig_bands: ['8a', '8b'],
    });
    const res = await (await signedIn(ctx, account.id)).get(`/catalogue/${restricted.id}`);
    expect(res.body).toContain('You cannot join.');
    expect(res.body).toContain('Agenda for Change band: 8a, 8b');
  });
});

describe('authoring and accreditation', () => {
  it('lets a provider admin add, publish and submit a programme, and a reviewer accredit it', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db, { name: 'Testshire Leadership Academy' });
    const adminAccount = await makeAccount(db, { name: 'Pat Provider' });
    await grantProvider(db, adminAccount.id, provider.id);
    const admin = await signedIn(ctx, adminAccount.id);

    const bad = await admin.post(
      `/catalogue/manage/providers/${provider.id}/programmes`,
      { title: 'X' },
      {
        csrfFrom: `/catalogue/manage/providers/${provider.id}/programmes/new`,
      },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Enter a title (at least 3 characters)');

    const form = {
      title: 'Leading improvement in the North',
      summary: 'A regional programme on quality improvement for middle managers.',
      outcomes: 'Run a PDSA cycle\nMeasure a process with SPC',
      level: 'middle',
      competencies: [String(comps[2].competencyId)],
      format: 'blended',
      hours: '30',
      duration_weeks: '12',
      cost_pounds: '0',
      funding: 'fully_funded',
      elig_levels: ['middle', 'senior'],
      scope: 'regional',
      scope_org_code: h.region.code,
    };
    const created = await admin.post(`/catalogue/manage/providers/${provider.id}/programmes`, form, {
      csrfFrom: `/catalogue/manage/providers/${provider.id}/programmes/new`,
    });
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    const id = Number(url.split('/').pop());

    // Not public until published.
    expect((await new Client(ctx.app).get(`/catalogue/${id}`)).statusCode).toBe(404);
    expect((await admin.post(`${url}/publish`, {}, { csrfFrom: url })).statusCode).toBe(303);
    expect((await new Client(ctx.app).get(`/catalogue/${id}`)).statusCode).toBe(200);

    const noEvidence = await admin.post(
      `${url}/accreditation`,
      { competency_mapping: '', assessment_method: '', evidence: '' },
      { csrfFrom: `${url}/accreditation` },
    );
    expect(noEvidence.statusCode).toBe(400);
    const submitted = await admin.post(
      `${url}/accreditation`,
      {
        competency_mapping: 'Module 2 develops improvement skills through a live project.',
        assessment_method: 'A portfolio and a presentation.',
        evidence: 'Evaluation of three earlier cohorts.',
      },
      { csrfFrom: `${url}/accreditation` },
    );
    expect(submitted.statusCode).toBe(303);

    // Another provider's admin cannot touch it; a lead of another region cannot review it.
    const stranger = await makeAccount(db);
    await grantProvider(db, stranger.id, (await makeProvider(db)).id);
    expect((await (await signedIn(ctx, stranger.id)).get(url)).statusCode).toBe(403);
    const otherLead = await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: other.region.id }] });
    const otherClient = await signedIn(ctx, otherLead.id);
    const queue = await otherClient.get('/catalogue/reviews');
    expect(queue.body).not.toContain('Leading improvement in the North');

    const leadAccount = await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: h.region.id }] });
    const lead = await signedIn(ctx, leadAccount.id);
    const list = await lead.get('/catalogue/reviews');
    const sid = list.body.match(/href="\/catalogue\/reviews\/(\d+)"/)?.[1];
    expect(sid).toBeDefined();
    expect((await otherClient.get(`/catalogue/reviews/${sid}`)).statusCode).toBe(403);

    const reviewUrl = `/catalogue/reviews/${sid}`;
    const partial = await lead.post(
      reviewUrl,
      {
        decision: 'accredited',
        criteria: ['standards_mapping'],
        'expires_on-day': '1',
        'expires_on-month': '4',
        'expires_on-year': '2099',
      },
      { csrfFrom: reviewUrl },
    );
    expect(partial.statusCode).toBe(400);
    expect(partial.body).toContain('every criterion must be met');

    const all = [
      'standards_mapping',
      'clear_outcomes',
      'level_fit',
      'assessment',
      'workplace_application',
      'inclusion',
      'faculty',
      'evaluation',
    ];
    const ok = await lead.post(
      reviewUrl,
      {
        decision: 'accredited',
        criteria: all,
        'expires_on-day': '1',
        'expires_on-month': '4',
        'expires_on-year': '2099',
      },
      { csrfFrom: reviewUrl },
    );
    expect(ok.statusCode).toBe(303);

    const register = await new Client(ctx.app).get('/catalogue/accredited');
    expect(register.body).toContain('Leading improvement in the North');
    // The row's "Accredited on" is the date of the accrediting decision (decided now, by the database clock).
    const decidedOn = formatDate(new Date().toISOString().slice(0, 10));
    const row = register.body.match(/Leading improvement in the North<\/a><\/th>([\s\S]*?)<\/tr>/)?.[1] ?? '';
    expect(row).toContain(`<td class="nhsuk-table__cell">${decidedOn}</td>`);
    expect(row).toContain('1 April 2099');
    const search = await new Client(ctx.app).get('/catalogue?q=improvement&accredited=yes');
    expect(search.body).toContain('Leading improvement in the North');

    const events = await db
      .selectFrom('accreditation_events')
      .select('action')
      .where('programme_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['submitted', 'accredited']);
    const audited = await db.selectFrom('audit_log').select('action').where('action', 'like', 'catalogue.%').execute();
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'catalogue.programme.create',
        'catalogue.programme.publish',
        'catalogue.accreditation.submit',
        'catalogue.accreditation.accredited',
      ]),
    );
  });

  it('requires a note and an unmet criterion to request changes, and keeps the scope rules', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    const p = await makeProgramme(db, provider.id, { title: 'National thing', competencies: [comps[0]] });
    const sub = await db
      .insertInto('accreditation_submissions')
      .values({
        programme_id: p.id,
        review_region_id: null,
        competency_mapping: 'x'.repeat(30),
        assessment_method: 'An essay',
        evidence: 'Some evidence',
        snapshot: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A regional lead may not decide national submissions.
    const lead = await makeAccount(db, { grants: [{ role: 'regional_lead', orgId: h.region.id }] });
    expect((await (await signedIn(ctx, lead.id)).get(`/catalogue/reviews/${sub.id}`)).statusCode).toBe(403);
    const nat = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id);
    const url = `/catalogue/reviews/${sub.id}`;
    const noNote = await nat.post(url, { decision: 'changes_requested', criteria: ['faculty'] }, { csrfFrom: url });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('Say what the provider needs to change');
    const ok = await nat.post(
      url,
      { decision: 'changes_requested', criteria: ['faculty'], note: 'Add an assessment.' },
      { csrfFrom: url },
    );
    expect(ok.statusCode).toBe(303);
    const after = await db
      .selectFrom('programmes')
      .select('accreditation_status')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(after.accreditation_status).toBe('changes_requested');
    // Decided submissions cannot be decided again.
    const again = await nat.post(url, { decision: 'rejected', criteria: [], note: 'No.' }, { csrfFrom: url });
    expect(again.statusCode).toBe(409);
  });

  it('checks the owning area matches the scope', async () => {
    const { db } = ctx.deps;
    const provider = await makeProvider(db);
    const acc = await makeAccount(db);
    await grantProvider(db, acc.id, provider.id);
    const c = await signedIn(ctx, acc.id);
    const newUrl = `/catalogue/manage/providers/${provider.id}/programmes/new`;
    const res = await c.post(
      `/catalogue/manage/providers/${provider.id}/programmes`,
      {
        title: 'An ICB programme',
        summary: 'A summary long enough to pass the check.',
        outcomes: 'Something useful here',
        level: 'middle',
        competencies: [String(comps[0].competencyId)],
        format: 'online',
        hours: '5',
        duration_weeks: '2',
        cost_pounds: '0',
        funding: 'none',
        scope: 'icb',
        scope_org_code: h.trust.code,
        elig_org_codes: 'NOPE1',
      },
      { csrfFrom: newUrl },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`${h.trust.code} is not an integrated care board`);
    expect(res.body).toContain('No organisation has the code NOPE1');
  });
});
