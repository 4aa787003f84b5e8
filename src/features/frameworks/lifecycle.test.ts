import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import type { Command, CommandIO } from '../../command.ts';
import { commands } from './commands.ts';
import { documentToCsv } from './csv.ts';
import { contentOf, type VersionDocument } from './document.ts';
import { readContent, readDocument } from './document-queries.ts';
import { importFile, latestDocument, loadStarters, readStarters } from './import.ts';
import { createDraftFrom, discard, LifecycleError, publishDraft, retire, startNewVersion } from './lifecycle.ts';
import { findFramework, versionsOf } from './queries.ts';

const deps = await testDeps();
const { db } = deps;
const actor = { label: 'test' };
const starters = await loadStarters(db);

const versionIdOf = async (key: string, n: number) =>
  (await versionsOf(db, (await findFramework(db, key))!.id)).find((v) => v.version === n)!.id;

/** The SQLSTATE of a statement that the database refused. */
async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    return (err as { code: string }).code;
  }
  throw new Error('the statement was accepted');
}

describe('starter frameworks', () => {
  it('load and publish as version 1, with the required shape', async () => {
    expect(starters.loaded.sort()).toEqual([
      'board-leadership-competency-framework',
      'healthcare-leadership-model',
      'leadwell-management-standards',
    ]);
    const lms = (await latestDocument(db, 'leadwell-management-standards'))!;
    expect(lms.version).toMatchObject({ number: 1, status: 'published', starter: true });
    expect(lms.domains.map((d) => d.title)).toEqual([
      'Collaborative and system leadership',
      'Performance measurement and use of data',
      'Quality improvement',
      'Technology appraisal and implementation',
      'People management and inclusive leadership',
      'Finance and resources',
      'Governance and assurance',
    ]);
    for (const d of lms.domains) {
      expect(d.competencies.length).toBeGreaterThanOrEqual(3);
      expect(d.competencies.length).toBeLessThanOrEqual(5);
      for (const c of d.competencies) expect(c.indicators.length).toBeGreaterThanOrEqual(2);
      expect(Object.keys(d.required_levels)).toEqual(['first_line', 'middle', 'senior', 'executive', 'board']);
    }
    expect(lms.scale.levels.map((l) => l.label)).toEqual(['Developing', 'Capable', 'Proficient', 'Expert']);
    expect(lms.scale.proficient_value).toBe(3);

    const lcf = (await latestDocument(db, 'board-leadership-competency-framework'))!;
    expect(lcf.domains).toHaveLength(6);
    expect(lcf.scale.levels[0].label).toBe('Almost always');
    expect(lcf.scale.levels.at(-1)).toMatchObject({ label: 'No chance to demonstrate', value: null });
    expect(lcf.version.notes).toContain('not confirmed');

    const hlm = (await latestDocument(db, 'healthcare-leadership-model'))!;
    expect(hlm.domains).toHaveLength(9);
    expect(hlm.scale.levels.map((l) => l.label)).toEqual(['Essential', 'Proficient', 'Strong', 'Exemplary']);
  });

  it('are stored exactly as the files say', async () => {
    for (const file of await readStarters()) {
      const stored = (await latestDocument(db, file.framework.key))!;
      expect(contentOf(stored)).toEqual(contentOf(file));
    }
  });

  it('load again changes nothing, through the command too', async () => {
    const command = commands.find((c) => c.name === 'frameworks load-starters') as Command;
    const out: string[] = [];
    const io: CommandIO = { out: (l) => out.push(l), err: (l) => out.push(l), progress: () => {} };
    expect(await command.run(deps, { values: {}, positionals: [] }, io)).toBe(0);
    expect(out).toHaveLength(3);
    expect(out.every((l) => l.startsWith('Skipped'))).toBe(true);
  });
});

