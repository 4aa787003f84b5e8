import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { standards, takeAssessment } from '../assessments/testing.ts';
import { dateFromParts } from './plans.ts';

const ctx = await testApp();
const { db } = ctx.deps;
const { versionId, model } = await standards(db);
const { trust } = await makeHierarchy(db, '91');
const person = await makePerson(db, { orgId: trust.id, band: '8a' });
const client = await signedIn(ctx, (await makeAccount(db, { personId: person.id })).id);
const other = await signedIn(
  ctx,
  (await makeAccount(db, { personId: (await makePerson(db, { orgId: trust.id })).id })).id,
);

async function items() {
  return db
    .selectFrom('development_plan_items')
    .select(['id', 'title', 'status', 'due_on', 'support', 'source', 'competency_id'])
    .where('person_id', '=', person.id)
    .orderBy('id')
    .execute();
}

describe('the development plan', () => {
  it('reads due dates from the three date fields', () => {
    expect(dateFromParts('31', '3', '2027')).toBe('2027-03-31');
    expect(dateFromParts('', '', '')).toBeNull();
    expect(dateFromParts('31', '2', '2027')).toBe('invalid');
    expect(dateFromParts('x', '2', '2027')).toBe('invalid');
  });

  it('adds a manual item, linked to a competency of the latest assessment, and refuses a bad form with 400', async () => {
    const bad = await client.post('/me/development/plan', {
      title: '',
      'due-day': '40',
      'due-month': '1',
      'due-year': '2027',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter what you will work on');
    expect(bad.body).toContain('Enter a real due date');
    expect(await items()).toEqual([]);

    await takeAssessment(client, db, { versionId });
    const competency = model.content.competencies[0];
    const res = await client.post('/me/development/plan', {
      title: 'Lead a system-wide project',
      competency: String(competency.id),
      'due-day': '31',
      'due-month': '3',
      'due-year': '2027',
      support: 'Mentoring from the ICB director',
    });
    expect(res.statusCode).toBe(303);
    expect(await items()).toEqual([
      {
        id: expect.any(Number),
        title: 'Lead a system-wide project',
        status: 'not_started',
        due_on: '2027-03-31',
        support: 'Mentoring from the ICB director',
        source: 'manual',
        competency_id: competency.id,
      },
    ]);
    const page = await client.get('/me/development/plan');
    expect(page.body).toContain(`${competency.code} ${competency.title}`);
  });

  it('changes an item’s status, and only its owner may', async () => {
    const [item] = await items();
    const url = `/me/development/plan/${item.id}`;
    expect((await other.get(url)).statusCode).toBe(404);
    const res = await client.post(url, {
      title: item.title,
      status: 'in_progress',
      support: 'Mentoring',
      'due-day': '',
      'due-month': '',
      'due-year': '',
    });
    expect(res.statusCode).toBe(303);
    expect((await items())[0]).toMatchObject({ status: 'in_progress', due_on: null, support: 'Mentoring' });
    const audited = await db
      .selectFrom('audit_log')
      .select('action')
      .where('person_id', '=', person.id)
      .where('action', 'like', 'plan.%')
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['plan.item.add', 'plan.item.update']);
  });

  it('reads the due date under the names the date input posts (due[day], due[month], due[year])', async () => {
    const [item] = await items();
    const url = `/me/development/plan/${item.id}`;
    const bad = await client.post(url, {
      title: item.title,
      status: 'in_progress',
      'due[day]': '30',
      'due[month]': '2',
      'due[year]': '2027',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a real due date');
    // What was typed is shown again in the fields it was typed in.
    expect(bad.body).toMatch(/id="due-day" name="due\[day\]" type="text" value="30"/);
    const res = await client.post(url, {
      title: item.title,
      status: 'in_progress',
      'due[day]': '1',
      'due[month]': '12',
      'due[year]': '2027',
    });
    expect(res.statusCode).toBe(303);
    expect((await items())[0]).toMatchObject({ due_on: '2027-12-01' });
  });
});
