import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';

const live = await testApp({ demoMode: false });
const demo = await testApp({ demoMode: true });

async function people(ctx: typeof live) {
  const { trust } = await makeHierarchy(ctx.deps.db);
  const person = await makePerson(ctx.deps.db, { orgId: trust.id });
  return {
    national: await makeAccount(ctx.deps.db, { grants: [{ role: 'national_admin', orgId: null }] }),
    orgAdmin: await makeAccount(ctx.deps.db, { grants: [{ role: 'org_admin', orgId: trust.id }] }),
    staff: await makeAccount(ctx.deps.db, { personId: person.id }),
  };
}

const resetBody =
  'Someone asked to reset your password.\n\nOpen https://leadwell.example/password-reset/Tok_en-123 within 1 hour.';

describe('mail outbox', async () => {
  const l = await people(live);
  const d = await people(demo);
  await live.deps.mail.send({ to: 'pat@example.nhs.uk', subject: 'Reset your Leadwell password', text: resetBody });
  await demo.deps.mail.send({ to: 'sam@example.nhs.uk', subject: 'Reset your Leadwell password', text: resetBody });
  const liveId = (await live.deps.db.selectFrom('mail_outbox').select('id').executeTakeFirstOrThrow()).id;
  const demoId = (await demo.deps.db.selectFrom('mail_outbox').select('id').executeTakeFirstOrThrow()).id;

  it('lists the latest messages for national admins, with their status', async () => {
    const client = await signedIn(live, l.national.id);
    const res = await client.get('/admin/outbox');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('pat@example.nhs.uk');
    expect(res.body).toContain(`href="/admin/outbox/${liveId}"`);
    expect(res.body).toContain('Not sent');
    expect(res.body).toContain('href="/admin/outbox"');
  });

  it('shows a message with its links readable as text, and records who read it', async () => {
    const client = await signedIn(live, l.national.id);
    const res = await client.get(`/admin/outbox/${liveId}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '<a href="https://leadwell.example/password-reset/Tok_en-123">https://leadwell.example/password-reset/Tok_en-123</a>',
    );
    const entries = await live.deps.db
      .selectFrom('audit_log')
      .select(['actor_account_id', 'subject_type', 'subject_id'])
      .where('action', '=', 'outbox.view')
      .execute();
    expect(entries).toEqual([
      { actor_account_id: l.national.id, subject_type: 'mail_outbox', subject_id: String(liveId) },
    ]);
    expect((await client.get('/admin/outbox/999999')).statusCode).toBe(404);
    expect((await client.get('/admin/outbox/abc')).statusCode).toBe(404);
  });

  it('refuses organisation admins and staff outside demo mode', async () => {
    for (const account of [l.orgAdmin, l.staff]) {
      const client = await signedIn(live, account.id);
      expect((await client.get('/admin/outbox')).statusCode).toBe(403);
      expect((await client.get(`/admin/outbox/${liveId}`)).statusCode).toBe(403);
    }
  });

  it('in demo mode lets demo admins read it, but not staff nor real (non-demo) admins', async () => {
    const realAdmin = await signedIn(demo, d.orgAdmin.id);
    expect((await realAdmin.get('/admin/outbox')).statusCode).toBe(403);
    await demo.deps.db.updateTable('accounts').set({ is_demo: true }).where('id', '=', d.orgAdmin.id).execute();
    const admin = await signedIn(demo, d.orgAdmin.id);
    expect((await admin.get('/admin/outbox')).statusCode).toBe(200);
    const message = await admin.get(`/admin/outbox/${demoId}`);
    expect(message.statusCode).toBe(200);
    expect(message.body).toContain('https://leadwell.example/password-reset/Tok_en-123');
    const staff = await signedIn(demo, d.staff.id);
    expect((await staff.get('/admin/outbox')).statusCode).toBe(403);
  });
});