describe('a published version never changes', () => {
  it('is refused by the database for every content table and for the version row', async () => {
    const v = await versionIdOf('leadwell-management-standards', 1);
    const { domains, competencies, indicators, levels } = await readContent(db, v);
    const LW = 'LW001';
    expect(
      await refusal(() => sql`UPDATE framework_domains SET title = 'x' WHERE id = ${domains[0].id}`.execute(db)),
    ).toBe(LW);
    expect(
      await refusal(() => sql`DELETE FROM framework_competencies WHERE id = ${competencies[0].id}`.execute(db)),
    ).toBe(LW);
    expect(
      await refusal(() => sql`UPDATE framework_indicators SET text = 'x' WHERE id = ${indicators[0].id}`.execute(db)),
    ).toBe(LW);
    expect(await refusal(() => sql`DELETE FROM framework_scale_levels WHERE id = ${levels[0].id}`.execute(db))).toBe(
      LW,
    );
    expect(
      await refusal(() =>
        sql`INSERT INTO framework_indicators (version_id, competency_id, position, text)
            VALUES (${v}, ${competencies[0].id}, 99, 'sneaked in')`.execute(db),
      ),
    ).toBe(LW);
    expect(
      await refusal(() =>
        sql`UPDATE framework_required_levels SET required_value = 1 WHERE version_id = ${v}`.execute(db),
      ),
    ).toBe(LW);
    expect(await refusal(() => sql`UPDATE framework_versions SET title = 'x' WHERE id = ${v}`.execute(db))).toBe(LW);
    expect(await refusal(() => sql`UPDATE framework_versions SET status = 'draft' WHERE id = ${v}`.execute(db))).toBe(
      LW,
    );
    expect(await refusal(() => sql`DELETE FROM framework_versions WHERE id = ${v}`.execute(db))).toBe(LW);
    // Moving a row of a draft into a published version is refused too.
    const draft = await createDraftFrom(db, (await latestDocument(db, 'leadwell-management-standards'))!, actor, {
      action: 'framework.version.create',
    });
    const draftDomain = (await readContent(db, draft.versionId)).domains[0];
    expect(
      await refusal(() => sql`UPDATE framework_domains SET version_id = ${v} WHERE id = ${draftDomain.id}`.execute(db)),
    ).toBe(LW);
    await discard(db, (await findFramework(db, 'leadwell-management-standards'))!, actor);
    expect((await readDocument(db, v))!.domains[0].title).toBe('Collaborative and system leadership');
  });

  it('can only be retired, and a retired version cannot change back', async () => {
    const doc = (await latestDocument(db, 'healthcare-leadership-model'))!;
    const made = await createDraftFrom(db, { ...doc, framework: { ...doc.framework, key: 'retire-me' } }, actor, {
      action: 'framework.import',
    });
    const framework = (await findFramework(db, 'retire-me'))!;
    await expect(retire(db, framework, 1, actor)).rejects.toThrow('only a published version can be retired');
    expect((await publishDraft(db, framework, actor)).ok).toBe(true);
    await retire(db, framework, 1, actor);
    const [v] = await versionsOf(db, framework.id);
    expect(v).toMatchObject({ status: 'retired', version: 1 });
    expect(v.retired_at).toBeInstanceOf(Date);
    expect(
      await refusal(() =>
        sql`UPDATE framework_versions SET status = 'published' WHERE id = ${made.versionId}`.execute(db),
      ),
    ).toBe('LW001');
  });
});

describe('a new version', () => {
  it('is a deep copy of the latest version, with new rows, as the only draft', async () => {
    const framework = (await findFramework(db, 'board-leadership-competency-framework'))!;
    const v1 = await versionIdOf(framework.key, 1);
    const made = await startNewVersion(db, framework, actor);
    expect(made.version).toBe(2);
    const [before, after] = await Promise.all([readDocument(db, v1), readDocument(db, made.versionId)]);
    expect(after!.version).toMatchObject({ number: 2, status: 'draft', based_on: 1 });
    expect(contentOf(after!)).toEqual(contentOf(before!));
    const [oldRows, newRows] = await Promise.all([readContent(db, v1), readContent(db, made.versionId)]);
    expect(newRows.competencies).toHaveLength(oldRows.competencies.length);
    const oldIds = new Set(oldRows.competencies.map((c) => c.id));
    expect(newRows.competencies.some((c) => oldIds.has(c.id))).toBe(false);
    expect(newRows.descriptors.length + newRows.required.length).toBe(
      oldRows.descriptors.length + oldRows.required.length,
    );

    await expect(startNewVersion(db, framework, actor)).rejects.toBeInstanceOf(LifecycleError);
    // The database holds the line as well: a second draft breaks the partial unique index.
    expect(
      await refusal(() =>
        sql`INSERT INTO framework_versions (framework_id, version, title) VALUES (${framework.id}, 3, 'x')`.execute(db),
      ),
    ).toBe('23505');
    // The draft can change while version 1 cannot.
    await sql`UPDATE framework_domains SET title = 'Changed' WHERE version_id = ${made.versionId} AND code = 'LCF1'`.execute(
      db,
    );
    expect((await readDocument(db, v1))!.domains[0].title).toBe('Driving high quality and sustainable outcomes');
    await discard(db, framework, actor);
  });
});

