import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import { type Command, type CommandIO, UsageError } from '../../command.ts';
import { commands } from './commands.ts';
import { contentOf } from './document.ts';
import { latestDocument, loadStarters } from './import.ts';

const deps = await testDeps();
await loadStarters(deps.db);
const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwell-frameworks-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(name: string, positionals: string[], values: Record<string, unknown> = {}) {
  const command = commands.find((c) => c.name === `frameworks ${name}`) as Command;
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {} };
  const code = await command.run(deps, { values, positionals }, io);
  return { code, out, err };
}

describe('leadwell frameworks export and import', () => {
  it('exports a version to a file and imports it back as a draft of a new framework', async () => {
    const file = path.join(dir, 'hlm.json');
    const exported = await run('export', ['healthcare-leadership-model'], { output: file });
    expect(exported).toMatchObject({ code: 0, out: [`Wrote version 1 of healthcare-leadership-model to ${file}.`] });
    const doc = JSON.parse(await readFile(file, 'utf8'));
    doc.framework.key = 'hlm-cli';
    await writeFile(file, JSON.stringify(doc));
    const imported = await run('import', [file]);
    expect(imported).toMatchObject({
      code: 0,
      out: [`Imported ${file} as draft version 1 of hlm-cli (a new framework).`],
    });
    expect(contentOf((await latestDocument(deps.db, 'hlm-cli'))!)).toEqual(contentOf(doc));
  });

  it('prints CSV to standard output', async () => {
    const { code, out } = await run('export', ['board-leadership-competency-framework'], {
      format: 'csv',
      version: '1',
    });
    expect(code).toBe(0);
    const lines = out[0].split('\r\n');
    expect(lines[0]).toMatch(/^framework,framework_title,version,domain_code/);
    expect(lines).toHaveLength(1 + 18);
  });

  it('lists every problem of a bad file and exits 1 with nothing imported', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'framework,domain_code,domain_title,competency_code,competency_title\ncli-bad,D1,,D1.1,\n');
    const { code, err } = await run('import', [file]);
    expect(code).toBe(1);
    expect(err).toEqual([
      'Nothing was imported: 2 problem(s).',
      'line 2, domain_title: Enter the domain title',
      expect.stringMatching(/^line 2, competency_title: Competency title/),
    ]);
    expect(await latestDocument(deps.db, 'cli-bad')).toBeUndefined();
  });

  it('says what is wrong with the arguments', async () => {
    await expect(run('export', [])).rejects.toBeInstanceOf(UsageError);
    await expect(run('export', ['x'], { format: 'xml' })).rejects.toThrow('--format must be json or csv');
    expect((await run('export', ['nope'])).err).toEqual(['No framework has the key nope.']);
    expect((await run('export', ['healthcare-leadership-model'], { version: '7' })).code).toBe(1);
    expect((await run('import', [path.join(dir, 'missing.json')])).err[0]).toMatch(/ENOENT/);
  });
});
