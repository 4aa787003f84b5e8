import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { planOf } from '../plans/queries.ts';
import { appraisalWorld, completePreparation, cycleForm } from './testing.ts';

const clock = { now: () => new Date('2026-11-26T10:00:00Z') };
const ctx = await testApp({ clock });
const { db } = ctx.deps;
const w = await appraisalWorld(db, '71');

const record = {
  ...Object.fromEntries(
    ['CSL', 'DATA', 'QI', 'TECH', 'PEOPLE', 'FIN', 'GOV'].flatMap((c) => [
      [`behaviour_${c}`, '3'],
      [`behaviour_${c}_comment`, `Good work on ${c}`],
    ]),
  ),
  overall_rating: 'strong',
};

const appraisalOf = (personId: number) =>
  db
    .selectFrom('appraisals')
    .select(['id', 'status', 'appraiser_person_id', 'appraisee_signed_at', 'appraiser_signed_at', 'locked_at'])
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();

const audits = (action: string) =>
  db
    .selectFrom('audit_log')
    .select(['actor_account_id', 'person_id', 'details'])
    .where('action', '=', action)
    .execute();

describe('the appraisal workflow through the pages', () => {
  it('an admin opens a cycle: everyone in post gets an appraisal, with their line manager as appraiser', async () => {
    const admin = await signedIn(ctx, w.accounts.admin.id);
    const bad = await admin.post(
      `/appraisals/organisations/${w.trust.code}/cycles`,
      cycleForm('', [1, 4, 2026], [31, 12, 2027]),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a name for the cycle');
    expect(bad.body).toContain('The due date must be between the start and end dates');

    const res = await admin.post(
      `/appraisals/organisations/${w.trust.code}/cycles`,
      cycleForm('Appraisals 2026 to 2027', [1, 4, 2026], [31, 12, 2026]),
    );
    expect(res.statusCode).toBe(303);
    const rows = await db
      .selectFrom('appraisals')
      .select(['person_id', 'appraiser_person_id', 'status', 'template_key', 'template_version'])
      .orderBy('person_id')
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.person_id === w.staff.id)).toMatchObject({
      appraiser_person_id: w.manager.id,
      status: 'not_started',
      template_key: 'nhs-standard-appraisal',
      template_version: 1,
    });
    expect(rows.find((r) => r.person_id === w.manager.id)?.appraiser_person_id).toBeNull();
    expect(await audits('appraisal.cycle.open')).toHaveLength(1);

    const overlap = await admin.post(
      `/appraisals/organisations/${w.trust.code}/cycles`,
      cycleForm('Again', [1, 4, 2026], [31, 12, 2026]),
    );
    expect(overlap.statusCode).toBe(400);
    expect(overlap.body).toContain('overlap');

    // Only the organisation's admins open cycles.
    const manager = await signedIn(ctx, w.accounts.manager.id);
    expect((await manager.get(`/appraisals/organisations/${w.trust.code}/cycles`)).statusCode).toBe(403);
  });

  it('prepare → meeting → record → both sign → locked, with the rules of each step', async () => {
    const a = await appraisalOf(w.staff.id);
    const staff = await signedIn(ctx, w.accounts.staff.id);
    const manager = await signedIn(ctx, w.accounts.manager.id);

    // The appraiser cannot record a meeting before the appraisee has prepared.
    const early = await manager.post(`/appraisals/${a.id}/meeting`, {
      'meeting_on-day': '20',
      'meeting_on-month': '11',
      'meeting_on-year': '2026',
    });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('has not started preparing');

    // The appraisee saves as they go: a partial objective is kept.
    const partial = await staff.post(`/appraisals/${a.id}/prepare`, { objective_1_title: 'Cut agency spend' });
    expect(partial.statusCode).toBe(303);
    expect((await appraisalOf(w.staff.id)).status).toBe('preparing');
    const invalid = await staff.post(`/appraisals/${a.id}/prepare`, { objective_1_specific: 'No title', plan: '' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Give objective 1 a title');
    // Without an objective on equality, diversity and inclusion the appraisal cannot be signed later.
    const { objective_2_edi: _edi, ...noEdi } = completePreparation;
    expect((await staff.post(`/appraisals/${a.id}/prepare`, noEdi)).statusCode).toBe(303);

    // Only the appraiser records.
    expect((await staff.get(`/appraisals/${a.id}/record`)).statusCode).toBe(404);
    const meeting = await manager.post(`/appraisals/${a.id}/meeting`, {
      'meeting_on-day': '20',
      'meeting_on-month': '11',
      'meeting_on-year': '2026',
    });
    expect(meeting.statusCode).toBe(303);
    expect(
      (await manager.post(`/appraisals/${a.id}/record`, { ...record, overall_rating: 'brilliant' })).statusCode,
    ).toBe(400);
    expect((await manager.post(`/appraisals/${a.id}/record`, record)).statusCode).toBe(303);
    expect((await appraisalOf(w.staff.id)).status).toBe('recorded');

    const page = await staff.get(`/appraisals/${a.id}`);
    expect(page.body).toContain('Add at least one objective on equality, diversity and inclusion');
    const refused = await staff.post(`/appraisals/${a.id}/sign`, {}, { csrfFrom: `/appraisals/${a.id}/prepare` });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('not complete');

    expect((await staff.post(`/appraisals/${a.id}/prepare`, completePreparation)).statusCode).toBe(303);
    const signed = await staff.post(`/appraisals/${a.id}/sign`, {}, { csrfFrom: `/appraisals/${a.id}/prepare` });
    expect(signed.statusCode).toBe(303);
    expect((await appraisalOf(w.staff.id)).appraisee_signed_at).not.toBeNull();

    // The appraiser changes the record: the appraisee's signature is withdrawn.
    expect(
      (await manager.post(`/appraisals/${a.id}/record`, { ...record, overall_rating: 'exceptional' })).statusCode,
    ).toBe(303);
    expect((await appraisalOf(w.staff.id)).appraisee_signed_at).toBeNull();
    expect((await manager.get(`/appraisals/${a.id}`)).body).toContain('signature given so far was withdrawn');

    // Each signs with their own account; the second signature locks it.
    expect(
      (await manager.post(`/appraisals/${a.id}/sign`, {}, { csrfFrom: `/appraisals/${a.id}/record` })).statusCode,
    ).toBe(303);
    const again = await manager.post(`/appraisals/${a.id}/sign`, {}, { csrfFrom: `/appraisals/${a.id}/record` });
    expect(again.body).toContain('already signed');
    expect((await staff.post(`/appraisals/${a.id}/sign`, {}, { csrfFrom: '/appraisals' })).statusCode).toBe(303);
    const locked = await appraisalOf(w.staff.id);
    expect(locked.status).toBe('locked');
    expect(locked.locked_at).not.toBeNull();

    // After locking nothing changes, through the pages or directly in the database.
    const late = await staff.post(`/appraisals/${a.id}/prepare`, completePreparation, { csrfFrom: '/appraisals' });
    expect(late.statusCode).toBe(409);
    await expect(
      sql`UPDATE appraisals SET overall_rating = 'developing' WHERE id = ${a.id}`.execute(db),
    ).rejects.toThrow(/locked/);
    await expect(sql`DELETE FROM appraisals WHERE id = ${a.id}`.execute(db)).rejects.toThrow(/locked/);

    // The development plan lines went into the person's development plan when it locked.
    const plan = await planOf(db, w.staff.id);
    expect(plan.map((i) => [i.title, i.source])).toEqual([
      ['Mary Seacole programme', 'appraisal'],
      ['Shadow a matron for a week', 'appraisal'],
    ]);

    // The summaries were refreshed when it locked.
    const total = await db
      .selectFrom('appraisal_status_summary')
      .select(['people', 'completed'])
      .where('level', '=', 'organisation')
      .where('area_id', '=', w.trust.id)
      .where('dimension', '=', 'total')
      .executeTakeFirstOrThrow();
    expect(total).toEqual({ people: 4, completed: 1 });

    const writes = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_type', '=', 'appraisal')
      .where('subject_id', '=', String(a.id))
      .execute();
    expect(new Set(writes.map((r) => r.action))).toEqual(
      new Set([
        'appraisal.prepare',
        'appraisal.meeting',
        'appraisal.record',
        'appraisal.sign',
        'appraisal.read',
        'appraisal.plan-items',
      ]),
    );
  });

  it('corrections after locking are addenda, which both sign and which then cannot change', async () => {
    const a = await appraisalOf(w.staff.id);
    const staff = await signedIn(ctx, w.accounts.staff.id);
    const manager = await signedIn(ctx, w.accounts.manager.id);
    expect((await staff.post(`/appraisals/${a.id}/addenda`, { addendum: '' })).statusCode).toBe(400);
    expect(
      (await staff.post(`/appraisals/${a.id}/addenda`, { addendum: 'The meeting was on 21 November, not 20.' }))
        .statusCode,
    ).toBe(303);
    const ad = await db
      .selectFrom('appraisal_addenda')
      .select(['id'])
      .where('appraisal_id', '=', a.id)
      .executeTakeFirstOrThrow();
    await expect(
      sql`UPDATE appraisal_addenda SET body = 'Something else' WHERE id = ${ad.id}`.execute(db),
    ).rejects.toThrow(/cannot change/);
    const sign = (c: typeof staff) =>
      c.post(`/appraisals/${a.id}/addenda/${ad.id}/sign`, {}, { csrfFrom: `/appraisals/${a.id}` });
    expect((await sign(staff)).statusCode).toBe(303);
    expect((await sign(staff)).body).toContain('already signed this addendum');
    expect((await sign(manager)).statusCode).toBe(303);
    const row = await db
      .selectFrom('appraisal_addenda')
      .select(['locked_at'])
      .where('id', '=', ad.id)
      .executeTakeFirstOrThrow();
    expect(row.locked_at).not.toBeNull();
    await expect(
      sql`UPDATE appraisal_addenda SET appraisee_signed_at = NULL WHERE id = ${ad.id}`.execute(db),
    ).rejects.toThrow(/locked/);
    expect((await manager.get(`/appraisals/${a.id}`)).body).toContain('The meeting was on 21 November, not 20.');
  });

  it('who may see an appraisal: the parties, line managers and admins (audited); no one else', async () => {
    const a = await appraisalOf(w.staff.id);
    const colleague = await signedIn(ctx, w.accounts.colleague.id);
    expect((await colleague.get(`/appraisals/${a.id}`)).statusCode).toBe(404);
    const lead = await signedIn(ctx, w.accounts.icbLead.id);
    expect((await lead.get(`/appraisals/${a.id}`)).statusCode).toBe(404);
    const before = (await audits('appraisal.read')).length;
    const admin = await signedIn(ctx, w.accounts.admin.id);
    const res = await admin.get(`/appraisals/${a.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('recorded in the audit log');
    const reads = await audits('appraisal.read');
    expect(reads).toHaveLength(before + 1);
    expect(reads.at(-1)).toMatchObject({ actor_account_id: w.accounts.admin.id, person_id: w.staff.id });
    // The appraisee's own reads are not audited.
    const staff = await signedIn(ctx, w.accounts.staff.id);
    await staff.get(`/appraisals/${a.id}`);
    expect(await audits('appraisal.read')).toHaveLength(before + 1);
  });

  it('an admin can choose another appraiser, recorded and audited; the new appraiser can then record', async () => {
    const a = await appraisalOf(w.colleague.id);
    const admin = await signedIn(ctx, w.accounts.admin.id);
    const unknown = await admin.post(`/appraisals/${a.id}/appraiser`, { staff_number: 'S0000000' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No one with staff number S0000000');
    const staffNumber = (
      await db.selectFrom('people').select('staff_number').where('id', '=', w.adminPerson.id).executeTakeFirstOrThrow()
    ).staff_number!;
    expect((await admin.post(`/appraisals/${a.id}/appraiser`, { staff_number: staffNumber })).statusCode).toBe(303);
    const row = await db
      .selectFrom('appraisals')
      .select(['appraiser_person_id', 'appraiser_set_by'])
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ appraiser_person_id: w.adminPerson.id, appraiser_set_by: w.accounts.admin.id });
    const changes = await audits('appraisal.appraiser.change');
    expect(changes[0]?.details).toEqual({ from: w.manager.id, to: w.adminPerson.id });
    // The line manager still reads it (developmentAccess) but no longer writes it.
    const manager = await signedIn(ctx, w.accounts.manager.id);
    expect((await manager.get(`/appraisals/${a.id}`)).statusCode).toBe(200);
    expect((await manager.get(`/appraisals/${a.id}/meeting`)).statusCode).toBe(404);
  });

  it('check-ins are visible to the person and their line manager only', async () => {
    const staff = await signedIn(ctx, w.accounts.staff.id);
    const manager = await signedIn(ctx, w.accounts.manager.id);
    const admin = await signedIn(ctx, w.accounts.admin.id);
    const url = `/appraisals/people/${w.staff.id}/check-ins`;
    expect((await staff.post(url, { note: '' })).statusCode).toBe(400);
    expect((await staff.post(url, { note: 'Finished the rota review.' })).statusCode).toBe(303);
    expect((await manager.post(url, { note: 'Thanks: agreed to share it at the team meeting.' })).statusCode).toBe(303);
    const seen = await manager.get(url);
    expect(seen.body).toContain('Finished the rota review.');
    expect(seen.body).toContain('agreed to share it');
    expect((await staff.get(url)).body).toContain('(line manager)');
    expect((await admin.get(url)).statusCode).toBe(404);
    expect((await audits('appraisal.checkins.read')).length).toBeGreaterThan(0);
  });
});