describe('publishing', () => {
  it('reports every missing part of an incomplete draft, and publishes nothing', async () => {
    const doc: VersionDocument = {
      format: 'leadwell-framework',
      format_version: 1,
      framework: { key: 'incomplete', title: 'Incomplete', description: '', owner: '' },
      version: { notes: '', source: '', starter: false },
      scale: { levels: [{ value: 1, label: 'Only', descriptor: '' }], proficient_value: null },
      rating_bands: { green_within: 0, amber_within: 1 },
      domains: [{ code: 'D1', title: 'Empty', description: '', required_levels: {}, competencies: [] }],
    };
    await createDraftFrom(db, doc, actor, { action: 'framework.create' });
    const framework = (await findFramework(db, 'incomplete'))!;
    const result = await publishDraft(db, framework, actor);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'Domain D1 “Empty” has no competencies',
      'The rating scale needs at least 2 levels that count as a score',
      'Set the proficiency threshold of the scale',
    ]);
    expect((await versionsOf(db, framework.id))[0].status).toBe('draft');
    // Discarding the only version removes the framework as well.
    expect(await discard(db, framework, actor)).toEqual({ frameworkGone: true });
    expect(await findFramework(db, 'incomplete')).toBeUndefined();
  });
});

describe('import and export', () => {
  it('round-trips a version through JSON exactly', async () => {
    const original = (await latestDocument(db, 'healthcare-leadership-model'))!;
    const copy = { ...original, framework: { ...original.framework, key: 'hlm-copy' } };
    const result = await importFile(db, { filename: 'hlm.json', text: JSON.stringify(copy, null, 2) }, actor);
    expect(result).toMatchObject({ ok: true, key: 'hlm-copy', version: 1, created: true, format: 'json' });
    const imported = (await latestDocument(db, 'hlm-copy'))!;
    expect(imported.version.status).toBe('draft');
    expect(contentOf(imported)).toEqual(contentOf(copy));
  });

  it('imports a JSON file for an existing key as its next draft, and refuses a second one', async () => {
    const doc = (await latestDocument(db, 'leadwell-management-standards'))!;
    const first = await importFile(db, { filename: 'lms.json', text: JSON.stringify(doc) }, actor);
    expect(first).toMatchObject({ ok: true, version: 2, created: false });
    const second = await importFile(db, { filename: 'lms.json', text: JSON.stringify(doc) }, actor);
    expect(second.ok).toBe(false);
    expect(second.ok ? '' : second.problems[0].message).toContain('already has a draft (version 2)');
    await discard(db, (await findFramework(db, 'leadwell-management-standards'))!, actor);
  });

  it('reports JSON problems by path and imports nothing', async () => {
    const doc = (await latestDocument(db, 'leadwell-management-standards'))!;
    const bad = structuredClone(doc) as unknown as Record<string, any>;
    bad.framework.key = 'bad-json';
    bad.domains[1].competencies[0].title = '';
    bad.domains[2].competencies[1].code = bad.domains[2].competencies[0].code;
    const structural = await importFile(db, { filename: 'bad.json', text: JSON.stringify(bad) }, actor);
    expect(structural.ok ? [] : structural.problems).toEqual([
      { where: 'domains[1].competencies[0].title', message: expect.stringMatching(/length greater or equal to 1/) },
    ]);
    bad.domains[1].competencies[0].title = 'Fixed';
    bad.domains[0].required_levels.board = 9;
    const consistency = await importFile(db, { filename: 'bad.json', text: JSON.stringify(bad) }, actor);
    expect(consistency.ok ? [] : consistency.problems.map((p) => p.where)).toEqual([
      'domains[0].required_levels.board',
      'domains[2].competencies[1].code',
    ]);
    const notJson = await importFile(db, { filename: 'x.json', text: '{"format": ' }, actor);
    expect(notJson.ok ? '' : notJson.problems[0].message).toMatch(/^Not valid JSON/);
    expect(await findFramework(db, 'bad-json')).toBeUndefined();
  });

  it('round-trips a version through CSV', async () => {
    const doc = (await latestDocument(db, 'leadwell-management-standards'))!;
    const csv = documentToCsv(doc);
    expect(csv.split('\r\n')[0]).toBe(
      'framework,framework_title,version,domain_code,domain_title,competency_code,competency_title,competency_description,indicators,required_first_line,required_middle,required_senior,required_executive,required_board',
    );
    expect(csv.split('\r\n')).toHaveLength(28 + 2);
    const result = await importFile(db, { filename: 'lms.csv', text: csv }, actor);
    expect(result).toMatchObject({ ok: true, version: 2, format: 'csv' });
    const draft = (await readDocument(db, await versionIdOf('leadwell-management-standards', 2)))!;
    const withoutVersion = (text: string, n: number) => text.replaceAll(`standards,${n},`, 'standards,N,');
    expect(withoutVersion(documentToCsv(draft), 2)).toBe(withoutVersion(csv, 1));
    // What CSV does not carry comes from the latest version.
    expect(draft.scale).toEqual(doc.scale);
    expect(draft.domains[0].description).toBe(doc.domains[0].description);
    await discard(db, (await findFramework(db, 'leadwell-management-standards'))!, actor);
  });

  it('reports CSV problems by line and applies nothing', async () => {
    const header =
      'framework,domain_code,domain_title,competency_code,competency_title,indicators,required_middle,required_board';
    const csv = [
      header,
      'leadwell-management-standards,CSL,Collaborative and system leadership,CSL.1,Partnerships,A | B,3,',
      'leadwell-management-standards,CSL,Another title,CSL.2,Purpose,,,',
      '',
      'leadwell-management-standards,QI,Quality improvement,CSL.1,Duplicate,,,',
      'leadwell-management-standards,QI,Quality improvement,QI.1,"Multi',
      'line title",,Expert,7',
      'leadwell-management-standards,QI,Quality improvement,QI.2,,,,',
    ].join('\n');
    const result = await importFile(db, { filename: 'bad.csv', text: csv }, actor);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      {
        where: 'line 3, domain_title',
        message: 'Domain CSL is called “Collaborative and system leadership” on line 2',
      },
      { where: 'line 5, competency_code', message: 'Competency code CSL.1 is also on line 2' },
      { where: 'line 6, required_board', message: expect.stringContaining('“7” is not a scored level of the scale') },
      { where: 'line 8, competency_title', message: expect.stringMatching(/^Competency title/) },
    ]);
    const versions = await versionsOf(db, (await findFramework(db, 'leadwell-management-standards'))!.id);
    expect(versions.map((v) => v.status)).toEqual(['published']);
  });

  it('reports a CSV with the wrong columns or for a new framework with required levels', async () => {
    const wrong = await importFile(db, { filename: 'x.csv', text: 'framework,domain,competency\nx,y,z\n' }, actor);
    expect(wrong.ok ? [] : wrong.problems.map((p) => p.message)).toEqual([
      'Missing column(s): domain_code, domain_title, competency_code, competency_title',
      expect.stringContaining('Unknown column(s): domain, competency.'),
    ]);
    const fresh = await importFile(
      db,
      {
        filename: 'new.csv',
        text: 'framework,framework_title,domain_code,domain_title,competency_code,competency_title,required_senior\nbrand-new,Brand new,D1,One,D1.1,First,3\n',
      },
      actor,
    );
    expect(fresh.ok ? [] : fresh.problems.map((p) => p.where)).toEqual(['line 2, required_senior']);
    const ok = await importFile(
      db,
      {
        filename: 'new.csv',
        text: 'framework,framework_title,domain_code,domain_title,competency_code,competency_title\nbrand-new,Brand new,D1,One,D1.1,First\n',
      },
      actor,
    );
    expect(ok).toMatchObject({ ok: true, key: 'brand-new', created: true });
    expect((await findFramework(db, 'brand-new'))!.title).toBe('Brand new');
  });
});
