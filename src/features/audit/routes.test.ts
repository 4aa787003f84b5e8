import { sql } from 'kysely';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { loadViewer } from '../../plugins/access.ts';
import { type AuditSearch, keyOf, searchAudit } from './queries.ts';

const ctx = await testApp();
const db = ctx.deps.db;

const a = await makeHierarchy(db, '61');
const b = await makeHierarchy(db, '62');
const personA = await makePerson(db, { orgId: a.trust.id });
const personB = await makePerson(db, { orgId: b.trust.id });
const zelda = await makeAccount(db, { name: 'Zelda Auditor', email: 'zelda.auditor@example.nhs.uk' });
const national = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
const adminA = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: a.trust.id }] });
const staff = await makeAccount(db, { personId: personA.id });

async function entry(e: {
  subject: string;
  action?: string;
  at?: string;
  actor?: number | null;
  personId?: number | null;
  orgId?: number | null;
}) {
  await db
    .insertInto('audit_log')
    .values({
      at: e.at ?? '2026-06-15T12:00:00Z',
      actor_account_id: e.actor ?? null,
      actor_label: e.actor ? 'Zelda Auditor' : 'leadwell cli',
      action: e.action ?? 'probe.check',
      subject_type: 'probe',
      subject_id: e.subject,
      person_id: e.personId ?? null,
      organisation_id: e.orgId ?? null,
      ip: '192.0.2.7',
      details: JSON.stringify({ note: `about ${e.subject}` }),
    })
    .execute();
}

// Which entries an organisation admin of A may read: about A, or about someone who works in A.
await entry({ subject: 'ORG-A', orgId: a.trust.id });
await entry({ subject: 'PERSON-A', personId: personA.id });
await entry({ subject: 'PERSON-A-AT-B', personId: personA.id, orgId: b.trust.id });
await entry({ subject: 'ORG-B', personId: personB.id, orgId: b.trust.id });
await entry({ subject: 'NOBODY' });
// Filters.
await entry({ subject: 'BY-ZELDA', actor: zelda.id, orgId: a.trust.id, action: 'probe.zelda' });
await entry({ subject: 'IN-JANUARY', at: '2026-01-10T09:00:00Z', orgId: a.trust.id, action: 'probe.dated' });
await entry({ subject: 'IN-MARCH', at: '2026-03-10T09:00:00Z', orgId: a.trust.id, action: 'probe.dated' });
await entry({ subject: '=HYPERLINK("http://evil.example")', orgId: b.trust.id, action: 'probe.formula' });
// 120 entries written in one transaction share one timestamp: pages must still split them exactly.
await db
  .insertInto('audit_log')
  .values(
    Array.from({ length: 120 }, (_, i) => ({
      at: '2026-07-01T08:00:00.123456Z',
      action: 'probe.bulk',
      subject_type: 'probe',
      subject_id: `BULK${String(i).padStart(3, '0')}`,
      organisation_id: a.trust.id,
    })),
  )
  .execute();

const subjects = (html: string) => [...html.matchAll(/probe ((?:BULK\d{3})|[A-Z][A-Z-]+)</g)].map((m) => m[1]);
const nextHref = (html: string, rel: 'next' | 'prev') => {
  const m = html.match(new RegExp(`<a[^>]*href="([^"]+)"[^>]*rel="${rel}"`));
  return m ? m[1].replaceAll('&amp;', '&') : undefined;
};

