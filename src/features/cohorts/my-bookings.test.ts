import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { apply } from './booking.ts';
import { registerInterest } from './person-queries.ts';
import { everyone, makeCohort, makeProgramme } from './testing.ts';

const ctx = await testApp({ clock: { now: () => new Date('2026-11-20T10:00:00Z') } });
const { db } = ctx.deps;
const { trust } = await makeHierarchy(db, '94');

async function place(cohortId: number, personId: number) {
  const r = await apply(ctx.deps, { cohortId, personId, eligible: everyone });
  if (!r.ok) throw new Error(r.problem);
  return r;
}

/** A finished place, as the provider's completion records it, with its certificate. */
async function complete(applicationId: number, code: string, o: { revoked?: boolean; feedback?: boolean }) {
  const a = await db
    .updateTable('cohort_applications')
    .set({ completed_on: '2026-11-10', outcome: 'passed' })
    .where('id', '=', applicationId)
    .returning('cohort_id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('cohort_certificates')
    .values({
      application_id: applicationId,
      code,
      person_name: 'Hal Learner',
      programme_title: 'x',
      provider_name: 'x',
      completed_on: '2026-11-10',
      revoked_at: o.revoked ? new Date('2026-11-15T00:00:00Z') : null,
    })
    .execute();
  if (o.feedback) {
    await db
      .insertInto('cohort_feedback')
      .values({ application_id: applicationId, cohort_id: a.cohort_id, overall: 4, relevance: 4, recommend: true })
      .execute();
  }
}

describe('a learner’s bookings page', () => {
  it('shows each booking with its wait-list place, certificate and feedback link, and their interests; nobody else’s', async () => {
    const first = await makeProgramme(db, { title: 'Managing budgets', providerOrgId: trust.id });
    const second = await makeProgramme(db, { title: 'Difficult conversations', providerOrgId: trust.id });
    const third = await makeProgramme(db, { title: 'Rota planning', providerOrgId: trust.id });
    const hal = await makePerson(db, { orgId: trust.id, given: 'Hal', family: 'Learner' });
    const ivy = await makePerson(db, { orgId: trust.id, given: 'Ivy', family: 'Other' });

    const full = await makeCohort(db, { programmeId: second.programmeId, capacity: 1 });
    await place(full, ivy.id);
    const waiting = await place(full, hal.id);
    expect(waiting).toMatchObject({ status: 'waitlisted' });
    const done = await place(await makeCohort(db, { programmeId: first.programmeId }), hal.id);
    await complete(done.id, 'ABCDEFGHJK', {});
    const withdrawn = await place(await makeCohort(db, { programmeId: third.programmeId }), hal.id);
    await complete(withdrawn.id, 'MNPQRSTUVW', { revoked: true, feedback: true });
    await registerInterest(db, {
      programme_id: third.programmeId,
      person_id: hal.id,
      organisation_id: trust.id,
      staff_group: null,
    });

    const page = await (await signedIn(ctx, (await makeAccount(db, { personId: hal.id })).id)).get('/me/bookings');
    expect(page.statusCode).toBe(200);
    const rows = page.body.split('<tr class="nhsuk-table__row">').slice(2);
    expect(rows).toHaveLength(3);
    const row = (title: string) => rows.find((r) => r.includes(title))!;
    expect(row('Difficult conversations')).toContain('Number 1 on the wait-list');
    expect(row('Managing budgets')).toContain('Certificate code <strong class="cohorts-code">ABCDEFGHJK</strong>');
    expect(row('Managing budgets')).toContain(`/me/bookings/${done.id}/feedback`);
    // A withdrawn certificate is not offered; feedback already given is not asked for again.
    expect(row('Rota planning')).toContain('Passed');
    expect(row('Rota planning')).not.toContain('MNPQRSTUVW');
    expect(row('Rota planning')).not.toContain('/feedback');
    expect(page.body).toContain('Programmes you are interested in');
    expect(page.body).toContain(`<a href="/catalogue/${third.programmeId}/cohorts">Rota planning</a></li>`);

    const ivyPage = await (await signedIn(ctx, (await makeAccount(db, { personId: ivy.id })).id)).get('/me/bookings');
    expect(ivyPage.body).toContain('Difficult conversations');
    expect(ivyPage.body).not.toContain('Managing budgets');
    expect(ivyPage.body).not.toContain('Programmes you are interested in');
  });
});
