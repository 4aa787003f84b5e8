import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../../test/helpers.ts';
import type { Database } from '../../db/database.ts';
import { commands } from './commands.ts';
import { importOds, loadBundledOds, type OdsInput } from './ods.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const input = (f: string, text?: string): OdsInput => ({
  file: f,
  text: text ?? readFileSync(path.join(fixtures, f), 'utf8'),
});
const regions = input(
  'regions.csv',
  readFileSync(path.join(fixtures, '../../../../reference/ods/regions.csv'), 'utf8'),
);
const actor = { label: 'test' };

/** Everything an import decides about each organisation, by code, with parents as codes. */
async function snapshot(db: Database) {
  const orgs = await db
    .selectFrom('organisations as o')
    .leftJoin('organisations as p', 'p.id', 'o.parent_id')
    .leftJoin('organisations as i', 'i.id', 'o.icb_id')
    .leftJoin('organisations as r', 'r.id', 'o.region_id')
    .select([
      'o.code',
      'o.name',
      'o.kind',
      'p.code as parent',
      'i.code as icb',
      'r.code as region',
      'o.ons_code',
      'o.address',
      'o.postcode',
      'o.phone',
      'o.opened_on',
      'o.closed_on',
      'o.source',
    ])
    .orderBy('o.code')
    .execute();
  const history = await db
    .selectFrom('organisation_parent_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { orgs, history: Number(history.n) };
}

async function place(db: Database, code: string) {
  return (await snapshot(db)).orgs.find((o) => o.code === code)!;
}

async function imported(db: Database, inputs: OdsInput[]) {
  const result = await importOds(db, inputs, actor);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.summary;
}

describe('importing both ODS layouts is idempotent', () => {
  it.each([
    ['current', ['etr-current.csv', 'eccg-current.csv']],
    ['older', ['etr-older.csv', 'eccg-older.csv']],
  ])('the %s layout, imported twice, leaves the same organisations', async (_layout, files) => {
    const db = (await testDeps()).db;
    const inputs = [regions, input('icb-names.csv'), ...files.map((f) => input(f))];
    const first = await imported(db, inputs);
    expect(first.created).toBeGreaterThan(15);
    const before = await snapshot(db);
    const second = await imported(db, inputs);
    expect(second).toMatchObject({ created: 0, updated: 0, closed: 0, unchanged: first.created });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('the ODS import', () => {
  it('keeps closed and Welsh organisations, places every organisation in its ICB and region', async () => {
    const db = (await testDeps()).db;
    const s = await imported(db, [
      input('etr-current.csv'),
      input('eccg-current.csv'),
      input('icb-names.csv'),
      regions,
    ]);
    // Closed: R0C, R1C, RAP, RW6 (trusts), 00C, 08H (CCGs).
    expect(s.closed).toBe(6);
    expect(await place(db, 'R1C')).toMatchObject({
      kind: 'trust',
      closed_on: '2024-09-30',
      parent: 'QRL',
      icb: 'QRL',
      region: 'Y59',
    });
    expect(await place(db, 'RQF')).toMatchObject({ kind: 'trust', parent: null, icb: null, region: null });
    expect(await place(db, '02Q')).toMatchObject({ kind: 'sub_icb', parent: 'QT1', icb: 'QT1', region: 'Y60' });
    // ICBs are their own ICB and sit in the region of their organisations; regions are their own region.
    expect(await place(db, 'QMJ')).toMatchObject({
      kind: 'icb',
      name: 'NHS North Central London Integrated Care Board',
      ons_code: 'E54000028',
      parent: 'Y56',
      icb: 'QMJ',
      region: 'Y56',
    });
    expect(await place(db, 'Y56')).toMatchObject({ kind: 'region', parent: null, icb: null, region: 'Y56' });
  });

  it('creates a placeholder for an ICB missing from the names file and names it on a later import', async () => {
    const db = (await testDeps()).db;
    const s = await imported(db, [regions, input('icb-names.csv'), input('etr-current.csv')]);
    expect(s.warnings.some((w) => w.startsWith('ICB QRV'))).toBe(true);
    expect(await place(db, 'QRV')).toMatchObject({ name: 'QRV', source: 'ods-placeholder', region: 'Y56' });
    expect(await place(db, 'R1K')).toMatchObject({ icb: 'QRV', region: 'Y56' });
    const names = readFileSync(path.join(fixtures, '../../../../reference/ods/icb-names-2024.csv'), 'utf8');
    const again = await imported(db, [input('icb-names-2024.csv', names)]);
    expect(again.warnings).toEqual([]);
    expect(await place(db, 'QRV')).toMatchObject({
      name: 'NHS North West London Integrated Care Board',
      source: 'ods',
      region: 'Y56',
    });
  });

  it('records a change of parent and a closure when a newer release moves and closes organisations', async () => {
    const db = (await testDeps()).db;
    await imported(db, [regions, input('icb-names.csv'), input('etr-older.csv'), input('eccg-older.csv')]);
    expect(await place(db, '02Q')).toMatchObject({ name: 'NHS Bassetlaw CCG', icb: 'QF7', region: 'Y63' });
    expect(await place(db, 'RAP')).toMatchObject({ closed_on: null });
    const s = await imported(db, [input('etr-current.csv'), input('eccg-current.csv')]);
    // RAP, R1C, RW6 closed since; 00C and 08H closed in 2020 (the older file still listed them open);
    // R0C is new to this release and arrives closed.
    expect(s.closed).toBe(6);
    expect(await place(db, '02Q')).toMatchObject({
      name: 'NHS Nottingham and Nottinghamshire ICB - 02Q',
      parent: 'QT1',
      icb: 'QT1',
      region: 'Y60',
    });
    expect(await place(db, 'RAP')).toMatchObject({ closed_on: '2024-12-31' });
    const history = await db
      .selectFrom('organisation_parent_history as h')
      .innerJoin('organisations as o', 'o.id', 'h.organisation_id')
      .leftJoin('organisations as p', 'p.id', 'h.parent_id')
      .select(['p.code as parent', 'h.valid_to'])
      .where('o.code', '=', '02Q')
      .orderBy('h.id')
      .execute();
    expect(history.map((h) => h.parent)).toEqual(['QF7', 'QT1']);
    expect(history[0].valid_to).not.toBeNull();
    expect(history[1].valid_to).toBeNull();
  });

  it('places organisations under pre-2022 area-team codes directly in their region, and warns', async () => {
    const db = (await testDeps()).db;
    const s = await imported(db, [regions, input('etr-legacy.csv')]);
    expect(s.warnings).toEqual([
      expect.stringMatching(/^Y57 .* is not a known NHS England region/),
      expect.stringMatching(/^Q70 in column 4 .*1 row/),
      expect.stringMatching(/^Q71 in column 4 .*2 row/),
    ]);
    expect(await place(db, 'RAL')).toMatchObject({ parent: 'Y56', icb: null, region: 'Y56' });
    expect(await place(db, 'R1F')).toMatchObject({ parent: null, icb: null, region: null });
    expect((await snapshot(db)).orgs.some((o) => o.code === 'Q71')).toBe(false);
  });

  it('applies nothing when any row of any file is bad, and says which line', async () => {
    const db = (await testDeps()).db;
    await imported(db, [regions, input('icb-names.csv'), input('etr-current.csv')]);
    const before = await snapshot(db);
    const lines = readFileSync(path.join(fixtures, 'etr-current.csv'), 'utf8').split('\r\n');
    lines[0] = lines[0].replace('NORTH LONDON', 'RENAMED');
    lines[6] = lines[6].replace(/,""$/, '');
    const result = await importOds(db, [input('eccg-current.csv'), input('etr.csv', lines.join('\r\n'))], actor);
    expect(result).toEqual({
      ok: false,
      errors: [{ file: 'etr.csv', line: 7, message: 'expected 27 columns, found 26' }],
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it('loads the bundled files: 7 regions, 42 ICBs, 202 open English trusts', async () => {
    const db = (await testDeps()).db;
    const summary = await loadBundledOds(db);
    expect(summary).toBe(
      'read 7 regions, 42 ICBs, 273 trusts, 320 sub-ICB locations: 642 created, 0 updated, 0 unchanged, 229 newly closed',
    );
    const count = async (kind: 'region' | 'icb' | 'trust' | 'sub_icb', open: boolean, english: boolean) => {
      let q = db
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', kind);
      if (open) q = q.where('closed_on', 'is', null);
      if (english) q = q.where('region_id', 'is not', null);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    expect(await count('region', true, true)).toBe(7);
    expect(await count('icb', true, true)).toBe(42);
    expect(await count('trust', true, true)).toBe(202);
    expect(await count('trust', false, false)).toBe(273);
    expect(await count('sub_icb', true, true)).toBe(159);
    // No placeholders: every ICB the trusts name is in the names file.
    expect((await snapshot(db)).orgs.filter((o) => o.source === 'ods-placeholder')).toEqual([]);
    const audit = await db.selectFrom('audit_log').select(['action', 'actor_label']).execute();
    expect(audit).toEqual([{ action: 'organisations.import', actor_label: 'Leadwell setup (bundled ODS files)' }]);
  });

  it('runs as `leadwell import ods`, exiting 1 with the bad lines', async () => {
    const deps = await testDeps();
    const command = commands.find((c) => c.name === 'import ods')!;
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), progress: () => {} };
    const good = await command.run(
      deps,
      { values: {}, positionals: [path.join(fixtures, 'icb-names.csv'), path.join(fixtures, 'etr-older.csv')] },
      io,
    );
    expect(good).toBe(0);
    expect(out[0]).toMatch(/^Imported: read 7 ICBs, 10 trusts: 17 created/);
    expect(out.some((l) => l.startsWith('Warning: Y62'))).toBe(true);
    const bad = await command.run(
      deps,
      {
        values: { kind: 'eccg' },
        positionals: [path.join(fixtures, 'eccg-current.csv'), path.join(fixtures, 'icb-names.csv')],
      },
      io,
    );
    expect(bad).toBe(1);
    expect(err[0]).toMatch(/^Nothing was imported/);
    expect(err[1]).toMatch(/^icb-names\.csv line 1: found 4 columns: ODS files have 27/);
  });
});