describe('audit log page', () => {
  it('shows a national admin every entry, newest first, with who, what and where', async () => {
    const client = await signedIn(ctx, national.id);
    const res = await client.get('/admin/audit?action=probe.check');
    expect(res.statusCode).toBe(200);
    expect(subjects(res.body).sort()).toEqual(['NOBODY', 'ORG-A', 'ORG-B', 'PERSON-A', 'PERSON-A-AT-B']);
    expect(res.body).toContain(`href="/people/${personA.id}"`);
    expect(res.body).toContain(`${personA.given_name} ${personA.family_name}`);
    expect(res.body).toContain(`${a.trust.name} (${a.trust.code})`);
    expect(res.body).toContain('192.0.2.7');
    expect(res.body).toContain('note: about ORG-A');
    expect(res.body).toContain('<option value="probe.bulk"');
  });

  it('shows an organisation admin only entries about their organisation or its staff', async () => {
    const client = await signedIn(ctx, adminA.id);
    const res = await client.get('/admin/audit?action=probe.check');
    expect(res.statusCode).toBe(200);
    expect(subjects(res.body).sort()).toEqual(['ORG-A', 'PERSON-A', 'PERSON-A-AT-B']);
    const other = await client.get(`/admin/audit?organisation=${b.trust.code}`);
    expect(subjects(other.body)).toEqual(['PERSON-A-AT-B']);
  });

  it('refuses staff with 403', async () => {
    const client = await signedIn(ctx, staff.id);
    const res = await client.get('/admin/audit');
    expect(res.statusCode).toBe(403);
    expect((await client.get('/admin/audit/download')).statusCode).toBe(403);
    expect((await ctx.app.inject('/admin/audit')).statusCode).toBe(302);
  });

  it('filters by actor, person, organisation and dates', async () => {
    const client = await signedIn(ctx, national.id);
    expect(subjects((await client.get('/admin/audit?actor=ZELDA.aud')).body)).toEqual(['BY-ZELDA']);
    const byPerson = subjects((await client.get(`/admin/audit?person=${personB.id}`)).body);
    expect(byPerson).toEqual(['ORG-B']);
    const staffNumber = (
      await db.selectFrom('people').select('staff_number').where('id', '=', personA.id).executeTakeFirstOrThrow()
    ).staff_number!;
    expect(subjects((await client.get(`/admin/audit?person=${staffNumber}&action=probe.check`)).body).sort()).toEqual([
      'PERSON-A',
      'PERSON-A-AT-B',
    ]);
    const dated = await client.get(
      '/admin/audit?action=probe.dated&from-day=1&from-month=3&from-year=2026&to-day=10&to-month=3&to-year=2026',
    );
    expect(subjects(dated.body)).toEqual(['IN-MARCH']);
    const untilJanuary = await client.get('/admin/audit?action=probe.dated&to-day=10&to-month=1&to-year=2026');
    expect(subjects(untilJanuary.body)).toEqual(['IN-JANUARY']);
    expect((await client.get('/admin/audit?actor=nobody-like-this')).body).toContain('No entries match these filters.');
  });

  it('answers bad filters with 400 and the NHS error summary, linked to the fields', async () => {
    const client = await signedIn(ctx, national.id);
    const res = await client.get(
      '/admin/audit?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2026',
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#from-day"');
    expect(res.body).toContain('From date must be a real date');
    const reversed = await client.get(
      '/admin/audit?from-day=2&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2026',
    );
    expect(reversed.statusCode).toBe(400);
    expect(reversed.body).toContain('To date must be the same as or after the from date');
    const partial = await client.get('/admin/audit?to-day=2&to-year=2026');
    expect(partial.body).toContain('To date must include a day, month and year');
    const org = await client.get('/admin/audit?organisation=ZZZ99');
    expect(org.statusCode).toBe(400);
    expect(org.body).toContain('No organisation has the ODS code ZZZ99');
    const cursor = await client.get('/admin/audit?before=not-a-cursor');
    expect(cursor.statusCode).toBe(400);
    // Shaped like ours but naming a moment that does not exist: refused before the database sees it.
    for (const at of ['2026-13-45T99:99:99.000000Z', '2026-02-30T10:00:00.000000Z']) {
      const forged = Buffer.from(JSON.stringify([at, 5])).toString('base64url');
      const res = await client.get(`/admin/audit?before=${forged}`);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('before is not valid');
      const api = await client.get(`/api/v1/audit?cursor=${forged}`);
      expect(api.statusCode).toBe(400);
      expect(api.json().message).toMatch(/^cursor is not valid/);
    }
  });

  it('pages through entries that share a timestamp without losing or repeating any', async () => {
    const client = await signedIn(ctx, adminA.id);
    const seen: string[] = [];
    let url: string | undefined = '/admin/audit?action=probe.bulk';
    const pages: string[] = [];
    while (url) {
      const res = await client.get(url);
      expect(res.statusCode).toBe(200);
      seen.push(...subjects(res.body));
      pages.push(url);
      url = nextHref(res.body, 'next');
    }
    expect(pages).toHaveLength(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe('BULK119');
    expect(seen[119]).toBe('BULK000');
    // Back from the last page to the one before it.
    const last = await client.get(pages[2]);
    const back = await client.get(nextHref(last.body, 'prev')!);
    expect(subjects(back.body)).toEqual(seen.slice(50, 100));
  });

  it('downloads the current filter as CSV, with the filter in the file name, and records the download', async () => {
    const client = await signedIn(ctx, national.id);
    const res = await client.get('/admin/audit/download?action=probe.bulk');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-log_action-probe.bulk.csv"');
    const rows = Papa.parse<string[]>(res.body.trim()).data;
    expect(rows[0]).toEqual(expect.arrayContaining(['time_utc', 'action', 'person_id', 'organisation_code']));
    expect(rows).toHaveLength(121);
    expect(rows[1][rows[0].indexOf('subject_id')]).toBe('BULK119');
    expect(rows[1][rows[0].indexOf('time_utc')]).toBe('2026-07-01T08:00:00.123Z');
    const formula = await client.get('/admin/audit/download?action=probe.formula');
    expect(formula.body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const recorded = await db
      .selectFrom('audit_log')
      .select(['details'])
      .where('action', '=', 'audit.export')
      .where('actor_account_id', '=', national.id)
      .execute();
    expect(recorded.map((r) => (r.details as { filename: string }).filename)).toContain(
      'audit-log_action-probe.bulk.csv',
    );
  });

  it('keeps an organisation admin to their scope in the CSV too', async () => {
    const client = await signedIn(ctx, adminA.id);
    const res = await client.get('/admin/audit/download?action=probe.check');
    const rows = Papa.parse<string[]>(res.body.trim()).data;
    const col = rows[0].indexOf('subject_id');
    expect(
      rows
        .slice(1)
        .map((r) => r[col])
        .sort(),
    ).toEqual(['ORG-A', 'PERSON-A', 'PERSON-A-AT-B']);
  });
});

describe('organisation admin search plans', () => {
  it('finds the same entries newest-first and by people, on every page and in both directions', async () => {
    const viewer = (await loadViewer(db, adminA.id, 'session'))!;
    const ids = async (s: Omit<AuditSearch, 'strategy'>) => {
      const [scan, byPeople] = await Promise.all([
        searchAudit(db, viewer, { ...s, strategy: 'newest-first' }),
        searchAudit(db, viewer, { ...s, strategy: 'by-people' }),
      ]);
      expect(byPeople).toEqual(scan);
      return scan;
    };
    const all = await ids({ filter: {}, limit: 1000 });
    expect(all.rows.map((r) => r.subjectId)).toEqual(
      expect.arrayContaining(['ORG-A', 'PERSON-A', 'PERSON-A-AT-B', 'BY-ZELDA', 'IN-JANUARY']),
    );
    expect(all.rows.map((r) => r.subjectId)).not.toContain('ORG-B');
    const first = await ids({ filter: {}, limit: 7 });
    const second = await ids({ filter: {}, limit: 7, before: keyOf(first.rows[6]) });
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(all.rows.slice(0, 14).map((r) => r.id));
    const back = await ids({ filter: {}, limit: 7, after: keyOf(second.rows[0]) });
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    await ids({ filter: { action: 'probe.check', from: '2026-06-15', to: '2026-06-15' }, limit: 2 });
    await ids({ filter: { organisation: b.trust.code }, organisationId: b.trust.id, limit: 5 });
  });
});

describe('audit log storage', () => {
  it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    await expect(sql`update audit_log set action = 'tampered'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where subject_id = 'ORG-A'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    const still = await db.selectFrom('audit_log').select('id').where('subject_id', '=', 'ORG-A').execute();
    expect(still).toHaveLength(1);
  });
});
