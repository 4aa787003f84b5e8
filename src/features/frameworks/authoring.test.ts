import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { readContent } from './document-queries.ts';
import { latestDocument } from './import.ts';
import { findFramework, versionsOf } from './queries.ts';

// A national admin builds a framework by hand, through the same forms a browser posts, and publishes it.

const ctx = await testApp();
const { db } = ctx.deps;
const admin = await signedIn(ctx, (await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] })).id);
const draft = '/frameworks/team-leading/draft';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const summaryOf = (html: string) =>
  text(html.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/div>\s*<\/div>/)?.[0] ?? '').trim();
const post = (url: string, form: Record<string, string> = {}, from = draft) =>
  admin.post(url, form, { csrfFrom: from });
const content = async () => {
  const f = (await findFramework(db, 'team-leading'))!;
  return readContent(db, (await versionsOf(db, f.id))[0].id);
};

await post('/frameworks', { title: 'Team leading', key: 'team-leading' }, '/frameworks/new');

describe('the draft editor', () => {
  it('edits the details, with 400 and a summary for a missing title', async () => {
    const bad = await post(`${draft}/details`, { title: ' ', description: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(summaryOf(bad.body)).toBe('There is a problem Enter the framework’s title');
    expect(bad.body).toContain('id="title-error"');
    const ok = await post(`${draft}/details`, {
      title: 'Team leading',
      owner: 'Workforce team',
      notes: 'First cut\r\nline 2',
    });
    expect(ok.statusCode).toBe(303);
    expect((await latestDocument(db, 'team-leading'))!.version.notes).toBe('First cut\nline 2');
    expect((await findFramework(db, 'team-leading'))!.owner).toBe('Workforce team');
  });

  it('adds, edits and reorders domains, with generated codes and unique codes', async () => {
    expect((await post(`${draft}/domains`, { title: '' }, `${draft}/domains/new`)).statusCode).toBe(400);
    expect((await post(`${draft}/domains`, { title: 'People' }, `${draft}/domains/new`)).statusCode).toBe(303);
    expect((await post(`${draft}/domains`, { title: 'Money', code: 'FIN' }, `${draft}/domains/new`)).statusCode).toBe(
      303,
    );
    const dup = await post(`${draft}/domains`, { title: 'Again', code: 'fin' }, `${draft}/domains/new`);
    expect(dup.statusCode).toBe(400);
    expect(summaryOf(dup.body)).toContain('Another domain of this version already has the code fin');
    let { domains } = await content();
    expect(domains.map((d) => d.code)).toEqual(['D1', 'FIN']);
    await post(`${draft}/domains/${domains[1].id}/move`, { direction: 'up' });
    ({ domains } = await content());
    expect(domains.map((d) => d.code)).toEqual(['FIN', 'D1']);
    // The first cannot move further up: nothing changes.
    await post(`${draft}/domains/${domains[0].id}/move`, { direction: 'up' });
    expect((await content()).domains.map((d) => d.code)).toEqual(['FIN', 'D1']);
    const edit = await post(
      `${draft}/domains/${domains[1].id}`,
      { title: 'People and teams', code: 'PPL' },
      `${draft}/domains/${domains[1].id}`,
    );
    expect(edit.statusCode).toBe(303);
    expect((await content()).domains.map((d) => d.code)).toEqual(['FIN', 'PPL']);
  });

  it('adds competencies with indicator statements, and edits, moves and removes statements', async () => {
    const { domains } = await content();
    const people = domains.find((d) => d.code === 'PPL')!;
    const newUrl = `${draft}/domains/${people.id}/competencies/new`;
    const bad = await post(`${draft}/domains/${people.id}/competencies`, { title: '', code: 'bad code' }, newUrl);
    expect(bad.statusCode).toBe(400);
    expect(summaryOf(bad.body)).toContain('Enter the competency’s title');
    expect(summaryOf(bad.body)).toContain('Competency code must be 1 to 20 letters');
    const added = await post(
      `${draft}/domains/${people.id}/competencies`,
      { title: 'Giving feedback', indicators: 'Gives feedback weekly\r\n\r\nAsks for feedback' },
      newUrl,
    );
    expect(added.statusCode).toBe(303);
    await post(`${draft}/domains/${people.id}/competencies`, { title: 'Coaching', code: 'PPL.9' }, newUrl);
    let rows = await content();
    const feedback = rows.competencies.find((c) => c.title === 'Giving feedback')!;
    expect(feedback.code).toBe('PPL.1');
    expect(added.headers.location).toBe(`${draft}/competencies/${feedback.id}`);
    expect(rows.indicators.filter((i) => i.competency_id === feedback.id).map((i) => i.text)).toEqual([
      'Gives feedback weekly',
      'Asks for feedback',
    ]);
    const page = `${draft}/competencies/${feedback.id}`;
    const empty = await post(`${page}/indicators`, { text: '' }, page);
    expect(empty.statusCode).toBe(400);
    expect(summaryOf(empty.body)).toContain('Enter the indicator statement');
    await post(`${page}/indicators`, { text: 'Acts on feedback' }, page);
    rows = await content();
    const third = rows.indicators.find((i) => i.text === 'Acts on feedback')!;
    await post(`${draft}/indicators/${third.id}/move`, { direction: 'up' }, page);
    await post(
      `${draft}/indicators/${third.id}`,
      { text: 'Acts on feedback received' },
      `${draft}/indicators/${third.id}`,
    );
    const first = rows.indicators.find((i) => i.text === 'Gives feedback weekly')!;
    await post(`${draft}/indicators/${first.id}/remove`, {}, page);
    rows = await content();
    expect(rows.indicators.filter((i) => i.competency_id === feedback.id).map((i) => i.text)).toEqual([
      'Acts on feedback received',
      'Asks for feedback',
    ]);
    expect(text((await admin.get(page)).body)).toContain('Acts on feedback received Edit statement 1');
  });

  it('refuses to publish an incomplete draft, listing each problem with 400', async () => {
    const res = await post(`${draft}/publish`);
    expect(res.statusCode).toBe(400);
    const summary = summaryOf(res.body);
    expect(summary).toContain('Domain FIN “Money” has no competencies');
    expect(summary).toContain('The rating scale needs at least 2 levels that count as a score');
    expect(summary).toContain('Set the proficiency threshold of the scale');
    expect(res.body).toContain(`href="${draft}/scale"`);
    expect((await versionsOf(db, (await findFramework(db, 'team-leading'))!.id))[0].status).toBe('draft');
  });

  it('builds the rating scale, threshold and bands', async () => {
    const scale = `${draft}/scale`;
    for (const [label, value] of [
      ['Starting', '1'],
      ['Doing', '2'],
      ['Leading', '3'],
      ['Not yet seen', ''],
    ]) {
      expect((await post(`${scale}/levels`, { label, value }, scale)).statusCode).toBe(303);
    }
    const dup = await post(`${scale}/levels`, { label: 'Other', value: '2' }, scale);
    expect(dup.statusCode).toBe(400);
    expect(summaryOf(dup.body)).toContain('Another level already has the value 2');
    const notNumber = await post(`${scale}/levels`, { label: 'Other', value: 'two' }, scale);
    expect(summaryOf(notNumber.body)).toContain('Value must be a whole number');
    const bands = await post(`${scale}/rules`, { proficient_value: '2', green_within: '1', amber_within: '0' }, scale);
    expect(bands.statusCode).toBe(400);
    expect(summaryOf(bands.body)).toContain('Amber must reach at least as far below the required level as green');
    expect(
      (await post(`${scale}/rules`, { proficient_value: '2', green_within: '0', amber_within: '1' }, scale)).statusCode,
    ).toBe(303);
    const doc = (await latestDocument(db, 'team-leading'))!;
    expect(doc.scale.levels.map((l) => [l.label, l.value])).toEqual([
      ['Starting', 1],
      ['Doing', 2],
      ['Leading', 3],
      ['Not yet seen', null],
    ]);
    expect(doc.scale.proficient_value).toBe(2);
  });

  it('sets required levels by domain with a competency override, refusing values off the scale', async () => {
    const { domains, competencies } = await content();
    const ppl = domains.find((d) => d.code === 'PPL')!;
    const coaching = competencies.find((c) => c.code === 'PPL.9')!;
    const url = `${draft}/required`;
    const bad = await post(url, { [`d${ppl.id}_middle`]: '9' }, url);
    expect(bad.statusCode).toBe(400);
    expect(summaryOf(bad.body)).toContain('Select a level of the scale for middle managers in domain PPL');
    expect(bad.body).toContain(`id="d${ppl.id}_middle-error"`);
    const ok = await post(
      url,
      { [`d${ppl.id}_middle`]: '2', [`d${ppl.id}_senior`]: '3', [`c${coaching.id}_senior`]: '2' },
      url,
    );
    expect(ok.statusCode).toBe(303);
    const doc = (await latestDocument(db, 'team-leading'))!;
    const people = doc.domains.find((d) => d.code === 'PPL')!;
    expect(people.required_levels).toEqual({ middle: 2, senior: 3 });
    expect(people.competencies.find((c) => c.code === 'PPL.9')!.required_levels).toEqual({ senior: 2 });
  });

  it('saves level descriptors for a competency', async () => {
    const { competencies, levels } = await content();
    const coaching = competencies.find((c) => c.code === 'PPL.9')!;
    const page = `${draft}/competencies/${coaching.id}`;
    const res = await post(
      `${page}/descriptors`,
      { [`level_${levels[2].id}`]: 'Coaches others to coach', [`level_${levels[0].id}`]: ' ' },
      page,
    );
    expect(res.statusCode).toBe(303);
    const doc = (await latestDocument(db, 'team-leading'))!;
    expect(doc.domains[1].competencies[1].level_descriptors).toEqual([
      { level: 'Leading', text: 'Coaches others to coach' },
    ]);
  });

  it('moves and removes competencies, and removes a domain with everything in it', async () => {
    await post(`${draft}/domains`, { title: 'Spare', code: 'SP' }, `${draft}/domains/new`);
    const spare = (await content()).domains.find((d) => d.code === 'SP')!;
    const newUrl = `${draft}/domains/${spare.id}/competencies/new`;
    await post(`${draft}/domains/${spare.id}/competencies`, { title: 'A', indicators: 'x' }, newUrl);
    await post(`${draft}/domains/${spare.id}/competencies`, { title: 'B' }, newUrl);
    const a = (await content()).competencies.find((c) => c.code === 'SP.1')!;
    await post(`${draft}/competencies/${a.id}/move`, { direction: 'down' });
    expect((await content()).competencies.filter((c) => c.domain_id === spare.id).map((c) => c.code)).toEqual([
      'SP.2',
      'SP.1',
    ]);
    await post(`${draft}/competencies/${a.id}/remove`);
    expect((await content()).competencies.filter((c) => c.domain_id === spare.id).map((c) => c.code)).toEqual(['SP.2']);
    const removed = await post(`${draft}/domains/${spare.id}/remove`);
    expect(removed.statusCode).toBe(303);
    const rows = await content();
    expect(rows.domains.map((d) => d.code)).toEqual(['FIN', 'PPL']);
    expect(rows.competencies.some((c) => c.code.startsWith('SP'))).toBe(false);
  });

  it('moves a competency to another domain, publishes, and then nothing can be edited', async () => {
    const { domains, competencies } = await content();
    const fin = domains.find((d) => d.code === 'FIN')!;
    const coaching = competencies.find((c) => c.code === 'PPL.9')!;
    const page = `${draft}/competencies/${coaching.id}`;
    await post(page, { title: 'Coaching', code: 'FIN.1', domain_id: String(fin.id) }, page);
    expect((await content()).competencies.find((c) => c.id === coaching.id)).toMatchObject({
      domain_id: fin.id,
      code: 'FIN.1',
    });

    const published = await post(`${draft}/publish`);
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe('/frameworks/team-leading');
    const view = text((await admin.get('/frameworks/team-leading')).body);
    expect(view).toContain('Version 1 is published. Its content can no longer change.');
    expect(view).toContain('FIN.1 Coaching');

    expect((await admin.get(draft)).statusCode).toBe(404);
    const late = await admin.post(`${draft}/domains`, { title: 'Late' }, { csrfFrom: '/frameworks' });
    expect(late.statusCode).toBe(404);
    const actions = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_account_id'])
      .where('action', 'like', 'framework.%')
      .orderBy('id')
      .execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(
      new Set([
        'framework.create',
        'framework.details.update',
        'framework.domain.add',
        'framework.domain.move',
        'framework.domain.update',
        'framework.domain.remove',
        'framework.competency.move',
        'framework.competency.remove',
        'framework.competency.add',
        'framework.competency.update',
        'framework.indicator.add',
        'framework.indicator.move',
        'framework.indicator.update',
        'framework.indicator.remove',
        'framework.scale.add',
        'framework.scale.rules',
        'framework.required.update',
        'framework.descriptors.update',
        'framework.publish',
      ]),
    );
    expect(actions.every((a) => a.actor_account_id !== null)).toBe(true);
  });

  it('discards a draft after confirmation', async () => {
    await post('/frameworks/team-leading/versions', {}, '/frameworks/team-leading');
    expect(text((await admin.get(`${draft}/discard`)).body)).toContain('Discard draft version 2?');
    const res = await post(`${draft}/discard`, {}, `${draft}/discard`);
    expect(res.headers.location).toBe('/frameworks/team-leading');
    const versions = await versionsOf(db, (await findFramework(db, 'team-leading'))!.id);
    expect(versions.map((v) => [v.version, v.status])).toEqual([[1, 'published']]);
  });
});
